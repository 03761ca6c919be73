//! The program's outcome report in the JSON API (its sponsors only).
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::report::{self, PairRow, Report};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(program_report)).routes(routes!(program_pairs_report))
}

/// The program's outcome report: pairs, silos crossed, sessions, homework,
/// check-ins, insights, question strengths, signals and pairs at risk, cadence
/// (cancelled sessions count as not kept), fortnights, retention. Averages of private answers are null until the program's
/// minimum group size has answered, and move only in steps. Sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/report", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = Report), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn program_report(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<std::sync::Arc<Report>>, ApiError> {
    Ok(Json(report::for_sponsor(&s.store, &actor, crate::path_program(&program)?).await?))
}

/// The report pair by pair (what `/programs/{program}/pairs.csv` downloads):
/// each pair's partners and their departments, status, sessions held and
/// cancelled, the day of the last held session, cadence kept and how many
/// signals it shows. Nothing private: no notes, homework or answers.
/// Sponsors only.
#[utoipa::path(get, path = "/api/v1/programs/{program}/report/pairs", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [PairRow]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn program_pairs_report(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<PairRow>>, ApiError> {
    Ok(Json(report::pair_rows(&s.store, &actor, crate::path_program(&program)?).await?))
}
