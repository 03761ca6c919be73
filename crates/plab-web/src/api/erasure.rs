//! Erasure requests in the JSON API (administrators only): an administrator
//! asks, the operator runs `plab person erase --employee-id ID --yes`.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use plab_app::erasure::{self, RequestView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_erasure_requests, request_person_erasure))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErasureRequestBody {
    /// The person's employee id, as in the HR file.
    employee_id: String,
    /// Why, for the deletion record (never the person's name or anything private).
    reason: String,
}

/// Every erasure request, pending first, then done ones newest first.
/// Administrators only.
#[utoipa::path(get, path = "/api/v1/admin/erasure-requests", security(("bearer" = [])),
    responses((status = 200, body = [RequestView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_erasure_requests(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    Ok(Json(erasure::requests(&s.store, &actor).await?))
}

/// Asks the operator to erase a person: a pending request (audited) that
/// `plab person erase --employee-id ID --yes` marks done. An unknown employee
/// id or a missing reason is a 422 naming its field. Administrators only.
#[utoipa::path(post, path = "/api/v1/admin/erasure-requests", security(("bearer" = [])),
    request_body = ErasureRequestBody,
    responses((status = 201, body = RequestView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn request_person_erasure(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<ErasureRequestBody>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let made = erasure::request(&s.store, &actor.for_changes(), &body.employee_id, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(made)))
}
