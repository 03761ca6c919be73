//! The audit log over the API: administrators read and filter the whole log,
//! a program's sponsors the entries about their program (see `plab_app::audit`).
use super::ApiQuery;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::audit::{self, Filter};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_entries)).routes(routes!(list_program_audit_entries))
}

/// One audit entry: who did what, to what, when. Ids and counts, never the
/// content of notes or answers.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct AuditRow {
    id: i64,
    /// RFC 3339, UTC.
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

impl From<plab_store::AuditEntry> for AuditRow {
    fn from(e: plab_store::AuditEntry) -> AuditRow {
        AuditRow { id: e.id, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail }
    }
}

/// The audit log, filtered. Without `after`, the newest entries first; with
/// `after` (an entry id), the entries after it, oldest first, so a script can
/// follow the log. `before` pages back. At most `limit` (1 to 1000, default
/// 100). Administrators only.
#[utoipa::path(get, path = "/api/v1/admin/audit", security(("bearer" = [])),
    params(("actor" = Option<String>, Query, description = "only what this actor did (an e-mail, or cli:USER)"),
        ("action" = Option<String>, Query, description = "an action (program.enroll), or a prefix ending in a dot (pairing.)"),
        ("from" = Option<String>, Query, description = "entries on or after this day (YYYY-MM-DD) or RFC 3339 time"),
        ("to" = Option<String>, Query, description = "entries before this day (YYYY-MM-DD) or RFC 3339 time"),
        ("after" = Option<i64>, Query, description = "entries after this id, oldest first"),
        ("before" = Option<i64>, Query, description = "entries before this id, newest first"),
        ("limit" = Option<u32>, Query, description = "how many, 1 to 1000 (default 100)")),
    responses((status = 200, body = [AuditRow]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list_audit_entries(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiQuery(filter): ApiQuery<Filter>,
) -> Result<Json<Vec<AuditRow>>, ApiError> {
    let entries = audit::search(&s.store, &actor, &filter.query(100)?).await?;
    Ok(Json(entries.into_iter().map(AuditRow::from).collect()))
}

/// What the program's sponsors and the administrators did to the program
/// (enrolments, pairing, ended pairs, invitations…), filtered like the
/// administrators' log. Never what a participant did. The program's sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/audit", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id"),
        ("actor" = Option<String>, Query, description = "only what this actor did"),
        ("action" = Option<String>, Query, description = "an action, or a prefix ending in a dot"),
        ("from" = Option<String>, Query, description = "entries on or after this day or time"),
        ("to" = Option<String>, Query, description = "entries before this day or time"),
        ("after" = Option<i64>, Query, description = "entries after this id, oldest first"),
        ("before" = Option<i64>, Query, description = "entries before this id, newest first"),
        ("limit" = Option<u32>, Query, description = "how many, 1 to 1000 (default 100)")),
    responses((status = 200, body = [AuditRow]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list_program_audit_entries(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiQuery(filter): ApiQuery<Filter>,
) -> Result<Json<Vec<AuditRow>>, ApiError> {
    let program = crate::path_program(&program)?;
    let query = filter.query(100)?;
    let entries = audit::of_program(&s.store, &actor, program, &query).await?;
    Ok(Json(entries.into_iter().map(AuditRow::from).collect()))
}
