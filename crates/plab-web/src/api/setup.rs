//! Setting a program up over the API: open it, find people, enrol them, and
//! read who is enrolled and how far each one is. The same services as the
//! browser's setup pages.
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::invitations::{self, InvitationStatus, Whom};
use plab_app::setup::{self, Enrolled, FoundPerson};
use plab_app::{AppError, Problem};
use plab_domain::program::Role;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_program))
        .routes(routes!(find_people))
        .routes(routes!(enrolled, enrol))
        .routes(routes!(unenrol))
        .routes(routes!(invitation_statuses, invite))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgramInput {
    name: String,
    /// `YYYY-MM-DD`.
    starts_on: String,
    /// Program settings (`sessions`, `cadence_days`, `session_minutes`,
    /// `checkin_after`, `min_group_size`, `default_mentor_capacity`, …);
    /// without it, the instance's defaults; a key left out takes the protocol's default.
    #[schema(value_type = Option<Object>)]
    settings: Option<serde_json::Value>,
    /// A co-sponsor's employee id or e-mail; required from an administrator
    /// who is not in the directory (the caller is otherwise the sponsor).
    sponsor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Opened {
    id: i64,
}

/// Opens a program; the caller becomes its sponsor. Administrators and the
/// sponsors of any program only. Every bad field is named in one 422.
#[utoipa::path(post, path = "/api/v1/programs", security(("bearer" = [])), request_body = ProgramInput,
    responses((status = 201, body = Opened), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn open_program(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<ProgramInput>,
) -> Result<(StatusCode, Json<Opened>), ApiError> {
    plab_app::access::program_opener(&s.store, &actor).await?;
    let settings = match &body.settings {
        Some(json) => plab_app::programs::settings_from_json("settings", &json.to_string())?,
        None => plab_app::settings::get(&s.store).await?.program_defaults,
    };
    let id =
        setup::open_program(&s.store, &actor, &body.name, &body.starts_on, settings, body.sponsor.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(Opened { id: id.0 })))
}

#[derive(Deserialize)]
pub(crate) struct FindQuery {
    q: Option<String>,
    level: Option<String>,
    page: Option<u64>,
}

/// People still with the organisation whose name, e-mail, id, title or
/// department contains `q` (any case), at `level` when given: 50 a page
/// (`page`, from 1), by name, each with the roles they already hold in the
/// program. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/people", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id"),
        ("q" = Option<String>, Query, description = "part of a name, e-mail, employee id, title or department"),
        ("level" = Option<i64>, Query, description = "only this level"),
        ("page" = Option<u64>, Query, description = "the page of 50 (from 1); without it, the first 50")),
    responses((status = 200, body = [FoundPerson]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn find_people(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiQuery(query): ApiQuery<FindQuery>,
) -> Result<Json<Vec<FoundPerson>>, ApiError> {
    let program = crate::path_program(&program)?;
    let text = query.q.unwrap_or_default();
    let level = query.level.as_deref();
    Ok(Json(setup::find_people_page(&s.store, &actor, program, &text, level, query.page).await?.people))
}

/// Everyone enrolled in the program with how far they are (signed in,
/// question written, lab rules accepted), by role then name. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/enrolments", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [Enrolled]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn enrolled(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<Enrolled>>, ApiError> {
    Ok(Json(setup::roster(&s.store, &actor, crate::path_program(&program)?).await?.people))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrolInput {
    /// `leader`, `mentor` or `sponsor` (a co-sponsor).
    role: String,
    employee_ids: Vec<String>,
    /// Leaders per mentor (1-10); the program's default when left out.
    capacity: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct EnrolledCount {
    enrolled: usize,
}

/// Enrols these people in one role, all or nothing: an unknown id, someone
/// who has left, or someone already on the other side of the pairing here is
/// named in a 422 and nobody is enrolled. Enrolling again updates a mentor's
/// capacity. The program's sponsors only.
#[utoipa::path(post, path = "/api/v1/programs/{program}/enrolments", security(("bearer" = [])), request_body = EnrolInput,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = EnrolledCount), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn enrol(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<EnrolInput>,
) -> Result<Json<EnrolledCount>, ApiError> {
    let program = crate::path_program(&program)?;
    let role = Role::parse(&body.role).map_err(|e| AppError::invalid(Problem::from(e).field("role")))?;
    let enrolled = setup::enrol(&s.store, &actor, program, role, &body.employee_ids, body.capacity).await?;
    Ok(Json(EnrolledCount { enrolled }))
}

/// Where each enrolled person's invitation stands (`not_invited`, `invited`
/// with when, `accepted` once their account is in use), by role then name.
/// Never a link. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/invitations", operation_id = "list_program_invitations", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [InvitationStatus]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn invitation_statuses(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<InvitationStatus>>, ApiError> {
    Ok(Json(invitations::statuses(&s.store, &actor, crate::path_program(&program)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InviteInput {
    /// These enrolled people (invited again if they were already).
    employee_ids: Option<Vec<String>>,
    /// `true`: everyone enrolled who was never invited and has not signed in yet.
    #[serde(default)]
    all_not_yet_invited: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Skipped {
    employee_id: String,
    /// Why, in words for the sponsor.
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct InviteOutcome {
    /// The names of those invited now.
    invited: Vec<String>,
    /// Those left out (a leaver, a disabled account, invited within the last 10 minutes…).
    skipped: Vec<Skipped>,
}

/// Sends the program's welcome by e-mail, in the caller's name, to these
/// enrolled people or to everyone not invited yet. A person who has never
/// signed in gets a set-password link at their own address (the caller never
/// sees it); with single sign-on or an account in use, how to sign in. A
/// person invited within the last 10 minutes, a leaver or a disabled account
/// is left out and named with the reason. 409 while the instance sends no
/// e-mail. The program's sponsors only.
#[utoipa::path(post, path = "/api/v1/programs/{program}/invitations", operation_id = "invite_to_program", security(("bearer" = [])), request_body = InviteInput,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = InviteOutcome), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn invite(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<InviteInput>,
) -> Result<Json<InviteOutcome>, ApiError> {
    let program = crate::path_program(&program)?;
    let whom = match (body.employee_ids, body.all_not_yet_invited) {
        (None, true) => Whom::AllNotYetInvited,
        (Some(ids), false) => Whom::These(ids),
        _ => {
            return Err(AppError::invalid(
                Problem::new("give either employee_ids or \"all_not_yet_invited\": true").field("employee_ids"),
            )
            .into());
        }
    };
    let mailer =
        invitations::Mailer { vault: &s.vault, post: &s.post, policy: s.password_sign_in, sso_on: s.sso.is_some() };
    let sent = invitations::invite(&s.store, mailer, &actor, program, whom).await?;
    let skipped = sent
        .skipped
        .into_iter()
        .map(|p| Skipped { employee_id: p.at.unwrap_or_default(), reason: p.message })
        .collect();
    Ok(Json(InviteOutcome { invited: sent.invited, skipped }))
}

/// Takes a person out of the program: every role they hold there, the pins
/// and forbids naming them and any open proposal go; what they wrote and
/// their ended pairs stay. 409, saying why, for someone in a pair that has
/// not ended, for the caller themselves and for the last sponsor. The
/// program's sponsors only.
#[utoipa::path(delete, path = "/api/v1/programs/{program}/enrolments/{employee_id}", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id"), ("employee_id" = String, Path, description = "the person's employee id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn unenrol(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path((program, employee_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    setup::unenrol(&s.store, &actor, crate::path_program(&program)?, &employee_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
