//! Administration: accounts, and one-time set-password links (no e-mail
//! needed: the administrator hands the link over). Administrators never see
//! pair notes: the pair pages refuse them like anyone outside the pair.
use super::{Checked, PageError, Session};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use plab_app::accounts;
use plab_store::Account;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin))
        .route("/admin/links", post(issue_link))
        .route("/set-password/{secret}", get(set_password_form).post(set_password))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
struct AdminPage {
    signed_in: Option<String>,
    csrf: String,
    accounts: Vec<Account>,
    link: Option<(String, String)>,
}

async fn admin(State(s): State<AppState>, session: Session) -> Result<AdminPage, PageError> {
    let accounts = accounts::list(&s.store, &session.actor).await?;
    Ok(AdminPage { signed_in: Some(session.csrf.clone()), csrf: session.csrf, accounts, link: None })
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    email: String,
}

async fn issue_link(
    State(s): State<AppState>,
    headers: HeaderMap,
    Checked(session, form): Checked<LinkForm>,
) -> Result<AdminPage, PageError> {
    let secret = accounts::issue_password_link_as(&s.store, &session.actor, &form.email).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if super::behind_tls(&headers) { "https" } else { "http" };
    let url = format!("{scheme}://{host}/set-password/{secret}");
    let accounts = accounts::list(&s.store, &session.actor).await?;
    Ok(AdminPage { signed_in: Some(session.csrf.clone()), csrf: session.csrf, accounts, link: Some((form.email, url)) })
}

#[derive(Template, WebTemplate)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    signed_in: Option<String>,
    csrf: String,
    email: String,
    error: Option<String>,
}

async fn set_password_form(
    State(s): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    let email = accounts::password_link_email(&s.store, &secret).await?;
    let (jar, csrf) = super::pre_session_token(jar, &headers);
    Ok((jar, SetPasswordPage { signed_in: None, csrf, email, error: None }).into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    password: String,
}

/// There is no session yet: the form echoes the pre-session cookie's token.
async fn set_password(
    State(s): State<AppState>,
    jar: CookieJar,
    Path(secret): Path<String>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form?;
    super::check_pre_session(&jar, &form.csrf)?;
    match accounts::use_password_link(&s.store, &secret, &form.password).await {
        Ok(_) => Ok(Redirect::to("/").into_response()),
        Err(e @ plab_app::AppError::Invalid(_)) => {
            let email = accounts::password_link_email(&s.store, &secret).await?;
            let page = SetPasswordPage { signed_in: None, csrf: form.csrf, email, error: Some(e.to_string()) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

super::carries_csrf!(LinkForm);
