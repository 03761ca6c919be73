//! Signing in: argon2id password hashes, API tokens (only their SHA-256 is
//! stored), set-password links, and who the signed-in account is. An account
//! belongs to one person by their immutable `employee_id`, bound when the
//! account is made: a directory import can change a person's e-mail, never
//! who an account is or how anyone signs in.
use crate::sso::PasswordSignIn;
use crate::{AppError, Problem, access};
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use plab_domain::person::Email;
use plab_store::{Account, LinkPurpose, PasswordLink, Revision, Store};
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::sync::Semaphore;

/// API tokens last a week; browser sign-ins last the instance's `session_hours`.
const TOKEN_DAYS: i64 = 7;
/// Sign-in throttling: this many attempts per e-mail within the window…
pub const MAX_FAILURES: u64 = 5;
/// …and this many per client address (a password spray across e-mails).
pub const MAX_FAILURES_PER_CLIENT: u64 = 20;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;
pub const MIN_PASSWORD_CHARS: usize = 8;
/// How long a sign-in waits for a free password hasher before giving up.
const HASH_WAIT: Duration = Duration::from_secs(10);

/// The signed-in account and the person it is, if any (an admin may be no one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i64,
    pub email: String,
    pub employee_id: Option<String>,
    pub is_admin: bool,
    pub calendar_generation: i64,
    /// Who reset this account's password and when, until the owner dismisses it.
    pub reset_notice: Option<String>,
    /// The data revision the sign-in check saw. Reads that take it may be
    /// served from memory as of that revision; a request that changes data
    /// clears it (`Actor::for_changes`), so its reads see its own writes.
    pub seen: Option<Revision>,
    /// The time zone the person chose on their account page, if any.
    pub timezone: Option<String>,
}

impl Actor {
    /// This actor for a request that may change data: every read goes to the database.
    #[must_use]
    pub fn for_changes(mut self) -> Actor {
        self.seen = None;
        self
    }
}

impl From<Account> for Actor {
    fn from(a: Account) -> Actor {
        Actor {
            account_id: a.id,
            email: a.email,
            employee_id: a.employee_id,
            is_admin: a.is_admin,
            calendar_generation: a.calendar_generation,
            reset_notice: a.reset_notice,
            seen: None,
            timezone: a.timezone,
        }
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    hash_password_for("password", password)
}

/// A new password long enough to keep; the problem names `field`.
fn check_new_password(field: &str, password: &str) -> Result<(), Problem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Problem::new(format!("use at least {MIN_PASSWORD_CHARS} characters")).field(field));
    }
    Ok(())
}

/// The hash of a new password; a problem names `field`.
fn hash_password_for(field: &str, password: &str) -> Result<String, AppError> {
    check_new_password(field, password).map_err(AppError::invalid)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Fault(format!("cannot hash the password: {e}")))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A real hash to verify against when the account does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(random_hex(16).as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// argon2id takes 19 MiB and a core's worth of time per check: at most this
/// many run at once, so a flood of sign-ins queues instead of exhausting memory.
fn hashers() -> &'static Semaphore {
    static PERMITS: std::sync::OnceLock<Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Semaphore::new(cores * 2)
    })
}

/// Checks a password against a hash (or a dummy one, so that unknown e-mails
/// take as long), off the async workers and within the hashers' bound.
async fn check_password(password: &str, hash: Option<String>) -> Result<bool, AppError> {
    let _permit = tokio::time::timeout(HASH_WAIT, hashers().acquire())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Busy)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || match &hash {
        Some(h) => verify(&password, h),
        None => {
            verify(&password, dummy_hash());
            false
        }
    })
    .await
    .map_err(|e| AppError::Fault(format!("password check stopped: {e}")))
}

/// A fresh random token of 32 hex characters (128 bits).
pub fn random_token() -> String {
    random_hex(16)
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Creates an account with an already computed hash (the demo hashes its
/// shared password once), bound to the person whose directory e-mail it is
/// now; an existing account gets the new hash and keeps its person.
pub async fn upsert_with_hash(store: &Store, email: &str, hash: &str, is_admin: bool) -> Result<i64, AppError> {
    let email = Email::parse(email)?;
    let person = store.employee_id_by_email(email.as_str()).await?;
    Ok(store.upsert_account(email.as_str(), person.as_deref(), hash, is_admin).await?)
}

/// The operator sets an account's password (creating the account): every
/// earlier sign-in of the account ends.
pub async fn set_password(
    store: &Store,
    email: &str,
    password: &str,
    is_admin: bool,
    by: &str,
) -> Result<i64, AppError> {
    let hash = hash_password(password)?;
    let id = upsert_with_hash(store, email, &hash, is_admin).await?;
    store.delete_tokens_of(id).await?;
    let role = if is_admin { "administrator" } else { "member" };
    store.audit(by, "account.set_password", &email.trim().to_lowercase(), role).await?;
    Ok(id)
}

/// Checks the password and issues a bearer token. Unknown e-mails cost the
/// same hashing work as wrong passwords, so timing does not reveal accounts.
pub async fn login(
    store: &Store,
    email: &str,
    password: &str,
    client: Option<&str>,
    policy: PasswordSignIn,
) -> Result<String, AppError> {
    login_for(store, email, password, client, policy, TOKEN_DAYS * 86_400).await
}

/// A browser's sign-in: the session lasts the instance's `session_hours`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSession {
    pub token: String,
    pub lifetime_secs: i64,
}

pub async fn browser_login(
    store: &Store,
    email: &str,
    password: &str,
    client: Option<&str>,
    policy: PasswordSignIn,
) -> Result<BrowserSession, AppError> {
    let lifetime_secs = crate::settings::get(store).await?.session_seconds();
    let token = login_for(store, email, password, client, policy, lifetime_secs).await?;
    Ok(BrowserSession { token, lifetime_secs })
}

/// A browser session for an account whose owner proved who they are some
/// other way (single sign-on); it lasts the instance's `session_hours`.
pub(crate) async fn open_session(store: &Store, account: &Account) -> Result<BrowserSession, AppError> {
    let lifetime_secs = crate::settings::get(store).await?.session_seconds();
    let token = issue_token(store, account.id, lifetime_secs).await?;
    Ok(BrowserSession { token, lifetime_secs })
}

/// What a refused password sign-in says when the instance signs people in through their provider.
pub const PASSWORD_OFF: &str = "Password sign-in is turned off here: use single sign-on";

/// Reserves a sign-in attempt before any password is hashed, so that
/// concurrent guesses are all counted: the attempt is refused when the
/// e-mail has made more than `MAX_FAILURES`, or the client address more than
/// `MAX_FAILURES_PER_CLIENT`, attempts within the window, this one included.
/// The counts live in the database, so every instance sees them.
async fn reserve_attempt(store: &Store, email: &str, client: Option<&str>) -> Result<(), AppError> {
    let since = rfc3339_from_now(-FAILURE_WINDOW_SECS);
    let (by_email, by_client) = store.reserve_sign_in(&random_hex(16), email, client.unwrap_or(""), &since).await?;
    if by_email > MAX_FAILURES || (client.is_some() && by_client > MAX_FAILURES_PER_CLIENT) {
        return Err(AppError::TooManyAttempts);
    }
    Ok(())
}

async fn login_for(
    store: &Store,
    email: &str,
    password: &str,
    client: Option<&str>,
    policy: PasswordSignIn,
    lifetime_secs: i64,
) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    reserve_attempt(store, &email, client).await?;
    let account = store.account_by_email(&email).await?;
    let ok = check_password(password, account.as_ref().and_then(|a| a.password_hash.clone())).await?;
    // A failure leaves its reserved attempt counted; a success forgets the e-mail's.
    let Some(account) = account.filter(|_| ok) else { return Err(AppError::Unauthorized) };
    refuse_unless_in_good_standing(&account)?;
    // Checked after the password, so a refusal tells nothing to someone who does not know it.
    if policy == PasswordSignIn::AdminsOnly && !account.is_admin {
        return Err(AppError::Forbidden(PASSWORD_OFF.into()));
    }
    store.forget_sign_in_attempts(&email).await?;
    issue_token(store, account.id, lifetime_secs).await
}

/// Today as the store compares leave dates (`YYYY-MM-DD`).
pub(crate) fn today_text() -> String {
    crate::sessions::today().to_string()
}

/// What a sign-in of an account that is not in good standing is told.
pub const NOT_IN_GOOD_STANDING: &str =
    "this account cannot sign in: it is disabled or its owner has left the organisation; ask your administrator";
/// What a sign-in of a disabled account is told.
pub const DISABLED: &str = "this account is disabled: ask your administrator";

/// Leaving ends everything at once: every way in (a password, single
/// sign-on, a token or browser session, a set-password link, the calendar
/// feed) asks this one question (`Account::in_good_standing`).
pub(crate) fn refuse_unless_in_good_standing(account: &Account) -> Result<(), AppError> {
    if account.in_good_standing(&today_text()) {
        Ok(())
    } else if account.disabled_at.is_some() {
        Err(AppError::Forbidden(DISABLED.into()))
    } else {
        Err(AppError::Forbidden("this account's owner has left the organisation: it signs in no more".into()))
    }
}

/// A new bearer token of the account, valid for `lifetime_secs`.
async fn issue_token(store: &Store, account: i64, lifetime_secs: i64) -> Result<String, AppError> {
    store.note_sign_in(account).await?;
    let token = random_hex(32);
    store.add_token(&token_hash(&token), account, &rfc3339_from_now(lifetime_secs)).await?;
    Ok(token)
}

/// UTC time `offset_secs` from now in RFC 3339, comparable as text with the store's timestamps.
pub(crate) fn rfc3339_from_now(offset_secs: i64) -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
            + offset_secs;
    let date =
        plab_domain::Date::from_days_since_epoch(secs.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default();
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// Links are valid for three days and work once.
pub(crate) const LINK_DAYS: i64 = 3;

/// Every account (administrators only).
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<Account>, AppError> {
    access::admin(actor)?;
    Ok(store.accounts().await?)
}

/// An account as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub email: String,
    /// The person's name, when the account belongs to someone in the directory.
    pub name: Option<String>,
    pub employee_id: Option<String>,
    pub is_admin: bool,
    pub has_password: bool,
    /// Whether the account ever had a credential: then no administrator sees a link for it.
    pub established: bool,
    pub last_sign_in: Option<String>,
    pub disabled: bool,
}

/// Administrators page through accounts this many at a time.
pub const ACCOUNTS_PER_PAGE: u32 = 50;

/// An account as the administrator's paged list shows it, with what may be done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub listed: Listed,
    /// Whether an onboarding link would be issued (never established, in
    /// good standing, password sign-in open to it).
    pub can_get_link: bool,
    /// Whether it signs in: not disabled, and its person has not left.
    pub in_good_standing: bool,
}

/// One page of the accounts an administrator searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsPage {
    pub rows: Vec<Row>,
    /// This page (from 1), how many pages, how many accounts match.
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Page `page` (from 1; out of range: the nearest) of the accounts whose
/// e-mail, person's name or employee id contains `search` (any case; all
/// when empty), by e-mail. Administrators only.
pub async fn listing_page(
    store: &Store,
    actor: &Actor,
    search: &str,
    page: Option<u64>,
    policy: PasswordSignIn,
) -> Result<AccountsPage, AppError> {
    access::admin(actor)?;
    let per = u64::from(ACCOUNTS_PER_PAGE);
    let total = store.accounts_page(search, 0, 0).await?.total;
    let pages = total.div_ceil(per).max(1);
    let page = page.unwrap_or(1).clamp(1, pages);
    let found = store.accounts_page(search, ACCOUNTS_PER_PAGE, (page - 1) * per).await?;
    let ids: Vec<&str> = found.accounts.iter().filter_map(|a| a.employee_id.as_deref()).collect();
    let people = store.names_and_emails(&ids).await?;
    let zone = zone_of(store, actor).await?;
    let today = today_text();
    let rows = found
        .accounts
        .iter()
        .map(|a| {
            let in_good_standing = a.in_good_standing(&today);
            Row {
                id: a.id,
                can_get_link: !a.established && in_good_standing && (policy == PasswordSignIn::Everyone || a.is_admin),
                in_good_standing,
                listed: Listed {
                    email: a.email.clone(),
                    name: a.employee_id.as_ref().and_then(|id| people.get(id)).map(|(name, _)| name.clone()),
                    employee_id: a.employee_id.clone(),
                    is_admin: a.is_admin,
                    has_password: a.password_hash.is_some(),
                    established: a.established,
                    last_sign_in: a.last_sign_in_at.as_deref().map(|t| zone.human_text(t)),
                    disabled: a.disabled_at.is_some(),
                },
            }
        })
        .collect();
    Ok(AccountsPage { rows, page, pages, total })
}

/// Disables an account (it signs in no more, and every sign-in of it ends) or
/// enables it again; audited. An administrator cannot disable themselves, nor
/// the last administrator who can still sign in.
pub async fn set_disabled(store: &Store, actor: &Actor, email: &str, disabled: bool) -> Result<(), AppError> {
    access::admin(actor)?;
    let account = store.account_by_email(&email.trim().to_lowercase()).await?;
    if disabled && account.is_some_and(|a| a.id == actor.account_id) {
        return Err(AppError::Conflict("you cannot disable your own account".into()));
    }
    set_disabled_as(store, email, disabled, &actor.email).await
}

/// `set_disabled` as the operator at the machine (`plab user disable|enable`).
pub async fn set_disabled_as(store: &Store, email: &str, disabled: bool, by: &str) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    let account = store
        .account_by_email(&email)
        .await?
        .ok_or_else(|| AppError::NotFound { what: "account", id: email.clone() })?;
    if disabled && account.is_admin {
        let others = store.accounts().await?;
        if !others.iter().any(|a| a.is_admin && a.id != account.id && a.disabled_at.is_none()) {
            return Err(AppError::Conflict("this is the last administrator who can sign in".into()));
        }
    }
    store.set_account_disabled(account.id, disabled).await?;
    let action = if disabled { "account.disable" } else { "account.enable" };
    store.audit(by, action, &email, "").await?;
    Ok(())
}

/// The operator's one-time link with which `email` sets their password;
/// returns the secret to put in `/set-password/SECRET`. For an account that
/// already has a password it is a reset link, for its owner's address only:
/// using it ends every sign-in of the account and tells the owner who reset it.
pub async fn issue_password_link(
    store: &Store,
    email: &str,
    by: &str,
    policy: PasswordSignIn,
) -> Result<String, AppError> {
    let (secret, link) = new_password_link(store, email, by, policy).await?;
    store.add_password_link(&token_hash(&secret), &link, &rfc3339_from_now(LINK_DAYS * 86_400), &[]).await?;
    audit_link(store, &link, by).await?;
    Ok(secret)
}

/// A link for `email`, bound to the account's credentials as they are now
/// (`PasswordLink::account_epoch`). Refused for an account or person that
/// is not in good standing, and for anyone but an administrator while
/// password sign-in is for administrators only.
pub(crate) async fn new_password_link(
    store: &Store,
    email: &str,
    by: &str,
    policy: PasswordSignIn,
) -> Result<(String, PasswordLink), AppError> {
    let email = Email::parse(email)?;
    let account = store.account_by_email(email.as_str()).await?;
    if let Some(a) = &account {
        refuse_unless_in_good_standing(a)?;
    }
    if policy == PasswordSignIn::AdminsOnly && !account.as_ref().is_some_and(|a| a.is_admin) {
        return Err(AppError::Conflict(format!("{PASSWORD_OFF}: no set-password link is issued for {email}")));
    }
    let purpose = match &account {
        Some(a) if a.established => LinkPurpose::Reset,
        _ => LinkPurpose::Onboarding,
    };
    let account_epoch = account.as_ref().map(|a| a.credential_epoch);
    let employee_id = match account.and_then(|a| a.employee_id) {
        Some(bound) => Some(bound),
        None => store.employee_id_by_email(email.as_str()).await?,
    };
    if let Some(id) = &employee_id
        && store.person(id).await?.end_date.is_some_and(|left| left <= crate::sessions::today())
    {
        return Err(AppError::Forbidden(NOT_IN_GOOD_STANDING.into()));
    }
    let link = PasswordLink {
        email: email.as_str().to_owned(),
        employee_id,
        purpose,
        created_by: by.to_owned(),
        account_epoch,
    };
    Ok((random_hex(32), link))
}

async fn audit_link(store: &Store, link: &PasswordLink, by: &str) -> Result<(), AppError> {
    let detail = if link.purpose == LinkPurpose::Reset { "reset link issued" } else { "onboarding link issued" };
    store.audit(by, "account.password_link", &link.email, detail).await?;
    Ok(())
}

/// What someone who asked for a set-password link is told, whatever happened.
pub const FORGOT_ANSWER: &str =
    "If an account uses this address, a link to set its password is on its way there. It works once, for 3 days.";

/// "Forgot your password?": checks only what the caller typed (an e-mail
/// address at all, mail on), then queues the work (`mail_password_link`) and
/// answers at once, so neither the answer nor its timing tells whether the
/// address has an account.
pub fn forgot_password(
    store: &Store,
    vault: &std::sync::Arc<crate::vault::Vault>,
    post: &crate::mail::Post,
    policy: PasswordSignIn,
    email: &str,
) -> Result<(), AppError> {
    if !post.is_on() {
        return Err(AppError::Conflict(
            "this instance sends no e-mail; ask your administrator for a set-password link".into(),
        ));
    }
    let parsed = Email::parse(email)?;
    let (store, vault, post) = (store.clone(), vault.clone(), post.clone());
    tokio::spawn(async move {
        if let Err(e) = mail_password_link(&store, &vault, &post, policy, parsed.as_str(), "self-service").await {
            tracing::warn!("a requested set-password link was not sent: {e}");
        }
    });
    Ok(())
}

/// Sends a set-password link to the account's own address, written to the
/// outbox with the link itself. Nothing happens for an address without an
/// account, an account not in good standing, a non-administrator while
/// password sign-in is for administrators only, or a second request within
/// the hour. Only while mail is on.
pub async fn mail_password_link(
    store: &Store,
    vault: &crate::vault::Vault,
    post: &crate::mail::Post,
    policy: PasswordSignIn,
    email: &str,
    by: &str,
) -> Result<(), AppError> {
    if !post.is_on() {
        return Ok(());
    }
    let parsed = Email::parse(email)?;
    let Some(account) = store
        .account_by_email(parsed.as_str())
        .await?
        .filter(|a| a.in_good_standing(&today_text()))
        .filter(|a| policy == PasswordSignIn::Everyone || a.is_admin)
    else {
        return Ok(());
    };
    let hour = time::OffsetDateTime::now_utc().unix_timestamp() / 3_600;
    let key = format!("password_link:{}:{hour}", account.id);
    if store.mail_exists(&key).await? {
        return Ok(());
    }
    let (secret, link) = new_password_link(store, parsed.as_str(), by, policy).await?;
    let name = match &link.employee_id {
        Some(id) => store.recipients(&[id.as_str()], &today_text()).await?.pop().map(|r| r.name),
        None => None,
    };
    let Some(to) = crate::disclosure::mail_to_account(&account, name, &today_text()) else { return Ok(()) };
    let letter = crate::mail::Letter {
        kind: "password_link",
        key,
        to,
        subject: "Your Perspective Lab set-password link".to_owned(),
        paragraphs: vec![
            format!(
                "Someone asked for a link to set the password of {} on Perspective Lab. \
                 It works once, for {LINK_DAYS} days.",
                account.email
            ),
            "If it was not you, ignore this message: your password stays as it is.".to_owned(),
        ],
        link: Some(("Set your password".to_owned(), format!("/set-password/{secret}"))),
        calendar: None,
        can_opt_out: false,
    };
    let outgoing: Vec<_> = post.seal(vault, &letter)?.into_iter().collect();
    if store.add_password_link(&token_hash(&secret), &link, &rfc3339_from_now(LINK_DAYS * 86_400), &outgoing).await? {
        audit_link(store, &link, by).await?;
    }
    Ok(())
}

/// What an administrator's request for a set-password link gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRequest {
    /// An onboarding link (the account has never had a password) to hand over.
    Onboarding(String),
    /// The account has a password: no administrator may hold a credential for
    /// it, so the reset link goes to the account's own address only.
    ForOwnerOnly,
}

/// An administrator asks for a set-password link. Only an account that was
/// never established (no password, no linked provider identity, never
/// signed in) gets a link the administrator sees; for any other the request
/// is recorded and the link is mailed to the owner's sign-in address (with
/// mail off, the operator prints it with `plab user link`).
pub async fn request_password_link(
    store: &Store,
    vault: &crate::vault::Vault,
    post: &crate::mail::Post,
    policy: PasswordSignIn,
    actor: &Actor,
    email: &str,
) -> Result<LinkRequest, AppError> {
    access::admin(actor)?;
    let parsed = Email::parse(email)?;
    if store.account_by_email(parsed.as_str()).await?.is_some_and(|a| a.established) {
        store.audit(&actor.email, "account.reset_requested", parsed.as_str(), "for the owner's address only").await?;
        mail_password_link(store, vault, post, policy, parsed.as_str(), &actor.email).await?;
        return Ok(LinkRequest::ForOwnerOnly);
    }
    Ok(LinkRequest::Onboarding(issue_password_link(store, parsed.as_str(), &actor.email, policy).await?))
}

/// Who a link was issued by when its owner asked for it themselves.
pub const SELF_SERVICE: &str = "self-service";

fn link_not_found() -> AppError {
    AppError::NotFound { what: "set-password link (used, expired or unknown)", id: "…".into() }
}

/// The e-mail a link is for, while it is unused and unexpired.
pub async fn password_link_email(store: &Store, secret: &str) -> Result<String, AppError> {
    Ok(store.password_link(&token_hash(secret)).await?.ok_or_else(link_not_found)?.email)
}

/// Sets the password through a link, which then stops working (with every
/// other open link for the account). A link works only while the account's
/// credentials are as they were when it was issued (the store checks the
/// credential epoch), the account is in good standing, and password sign-in
/// is open to the account. It ends every sign-in of the account, and a link
/// that someone else requested (an administrator, the operator) leaves the
/// owner a notice of who and when.
pub async fn use_password_link(
    store: &Store,
    secret: &str,
    password: &str,
    policy: PasswordSignIn,
) -> Result<String, AppError> {
    let link = store.password_link(&token_hash(secret)).await?.ok_or_else(link_not_found)?;
    let hash = hash_password(password)?;
    let account = store.account_by_email(&link.email).await?;
    if let Some(a) = &account {
        refuse_unless_in_good_standing(a)?;
    }
    if policy == PasswordSignIn::AdminsOnly && !account.as_ref().is_some_and(|a| a.is_admin) {
        return Err(AppError::Forbidden(PASSWORD_OFF.into()));
    }
    let had_password = account.as_ref().is_some_and(|a| a.password_hash.is_some());
    if account.as_ref().is_some_and(|a| a.established) && link.purpose == LinkPurpose::Onboarding {
        return Err(AppError::Conflict(
            "this account already has a password: an onboarding link cannot change it; ask for a reset".into(),
        ));
    }
    if !store.use_password_link(&token_hash(secret), &link.email).await? {
        return Err(link_not_found());
    }
    let notice = (link.created_by != SELF_SERVICE).then(|| {
        let done = if had_password { "reset" } else { "set" };
        format!("Your password was {done} on {} through a link issued by {}.", rfc3339_from_now(0), link.created_by)
    });
    match account {
        Some(a) => {
            store.replace_password(a.id, &hash, None, notice.as_deref()).await?;
        }
        None => {
            let id = store.upsert_account(&link.email, link.employee_id.as_deref(), &hash, false).await?;
            if notice.is_some() {
                store.replace_password(id, &hash, None, notice.as_deref()).await?;
            }
        }
    }
    let detail = if had_password { "reset through a one-time link" } else { "set through a one-time link" };
    store.audit(&link.email, "account.set_password", &link.email, detail).await?;
    Ok(link.email)
}

/// `use_password_link`, then a browser session for the account: whoever
/// just set the password through their link is signed in at once.
pub async fn set_password_and_sign_in(
    store: &Store,
    secret: &str,
    password: &str,
    policy: PasswordSignIn,
) -> Result<BrowserSession, AppError> {
    let email = use_password_link(store, secret, password, policy).await?;
    let account = store.account_by_email(&email).await?.ok_or(AppError::Unauthorized)?;
    refuse_unless_in_good_standing(&account)?;
    open_session(store, &account).await
}

/// Changes one's own password: the current one must be right (attempts are
/// throttled like sign-ins), and every other token and browser session of the
/// account ends; the calling one (`keep_token`) stays signed in.
pub async fn change_password(
    store: &Store,
    actor: &Actor,
    keep_token: &str,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    reserve_attempt(store, &actor.email, None).await?;
    let account = store.account(actor.account_id).await?.ok_or(AppError::Unauthorized)?;
    let mut problems = Vec::new();
    if !check_password(current, account.password_hash.clone()).await? {
        problems.push(Problem::new("is not your current password").field("current"));
    }
    problems.extend(check_new_password("new", new).err());
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    store.forget_sign_in_attempts(&actor.email).await?;
    let hash = hash_password_for("new", new)?;
    store.replace_password(account.id, &hash, Some(&token_hash(keep_token)), None).await?;
    store.audit(&actor.email, "account.change_password", &actor.email, "every other sign-in ended").await?;
    Ok(())
}

/// Ends a session: the token stops working everywhere at once.
pub async fn logout(store: &Store, token: &str) -> Result<(), AppError> {
    Ok(store.delete_token(&token_hash(token)).await?)
}

/// Ends every token and browser session of the actor's account.
pub async fn sign_out_everywhere(store: &Store, actor: &Actor) -> Result<(), AppError> {
    store.delete_tokens_of(actor.account_id).await?;
    store.audit(&actor.email, "account.sign_out_everywhere", &actor.email, "every sign-in ended").await?;
    Ok(())
}

/// The owner has read who reset their password.
pub async fn dismiss_reset_notice(store: &Store, actor: &Actor) -> Result<(), AppError> {
    Ok(store.clear_reset_notice(actor.account_id).await?)
}

/// The operator changes the e-mail an account signs in with: its own audited
/// action, since a directory import never changes how anyone signs in.
pub async fn change_sign_in_email(store: &Store, from: &str, to: &str, by: &str) -> Result<(), AppError> {
    let (from, to) = (Email::parse(from)?, Email::parse(to)?);
    if !store.change_sign_in_email(from.as_str(), to.as_str()).await? {
        return Err(AppError::NotFound { what: "account", id: from.as_str().to_owned() });
    }
    store.audit(by, "account.change_sign_in_email", from.as_str(), &format!("now {}", to.as_str())).await?;
    Ok(())
}

/// The zone times are shown in for this person: the one they chose, else the
/// directory's, else UTC.
pub async fn zone_of(store: &Store, actor: &Actor) -> Result<plab_domain::zone::Zone, AppError> {
    let directory = match &actor.employee_id {
        Some(id) => store.person(id).await?.timezone,
        None => None,
    };
    Ok(actor
        .timezone
        .iter()
        .chain(directory.iter())
        .find_map(|name| plab_domain::zone::Zone::from_stored(name))
        .unwrap_or_else(plab_domain::zone::Zone::utc))
}

/// Sets the person's own time zone (an IANA name), or with an empty one
/// goes back to the directory's.
pub async fn set_my_timezone(store: &Store, actor: &Actor, raw: &str) -> Result<plab_domain::zone::Zone, AppError> {
    let chosen = match raw.trim() {
        "" => None,
        name => Some(plab_domain::zone::Zone::parse(name).map_err(|e| AppError::invalid(Problem::from(e)))?),
    };
    store.set_account_timezone(actor.account_id, chosen.as_ref().map(plab_domain::zone::Zone::name)).await?;
    zone_of(store, &Actor { timezone: chosen.map(|z| z.name().to_owned()), ..actor.clone() }).await
}

/// The anti-forgery token of a browser session: derived from the session
/// token, so it needs no storage, and useless without the HttpOnly cookie.
pub fn csrf_for(session_token: &str) -> String {
    hex(&Sha256::digest(format!("plab-csrf\0{session_token}").as_bytes()))
}

/// The actor behind a bearer token: the account's own person, never whoever
/// holds its e-mail in the directory today.
pub async fn actor_for_token(store: &Store, token: &str) -> Result<Actor, AppError> {
    let (account, seen) = store.account_by_token(&token_hash(token)).await?.ok_or(AppError::Unauthorized)?;
    if !account.in_good_standing(&today_text()) {
        // Ended for good, not only refused: a leave date corrected later does not revive them.
        store.delete_tokens_of(account.id).await?;
        return Err(AppError::Unauthorized);
    }
    Ok(Actor { seen: Some(seen), ..account.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_argon2id_and_verify() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(hash_password("short"), Err(AppError::Invalid(_))));
    }

    #[test]
    fn token_expiry_is_rfc3339_in_utc() {
        let t = rfc3339_from_now(7 * 86_400);
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
    }
}
