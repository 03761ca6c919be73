//! A program's life in the JSON API: the program and its state, the
//! close-out (begun by sponsors; the exit question answered by leaders and
//! mentors; its progress as counts for sponsors) and the next cohort.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::life::{self, CloseOutProgress, MyExit, NextCohort, ProgramView, Proposed};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show_program))
        .routes(routes!(begin_close_out, close_out_progress))
        .routes(routes!(my_exit_answer, answer_exit_question))
        .routes(routes!(next_cohort_proposals, start_next_cohort))
}

fn today() -> plab_domain::Date {
    plab_domain::Date::of_instant(time::OffsetDateTime::now_utc())
}

/// The program: its name, its state in its life (`draft`, `enrolling`,
/// `running`, `closing`, `closed`), its kind and its dates. Its sponsors,
/// leaders and mentors, and administrators; anyone else 404.
#[utoipa::path(get, path = "/api/v1/programs/{program}", operation_id = "show_program", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = ProgramView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn show_program(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<ProgramView>, ApiError> {
    Ok(Json(life::show(&s.store, &actor, crate::path_program(&program)?).await?))
}

/// Begins the close-out today (sponsors of the program): the program is
/// `closing`, no new sessions are planned, and leaders and mentors are asked
/// for their closing self-assessment, last check-in and exit answer (each
/// gets a notice by mail). 409 unless the program is running.
#[utoipa::path(post, path = "/api/v1/programs/{program}/close-out", operation_id = "begin_program_close_out", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = ProgramView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn begin_close_out(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<ProgramView>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(life::begin_close_out(&s.store, &s.vault, &s.post, &actor, program, today()).await?))
}

/// How far the close-out is (sponsors of the program): how many leaders and
/// mentors answered each closing item, never who; the split of exit answers
/// only from the program's group size on.
#[utoipa::path(get, path = "/api/v1/programs/{program}/close-out", operation_id = "program_close_out_progress", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = CloseOutProgress), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn close_out_progress(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<CloseOutProgress>, ApiError> {
    Ok(Json(life::close_out_progress(&s.store, &actor, crate::path_program(&program)?).await?))
}

/// My answer to the exit question ("Would you take part again, and in which
/// role?") with its choices. Leaders and mentors of the program.
#[utoipa::path(get, path = "/api/v1/programs/{program}/me/exit", operation_id = "my_exit_answer", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = MyExit), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_exit_answer(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<MyExit>, ApiError> {
    Ok(Json(life::my_exit(&s.store, &actor, crate::path_program(&program)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitBody {
    /// `as_mentor`, `as_leader`, `either_role` or `not_now`.
    #[serde(default)]
    choice: String,
    /// An optional line (500 characters at most).
    comment: Option<String>,
}

/// Answers (or changes) my exit answer while the program is closing (409
/// otherwise); a bad choice or too long a line is 422 naming the field.
/// Leaders and mentors of the program.
#[utoipa::path(put, path = "/api/v1/programs/{program}/me/exit", operation_id = "answer_exit_question", security(("bearer" = [])),
    request_body = ExitBody,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = MyExit), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer_exit_question(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<ExitBody>,
) -> Result<Json<MyExit>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(life::set_my_exit(&s.store, &actor, program, &body.choice, body.comment.as_deref()).await?))
}

/// Who the next cohort would enrol by default (sponsors of the program): the
/// mentors who want to continue and the leaders who asked to, from the exit answers.
#[utoipa::path(get, path = "/api/v1/programs/{program}/next-cohort", operation_id = "next_cohort_proposals", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [Proposed]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn next_cohort_proposals(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<Proposed>>, ApiError> {
    Ok(Json(life::proposals(&s.store, &actor, crate::path_program(&program)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextCohortBody {
    #[serde(default)]
    name: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    starts_on: String,
    /// The reciprocal phase: the former pairs (approved, not ended) paired
    /// again, the leader mentoring the junior on what the junior chooses.
    #[serde(default)]
    reciprocal: bool,
    /// Employee ids to enrol, each in the role they held. Without it: the
    /// proposals (a standard cohort) or every former pair (reciprocal; with
    /// it, only the pairs with both partners named).
    enrol: Option<Vec<String>>,
    /// Sessions of a reciprocal phase, 1 to 12 (default 3).
    sessions: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Started {
    id: i64,
}

/// Starts the next cohort from this program (sponsors of the program; the
/// program running, closing or closed, else 409): its settings and the
/// pairings it forbade are copied, its sponsors are the new one's, and the
/// people chosen are enrolled in their roles. A person who would hold two
/// roles, was not in the program or has left is 422 naming them.
#[utoipa::path(post, path = "/api/v1/programs/{program}/next-cohort", operation_id = "start_next_cohort", security(("bearer" = [])),
    request_body = NextCohortBody,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 201, body = Started), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn start_next_cohort(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<NextCohortBody>,
) -> Result<(StatusCode, Json<Started>), ApiError> {
    let program = crate::path_program(&program)?;
    let input = NextCohort {
        name: body.name,
        starts_on: body.starts_on,
        reciprocal: body.reciprocal,
        enrol: body.enrol,
        sessions: body.sessions,
    };
    let id = life::start_next_cohort(&s.store, &actor, program, &input).await?;
    Ok((StatusCode::CREATED, Json(Started { id: id.0 })))
}
