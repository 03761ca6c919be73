//! The JSON API (CONTRACT.md). Each handler parses, calls one service, maps.
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use plab_app::lab::{self, CharterView, NoteView, PairView};
use plab_app::settings;
use plab_domain::instance::InstanceSettings;
use serde::{Deserialize, Serialize};

pub(crate) mod account;
pub(crate) mod perspectives;
pub(crate) mod sessions;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/v1/programs/{program}/pairs", get(program_pairs))
        .route("/api/v1/pairs/{pair}", get(pair))
        .route("/api/v1/pairs/{pair}/notes", get(list_notes).post(add_note))
        .route("/api/v1/pairs/{pair}/charter", get(charter).post(accept_charter))
        .route("/api/v1/admin/settings", get(get_settings).put(put_settings))
        .route("/calendar/{file}", get(calendar))
        .merge(account::routes())
        .merge(sessions::routes())
        .merge(perspectives::routes())
}

/// `Json` whose rejections (broken JSON, wrong fields, too large) are 4xx JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// 200 when the database answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the database answers"), (status = 503, description = "it does not")))]
async fn healthz(State(s): State<AppState>) -> StatusCode {
    if s.store.ping().await { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }
}

/// The program's pairs: every pair for its sponsors, one's own for a leader or mentor.
#[utoipa::path(get, path = "/api/v1/programs/{program}/pairs", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [PairView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn program_pairs(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<PairView>>, ApiError> {
    Ok(Json(lab::list_pairs(&s.store, &actor, crate::path_program(&program)?).await?))
}

/// One pair, for its partners and its program's sponsors.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = PairView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn pair(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<PairView>, ApiError> {
    Ok(Json(lab::get_pair(&s.store, &actor, crate::path_id("pair", &pair)?).await?))
}

/// The pair's notes: only its two partners, never sponsors or admins.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/notes", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = [NoteView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_notes(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Vec<NoteView>>, ApiError> {
    Ok(Json(lab::notes(&s.store, &s.vault, &actor, crate::path_id("pair", &pair)?).await?))
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
async fn add_note(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = lab::add_note(&s.store, &s.vault, &actor, crate::path_id("pair", &pair)?, &body.body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The lab rules' state: who has accepted them, and the pair's status.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/charter", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = CharterView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn charter(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<CharterView>, ApiError> {
    Ok(Json(lab::charter(&s.store, &actor, crate::path_id("pair", &pair)?).await?))
}

/// A partner accepts the three lab rules; the pair turns `active` once both have.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/charter", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = CharterView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn accept_charter(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<CharterView>, ApiError> {
    Ok(Json(lab::accept_charter(&s.store, &actor, crate::path_id("pair", &pair)?).await?))
}

/// The instance's settings: `instance_name`, `session_hours` (how long a browser
/// sign-in lasts) and `program_defaults` (what a program created without
/// settings gets; the keys of a program's settings file). Administrators only.
#[utoipa::path(get, path = "/api/v1/admin/settings", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "`{instance_name, session_hours, program_defaults}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_settings(State(s): State<AppState>, Authed(actor): Authed) -> Result<Json<InstanceSettings>, ApiError> {
    Ok(Json(settings::get_as(&s.store, &actor).await?))
}

/// Replaces the instance's settings; every key is required, missing keys inside
/// `program_defaults` take the protocol's defaults. A bad value is a 422 naming
/// its field (`program_defaults.sessions`). Administrators only; audited.
#[utoipa::path(put, path = "/api/v1/admin/settings", security(("bearer" = [])),
    request_body(content = Object, description = "`{instance_name, session_hours, program_defaults}`"),
    responses((status = 200, body = Object, description = "the settings as saved"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<InstanceSettings>,
) -> Result<Json<InstanceSettings>, ApiError> {
    Ok(Json(settings::update_as(&s.store, &actor, body).await?))
}

/// A person's calendar feed (RFC 5545): one event per session, cancelled ones
/// marked `STATUS:CANCELLED`. The secret in the URL is the credential.
#[utoipa::path(get, path = "/calendar/{file}", params(("file" = String, Path, description = "SECRET.ics from /api/v1/me")),
    responses((status = 200, content_type = "text/calendar", description = "the person's sessions"), (status = 404, body = ErrorBody)))]
async fn calendar(State(s): State<AppState>, Path(file): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let body = plab_app::sessions::calendar(&s.store, &s.vault, &file).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body))
}
