//! The organisation's lab report for the program office, and its members
//! (issue 23, item 5).
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use plab_app::office::{self, Member, OfficeReport};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(office_lab_report))
        .routes(routes!(office_lab_report_csv))
        .routes(routes!(list_program_office_members))
        .routes(routes!(name_program_office_member, remove_program_office_member))
}

/// The organisation's lab report: every program the reader may see side by
/// side (pairs, sessions held, cadence, the mentors' "heard" average as
/// released, insights, decisions changed, commitments, retention of leaders
/// and mentors), cohort against cohort, insights by theme with the texts
/// leaders shared, and the silos crossed. Figures about people below a
/// program's group size are withheld. No pair, no participant's name. The
/// program office only: people an administrator named (every program) and
/// sponsors of two or more programs (those programs).
#[utoipa::path(get, path = "/api/v1/office/report", operation_id = "office_lab_report", security(("bearer" = [])),
    responses((status = 200, body = OfficeReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn office_lab_report(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Json<OfficeReport>, ApiError> {
    Ok(Json(office::for_office(&s.store, &actor).await?))
}

/// The same report as CSV (`section,program,metric,value`), what
/// `/office/report.csv` downloads. The program office only.
#[utoipa::path(get, path = "/api/v1/office/report.csv", operation_id = "office_lab_report_csv", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn office_lab_report_csv(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<impl IntoResponse, ApiError> {
    let r = office::for_office(&s.store, &actor).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], office::to_csv(&r)))
}

/// The people administrators named to the program office (sponsors of two
/// or more programs belong to it without being named). Administrators only.
#[utoipa::path(get, path = "/api/v1/admin/program-office", operation_id = "list_program_office_members", security(("bearer" = [])),
    responses((status = 200, body = [Member]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_program_office_members(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Json<Vec<Member>>, ApiError> {
    Ok(Json(office::members(&s.store, &actor).await?))
}

/// Names a person of the directory to the program office: they read the
/// organisation's lab report over every program. Naming someone again
/// changes nothing; an unknown id is 422. Administrators only.
#[utoipa::path(put, path = "/api/v1/admin/program-office/{employee_id}", operation_id = "name_program_office_member", security(("bearer" = [])),
    params(("employee_id" = String, Path, description = "the person's employee id")),
    responses((status = 200, body = [Member]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn name_program_office_member(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<Vec<Member>>, ApiError> {
    Ok(Json(office::name_member(&s.store, &actor.for_changes(), &id).await?))
}

/// Removes a named person from the program office (404 if not named).
/// Administrators only.
#[utoipa::path(delete, path = "/api/v1/admin/program-office/{employee_id}", operation_id = "remove_program_office_member", security(("bearer" = [])),
    params(("employee_id" = String, Path, description = "the person's employee id")),
    responses((status = 200, body = [Member]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove_program_office_member(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<Vec<Member>>, ApiError> {
    Ok(Json(office::remove_member(&s.store, &actor.for_changes(), &id).await?))
}
