//! A program's pairs in the JSON API.
use super::ApiQuery;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use plab_app::lab::{self, Page, PairView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(program_pairs))
}

/// `?limit=N&after=ID`, kept as text so that a bad value is a 422 naming it.
#[derive(Deserialize)]
pub(crate) struct PageQuery {
    limit: Option<String>,
    after: Option<String>,
}

/// The program's pairs in id order: every pair for its sponsors, one's own for
/// a leader or mentor. Without `limit` and `after`, the whole list; to page,
/// pass the last id of one page as `after` for the next (an empty page is the end).
#[utoipa::path(get, path = "/api/v1/programs/{program}/pairs", security(("bearer" = [])),
    params(
        ("program" = i64, Path, description = "program id"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "at most this many pairs (1 to 1000); default: all"),
        ("after" = Option<i64>, Query, description = "only pairs with an id above this one (the last id of the previous page)"),
    ),
    responses((status = 200, body = [PairView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "a bad `limit` or `after`, named in the message")))]
pub(crate) async fn program_pairs(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let program = crate::path_program(&program)?;
    let page = Page::parse(query.limit.as_deref(), query.after.as_deref())?;
    let json = lab::list_pairs_json(&s.store, &actor, program, page).await?;
    Ok(([(CONTENT_TYPE, "application/json")], String::clone(&json)))
}
