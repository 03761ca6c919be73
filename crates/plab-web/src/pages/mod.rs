//! Server-rendered pages for sponsors, leaders and mentors. Browsers sign in
//! through the form and carry an HttpOnly session cookie; every form carries a
//! CSRF token derived from the session. Authorization is the services' (the
//! same `plab_app::lab` functions the API calls); templates only render.
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use plab_app::accounts::{self, Actor};
use plab_app::lab::{self, PairView, QuestionStrength};
use plab_app::sessions::{self, ProgramHealth};
use plab_app::{AppError, settings};
use plab_domain::charter::{LAB_RULES, LabRule};
use serde::Deserialize;
use serde::de::DeserializeOwned;

mod account;
mod admin;
mod import;
mod participant;
mod session;
mod sponsor;

const COOKIE: &str = "plab_session";
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
        .route("/", get(index))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/home", get(home))
        .route("/programs/{program}", get(program))
        .route("/pairs/{pair}", get(pair))
        .route("/pairs/{pair}/notes", post(add_note))
        .route("/pairs/{pair}/charter", post(accept_charter))
        .route("/static/app.css", get(stylesheet))
        .route("/static/coach.js", get(coach_script))
        .route("/static/timer.js", get(timer_script))
        .merge(sponsor::routes())
        .merge(participant::routes())
        .merge(import::routes())
        .merge(admin::routes())
        .merge(account::routes())
        .merge(session::routes())
}

/// A page's failure: back to sign-in, or an error page with its status.
pub enum PageError {
    SignIn,
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
            StatusCode::UNAUTHORIZED => PageError::SignIn,
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
    signed_in: Option<String>,
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn => Redirect::to("/").into_response(),
            PageError::Status(status, message) => {
                let title = status.canonical_reason().unwrap_or("Error").to_owned();
                (status, ErrorPage { signed_in: None, title, message }).into_response()
            }
        }
    }
}

/// A signed-in browser: the actor, and the CSRF token its forms must carry.
pub struct Session {
    actor: Actor,
    token: String,
    csrf: String,
}

/// The session cookie is removed when the server ends the session.
pub(crate) fn forget_session(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(COOKIE).path("/"))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(COOKIE).map(|c| c.value().to_owned()).ok_or(PageError::SignIn)?;
        let actor = accounts::actor_for_token(&state.store, &token).await?;
        Ok(Session { csrf: accounts::csrf_for(&token), actor, token })
    }
}

impl Session {
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
pub(crate) struct Checked<T>(pub Session, pub T);

impl<T: DeserializeOwned + CarriesCsrf + Send> FromRequest<AppState> for Checked<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state).await?;
        session.check_csrf(form.csrf())?;
        Ok(Checked(session, form))
    }
}

carries_csrf!(CsrfForm, NoteForm);

#[derive(Template, WebTemplate)]
#[template(path = "signin.html")]
struct SignInPage {
    signed_in: Option<String>,
    instance_name: String,
    csrf: String,
    error: Option<String>,
    email: String,
}

async fn index(State(s): State<AppState>, headers: HeaderMap, jar: CookieJar) -> Response {
    if let Some(c) = jar.get(COOKIE)
        && accounts::actor_for_token(&s.store, c.value()).await.is_ok()
    {
        return Redirect::to("/home").into_response();
    }
    let (jar, csrf) = pre_session_token(jar, &headers);
    let instance_name = match settings::get(&s.store).await {
        Ok(settings) => settings.instance_name,
        Err(e) => return PageError::from(e).into_response(),
    };
    (jar, SignInPage { signed_in: None, instance_name, csrf, error: None, email: String::new() }).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
}

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

async fn login(
    State(s): State<AppState>,
    client: crate::client::ClientAddr,
    headers: HeaderMap,
    jar: CookieJar,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form?;
    // Refuses login CSRF: another site signing this browser into an account of its choosing.
    check_pre_session(&jar, &form.csrf)?;
    match accounts::browser_login(&s.store, &form.email, &form.password, client.as_deref()).await {
        Ok(signed_in) => {
            // The browser forgets the cookie when the server stops honouring it.
            let cookie = Cookie::build((COOKIE, signed_in.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(behind_tls(&headers))
                .max_age(time::Duration::seconds(signed_in.lifetime_secs))
                .build();
            Ok((jar.add(cookie), Redirect::to("/home")).into_response())
        }
        Err(e @ (AppError::Unauthorized | AppError::TooManyAttempts)) => {
            let (status, message) = match e {
                AppError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, e.to_string()),
                _ => (StatusCode::UNAUTHORIZED, "That e-mail and password do not match.".to_owned()),
            };
            let instance_name = settings::get(&s.store).await?.instance_name;
            let page =
                SignInPage { signed_in: None, instance_name, csrf: form.csrf, error: Some(message), email: form.email };
            Ok((status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A missing token is treated like a wrong one: 403, not a parse error.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub(crate) csrf: String,
}

async fn logout(
    State(s): State<AppState>,
    jar: CookieJar,
    Checked(session, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    accounts::logout(&s.store, &session.token).await?;
    Ok((forget_session(jar), Redirect::to("/")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    signed_in: Option<String>,
    me: lab::Me,
    pairs: Vec<PairView>,
}

async fn home(State(s): State<AppState>, session: Session) -> Result<HomePage, PageError> {
    let me = lab::me(&s.store, &s.vault, &session.actor).await?;
    let pairs = lab::my_pairs(&s.store, &session.actor).await?;
    Ok(HomePage { signed_in: Some(session.csrf), me, pairs })
}

#[derive(Template, WebTemplate)]
#[template(path = "program.html")]
struct ProgramPage {
    signed_in: Option<String>,
    program: i64,
    pairs: Vec<PairView>,
    questions: Vec<QuestionStrength>,
    health: ProgramHealth,
}

async fn program(
    State(s): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
) -> Result<ProgramPage, PageError> {
    let id = crate::path_program(&raw)?;
    let questions = lab::question_strengths(&s.store, &session.actor, id).await?;
    let pairs = lab::list_pairs(&s.store, &session.actor, id).await?;
    let health = sessions::health(&s.store, &session.actor, id).await?;
    Ok(ProgramPage { signed_in: Some(session.csrf), program: id.0, pairs, questions, health })
}

#[derive(Template, WebTemplate)]
#[template(path = "pair.html")]
struct PairPage {
    signed_in: Option<String>,
    csrf: String,
    lab: lab::PairOverview,
    rules: &'static [LabRule],
}

async fn pair(State(s): State<AppState>, session: Session, Path(raw): Path<String>) -> Result<PairPage, PageError> {
    let lab = lab::overview(&s.store, &s.vault, &session.actor, crate::path_id("pair", &raw)?).await?;
    Ok(PairPage { signed_in: Some(session.csrf.clone()), csrf: session.csrf, lab, rules: &LAB_RULES })
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    body: String,
}

async fn add_note(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(session, form): Checked<NoteForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_id("pair", &raw)?;
    lab::add_note(&s.store, &s.vault, &session.actor, id, &form.body).await?;
    Ok(Redirect::to(&format!("/pairs/{id}#notes")))
}

async fn accept_charter(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(session, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_id("pair", &raw)?;
    lab::accept_charter(&s.store, &session.actor, id).await?;
    Ok(Redirect::to(&format!("/pairs/{id}")))
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
