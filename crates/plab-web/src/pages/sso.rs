//! Single sign-on in the browser: off to the organisation's OpenID provider
//! and back. The state travels in an HttpOnly cookie scoped to `/auth/oidc`,
//! so only the browser that started a sign-in can finish it (no login CSRF);
//! what the server must keep (nonce, PKCE verifier) stays in the database.
use super::routing::{Router, get};
use super::{PageError, behind_tls, safe_next, signin::session_cookie};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use plab_app::sso::{Callback, SsoError};
use serde::Deserialize;

const STATE_COOKIE: &str = "plab_oidc";
const STATE_PATH: &str = "/auth/oidc";

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/oidc/login", get(start)).route("/auth/oidc/callback", get(callback))
}

#[derive(Deserialize)]
struct StartQuery {
    next: Option<String>,
}

/// To the provider; 404 when single sign-on is not configured.
async fn start(
    State(s): State<AppState>,
    client: crate::client::ClientAddr,
    headers: HeaderMap,
    jar: CookieJar,
    Query(query): Query<StartQuery>,
) -> Result<Response, SsoPage> {
    let sso = s.sso.as_ref().ok_or(SsoPage::Off)?;
    let next = query.next.as_deref().and_then(safe_next).unwrap_or("/home");
    let started = sso.start(&s.store, next, client.as_deref()).await?;
    let cookie = Cookie::build((STATE_COOKIE, started.state))
        .path(STATE_PATH)
        .http_only(true)
        // Lax: sent on the provider's top-level redirect back to the callback.
        .same_site(SameSite::Lax)
        .secure(behind_tls(&headers))
        .max_age(time::Duration::minutes(10))
        .build();
    Ok((jar.add(cookie), Redirect::to(&started.authorize_url)).into_response())
}

/// Back from the provider: signed in and on to where the sign-in started, or a page saying why not.
async fn callback(
    State(s): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(answer): Query<Callback>,
) -> Result<Response, SsoPage> {
    let sso = s.sso.as_ref().ok_or(SsoPage::Off)?;
    let cookie_state = jar.get(STATE_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path(STATE_PATH));
    match sso.finish(&s.store, cookie_state.as_deref(), &answer).await {
        Ok(signed_in) => {
            let to = safe_next(&signed_in.next).unwrap_or("/home").to_owned();
            Ok((jar.add(session_cookie(signed_in.session, &headers)), Redirect::to(&to)).into_response())
        }
        Err(e) => Ok((jar, SsoPage::from(e)).into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "sso_error.html")]
struct SsoErrorPage {
    signed_in: Option<super::Chrome>,
    title: &'static str,
    message: String,
}

/// Why single sign-on did not sign anyone in, as the browser is told.
enum SsoPage {
    Off,
    Refused(StatusCode, &'static str, String),
    Page(PageError),
}

impl From<SsoError> for SsoPage {
    fn from(e: SsoError) -> SsoPage {
        if let SsoError::App(app) = e {
            return SsoPage::Page(app.into());
        }
        let message = e.to_string();
        let (status, title) = match &e {
            SsoError::StartAgain => (StatusCode::BAD_REQUEST, "Start again"),
            SsoError::ProviderRefused(_) => (StatusCode::UNAUTHORIZED, "Sign-in refused"),
            SsoError::NotVerified(why) => {
                // The details are for the operator's log, not for whoever holds a forged token.
                tracing::warn!(reason = %why, "single sign-on: an ID token failed verification");
                (StatusCode::UNAUTHORIZED, "Sign-in refused")
            }
            SsoError::EmailNotVerified | SsoError::NotInDirectory | SsoError::Refused(_) => {
                (StatusCode::FORBIDDEN, "No account for you here")
            }
            SsoError::TooManyStarted => (StatusCode::TOO_MANY_REQUESTS, "Try again later"),
            SsoError::Unreachable(why) => {
                tracing::warn!(reason = %why, "single sign-on: the identity provider cannot be reached");
                (StatusCode::SERVICE_UNAVAILABLE, "Try again later")
            }
            SsoError::App(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Error"),
        };
        SsoPage::Refused(status, title, capitalised(&message))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
}

impl IntoResponse for SsoPage {
    fn into_response(self) -> Response {
        match self {
            SsoPage::Off => crate::pages::error_page(
                StatusCode::NOT_FOUND,
                "Single sign-on is not set up here: sign in with your e-mail and password.",
            ),
            SsoPage::Refused(status, title, message) => {
                (status, SsoErrorPage { signed_in: None, title, message }).into_response()
            }
            SsoPage::Page(page) => page.into_response(),
        }
    }
}
