//! A mentor's own perspectives for a program in the JSON API.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::programs::{participant, participant::MyPerspectives};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mine, set_mine, reset_mine))
}

/// The perspectives the pairing engine reads for me as a mentor in this
/// program, each with its themes; `source` says whether I wrote them (`own`)
/// or they come from the people directory (`directory`). Mentors of the program only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/me/perspectives", operation_id = "my_mentor_perspectives", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = MyPerspectives), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn mine(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<MyPerspectives>, ApiError> {
    Ok(Json(participant::my_perspectives(&s.store, &actor, crate::path_program(&program)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerspectivesBody {
    /// Up to 12, each at most 120 characters; blank entries are skipped and
    /// case-insensitive duplicates kept once.
    perspectives: Vec<String>,
}

/// Replaces my perspectives for this program with my own words (a directory
/// import never overwrites them). A bad entry is a 422 naming `perspectives`
/// and the entry; nothing is saved then. Mentors of the program only.
#[utoipa::path(put, path = "/api/v1/programs/{program}/me/perspectives", security(("bearer" = [])), request_body = PerspectivesBody,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = MyPerspectives), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_mine(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<PerspectivesBody>,
) -> Result<Json<MyPerspectives>, ApiError> {
    let entries = body.perspectives.iter().map(String::as_str);
    Ok(Json(participant::set_my_perspectives(&s.store, &actor, crate::path_program(&program)?, entries).await?))
}

/// Goes back to the people directory's perspectives for this program. Mentors of the program only.
#[utoipa::path(delete, path = "/api/v1/programs/{program}/me/perspectives", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = MyPerspectives), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reset_mine(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<MyPerspectives>, ApiError> {
    Ok(Json(participant::reset_my_perspectives(&s.store, &actor, crate::path_program(&program)?).await?))
}
