//! Closing a program in the JSON API (its sponsors only).
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::retention::{self, Closed};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(close_program))
}

/// Closes the program today: its sessions still planned are cancelled, it
/// takes no new notes, answers or sessions, and its pairs' private data is
/// destroyed once the program's `retention_days` have passed (the answer
/// names the day). Sponsors of the program only; 409 when it is already
/// closed. Audited (`program.close`).
#[utoipa::path(post, path = "/api/v1/programs/{program}/close", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = Closed), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn close_program(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Closed>, ApiError> {
    let today = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc());
    Ok(Json(retention::close_as_sponsor(&s.store, &actor, crate::path_program(&program)?, today).await?))
}
