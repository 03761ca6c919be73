//! One's own account: change the password (every other sign-in ends), sign
//! out everywhere, a new calendar feed URL (the old one ends), and the notice
//! of who reset the password.
use super::routing::{Router, get, post};
use super::{Checked, CsrfForm, PageError, SignedIn, forget_session};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use plab_app::{AppError, accounts, lab};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
        .route("/account/calendar", post(new_calendar_url))
        .route("/account/reset-notice", post(dismiss_notice))
        .route("/account/timezone", post(set_timezone))
        .route("/account/mail", post(set_mail))
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    me: lab::Me,
    done: Option<&'static str>,
    current_error: Option<String>,
    new_error: Option<String>,
    /// A refused time zone: why, and what was typed.
    timezone_error: Option<(String, String)>,
    /// The zones one can choose (the tz database's places), for the field's list.
    zones: &'static [String],
}

impl AccountPage {
    async fn load(s: &AppState, headers: &HeaderMap, visitor: &SignedIn) -> Result<AccountPage, PageError> {
        let mut me = lab::me(&s.store, &s.vault, &visitor.actor).await?;
        me.calendar_url = format!("{}{}", super::base_url(headers), me.calendar_url);
        Ok(AccountPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            me,
            zones: plab_domain::zone::Zone::choices(),
            done: None,
            current_error: None,
            new_error: None,
            timezone_error: None,
        })
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    headers: HeaderMap,
    visitor: SignedIn,
    Query(q): Query<Done>,
) -> Result<AccountPage, PageError> {
    let mut page = AccountPage::load(&s, &headers, &visitor).await?;
    page.done = match q.done.as_deref() {
        Some("password") => Some("Password changed. Every other browser and token of your account is signed out."),
        Some("calendar") => {
            Some("New calendar link made. The old one no longer works: subscribe again with the link below.")
        }
        Some("notice") => Some("Notice dismissed."),
        Some("timezone") => Some("Time zone saved: times are shown in it from now on."),
        Some("mail") => Some("E-mail choices saved."),
        _ => None,
    };
    Ok(page)
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
}

super::carries_csrf!(PasswordForm);

/// Every problem is shown beside its field, with nothing changed.
async fn change_password(
    State(s): State<AppState>,
    headers: HeaderMap,
    Checked(visitor, form): Checked<PasswordForm>,
) -> Result<Response, PageError> {
    match accounts::change_password(&s.store, &visitor.actor, &visitor.token, &form.current, &form.new).await {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(AppError::Invalid(problems)) => {
            let mut page = AccountPage::load(&s, &headers, &visitor).await?;
            let at =
                |field: &str| problems.iter().find(|p| p.field.as_deref() == Some(field)).map(|p| p.message.clone());
            page.current_error = at("current");
            page.new_error = at("new");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn sign_out_everywhere(
    State(s): State<AppState>,
    jar: CookieJar,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    accounts::sign_out_everywhere(&s.store, &visitor.actor).await?;
    Ok((forget_session(jar), Redirect::to("/")).into_response())
}

async fn new_calendar_url(
    State(s): State<AppState>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    lab::new_calendar_url(&s.store, &s.vault, &visitor.actor).await?;
    Ok(Redirect::to("/account?done=calendar#calendar"))
}

async fn dismiss_notice(
    State(s): State<AppState>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    accounts::dismiss_reset_notice(&s.store, &visitor.actor).await?;
    Ok(Redirect::to("/account?done=notice"))
}

#[derive(Deserialize)]
struct TimezoneForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    timezone: String,
}

super::carries_csrf!(TimezoneForm);

/// Saves my time zone, or shows the form again with the zone typed and why it was refused.
async fn set_timezone(
    State(s): State<AppState>,
    headers: HeaderMap,
    super::Checked(visitor, form): super::Checked<TimezoneForm>,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    match plab_app::accounts::set_my_timezone(&s.store, &visitor.actor, &form.timezone).await {
        Ok(_) => Ok(axum::response::Redirect::to("/account?done=timezone#timezone").into_response()),
        Err(plab_app::AppError::Invalid(problems)) => {
            let mut page = AccountPage::load(&s, &headers, &visitor).await?;
            let why = problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ");
            page.timezone_error = Some((why, form.timezone));
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct MailForm {
    #[serde(default)]
    csrf: String,
    /// A checked box sends "on"; an unchecked one sends nothing.
    #[serde(default)]
    reminders: Option<String>,
    #[serde(default)]
    digests: Option<String>,
}

super::carries_csrf!(MailForm);

async fn set_mail(
    State(s): State<AppState>,
    super::Checked(visitor, form): super::Checked<MailForm>,
) -> Result<Redirect, PageError> {
    let wanted = lab::MailPreferences { reminders: form.reminders.is_some(), digests: form.digests.is_some() };
    lab::set_mail_preferences(&s.store, &visitor.actor, wanted).await?;
    Ok(Redirect::to("/account?done=mail#mail"))
}
