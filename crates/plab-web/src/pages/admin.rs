//! Administration: the instance's settings, accounts, and one-time
//! onboarding links for accounts that have never had a password (the
//! administrator hands the link over). No administrator obtains a credential
//! for an account that has a password: its reset link is for the owner's own
//! address. Administrators never see pair notes: the pair pages do not show
//! them the pair at all.
use super::routing::{Router, get, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use plab_app::accounts::LinkRequest;
use plab_app::{AppError, Problem, accounts, settings};
use plab_domain::instance::InstanceSettings;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin))
        .route("/admin/settings", post(save_settings))
        .route("/admin/links", post(issue_link))
        .route("/admin/accounts", post(set_account_state))
        .route("/set-password/{secret}", get(set_password_form).post(set_password))
}

/// The settings the form edits, by dotted path: (path, label, hint). The list
/// of adjacent departments is set with `plab settings set` or the API.
const SETTING_INPUTS: [(&str, &str, &str); 15] = [
    ("instance_name", "Instance name", "shown in the title and header of the sign-in and administration pages"),
    ("session_hours", "Browser sign-in lasts (hours)", "1 to 720; applies to sign-ins from now on"),
    (
        "concern_contact",
        "Contact for concerns",
        "employee id or work e-mail of the person who reads a confidential concern when every sponsor of its program \
         is in the reporting line of the person raising it or of their partner; leave empty for nobody",
    ),
    ("program_defaults.cadence_days", "Days between sessions", "1 to 90"),
    ("program_defaults.session_minutes", "Minutes per session", "15 to 240"),
    ("program_defaults.sessions", "Sessions per pair", "1 to 52"),
    ("program_defaults.checkin_after", "Sponsor check-in after session", "3 or 4"),
    (
        "program_defaults.min_group_size",
        "Smallest group a sponsor sees averages for",
        "at least the instance's group-size floor, which only the operator changes (plab settings set group_size_floor)",
    ),
    ("program_defaults.default_mentor_capacity", "Leaders per mentor", "1 to 10"),
    ("program_defaults.pairing_weights.topic", "Pairing weight: topic", "0 to 10"),
    ("program_defaults.pairing_weights.tension", "Pairing weight: tension", "0 to 10"),
    ("program_defaults.pairing_weights.strategic", "Pairing weight: strategic", "0 to 10"),
    ("program_defaults.coach.fair_from", "Coach: fair from score", "below the strong score"),
    ("program_defaults.coach.strong_from", "Coach: strong from score", "at most 100"),
    (
        "program_defaults.retention_days",
        "Days pairs' notes and answers are kept after a program closes",
        "1 to 3650; then they are destroyed",
    ),
];

/// One labelled input of the settings form, with its problem if any.
struct SettingInput {
    path: &'static str,
    id: String,
    label: &'static str,
    hint: &'static str,
    value: String,
    error: Option<String>,
}

fn setting_inputs(values: &[(String, String)], problems: &[Problem]) -> Vec<SettingInput> {
    SETTING_INPUTS
        .iter()
        .map(|&(path, label, hint)| {
            let value = values.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone()).unwrap_or_default();
            let error = problems.iter().find(|p| shown_at(p, path)).map(|p| p.message.clone());
            SettingInput { path, id: format!("setting-{}", path.replace('.', "-")), label, hint, value, error }
        })
        .collect()
}

/// A problem shows at its input; one about a group of inputs (`program_defaults.coach`)
/// shows at each of them.
fn shown_at(problem: &Problem, path: &str) -> bool {
    problem.field.as_deref().is_some_and(|f| f == path || path.starts_with(&format!("{f}.")))
}

/// Problems no input shows, for a list above the form.
fn unplaced(problems: Vec<Problem>) -> Vec<String> {
    problems
        .into_iter()
        .filter(|p| !SETTING_INPUTS.iter().any(|&(path, ..)| shown_at(p, path)))
        .map(|p| p.to_string())
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub(super) struct AdminPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    instance_name: String,
    settings: Vec<SettingInput>,
    settings_saved: bool,
    settings_problems: Vec<String>,
    /// This page of the accounts searched for, with its place among the pages.
    accounts: accounts::AccountsPage,
    /// The administrator's own sign-in: their row offers no "Disable", which would be refused.
    me: String,
    /// The account search as typed.
    search: String,
    /// What the last account action did, when its account is not on this page.
    account_notice: Option<String>,
    /// What the last action did to one account (its e-mail), said beside its row.
    beside: Option<(String, Beside)>,
    /// Whether the instance sends mail: then an account in use may be mailed a reset link.
    mail_on: bool,
    accounts_per_page: u32,
    link: Option<(String, String)>,
    /// A reset was asked for an established account: no link is shown.
    owner_only: Option<String>,
    /// Why no link could be made (a leaver, a disabled account, password sign-in for administrators only).
    link_refused: Option<String>,
    /// How people sign in and who provisions them (read-only: set where the server starts).
    sign_in: SignInSummary,
    /// Requests to erase a person (`super::erasure`).
    pub(super) erasure: super::erasure::ErasureSection,
}

/// The instance's sign-in and provisioning as the administrator sees them.
struct SignInSummary {
    /// The OpenID provider's issuer, when single sign-on is on.
    issuer: Option<String>,
    passwords_for_admins_only: bool,
    /// SCIM tokens not revoked: label, made, last used (never the token).
    scim_tokens: Vec<(String, String, String)>,
}

impl SignInSummary {
    async fn of(s: &AppState) -> Result<SignInSummary, PageError> {
        let scim_tokens = plab_app::scim::tokens(&s.store)
            .await?
            .into_iter()
            .filter(|t| t.revoked_at.is_none())
            .map(|t| (t.label, t.created_at, t.last_used_at.unwrap_or_else(|| "never".into())))
            .collect();
        Ok(SignInSummary {
            issuer: s.sso.as_ref().map(|sso| sso.issuer().to_owned()),
            passwords_for_admins_only: s.password_sign_in == plab_app::sso::PasswordSignIn::AdminsOnly,
            scim_tokens,
        })
    }
}

/// What an action did to one account, said beside its row.
enum Beside {
    Done(String),
    /// A disable or enable that was refused, and why.
    NotChanged(String),
    Refused(String),
    /// A one-time link to hand over.
    Link(String),
    /// A reset was asked for an account in use: the link goes to its owner only.
    OwnerOnly,
}

impl AdminPage {
    /// "69 accounts", "1 account matches “g060”".
    fn count_text(&self) -> String {
        let search = self.search.trim();
        match (self.accounts.total, search.is_empty()) {
            (1, true) => "1 account".to_owned(),
            (n, true) => format!("{n} accounts"),
            (1, false) => format!("1 account matches “{search}”"),
            (n, false) => format!("{n} accounts match “{search}”"),
        }
    }

    /// The address of page `n` of this search.
    fn accounts_page(&self, n: u64) -> String {
        format!("/admin?q={}&page={n}#accounts-heading", super::percent_encode(&self.search))
    }

    /// Says what an action did beside its account's row, or above the list
    /// when that account is not on this page.
    fn tell(&mut self, email: &str, said: Beside) {
        let email = email.trim().to_lowercase();
        if self.accounts.rows.iter().any(|r| r.listed.email == email) {
            self.beside = Some((email, said));
        } else {
            match said {
                Beside::Done(text) | Beside::NotChanged(text) => self.account_notice = Some(text),
                Beside::Refused(why) => self.link_refused = Some(why),
                Beside::Link(url) => self.link = Some((email, url)),
                Beside::OwnerOnly => self.owner_only = Some(email),
            }
        }
    }

    fn done_beside(&self, email: &str) -> Option<&str> {
        match &self.beside {
            Some((e, Beside::Done(text))) if e == email => Some(text),
            _ => None,
        }
    }

    fn not_changed_beside(&self, email: &str) -> Option<&str> {
        match &self.beside {
            Some((e, Beside::NotChanged(text))) if e == email => Some(text),
            _ => None,
        }
    }

    fn refused_beside(&self, email: &str) -> Option<&str> {
        match &self.beside {
            Some((e, Beside::Refused(text))) if e == email => Some(text),
            _ => None,
        }
    }

    fn owner_only_beside(&self, email: &str) -> bool {
        matches!(&self.beside, Some((e, Beside::OwnerOnly)) if e == email)
    }

    fn link_beside(&self, email: &str) -> Option<&str> {
        match &self.beside {
            Some((e, Beside::Link(url))) if e == email => Some(url),
            _ => None,
        }
    }

    pub(super) async fn load(s: &AppState, visitor: &SignedIn) -> Result<AdminPage, PageError> {
        AdminPage::load_at(s, visitor, "", None).await
    }

    /// The page with this account search and page of results.
    async fn load_at(
        s: &AppState,
        visitor: &SignedIn,
        search: &str,
        page: Option<u64>,
    ) -> Result<AdminPage, PageError> {
        let current: InstanceSettings = settings::get_as(&s.store, &visitor.actor).await?;
        let accounts = accounts::listing_page(&s.store, &visitor.actor, search, page, s.password_sign_in).await?;
        Ok(AdminPage {
            search: search.to_owned(),
            account_notice: None,
            beside: None,
            mail_on: s.post.is_on(),
            accounts_per_page: accounts::ACCOUNTS_PER_PAGE,
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            settings: setting_inputs(&settings::fields(&current), &[]),
            instance_name: current.instance_name,
            settings_saved: false,
            settings_problems: Vec::new(),
            accounts,
            me: visitor.actor.email.clone(),
            link: None,
            owner_only: None,
            link_refused: None,
            // After the administrator check above: the summary is theirs only.
            sign_in: SignInSummary::of(s).await?,
            erasure: super::erasure::ErasureSection::load(s, &visitor.actor).await?,
        })
    }
}

#[derive(Deserialize)]
struct AdminQuery {
    saved: Option<String>,
    q: Option<String>,
    page: Option<String>,
    disabled: Option<String>,
    enabled: Option<String>,
    erasure_requested: Option<String>,
}

/// A page number as typed in an address: anything that is not one is page 1.
fn page_number(raw: Option<&str>) -> Option<u64> {
    raw.and_then(|p| p.trim().parse::<u64>().ok())
}

async fn admin(
    State(s): State<AppState>,
    visitor: SignedIn,
    Query(query): Query<AdminQuery>,
) -> Result<AdminPage, PageError> {
    let search = query.q.unwrap_or_default();
    let mut page = AdminPage::load_at(&s, &visitor, search.trim(), page_number(query.page.as_deref())).await?;
    page.search = search;
    page.settings_saved = query.saved.is_some();
    page.erasure.requested = query.erasure_requested;
    match (query.disabled, query.enabled) {
        (Some(email), _) => {
            let said = format!("{email} is disabled: it cannot sign in, and its sign-ins have ended.");
            page.tell(&email, Beside::Done(said));
        }
        (_, Some(email)) => page.tell(&email, Beside::Done(format!("{email} can sign in again."))),
        _ => {}
    }
    Ok(page)
}

#[derive(Deserialize)]
struct AccountStateForm {
    #[serde(default)]
    csrf: String,
    email: String,
    /// `disable` or `enable`.
    action: String,
    /// The account's id, for the anchor of its row.
    #[serde(default)]
    id: String,
    /// The search and page the form was on.
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

/// The anchor of an account's row, or of the list when the form named no account.
fn row_anchor(id: &str) -> String {
    match id.trim().parse::<i64>() {
        Ok(id) => format!("account-{id}"),
        Err(_) => "accounts-heading".to_owned(),
    }
}

/// Disables or enables an account, then back to the same search and page,
/// saying beside the account's row what was done (or why it was not).
async fn set_account_state(
    State(s): State<AppState>,
    super::Checked(visitor, form): super::Checked<AccountStateForm>,
) -> Result<Response, PageError> {
    let disable = match form.action.as_str() {
        "disable" => true,
        "enable" => false,
        other => {
            return Err(PageError::Status(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("'{other}' is neither disable nor enable"),
            ));
        }
    };
    match accounts::set_disabled(&s.store, &visitor.actor, &form.email, disable).await {
        Ok(()) => {
            let key = if disable { "disabled" } else { "enabled" };
            let email = super::percent_encode(form.email.trim());
            let (q, page) = (super::percent_encode(&form.q), super::percent_encode(&form.page));
            let anchor = row_anchor(&form.id);
            Ok(Redirect::to(&format!("/admin?q={q}&page={page}&{key}={email}#{anchor}")).into_response())
        }
        Err(AppError::Conflict(why)) => {
            let mut page = AdminPage::load_at(&s, &visitor, form.q.trim(), page_number(Some(&form.page))).await?;
            page.search = form.q.clone();
            page.tell(&form.email, Beside::NotChanged(format!("Not done: {why}.")));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The settings form as posted: every `name=value` pair, `csrf` among them.
#[derive(Deserialize)]
#[serde(transparent)]
struct SettingsForm(Vec<(String, String)>);

impl SettingsForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl super::CarriesCsrf for SettingsForm {
    fn csrf(&self) -> &str {
        self.get("csrf").unwrap_or_default()
    }
}

/// Saves the form, or shows it again with each problem beside its input and nothing saved.
async fn save_settings(
    State(s): State<AppState>,
    Checked(visitor, form): Checked<SettingsForm>,
) -> Result<Response, PageError> {
    let current = settings::get_as(&s.store, &visitor.actor).await?;
    let edits: Vec<(&str, &str)> =
        SETTING_INPUTS.iter().filter_map(|&(path, ..)| form.get(path).map(|v| (path, v))).collect();
    let saved = match settings::with_fields(&current, &edits) {
        Ok(new) => settings::update_as(&s.store, &visitor.actor, new).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/admin?saved=settings#settings").into_response()),
        Err(AppError::Invalid(problems)) => {
            let mut page = AdminPage::load(&s, &visitor).await?;
            let mut shown = settings::fields(&current);
            for (path, value) in &edits {
                if let Some(slot) = shown.iter_mut().find(|(p, _)| p == path) {
                    slot.1 = (*value).to_owned();
                }
            }
            page.settings = setting_inputs(&shown, &problems);
            page.settings_problems = unplaced(problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    email: String,
    /// The search and page the form was on.
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

async fn issue_link(
    State(s): State<AppState>,
    headers: HeaderMap,
    Checked(visitor, form): Checked<LinkForm>,
) -> Result<AdminPage, PageError> {
    let request =
        accounts::request_password_link(&s.store, &s.vault, &s.post, s.password_sign_in, &visitor.actor, &form.email)
            .await;
    let mut page = AdminPage::load_at(&s, &visitor, form.q.trim(), page_number(Some(&form.page))).await?;
    page.search = form.q.clone();
    match request {
        Ok(LinkRequest::Onboarding(secret)) => {
            page.tell(&form.email, Beside::Link(format!("{}/set-password/{secret}", super::base_url(&headers))));
        }
        Ok(LinkRequest::ForOwnerOnly) => page.tell(&form.email, Beside::OwnerOnly),
        // Said beside the form, not as an error page: a leaver, a disabled
        // account, or password sign-in for administrators only.
        Err(e @ (plab_app::AppError::Conflict(_) | plab_app::AppError::Forbidden(_))) => {
            page.tell(&form.email, Beside::Refused(format!("No link for {}: {e}.", form.email.trim())));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    signed_in: Option<super::Chrome>,
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
/// Once the password is set, its owner is signed in and lands on their home.
async fn set_password(
    State(s): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(secret): Path<String>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form?;
    super::check_pre_session(&jar, &form.csrf)?;
    match accounts::set_password_and_sign_in(&s.store, &secret, &form.password, s.password_sign_in).await {
        Ok(session) => {
            let cookie = super::signin::session_cookie(session, &headers);
            Ok((jar.add(cookie), Redirect::to("/home")).into_response())
        }
        Err(e @ plab_app::AppError::Invalid(_)) => {
            let email = accounts::password_link_email(&s.store, &secret).await?;
            let page = SetPasswordPage { signed_in: None, csrf: form.csrf, email, error: Some(e.to_string()) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

super::carries_csrf!(LinkForm, AccountStateForm);
