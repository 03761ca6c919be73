//! Single sign-on with OpenID Connect: the authorization code flow with PKCE,
//! `state` and `nonce`, the ID token checked by the `openidconnect` crate
//! (signature against the provider's JWKS, issuer, audience, expiry, nonce),
//! and the person found in the directory.
//!
//! Who an identity is: a provider identity (issuer and `sub`) linked to an
//! account reaches that account, whatever e-mail the provider sends today.
//! An identity not linked yet is matched to the directory by the configured
//! employee-id claim, or else by the ID token's e-mail when the provider says
//! it is verified; the person's own account (by `employee_id`, made now if they
//! have none) is linked to it. An account answers to one identity per issuer,
//! so a changed e-mail at the provider never moves an account to someone else.
use crate::accounts::{BrowserSession, open_session};
use crate::{AppError, Problem};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError,
    TokenResponse,
};
use plab_store::{PendingSignIn, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

pub const ISSUER_ENV: &str = "PLAB_OIDC_ISSUER";
pub const CLIENT_ID_ENV: &str = "PLAB_OIDC_CLIENT_ID";
pub const CLIENT_SECRET_ENV: &str = "PLAB_OIDC_CLIENT_SECRET";
/// The name of an ID token claim that carries the directory's `employee_id`.
pub const EMPLOYEE_ID_CLAIM_ENV: &str = "PLAB_OIDC_EMPLOYEE_ID_CLAIM";
/// `admins`: password sign-in only for administrators (everyone else signs in through the provider).
pub const PASSWORD_SIGN_IN_ENV: &str = "PLAB_PASSWORD_SIGN_IN";

/// The path the provider sends the browser back to, under the public base URL.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";
/// How long a started sign-in may take at the provider.
const PENDING_SECS: i64 = 600;
/// Unfinished sign-ins one client address may hold at once (an office behind
/// one address stays well under it; a script filling the table does not).
pub const MAX_PENDING_PER_CLIENT: u64 = 200;
/// How long the provider's discovery document and keys are trusted before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// A provider that does not answer within this is down, as far as a sign-in goes.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Who may sign in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordSignIn {
    #[default]
    Everyone,
    /// Only administrators (who may be no one in the directory); the rest use single sign-on.
    AdminsOnly,
}

impl PasswordSignIn {
    pub fn from_env() -> Result<PasswordSignIn, AppError> {
        match std::env::var(PASSWORD_SIGN_IN_ENV).ok().as_deref().map(str::trim) {
            None | Some("" | "everyone") => Ok(PasswordSignIn::Everyone),
            Some("admins") => Ok(PasswordSignIn::AdminsOnly),
            Some(other) => {
                Err(config_error(PASSWORD_SIGN_IN_ENV, format!("'{other}' is neither 'everyone' nor 'admins'")))
            }
        }
    }
}

/// Why a single sign-on did not sign anyone in. Each is the browser's or the
/// provider's doing, never the server's fault, except `Unreachable`.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("this sign-in has expired or was started in another browser: start again")]
    StartAgain,
    #[error("the identity provider refused the sign-in: {0}")]
    ProviderRefused(String),
    /// The provider's answer failed a check (signature, issuer, audience, expiry, nonce…).
    #[error("the identity provider's answer could not be verified")]
    NotVerified(String),
    #[error("the identity provider has not verified this e-mail address, so it cannot say who you are")]
    EmailNotVerified,
    #[error("you are not in this organisation's directory, so there is no account for you here")]
    NotInDirectory,
    #[error("{0}")]
    Refused(String),
    #[error("the identity provider cannot be reached: try again in a few minutes")]
    Unreachable(String),
    #[error("too many sign-ins were started from your network and not finished: wait a few minutes and try again")]
    TooManyStarted,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for SsoError {
    fn from(e: StoreError) -> SsoError {
        SsoError::App(e.into())
    }
}

/// Claims beyond the standard ones, kept to read the configured employee-id claim.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct OtherClaims {
    #[serde(flatten)]
    all: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type IdToken =
    openidconnect::IdToken<OtherClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// A client made from the provider's discovery document: its authorization
/// endpoint set, its token and UserInfo endpoints as the document says.
type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The provider as discovered, with when.
struct Discovered {
    metadata: CoreProviderMetadata,
    at: Instant,
}

/// A configured provider. Cheap to clone.
#[derive(Clone)]
pub struct Sso {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    employee_id_claim: Option<String>,
    http: reqwest::Client,
    discovered: Arc<RwLock<Option<Discovered>>>,
}

/// Where to send the browser, and the state it must bring back (kept in a cookie).
pub struct Started {
    pub authorize_url: String,
    pub state: String,
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A finished sign-in: the new session and where to go.
pub struct SignedIn {
    pub session: BrowserSession,
    pub next: String,
}

fn config_error(what: &str, why: impl std::fmt::Display) -> AppError {
    AppError::invalid(Problem::new(format!("{why}")).at(what.to_owned()))
}

impl Sso {
    /// The provider configured in the environment, if any: off unless the
    /// issuer, client id and client secret are all set; then the public base
    /// URL must be set too (the provider sends browsers back to it).
    pub fn from_env() -> Result<Option<Sso>, AppError> {
        let var = |name| std::env::var(name).ok().map(|v: String| v.trim().to_owned()).filter(|v| !v.is_empty());
        let (issuer, id, secret) = (var(ISSUER_ENV), var(CLIENT_ID_ENV), var(CLIENT_SECRET_ENV));
        if issuer.is_none() && id.is_none() && secret.is_none() {
            return Ok(None);
        }
        let need = |v: Option<String>, name: &str| {
            v.ok_or_else(|| {
                config_error(
                    name,
                    format!("set {ISSUER_ENV}, {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} together: {name} is missing"),
                )
            })
        };
        let (issuer, id, secret) =
            (need(issuer, ISSUER_ENV)?, need(id, CLIENT_ID_ENV)?, need(secret, CLIENT_SECRET_ENV)?);
        let base = var(crate::mail::PUBLIC_URL_ENV).ok_or_else(|| {
            config_error(
                crate::mail::PUBLIC_URL_ENV,
                "single sign-on is on: set it to the address browsers reach this server at, e.g. https://lab.example.org",
            )
        })?;
        Sso::new(&issuer, &id, &secret, &base, var(EMPLOYEE_ID_CLAIM_ENV).as_deref()).map(Some)
    }

    pub fn new(issuer: &str, client_id: &str, secret: &str, base: &str, claim: Option<&str>) -> Result<Sso, AppError> {
        // Exactly as configured: it must equal the discovery document's `issuer`
        // (some providers' end in a slash, e.g. Auth0's).
        let issuer = IssuerUrl::new(issuer.to_owned())
            .map_err(|e| config_error(ISSUER_ENV, format!("'{issuer}' is not a URL: {e}")))?;
        let callback = format!("{}{CALLBACK_PATH}", base.trim_end_matches('/'));
        let redirect = RedirectUrl::new(callback.clone())
            .map_err(|e| config_error(crate::mail::PUBLIC_URL_ENV, format!("'{callback}' is not a URL: {e}")))?;
        // No redirects: a provider's endpoints are what its discovery document says (no SSRF by redirect).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| AppError::Fault(format!("cannot make the HTTP client for single sign-on: {e}")))?;
        Ok(Sso {
            issuer,
            client_id: ClientId::new(client_id.to_owned()),
            client_secret: ClientSecret::new(secret.to_owned()),
            redirect,
            employee_id_claim: claim.map(str::to_owned),
            http,
            discovered: Arc::new(RwLock::new(None)),
        })
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The provider's discovery document and keys: cached for an hour, or
    /// fetched again now with `fresh` (a token signed with a key we do not
    /// hold yet means the provider rotated its keys).
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, SsoError> {
        if !fresh && let Some(d) = self.discovered.read().await.as_ref().filter(|d| d.at.elapsed() < METADATA_TTL) {
            return Ok(d.metadata.clone());
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| SsoError::Unreachable(format!("discovery at {}: {e}", self.issuer.as_str())))?;
        *self.discovered.write().await = Some(Discovered { metadata: metadata.clone(), at: Instant::now() });
        Ok(metadata)
    }

    async fn client(&self, fresh: bool) -> Result<Client, SsoError> {
        let metadata = self.metadata(fresh).await?;
        Ok(CoreClient::from_provider_metadata(metadata, self.client_id.clone(), Some(self.client_secret.clone()))
            .set_redirect_uri(self.redirect.clone()))
    }

    /// Starts a sign-in: the provider's authorization URL (code flow, PKCE
    /// S256, `state`, `nonce`), remembered server-side under the state's hash;
    /// refused while the client address `from` holds too many unfinished ones.
    pub async fn start(&self, store: &Store, next: &str, from: Option<&str>) -> Result<Started, SsoError> {
        let client = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let pending =
            PendingSignIn { nonce: nonce.secret().clone(), verifier: verifier.secret().clone(), next: next.to_owned() };
        let expires = crate::accounts::rfc3339_from_now(PENDING_SECS);
        let hash = crate::accounts::token_hash(state.secret());
        if !store.begin_sso(&hash, &pending, &expires, from.unwrap_or(""), MAX_PENDING_PER_CLIENT).await? {
            return Err(SsoError::TooManyStarted);
        }
        Ok(Started { authorize_url: url.to_string(), state: state.secret().clone() })
    }

    /// Finishes a sign-in: the state must be the one this browser started
    /// (`cookie_state`), unused and fresh; the code is exchanged with the PKCE
    /// verifier; the ID token is verified; the person is found; a session begins.
    pub async fn finish(
        &self,
        store: &Store,
        cookie_state: Option<&str>,
        answer: &Callback,
    ) -> Result<SignedIn, SsoError> {
        let state = answer.state.as_deref().filter(|s| !s.is_empty()).ok_or(SsoError::StartAgain)?;
        if cookie_state != Some(state) {
            return Err(SsoError::StartAgain);
        }
        // Used up whatever happens next: a callback URL works once.
        let pending = store.take_sso(&crate::accounts::token_hash(state)).await?.ok_or(SsoError::StartAgain)?;
        if let Some(error) = &answer.error {
            let why = answer.error_description.as_deref().unwrap_or(error);
            return Err(SsoError::ProviderRefused(why.chars().take(200).collect()));
        }
        let code = answer.code.as_deref().filter(|c| !c.is_empty()).ok_or(SsoError::StartAgain)?;
        let identity = self.verified_identity(code, &pending).await?;
        let account = find_account(store, self.issuer.as_str(), &identity, self.employee_id_claim.as_deref()).await?;
        let session = open_session(store, &account).await?;
        store.audit(&account.email, "sign-in.oidc", &account.email, self.issuer.as_str()).await?;
        Ok(SignedIn { session, next: pending.next })
    }

    /// Exchanges the code and verifies the ID token; a token signed with a key
    /// not in the cached JWKS makes one fresh discovery (key rotation) before it is refused.
    async fn verified_identity(&self, code: &str, pending: &PendingSignIn) -> Result<Identity, SsoError> {
        let client = self.client(false).await?;
        let request = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SsoError::Unreachable(format!("the provider names no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()));
        let response = request.request_async(&self.http).await.map_err(|e| match e {
            openidconnect::RequestTokenError::ServerResponse(r) => SsoError::ProviderRefused(r.error().to_string()),
            other => SsoError::Unreachable(format!("token endpoint: {other}")),
        })?;
        let raw = response.id_token().ok_or_else(|| SsoError::NotVerified("no ID token in the answer".into()))?;
        let token: IdToken =
            raw.to_string().parse().map_err(|e| SsoError::NotVerified(format!("the ID token does not parse: {e}")))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let verified = match token.claims(&client.id_token_verifier(), &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                let client = self.client(true).await?;
                token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map(|c| identity_of(c, self.employee_id_claim.as_deref()))
            }
            other => other.map(|c| identity_of(c, self.employee_id_claim.as_deref())),
        };
        let mut identity = verified.map_err(|e| SsoError::NotVerified(e.to_string()))?;
        // Some providers (Okta's code flow, oidc-provider by default) put the
        // e-mail in the UserInfo answer only: ask there, for this subject only.
        let wanted_claim = self.employee_id_claim.is_some() && identity.employee_id.is_none();
        if identity.email.is_none() || wanted_claim {
            self.complete_from_user_info(&client, &mut identity, response.access_token().clone()).await?;
        }
        Ok(identity)
    }

    /// Fills what the ID token left out from the UserInfo endpoint, if the
    /// provider has one; the library refuses an answer about another subject.
    async fn complete_from_user_info(
        &self,
        client: &Client,
        identity: &mut Identity,
        access_token: openidconnect::AccessToken,
    ) -> Result<(), SsoError> {
        let subject = openidconnect::SubjectIdentifier::new(identity.subject.clone());
        let Ok(request) = client.user_info(access_token, Some(subject)) else { return Ok(()) };
        let info: openidconnect::UserInfoClaims<OtherClaims, CoreGenderClaim> = request
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::NotVerified(format!("the UserInfo answer: {e}")))?;
        if identity.email.is_none() {
            identity.email = info.email().map(|e| e.as_str().trim().to_lowercase());
            identity.email_verified = info.email_verified() == Some(true);
        }
        if identity.employee_id.is_none() {
            identity.employee_id = claim_value(&info.additional_claims().all, self.employee_id_claim.as_deref());
        }
        Ok(())
    }
}

/// What a verified ID token says about who signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// The configured employee-id claim's value, if configured and present.
    pub employee_id: Option<String>,
}

fn identity_of(claims: &openidconnect::IdTokenClaims<OtherClaims, CoreGenderClaim>, claim: Option<&str>) -> Identity {
    Identity {
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().trim().to_lowercase()),
        email_verified: claims.email_verified() == Some(true),
        employee_id: claim_value(&claims.additional_claims().all, claim),
    }
}

/// The configured employee-id claim's value (text or a number), if present and not blank.
fn claim_value(claims: &serde_json::Map<String, serde_json::Value>, claim: Option<&str>) -> Option<String> {
    let value = match claims.get(claim?)? {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!value.is_empty()).then_some(value)
}

/// The account a verified identity signs in to (see the module's comment).
pub async fn find_account(
    store: &Store,
    issuer: &str,
    identity: &Identity,
    employee_id_claim: Option<&str>,
) -> Result<plab_store::Account, SsoError> {
    let account = match store.sso_account(issuer, &identity.subject).await? {
        Some(linked) => linked,
        None => {
            let employee_id = match (employee_id_claim, &identity.employee_id, &identity.email) {
                (Some(_), Some(id), _) => Some(id.clone()),
                (_, _, Some(email)) if identity.email_verified => store.employee_id_by_email(email).await?,
                (_, _, Some(_)) => return Err(SsoError::EmailNotVerified),
                _ => None,
            };
            let person = match employee_id {
                Some(id) => match store.person(&id).await {
                    Ok(p) => p,
                    Err(StoreError::NotFound { .. }) => return Err(SsoError::NotInDirectory),
                    Err(e) => return Err(e.into()),
                },
                None => return Err(SsoError::NotInDirectory),
            };
            refuse_leaver(&person)?;
            store
                .link_sso(issuer, &identity.subject, person.employee_id.as_str(), person.email.as_str())
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(why) => SsoError::Refused(format!("{why}: ask your administrator")),
                    other => other.into(),
                })?
        }
    };
    // The same rule as every other way in (`accounts::refuse_unless_in_good_standing`).
    if !account.in_good_standing(&crate::accounts::today_text()) {
        return Err(SsoError::Refused(crate::accounts::NOT_IN_GOOD_STANDING.into()));
    }
    Ok(account)
}

/// Someone whose leave date has come signs in no more (their history stays).
fn refuse_leaver(person: &plab_domain::person::Person) -> Result<(), SsoError> {
    match person.end_date {
        Some(left) if left <= crate::sessions::today() => {
            Err(SsoError::Refused(format!("{} has left the organisation", person.name)))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_kept_exactly_as_configured_and_the_callback_hangs_off_the_public_url() {
        let sso = Sso::new("https://tenant.auth0.example/", "c", "s", "https://lab.example.org/", None).expect("sso");
        assert_eq!(sso.issuer(), "https://tenant.auth0.example/", "the discovery document's issuer has the slash");
        assert_eq!(sso.redirect.as_str(), "https://lab.example.org/auth/oidc/callback");
        assert!(Sso::new("not a url", "c", "s", "https://lab.example.org", None).is_err());
        assert!(Sso::new("https://idp.example", "c", "s", "lab.example.org", None).is_err());
    }

    #[test]
    fn the_employee_id_claim_is_read_from_text_or_a_number_and_never_blank() {
        let claims = serde_json::json!({ "emp": "E17 ", "num": 4711, "blank": " ", "list": ["E1"] });
        let claims = claims.as_object().expect("object");
        assert_eq!(claim_value(claims, Some("emp")).as_deref(), Some("E17"));
        assert_eq!(claim_value(claims, Some("num")).as_deref(), Some("4711"));
        assert_eq!(claim_value(claims, Some("blank")), None);
        assert_eq!(claim_value(claims, Some("list")), None);
        assert_eq!(claim_value(claims, Some("missing")), None);
        assert_eq!(claim_value(claims, None), None);
    }
}
