//! One's own self-assessment in the JSON API (leaders and mentors of the program).
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::selfassessment::{self, MySelfAssessment};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mine, answer))
}

/// My self-assessment for a phase (`baseline` or `closing`): my role's
/// statements and my own answers. Sponsors see only group averages, in the report.
#[utoipa::path(get, path = "/api/v1/programs/{program}/me/self-assessment/{phase}", operation_id = "my_self_assessment", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id"), ("phase" = String, Path, description = "`baseline` or `closing`")),
    responses((status = 200, body = MySelfAssessment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn mine(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path((program, phase)): Path<(String, String)>,
) -> Result<Json<MySelfAssessment>, ApiError> {
    let (program, phase) = (crate::path_program(&program)?, selfassessment::phase(&phase)?);
    Ok(Json(selfassessment::mine(&s.store, &actor, program, phase).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentBody {
    /// Every statement code of my role, each 1 to 5.
    answers: BTreeMap<String, i64>,
}

/// Answers (or changes) my self-assessment for a phase; a missing, unknown or
/// out-of-range answer is 422 naming its statement.
#[utoipa::path(put, path = "/api/v1/programs/{program}/me/self-assessment/{phase}", security(("bearer" = [])),
    request_body = SelfAssessmentBody,
    params(("program" = i64, Path, description = "program id"), ("phase" = String, Path, description = "`baseline` or `closing`")),
    responses((status = 200, body = MySelfAssessment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path((program, phase)): Path<(String, String)>,
    ApiJson(body): ApiJson<SelfAssessmentBody>,
) -> Result<Json<MySelfAssessment>, ApiError> {
    let (program, phase) = (crate::path_program(&program)?, selfassessment::phase(&phase)?);
    Ok(Json(selfassessment::answer(&s.store, &actor, program, phase, &body.answers).await?))
}
