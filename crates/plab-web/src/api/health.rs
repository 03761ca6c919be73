//! `/healthz` and the personal calendar feed: the two routes that need no token.
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(calendar))
}

/// 200 when the database answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the database answers"), (status = 503, description = "it does not")))]
pub(crate) async fn healthz(State(s): State<AppState>) -> StatusCode {
    if s.store.ping().await { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }
}

/// A person's calendar feed (RFC 5545): one event per session, cancelled ones
/// marked `STATUS:CANCELLED`. The secret in the URL is the credential.
#[utoipa::path(get, path = "/calendar/{file}", params(("file" = String, Path, description = "SECRET.ics from /api/v1/me")),
    responses((status = 200, content_type = "text/calendar", description = "the person's sessions"), (status = 404, body = ErrorBody)))]
pub(crate) async fn calendar(
    State(s): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let body = plab_app::sessions::calendar(&s.store, &s.vault, &s.post, &file).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body))
}
