//! The instance's settings in the JSON API (administrators only).
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use plab_app::settings;
use plab_domain::instance::InstanceSettings;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// The instance's settings: `instance_name`, `session_hours` (how long a browser
/// sign-in lasts), `program_defaults` (what a program created without
/// settings gets; the keys of a program's settings file) and `concern_contact`
/// (who reads a concern no sponsor outside the reporting chains can; may be
/// left out). Administrators only.
#[utoipa::path(get, path = "/api/v1/admin/settings", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "`{instance_name, session_hours, program_defaults}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn get_settings(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Json<InstanceSettings>, ApiError> {
    Ok(Json(settings::get_as(&s.store, &actor).await?))
}

/// Replaces the instance's settings; every key is required, missing keys inside
/// `program_defaults` take the protocol's defaults. A bad value is a 422 naming
/// its field (`program_defaults.sessions`). Administrators only; audited.
#[utoipa::path(put, path = "/api/v1/admin/settings", security(("bearer" = [])),
    request_body(content = Object, description = "`{instance_name, session_hours, program_defaults}`"),
    responses((status = 200, body = Object, description = "the settings as saved"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn put_settings(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<InstanceSettings>,
) -> Result<Json<InstanceSettings>, ApiError> {
    Ok(Json(settings::update_as(&s.store, &actor, body).await?))
}
