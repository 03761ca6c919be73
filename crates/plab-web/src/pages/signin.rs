//! Signing in and out in the browser: the form (with a pre-session CSRF
//! token, so no other site can sign this browser in), the HttpOnly cookie.
use super::routing::{Router, get, post};
use super::{COOKIE, Checked, CsrfForm, PageError, behind_tls, check_pre_session, forget_session, pre_session_token};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use plab_app::sso::PasswordSignIn;
use plab_app::{AppError, accounts, settings};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/login", post(login).get(to_sign_in))
        .route("/logout", post(logout))
        .route("/forgot-password", get(forgot_form).post(forgot))
}

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    /// Whether this instance sends mail: without it, the page says whom to ask.
    mail_on: bool,
    /// After a request: the same sentence whoever asked.
    sent: Option<&'static str>,
    error: Option<String>,
    email: String,
}

async fn forgot_form(State(s): State<AppState>, headers: HeaderMap, jar: CookieJar) -> Response {
    let (jar, csrf) = pre_session_token(jar, &headers);
    let page =
        ForgotPage { signed_in: None, csrf, mail_on: s.post.is_on(), sent: None, error: None, email: String::new() };
    (jar, page).into_response()
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// Sends a set-password link to the account's own address; the page answers
/// alike whether or not the address has an account.
async fn forgot(
    State(s): State<AppState>,
    jar: CookieJar,
    form: Result<Form<ForgotForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form?;
    check_pre_session(&jar, &form.csrf)?;
    let mut page = ForgotPage {
        signed_in: None,
        csrf: form.csrf,
        mail_on: s.post.is_on(),
        sent: None,
        error: None,
        email: form.email,
    };
    match accounts::forgot_password(&s.store, &s.vault, &s.post, s.password_sign_in, &page.email) {
        Ok(()) => {
            page.sent = Some(accounts::FORGOT_ANSWER);
            Ok(page.into_response())
        }
        Err(AppError::Invalid(problems)) => {
            page.error = Some(problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "signin.html")]
struct SignInPage {
    signed_in: Option<super::Chrome>,
    instance_name: String,
    csrf: String,
    error: Option<String>,
    email: String,
    /// Where to go once signed in (a path on this site), kept through the form.
    next: String,
    /// Where single sign-on starts, when people may sign in through the organisation's provider.
    sso_href: Option<String>,
    /// Whether the password form is for administrators only.
    admins_only: bool,
}

fn sso_href(s: &AppState, next: &str) -> Option<String> {
    s.sso.as_ref().map(|_| match next {
        "" => "/auth/oidc/login".to_owned(),
        next => format!("/auth/oidc/login?next={}", super::percent_encode(next)),
    })
}

/// The browser's session cookie: HttpOnly, SameSite=Lax, Secure behind TLS,
/// and gone from the browser when the server stops honouring it.
pub(super) fn session_cookie(signed_in: accounts::BrowserSession, headers: &HeaderMap) -> Cookie<'static> {
    Cookie::build((COOKIE, signed_in.token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(behind_tls(headers))
        .max_age(time::Duration::seconds(signed_in.lifetime_secs))
        .build()
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn index(
    State(s): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    axum::extract::Query(query): axum::extract::Query<NextQuery>,
) -> Response {
    let next = query.next.as_deref().and_then(super::safe_next).unwrap_or_default().to_owned();
    if let Some(c) = jar.get(COOKIE)
        && accounts::actor_for_token(&s.store, c.value()).await.is_ok()
    {
        return Redirect::to(if next.is_empty() { "/home" } else { &next }).into_response();
    }
    let (jar, csrf) = pre_session_token(jar, &headers);
    let instance_name = match settings::get(&s.store).await {
        Ok(settings) => settings.instance_name,
        Err(e) => return PageError::from(e).into_response(),
    };
    let page = SignInPage {
        signed_in: None,
        instance_name,
        csrf,
        error: None,
        email: String::new(),
        sso_href: sso_href(&s, &next),
        admins_only: s.password_sign_in == PasswordSignIn::AdminsOnly,
        next,
    };
    (jar, page).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
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
    match accounts::browser_login(&s.store, &form.email, &form.password, client.as_deref(), s.password_sign_in).await {
        Ok(signed_in) => {
            let to = super::safe_next(&form.next).unwrap_or("/home");
            Ok((jar.add(session_cookie(signed_in, &headers)), Redirect::to(to)).into_response())
        }
        Err(e @ (AppError::Unauthorized | AppError::TooManyAttempts | AppError::Forbidden(_))) => {
            let (status, message) = match e {
                AppError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, e.to_string()),
                AppError::Forbidden(why) if why == accounts::PASSWORD_OFF => (StatusCode::FORBIDDEN, format!("{why}.")),
                AppError::Forbidden(why) => (StatusCode::FORBIDDEN, format!("You cannot sign in: {why}.")),
                _ => (StatusCode::UNAUTHORIZED, "That e-mail and password do not match.".to_owned()),
            };
            let instance_name = settings::get(&s.store).await?.instance_name;
            let next = super::safe_next(&form.next).unwrap_or_default().to_owned();
            let page = SignInPage {
                signed_in: None,
                instance_name,
                csrf: form.csrf,
                error: Some(message),
                email: form.email,
                sso_href: sso_href(&s, &next),
                admins_only: s.password_sign_in == PasswordSignIn::AdminsOnly,
                next,
            };
            Ok((status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn logout(
    State(s): State<AppState>,
    jar: CookieJar,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    accounts::logout(&s.store, &visitor.token).await?;
    Ok((forget_session(jar), Redirect::to("/")).into_response())
}

/// `/login` opened in the browser (a bookmark, a reload after a refused
/// sign-in): the sign-in page, not "Method Not Allowed".
async fn to_sign_in() -> Redirect {
    Redirect::to("/")
}
