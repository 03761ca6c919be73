//! A leader's commitments in the JSON API (issue 23, item 6).
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::commitments::{self, CommitmentChange, CommitmentInput, CommitmentView};
use plab_domain::commitment::CommitmentId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pair_commitments, make_pair_commitment))
        .routes(routes!(change_commitment_state_or_sharing))
}

/// The pair's commitments, oldest first: every one for its leader, only the
/// shared ones for its mentor. The pair's partners only (sponsors: 403).
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/commitments", operation_id = "list_pair_commitments", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = [CommitmentView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_pair_commitments(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Vec<CommitmentView>>, ApiError> {
    Ok(Json(commitments::pair_commitments(&s.store, &actor, crate::path_pair(&pair)?).await?.commitments))
}

/// Makes a commitment: what the leader will try (`text`), by when (`due_on`,
/// `YYYY-MM-DD`, from today to a year ahead), the entry of the insight log it
/// comes from (`insight`, optional) and whether the mentor reads it
/// (`shared`, false by default). A bad field is a 422 naming it; a closed
/// program 409. The pair's leader only.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/commitments", operation_id = "make_pair_commitment", security(("bearer" = [])), request_body = CommitmentInput,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 201, body = CommitmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn make_pair_commitment(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<CommitmentInput>,
) -> Result<(StatusCode, Json<CommitmentView>), ApiError> {
    let pair = crate::path_pair(&pair)?;
    Ok((StatusCode::CREATED, Json(commitments::add_commitment(&s.store, &actor, pair, &body).await?)))
}

/// Marks a commitment `kept`, `dropped` or `open` again (`state`) and shares
/// it with the mentor or not (`shared`); what is left out is unchanged. The
/// leader who made it only.
#[utoipa::path(put, path = "/api/v1/commitments/{commitment}", operation_id = "change_commitment_state_or_sharing", security(("bearer" = [])), request_body = CommitmentChange,
    params(("commitment" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn change_commitment_state_or_sharing(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommitmentChange>,
) -> Result<Json<CommitmentView>, ApiError> {
    let id = CommitmentId(crate::path_id("commitment", &id)?);
    Ok(Json(commitments::change_commitment(&s.store, &actor, id, &body).await?))
}
