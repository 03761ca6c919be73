//! Check-ins and the leader's insight log in the JSON API (protocol step 5).
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::measure::{self, CheckinInput, CheckinRow, InsightInput, InsightView, MyCheckin, ProgramInsights};
use plab_domain::insight::InsightId;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_checkin, answer_my_checkin))
        .routes(routes!(record_checkin))
        .routes(routes!(program_checkins))
        .routes(routes!(checkins_due))
        .routes(routes!(my_insights, add_insight))
        .routes(routes!(insight, update_insight, delete_insight))
        .routes(routes!(program_insights))
}

fn path_insight(raw: &str) -> Result<InsightId, ApiError> {
    Ok(crate::path_id("insight", raw).map(InsightId)?)
}

/// My own check-in in this pair: its questions (the leader's or the
/// mentor's), whether it is `not_yet` due, `due`, `overdue` or `done`, and my
/// answers. The other partner's check-in is never included. The pair's partners only.
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/checkins/me", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = MyCheckin), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_checkin(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<MyCheckin>, ApiError> {
    Ok(Json(measure::my_checkin(&s.store, &actor, crate::path_pair(&pair)?, OffsetDateTime::now_utc()).await?))
}

/// Answers (or revises) my own check-in, once the pair has held the program's
/// `checkin_after` sessions: a leader sends `insight` and `change`, a mentor
/// `view_of_organization`, `heard` (1-5) and optionally `heard_comment`. It can
/// be revised until a sponsor has read it (409 after that, or before it is
/// due). Only the program's sponsors read the answers. The pair's partners only.
#[utoipa::path(put, path = "/api/v1/pairs/{pair}/checkins/me", security(("bearer" = [])), request_body = CheckinInput,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = MyCheckin), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer_my_checkin(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<CheckinInput>,
) -> Result<Json<MyCheckin>, ApiError> {
    let pair = crate::path_pair(&pair)?;
    Ok(Json(measure::answer_my_checkin(&s.store, &actor, pair, &body, OffsetDateTime::now_utc()).await?))
}

/// A sponsor records the answers of a check-in held in person with one
/// partner (`leader` or `mentor`), once it is due; marked as recorded by the
/// sponsor, and audited (ids only). A partner's own answers are never
/// overwritten (409). The program's sponsors only.
#[utoipa::path(put, path = "/api/v1/pairs/{pair}/checkins/{role}", security(("bearer" = [])), request_body = CheckinInput,
    params(("pair" = i64, Path, description = "pair id"), ("role" = String, Path, description = "`leader` or `mentor`")),
    responses((status = 200, body = CheckinRow), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record_checkin(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path((pair, role)): Path<(String, String)>,
    ApiJson(body): ApiJson<CheckinInput>,
) -> Result<Json<CheckinRow>, ApiError> {
    let pair = crate::path_pair(&pair)?;
    Ok(Json(measure::record_checkin(&s.store, &actor, pair, &role, &body, OffsetDateTime::now_utc()).await?))
}

/// Every partner's check-in in the program, leader and mentor of each pair,
/// with its state and answers. Reading them marks them read: partners can no
/// longer revise what a sponsor has seen. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/checkins", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [CheckinRow]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn program_checkins(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<CheckinRow>>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(measure::program_checkins(&s.store, &actor, program, OffsetDateTime::now_utc()).await?))
}

/// The program's check-ins that are due or overdue and unanswered, overdue
/// first, without answers (nothing is marked read). The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/checkins/due", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [CheckinRow]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn checkins_due(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<CheckinRow>>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(measure::checkins_due(&s.store, &actor, program, OffsetDateTime::now_utc()).await?))
}

/// My insight log in this pair: decisions changed and actions taken, oldest
/// first. The pair's leader only (its mentor and sponsors: 403).
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/insights", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = [InsightView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_insights(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Vec<InsightView>>, ApiError> {
    Ok(Json(measure::my_insights(&s.store, &actor, crate::path_pair(&pair)?).await?.insights))
}

/// Logs a decision changed or an action taken, with its theme, the held
/// session it came from (optional) and whether the sponsors may read its text
/// (`shared`, false by default). A bad field is a 422 naming it. The pair's leader only.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/insights", security(("bearer" = [])), request_body = InsightInput,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 201, body = InsightView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add_insight(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<InsightInput>,
) -> Result<(StatusCode, Json<InsightView>), ApiError> {
    let pair = crate::path_pair(&pair)?;
    Ok((StatusCode::CREATED, Json(measure::add_insight(&s.store, &actor, pair, &body).await?)))
}

/// One entry of my insight log. Its leader only.
#[utoipa::path(get, path = "/api/v1/insights/{insight}", security(("bearer" = [])),
    params(("insight" = i64, Path, description = "insight id")),
    responses((status = 200, body = InsightView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn insight(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<InsightView>, ApiError> {
    Ok(Json(measure::insight(&s.store, &actor, path_insight(&id)?).await?.0))
}

/// Replaces an entry of my insight log (kind, theme, text, session, shared):
/// send it whole, as for adding one. Its leader only.
#[utoipa::path(put, path = "/api/v1/insights/{insight}", security(("bearer" = [])), request_body = InsightInput,
    params(("insight" = i64, Path, description = "insight id")),
    responses((status = 200, body = InsightView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn update_insight(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InsightInput>,
) -> Result<Json<InsightView>, ApiError> {
    Ok(Json(measure::update_insight(&s.store, &actor, path_insight(&id)?, &body).await?))
}

/// Deletes an entry of my insight log. Its leader only.
#[utoipa::path(delete, path = "/api/v1/insights/{insight}", security(("bearer" = [])),
    params(("insight" = i64, Path, description = "insight id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn delete_insight(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    measure::delete_insight(&s.store, &actor, path_insight(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The program's insight logs as its sponsors see them: counts of every
/// entry (overall, by theme, by pair) and the text of the entries their
/// leaders shared, never of the others. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/insights", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = ProgramInsights), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn program_insights(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<ProgramInsights>, ApiError> {
    Ok(Json(measure::program_insights(&s.store, &actor, crate::path_program(&program)?).await?))
}
