//! Signing in and out, and one's own account: who I am, my password, my
//! calendar feed's secret. Every change here ends what it should at once.
use crate::AppState;
use crate::api::ApiJson;
use crate::auth::{Authed, AuthedToken};
use crate::client::ClientAddr;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use plab_app::accounts;
use plab_app::lab::{self, Me};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(new_calendar_secret))
        .routes(routes!(dismiss_reset_notice))
        .routes(routes!(set_timezone))
        .routes(routes!(set_mail_preferences))
        .routes(routes!(mail_password_link))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenBody {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
}

/// Exchanges an e-mail and password for a bearer token (valid 7 days). More
/// than 5 attempts for one e-mail, or 20 from one client address, within 15
/// minutes are refused with 429.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginBody,
    responses((status = 200, body = TokenBody), (status = 401, body = ErrorBody), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "the account is disabled, or password sign-in is for administrators only"),
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody, description = "every password hasher is busy")))]
pub(crate) async fn login(
    State(s): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<TokenBody>, ApiError> {
    let token = accounts::login(&s.store, &body.email, &body.password, client.as_deref(), s.password_sign_in).await?;
    Ok(Json(TokenBody { token }))
}

/// Ends the calling token at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", security(("bearer" = [])),
    responses((status = 204, description = "the token no longer works"), (status = 401, body = ErrorBody)))]
pub(crate) async fn logout(
    State(s): State<AppState>,
    AuthedToken(_actor, token): AuthedToken,
) -> Result<StatusCode, ApiError> {
    accounts::logout(&s.store, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every token and browser session of the account, the calling one included.
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", security(("bearer" = [])),
    responses((status = 204, description = "no token of the account works any more"), (status = 401, body = ErrorBody)))]
pub(crate) async fn logout_everywhere(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<StatusCode, ApiError> {
    accounts::sign_out_everywhere(&s.store, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who I am and where I take part; `reset_notice` says who reset my password and when, until I dismiss it.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(actor): Authed,
) -> Result<Json<Me>, ApiError> {
    let mut me = lab::me(&s.store, &s.vault, &actor).await?;
    // Calendar apps subscribe to an absolute URL.
    me.calendar_url = format!("{}{}", crate::pages::base_url(&headers), me.calendar_url);
    Ok(Json(me))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    current: String,
    new: String,
}

/// Changes my password; every other token and browser session of the account
/// ends, the calling token keeps working. A wrong `current` is 422 naming it.
#[utoipa::path(post, path = "/api/v1/me/password", security(("bearer" = [])), request_body = PasswordBody,
    responses((status = 204, description = "changed; every other sign-in ended"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn change_password(
    State(s): State<AppState>,
    AuthedToken(actor, token): AuthedToken,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    accounts::change_password(&s.store, &actor, &token, &body.current, &body.new).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarUrl {
    /// The new feed URL; the previous one answers 404 from now on.
    calendar_url: String,
}

/// A fresh secret for my calendar feed: the old URL stops working at once.
#[utoipa::path(post, path = "/api/v1/me/calendar-secret", security(("bearer" = [])),
    responses((status = 200, body = CalendarUrl), (status = 401, body = ErrorBody)))]
pub(crate) async fn new_calendar_secret(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(actor): Authed,
) -> Result<Json<CalendarUrl>, ApiError> {
    let path = lab::new_calendar_url(&s.store, &s.vault, &actor).await?;
    Ok(Json(CalendarUrl { calendar_url: format!("{}{path}", crate::pages::base_url(&headers)) }))
}

/// I have read who reset my password.
#[utoipa::path(delete, path = "/api/v1/me/reset-notice", security(("bearer" = [])),
    responses((status = 204, description = "dismissed"), (status = 401, body = ErrorBody)))]
pub(crate) async fn dismiss_reset_notice(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<StatusCode, ApiError> {
    accounts::dismiss_reset_notice(&s.store, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimezoneBody {
    /// An IANA name such as `Europe/Berlin`; empty to follow the directory's again.
    timezone: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TimezoneView {
    /// The zone times are now shown in.
    timezone: String,
}

/// Sets the time zone my times are shown in (an IANA name), or with an
/// empty one goes back to the directory's. An unknown zone is a 422 naming `timezone`.
#[utoipa::path(put, path = "/api/v1/me/timezone", security(("bearer" = [])), request_body = TimezoneBody,
    responses((status = 200, body = TimezoneView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_timezone(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<TimezoneBody>,
) -> Result<Json<TimezoneView>, ApiError> {
    let zone = accounts::set_my_timezone(&s.store, &actor, &body.timezone).await?;
    Ok(Json(TimezoneView { timezone: zone.name().to_owned() }))
}

/// Turns my reminders and digests on or off (invitations and sign-in mail always go out).
#[utoipa::path(put, path = "/api/v1/me/mail", security(("bearer" = [])), request_body = lab::MailPreferences,
    responses((status = 200, body = lab::MailPreferences), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_mail_preferences(
    State(s): State<AppState>,
    Authed(actor): Authed,
    ApiJson(body): ApiJson<lab::MailPreferences>,
) -> Result<Json<lab::MailPreferences>, ApiError> {
    Ok(Json(lab::set_mail_preferences(&s.store, &actor, body).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForgotBody {
    email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ForgotView {
    message: String,
}

/// "I forgot my password": a set-password link goes to the account's own
/// address. The answer is the same whether or not the address has an
/// account, and so is the time it takes (the work is queued); at most one
/// link an hour is sent. 409 while the instance sends no mail.
#[utoipa::path(post, path = "/api/v1/auth/password-link", request_body = ForgotBody,
    responses((status = 202, body = ForgotView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn mail_password_link(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ForgotBody>,
) -> Result<(StatusCode, Json<ForgotView>), ApiError> {
    accounts::forgot_password(&s.store, &s.vault, &s.post, s.password_sign_in, &body.email)?;
    Ok((StatusCode::ACCEPTED, Json(ForgotView { message: accounts::FORGOT_ANSWER.to_owned() })))
}
