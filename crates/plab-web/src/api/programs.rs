//! A program's pairs in the JSON API.
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::lab::{self, PairView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(program_pairs))
}

/// The program's pairs: every pair for its sponsors, one's own for a leader or mentor.
#[utoipa::path(get, path = "/api/v1/programs/{program}/pairs", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [PairView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn program_pairs(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<PairView>>, ApiError> {
    Ok(Json(lab::list_pairs(&s.store, &actor, crate::path_program(&program)?).await?))
}
