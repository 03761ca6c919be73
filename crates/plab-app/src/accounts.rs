//! Signing in: argon2id password hashes, API tokens (only their SHA-256 is
//! stored), and who the signed-in account is within the organisation.
use crate::{AppError, Problem};
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use plab_domain::person::Email;
use plab_store::{Account, Store};
use sha2::{Digest, Sha256};

/// API tokens last a week; browser sign-ins last the instance's `session_hours`.
const TOKEN_DAYS: i64 = 7;
/// Sign-in throttling: this many failures per e-mail within the window.
pub const MAX_FAILURES: u64 = 5;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The signed-in account and the person it is, if any (an admin may be no one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i64,
    pub email: String,
    pub employee_id: Option<String>,
    pub is_admin: bool,
    pub calendar_secret: String,
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            Problem::new(format!("use at least {MIN_PASSWORD_CHARS} characters")).field("password"),
        ));
    }
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

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Creates or updates an account with an already computed hash (the demo
/// hashes its shared password once).
pub async fn upsert_with_hash(store: &Store, email: &str, hash: &str, is_admin: bool) -> Result<i64, AppError> {
    let email = Email::parse(email)?;
    Ok(store.upsert_account(email.as_str(), hash, is_admin, &random_hex(24)).await?)
}

/// Creates an account or sets its password.
pub async fn set_password(
    store: &Store,
    email: &str,
    password: &str,
    is_admin: bool,
    by: &str,
) -> Result<i64, AppError> {
    let hash = hash_password(password)?;
    let id = upsert_with_hash(store, email, &hash, is_admin).await?;
    let role = if is_admin { "administrator" } else { "member" };
    store.audit(by, "account.set_password", &email.trim().to_lowercase(), role).await?;
    Ok(id)
}

/// Checks the password and issues a bearer token. Unknown e-mails cost the
/// same hashing work as wrong passwords, so timing does not reveal accounts.
/// After `MAX_FAILURES` failures within `FAILURE_WINDOW_SECS` an e-mail is
/// refused until the window passes; the count lives in the database, so every
/// instance sees it.
pub async fn login(store: &Store, email: &str, password: &str) -> Result<String, AppError> {
    login_for(store, email, password, TOKEN_DAYS * 86_400).await
}

/// A browser's sign-in: the session lasts the instance's `session_hours`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSession {
    pub token: String,
    pub lifetime_secs: i64,
}

pub async fn browser_login(store: &Store, email: &str, password: &str) -> Result<BrowserSession, AppError> {
    let lifetime_secs = crate::settings::get(store).await?.session_seconds();
    let token = login_for(store, email, password, lifetime_secs).await?;
    Ok(BrowserSession { token, lifetime_secs })
}

async fn login_for(store: &Store, email: &str, password: &str, lifetime_secs: i64) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let since = rfc3339_from_now(-FAILURE_WINDOW_SECS);
    if store.sign_in_failures_since(&email, &since).await? >= MAX_FAILURES {
        return Err(AppError::TooManyAttempts);
    }
    let account = store.account_by_email(&email).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password = password.to_owned();
    // argon2id is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || match &hash {
        Some(h) => verify(&password, h),
        None => {
            verify(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false);
    let Some(account) = account.filter(|_| ok) else {
        store.record_sign_in_failure(&email).await?;
        return Err(AppError::Unauthorized);
    };
    store.clear_sign_in_failures(&email).await?;
    let token = random_hex(32);
    store.add_token(&token_hash(&token), account.id, &rfc3339_from_now(lifetime_secs)).await?;
    Ok(token)
}

/// UTC time `offset_secs` from now in RFC 3339, comparable as text with the store's timestamps.
fn rfc3339_from_now(offset_secs: i64) -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
            + offset_secs;
    let date =
        plab_domain::Date::from_days_since_epoch(secs.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default();
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// Links are valid for three days and work once.
const LINK_DAYS: i64 = 3;

fn require_admin(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin { Ok(()) } else { Err(AppError::Forbidden("only administrators manage accounts".into())) }
}

/// Every account (administrators only).
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<Account>, AppError> {
    require_admin(actor)?;
    Ok(store.accounts().await?)
}

/// Issues a one-time link with which `email` sets their own password; returns
/// the secret to put in `/set-password/SECRET`. No e-mail is sent: the admin
/// hands the link over.
pub async fn issue_password_link(store: &Store, email: &str, by: &str) -> Result<String, AppError> {
    let email = Email::parse(email)?;
    let secret = random_hex(32);
    store.add_password_link(&token_hash(&secret), email.as_str(), by, &rfc3339_from_now(LINK_DAYS * 86_400)).await?;
    store.audit(by, "account.password_link", email.as_str(), "issued").await?;
    Ok(secret)
}

/// The same, for a signed-in administrator.
pub async fn issue_password_link_as(store: &Store, actor: &Actor, email: &str) -> Result<String, AppError> {
    require_admin(actor)?;
    issue_password_link(store, email, &actor.email).await
}

/// The e-mail a link is for, while it is unused and unexpired.
pub async fn password_link_email(store: &Store, secret: &str) -> Result<String, AppError> {
    store
        .password_link_email(&token_hash(secret))
        .await?
        .ok_or(AppError::NotFound { what: "set-password link (used, expired or unknown)", id: "…".into() })
}

/// Sets the password through a link, which then stops working.
pub async fn use_password_link(store: &Store, secret: &str, password: &str) -> Result<String, AppError> {
    let email = password_link_email(store, secret).await?;
    let hash = hash_password(password)?;
    if !store.use_password_link(&token_hash(secret)).await? {
        return Err(AppError::NotFound { what: "set-password link (used, expired or unknown)", id: "…".into() });
    }
    let is_admin = store.account_by_email(&email).await?.is_some_and(|a| a.is_admin);
    upsert_with_hash(store, &email, &hash, is_admin).await?;
    store.audit(&email, "account.set_password", &email, "through a one-time link").await?;
    Ok(email)
}

/// Ends a session: the token stops working everywhere at once.
pub async fn logout(store: &Store, token: &str) -> Result<(), AppError> {
    Ok(store.delete_token(&token_hash(token)).await?)
}

/// The anti-forgery token of a browser session: derived from the session
/// token, so it needs no storage, and useless without the HttpOnly cookie.
pub fn csrf_for(session_token: &str) -> String {
    hex(&Sha256::digest(format!("plab-csrf\0{session_token}").as_bytes()))
}

/// The actor behind a bearer token.
pub async fn actor_for_token(store: &Store, token: &str) -> Result<Actor, AppError> {
    let account = store.account_by_token(&token_hash(token)).await?.ok_or(AppError::Unauthorized)?;
    actor(store, account).await
}

async fn actor(store: &Store, a: Account) -> Result<Actor, AppError> {
    let employee_id = store.employee_id_by_email(&a.email).await?;
    Ok(Actor {
        account_id: a.id,
        email: a.email,
        employee_id,
        is_admin: a.is_admin,
        calendar_secret: a.calendar_secret,
    })
}

/// The account a calendar secret belongs to; an unknown secret is "not found".
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
