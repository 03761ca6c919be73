//! A person's export: everything held about the caller, as one JSON download.
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use plab_app::accounts::Actor;
use plab_app::your_data;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_my_data))
}

/// The caller, from a bearer token or else the browser's session cookie (the
/// account page's download link); a GET that changes nothing but the audit.
pub(crate) struct TokenOrCookie(pub Actor);

impl FromRequestParts<AppState> for TokenOrCookie {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let Authed(actor) = Authed::from_request_parts(parts, state).await?;
            return Ok(TokenOrCookie(actor));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let token =
            jar.get(crate::pages::COOKIE).map(|c| c.value().to_owned()).ok_or(plab_app::AppError::Unauthorized)?;
        Ok(TokenOrCookie(crate::auth::actor_for_request(state, parts, &token).await?))
    }
}

/// The file name a browser saves the export under.
pub(crate) const FILE_NAME: &str = "perspective-lab-export.json";

/// The export as a download: JSON, saved as a file, never cached.
pub(crate) fn download(document: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(document).unwrap_or_else(|_| "{}".into());
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{FILE_NAME}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Everything Perspective Lab holds about me, as one JSON document (GDPR
/// Art. 15 and 20): `person`, `accounts`, `programs`, `questions`, `pairs`,
/// `sessions`, `notes`, `pulses`, `checkins`, `self_assessments`,
/// `insights`, `mail`, `audit` (docs/interfaces.md, "A person's export").
/// My own answers and my pairs' notes; never another person's private
/// answers. Each export is recorded in the audit log. A bearer token or the
/// browser's session.
#[utoipa::path(get, path = "/api/v1/me/export", operation_id = "export_my_data", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "the export, as an attachment `perspective-lab-export.json`"),
        (status = 401, body = ErrorBody)))]
pub(crate) async fn export_my_data(
    State(s): State<AppState>,
    TokenOrCookie(actor): TokenOrCookie,
) -> Result<Response, ApiError> {
    let document = your_data::export_mine(&s.store, &s.vault, &actor.for_changes()).await?;
    Ok(download(&document))
}
