//! Server-rendered pages, one module per role or resource: sign-in, home,
//! account, pair, session (the protocol's), sponsor, participant (leader and
//! mentor), import and admin. A signed-in browser (`SignedIn`) carries an
//! HttpOnly cookie; every form carries a CSRF token derived from it.
//! Authorization is the services' (`plab_app::access`, the same decisions the
//! API gets); templates only render.
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use plab_app::AppError;
use plab_app::accounts::{self, Actor};
use routing::{Router, get};
use serde::Deserialize;
use serde::de::DeserializeOwned;

mod account;
mod admin;
mod audit;
mod cohort;
mod concerns;
mod erasure;
mod fit;
mod form;
mod home;
mod import;
mod life;
mod measure;
mod office;
mod pair;
mod pairing;
mod participant;
mod retention;
mod routing;
mod selfassessment;
mod session;
mod setup;
mod signin;
mod sponsor;
mod sso;
mod your_data;

pub(crate) const COOKIE: &str = "plab_session";
/// Before a session exists, forms (sign-in, set-password) are protected by a
/// double-submit token: a random cookie that the form must echo.
const PRE_SESSION_COOKIE: &str = "plab_presession";

/// The pre-session token of this browser, minting one (and its cookie) if needed.
pub(crate) fn pre_session_token(jar: CookieJar, headers: &HeaderMap) -> (CookieJar, String) {
    if let Some(c) = jar.get(PRE_SESSION_COOKIE).filter(|c| c.value().len() == 32) {
        let token = c.value().to_owned();
        return (jar, token);
    }
    let token = accounts::random_token();
    let cookie = Cookie::build((PRE_SESSION_COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(behind_tls(headers))
        .build();
    (jar.add(cookie), token)
}

/// A pre-session form must echo the cookie's token.
pub(crate) fn check_pre_session(jar: &CookieJar, sent: &str) -> Result<(), PageError> {
    match jar.get(PRE_SESSION_COOKIE) {
        Some(c) if !sent.is_empty() && c.value() == sent => Ok(()),
        _ => Err(PageError::csrf_refused()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(stylesheet))
        .route("/static/coach.js", get(coach_script))
        .route("/static/timer.js", get(timer_script))
        .merge(signin::routes())
        .merge(sso::routes())
        .merge(home::routes())
        .merge(pair::routes())
        .merge(sponsor::routes())
        .merge(retention::routes())
        .merge(pairing::routes())
        .merge(setup::routes())
        .merge(participant::routes())
        .merge(import::routes())
        .merge(admin::routes())
        .merge(audit::routes())
        .merge(erasure::routes())
        .merge(account::routes())
        .merge(selfassessment::routes())
        .merge(concerns::routes())
        .merge(session::routes())
        .merge(measure::routes())
        .merge(your_data::routes())
        .merge(life::routes())
        .merge(cohort::routes())
        .merge(fit::routes())
        .merge(office::routes())
}

/// A page's failure: back to sign-in, or an error page with its status.
pub enum PageError {
    /// Not signed in: to the sign-in page, then back to this address (a page the browser asked for).
    SignIn(Option<String>),
    Status(StatusCode, String),
}

impl PageError {
    /// A form without the token its page gave it.
    fn csrf_refused() -> PageError {
        PageError::Status(
            StatusCode::FORBIDDEN,
            "This form has expired or did not come from us; reload the page.".into(),
        )
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> PageError {
        match crate::error::classify(&e).0 {
            StatusCode::UNAUTHORIZED => PageError::SignIn(None),
            s if s.is_server_error() => PageError::Status(s, "Something went wrong on our side.".into()),
            s => PageError::Status(s, e.to_string()),
        }
    }
}

impl From<FormRejection> for PageError {
    fn from(r: FormRejection) -> PageError {
        PageError::Status(StatusCode::BAD_REQUEST, r.body_text())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    signed_in: Option<Chrome>,
    title: &'static str,
    message: String,
    /// The page the person came from on this site, to go back to it.
    back: Option<String>,
}

/// A refusal's heading in plain words, by its status.
fn plain_title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "Please check what you entered",
        StatusCode::FORBIDDEN => "This is not open to you",
        StatusCode::NOT_FOUND => "We could not find that page",
        StatusCode::CONFLICT => "That cannot be done now",
        StatusCode::METHOD_NOT_ALLOWED => "That address is not a page",
        StatusCode::PAYLOAD_TOO_LARGE => "That file is too large",
        StatusCode::TOO_MANY_REQUESTS => "Please wait a moment",
        s if s.is_server_error() => "Something went wrong on our side",
        _ => "That did not work",
    }
}

tokio::task_local! {
    /// The page on this site the request came from (its `Referer`), for the
    /// error page's way back.
    static CAME_FROM: Option<String>;
}

/// Remembers, while a request is served, the page on this site it came
/// from, so that a refusal's page can lead back to it with one click.
pub(crate) async fn remember_way_back(req: Request, next: axum::middleware::Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| rest.strip_prefix(host))
        .filter(|_| !host.is_empty())
        .and_then(safe_next)
        .filter(|path| *path != req.uri().path())
        .map(str::to_owned);
    CAME_FROM.scope(back, next.run(req)).await
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn(None) => Redirect::to("/").into_response(),
            PageError::SignIn(Some(next)) => Redirect::to(&format!("/?next={}", percent_encode(&next))).into_response(),
            PageError::Status(status, message) => {
                let back = CAME_FROM.try_with(Clone::clone).ok().flatten();
                (status, ErrorPage { signed_in: None, title: plain_title(status), message, back }).into_response()
            }
        }
    }
}

/// Where sign-in may lead back to: a path on this site only (never another
/// site's address, `//host` or a backslash trick), so the sign-in page cannot
/// be used to send someone elsewhere.
pub(crate) fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= 2_000
        && !next.chars().any(char::is_control);
    ok.then_some(next)
}

pub(crate) use plab_app::percent_encode;

/// The site's HTML error page, for a browser that reached no page.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    PageError::Status(status, message.to_owned()).into_response()
}

/// A signed-in browser: the actor, and the CSRF token its forms must carry.
pub struct SignedIn {
    actor: Actor,
    token: String,
    csrf: String,
    instance_name: String,
}

/// What every signed-in page's frame shows: the instance's name in the
/// header and title, and the sign-out form's CSRF token.
pub(crate) struct Chrome {
    pub csrf: String,
    pub instance_name: String,
}

/// The session cookie is removed when the server ends the session.
pub(crate) fn forget_session(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(COOKIE).path("/"))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        // A page asked for while signed out is where sign-in leads back to.
        let back = (parts.method == axum::http::Method::GET)
            .then(|| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .flatten();
        let token = jar.get(COOKIE).map(|c| c.value().to_owned()).ok_or_else(|| PageError::SignIn(back.clone()))?;
        let actor = match crate::auth::actor_for_request(state, parts, &token).await {
            Ok(actor) => actor,
            Err(e) => {
                return Err(match PageError::from(e) {
                    PageError::SignIn(_) => PageError::SignIn(back),
                    other => other,
                });
            }
        };
        let instance_name = plab_app::settings::instance_name(&state.store, actor.seen).await?;
        Ok(SignedIn { csrf: accounts::csrf_for(&token), actor, token, instance_name })
    }
}

impl SignedIn {
    pub(crate) fn chrome(&self) -> Chrome {
        Chrome { csrf: self.csrf.clone(), instance_name: self.instance_name.clone() }
    }

    pub(crate) fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if sent == self.csrf { Ok(()) } else { Err(PageError::csrf_refused()) }
    }
}

/// A form that carries the session's CSRF token in a `csrf` field.
pub(crate) trait CarriesCsrf {
    fn csrf(&self) -> &str;
}

macro_rules! carries_csrf {
    ($($form:ty),* $(,)?) => {
        $(impl $crate::pages::CarriesCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}
pub(crate) use carries_csrf;

/// A form posted by a signed-in browser, its CSRF token already checked:
/// a handler that takes one cannot forget the check.
pub(crate) struct Checked<T>(pub SignedIn, pub T);

impl<T: DeserializeOwned + CarriesCsrf + Send> FromRequest<AppState> for Checked<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let visitor = SignedIn::from_request_parts(&mut parts, state).await?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state).await?;
        visitor.check_csrf(form.csrf())?;
        Ok(Checked(visitor, form))
    }
}

carries_csrf!(CsrfForm);

/// `scheme://host` as the browser or client reached us, for links handed out
/// (set-password links, calendar feeds).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if behind_tls(headers) { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Cookies are `Secure` when the request came through TLS at a proxy.
pub(crate) fn behind_tls(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A missing token is treated like a wrong one: 403, not a parse error.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub(crate) csrf: String,
}

async fn coach_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../../static/coach.js"))
}

async fn timer_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../../static/timer.js"))
}

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../static/app.css"))
}
