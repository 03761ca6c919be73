//! One error type for the HTTP layer: user errors become 4xx JSON, anything
//! else a logged 500 with a generic body.
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plab_app::AppError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    code: String,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
}

/// The HTTP status and error code of a service error, for the API and the
/// pages alike. Internal faults are logged here and never shown.
pub(crate) fn classify(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        AppError::Internal(_) | AppError::Fault(_) => {
            tracing::error!(cause = %e, "internal error");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let (status, code) = classify(&e);
        let message =
            if status.is_server_error() { "something went wrong on our side".to_owned() } else { e.to_string() };
        ApiError::new(status, code, message)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "bad_body",
        };
        // 422 from serde (a wrong field) and 400 (broken JSON) are both the body's fault.
        let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
        ApiError::new(status, code, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_owned(), message: self.message } };
        (self.status, Json(body)).into_response()
    }
}

/// A browser asking for a page (not the API) gets the site's HTML error page;
/// scripts and the API get the JSON error.
fn wants_page(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> bool {
    !uri.path().starts_with("/api/")
        && headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    if wants_page(&uri, &headers) {
        return crate::pages::error_page(
            StatusCode::NOT_FOUND,
            "There is no page at this address. Check the link, or start again from your home page.",
        );
    }
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route").into_response()
}

pub async fn method_not_allowed(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    if wants_page(&uri, &headers) {
        return crate::pages::error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            "This address does not take that kind of request.",
        );
    }
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method")
        .into_response()
}
