//! Sessions and private pulses in the JSON API.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::sessions::{self, HoldInput, PlannedMove, RescheduleInput, SessionView, TimerView};
use serde::Deserialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(hold))
        .routes(routes!(cancel))
        .routes(routes!(reschedule))
        .routes(routes!(preview_reschedule))
        .routes(routes!(my_pulse, answer_pulse))
        .routes(routes!(record_segment))
        .routes(routes!(missed))
        .routes(routes!(timer, press_timer))
}

/// A partner says a planned session did not take place, once its start has
/// passed: it is recorded as `missed` (audited) and no pulse follows. Both
/// partners are asked (`awaiting_outcome`) from its end; a week after its
/// start without an answer it reads as missed anyway, though a partner may
/// still mark it held.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/missed", operation_id = "record_session_not_held", security(("bearer" = [])),
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn missed(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<SessionView>, ApiError> {
    let id = crate::path_session(&id)?;
    Ok(Json(sessions::record_missed(&s.store, &actor, id, OffsetDateTime::now_utc()).await?))
}

/// The session timer as it runs now, the same on every device of either partner.
#[utoipa::path(get, path = "/api/v1/sessions/{session}/timer", operation_id = "read_session_timer", security(("bearer" = [])),
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = TimerView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn timer(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<TimerView>, ApiError> {
    Ok(Json(sessions::timer(&s.store, &actor, crate::path_session(&id)?, OffsetDateTime::now_utc()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimerBody {
    /// `start`, `pause`, `resume`, `next` (records the finished segment's minutes) or `stop`.
    action: String,
    /// The segment the caller showed (from 0): a `next` that crossed another
    /// device's does nothing.
    #[serde(default)]
    segment: Option<usize>,
}

/// A partner presses a timer button; only a planned session has a timer (409 otherwise).
#[utoipa::path(post, path = "/api/v1/sessions/{session}/timer", operation_id = "press_session_timer", security(("bearer" = [])), request_body = TimerBody,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = TimerView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn press_timer(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TimerBody>,
) -> Result<Json<TimerView>, ApiError> {
    let id = crate::path_session(&id)?;
    let now = OffsetDateTime::now_utc();
    Ok(Json(sessions::press_timer(&s.store, &actor, id, &body.action, body.segment, now).await?))
}

/// The pair's sessions, for its partners and its program's sponsors (times and status only).
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/sessions", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = [SessionView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Vec<SessionView>>, ApiError> {
    Ok(Json(sessions::list(&s.store, &actor, crate::path_pair(&pair)?).await?))
}

/// A partner marks a planned session held, with the homework agreed for next time.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/hold", security(("bearer" = [])), request_body = HoldInput,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn hold(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldInput>,
) -> Result<Json<SessionView>, ApiError> {
    let id = crate::path_session(&id)?;
    Ok(Json(sessions::hold(&s.store, &s.vault, &actor, id, &body, OffsetDateTime::now_utc()).await?))
}

/// Why a session is cancelled; the body may also be left empty.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CancelInput {
    /// Goes to the partner as a note of the pair (at most 500 characters).
    reason: Option<String>,
}

/// A partner cancels a planned session, with an optional `reason` for the partner.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/cancel", security(("bearer" = [])),
    request_body(content = Option<CancelInput>, description = "optional; an empty body cancels without a reason"),
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn cancel(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<SessionView>, ApiError> {
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let input: CancelInput = serde_json::from_slice(&body).map_err(|e| {
            plab_app::AppError::invalid(plab_app::Problem::new(format!("the body is not a cancellation: {e}")))
        })?;
        input.reason
    };
    let id = crate::path_session(&id)?;
    Ok(Json(sessions::cancel(&s.store, &s.vault, &s.post, &actor, id, reason.as_deref()).await?))
}

/// A partner moves a planned session (`scope: "one"`, the default) or it and
/// every later planned one (`"rest"`); both partners get the update by mail.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/reschedule", security(("bearer" = [])), request_body = RescheduleInput,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn reschedule(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RescheduleInput>,
) -> Result<Json<SessionView>, ApiError> {
    let id = crate::path_session(&id)?;
    Ok(Json(sessions::reschedule(&s.store, &s.vault, &s.post, &actor, id, &body, OffsetDateTime::now_utc()).await?))
}

/// What a move would do, without doing it: each session's new start on both
/// partners' clocks and whether it is inside both working days.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/reschedule/preview", security(("bearer" = [])), request_body = RescheduleInput,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = [PlannedMove]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn preview_reschedule(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RescheduleInput>,
) -> Result<Json<Vec<PlannedMove>>, ApiError> {
    let id = crate::path_session(&id)?;
    Ok(Json(sessions::preview_move(&s.store, &actor, id, &body, OffsetDateTime::now_utc()).await?))
}

/// My own pulse answers for a session (item code → 1-5). The partner's answers are never shown.
#[utoipa::path(get, path = "/api/v1/sessions/{session}/pulse", security(("bearer" = [])),
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = BTreeMap<String, u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_pulse(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<BTreeMap<String, u8>>, ApiError> {
    Ok(Json(sessions::my_pulse(&s.store, &actor, crate::path_session(&id)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PulseBody {
    /// Every item of my role, 1-5: a leader answers `listened`, `focused`,
    /// `shared_challenge`; a mentor answers `led`, `candid`, `heard`.
    answers: BTreeMap<String, i64>,
}

/// Answers (or changes) my private pulse for a held session.
#[utoipa::path(put, path = "/api/v1/sessions/{session}/pulse", security(("bearer" = [])), request_body = PulseBody,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 200, body = BTreeMap<String, u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer_pulse(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PulseBody>,
) -> Result<Json<BTreeMap<String, u8>>, ApiError> {
    Ok(Json(sessions::answer_pulse(&s.store, &actor, crate::path_session(&id)?, &body.answers).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    /// An agenda segment's name: `Connect`, `Mentor's Lab`, `Reflection` or `Next Steps`.
    segment: String,
    /// The minutes it actually took, 0 to 600.
    minutes: u32,
}

/// A partner records how long an agenda segment actually took (the session
/// timer does it at each change of segment). The measure step reads it: a
/// Mentor's Lab cut short is evidence of the leader's expert reflex.
#[utoipa::path(post, path = "/api/v1/sessions/{session}/segments", security(("bearer" = [])), request_body = SegmentBody,
    params(("session" = i64, Path, description = "session id")),
    responses((status = 204, description = "recorded"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record_segment(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SegmentBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    sessions::record_segment(&s.store, &actor, crate::path_session(&id)?, &body.segment, body.minutes).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
