//! A pair, its notes and its lab rules in the JSON API.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::lab::{self, CharterView, NoteView, PairView};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pair))
        .routes(routes!(list_notes, add_note))
        .routes(routes!(charter, accept_charter))
}

/// One pair, for its partners and its program's sponsors.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = PairView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn pair(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<PairView>, ApiError> {
    Ok(Json(lab::get_pair(&s.store, &actor, crate::path_pair(&pair)?).await?))
}

/// The pair's notes: only its two partners, never sponsors or admins.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/notes", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = [NoteView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_notes(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Vec<NoteView>>, ApiError> {
    Ok(Json(lab::notes(&s.store, &s.vault, &actor, crate::path_pair(&pair)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    body: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    id: i64,
}

/// Adds a note, encrypted at rest; only the pair's partners may write.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/notes", security(("bearer" = [])), request_body = NoteBody,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add_note(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = lab::add_note(&s.store, &s.vault, &actor, crate::path_pair(&pair)?, &body.body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The lab rules' state: who has accepted them, and the pair's status.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/charter", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = CharterView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn charter(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<CharterView>, ApiError> {
    Ok(Json(lab::charter(&s.store, &actor, crate::path_pair(&pair)?).await?))
}

/// A partner accepts the three lab rules; the pair turns `active` once both have.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/charter", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = CharterView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn accept_charter(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<CharterView>, ApiError> {
    Ok(Json(lab::accept_charter(&s.store, &s.vault, &s.post, &actor, crate::path_pair(&pair)?).await?))
}
