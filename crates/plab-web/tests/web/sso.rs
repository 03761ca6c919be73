//! Single sign-on with OpenID Connect: who a provider identity is, and every
//! answer that must not sign anyone in. The provider here is a small one on
//! loopback (discovery, JWKS, a token endpoint that checks PKCE and the
//! client's credentials) whose ID tokens are signed with `openidconnect`'s own
//! RSA signer; the browser's trip to its login page is stood in for by reading
//! the authorization request plab redirected to. The full browser flow against
//! an independent provider (`oidc-provider`) is `e2e/oidc.sh`.
use crate::common::App;
use crate::common::browser::post_sign_in;
use crate::common::wire;
use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AdditionalClaims, Audience, EndUserEmail, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use plab_app::sso::{PasswordSignIn, Sso};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

crate::backends!(
    a_verified_directory_email_signs_in_and_makes_an_account_bound_to_the_person,
    a_changed_email_at_the_provider_never_moves_an_account_to_someone_else,
    someone_the_directory_does_not_know_or_whose_email_is_unverified_gets_a_page_not_an_account,
    the_employee_id_claim_finds_the_person_whatever_the_email,
    a_forged_or_misdirected_id_token_signs_no_one_in,
    rotated_provider_keys_are_fetched_again_without_a_restart,
    a_callback_replayed_from_another_browser_or_refused_by_the_provider_signs_no_one_in,
    disabled_accounts_and_leavers_cannot_sign_in_through_the_provider,
    password_sign_in_can_be_kept_for_administrators_only,
    an_email_only_in_the_user_info_answer_finds_the_person_and_one_about_another_subject_is_refused,
    a_person_provisioned_over_scim_signs_in_through_the_provider_until_scim_deactivates_them,
    one_address_cannot_fill_the_server_with_unfinished_sign_ins,
    the_sign_on_routes_by_every_role_answer_alike_and_are_never_cached,
);

const CLIENT: &str = "plab-test-client";
const SECRET: &str = "plab-test-secret";
const BASE: &str = "http://lab.example.test";

/// Who the provider says signed in at its login page.
#[derive(Clone, Debug)]
struct Who {
    sub: &'static str,
    email: &'static str,
    verified: bool,
    employee_number: Option<&'static str>,
    /// The e-mail is left out of the ID token and given by the UserInfo endpoint only.
    email_in_user_info_only: bool,
}

fn who(sub: &'static str, email: &'static str) -> Who {
    Who { sub, email, verified: true, employee_number: None, email_in_user_info_only: false }
}

/// How the next ID token is spoiled, as an attacker or a misconfiguration would.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Spoil {
    Nothing,
    /// The payload changed after signing (the e-mail swapped for another's).
    Tampered,
    WrongNonce,
    WrongAudience,
    WrongIssuer,
    Expired,
    /// Signed with a key the provider never published.
    UnpublishedKey,
    /// The UserInfo endpoint answers about another subject than the ID token's.
    UserInfoOfAnother,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Extra {
    #[serde(skip_serializing_if = "Option::is_none")]
    employee_number: Option<String>,
}
impl AdditionalClaims for Extra {}

struct Grant {
    who: Who,
    nonce: String,
    challenge: String,
}

struct OpState {
    issuer: String,
    /// The published keys' index into `keys`; tokens are signed with the first.
    published: Vec<usize>,
    keys: Vec<CoreRsaPrivateSigningKey>,
    codes: HashMap<String, Grant>,
    /// Who each access token was issued to, for the UserInfo endpoint.
    access: HashMap<String, Who>,
    spoil: Spoil,
    jwks_fetches: usize,
}

#[derive(Clone)]
struct Op(Arc<Mutex<OpState>>);

fn key(n: usize) -> CoreRsaPrivateSigningKey {
    let pem = match n {
        1 => include_str!("fixtures/oidc-key-1.pem"),
        2 => include_str!("fixtures/oidc-key-2.pem"),
        _ => include_str!("fixtures/oidc-key-3.pem"),
    };
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(format!("key-{n}")))).expect("test key")
}

impl Op {
    async fn start() -> Op {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let op = Op(Arc::new(Mutex::new(OpState {
            issuer,
            published: vec![0],
            keys: vec![key(1), key(2)],
            codes: HashMap::new(),
            access: HashMap::new(),
            spoil: Spoil::Nothing,
            jwks_fetches: 0,
        })));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .route("/userinfo", get(user_info))
            .with_state(op.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        op
    }

    fn issuer(&self) -> String {
        self.0.lock().expect("op").issuer.clone()
    }

    fn spoil(&self, spoil: Spoil) {
        self.0.lock().expect("op").spoil = spoil;
    }

    /// The provider's login page: `who` signs in for this authorization request; the code to send back.
    fn log_in(&self, authorize_url: &str, who: Who) -> (String, String) {
        let query = query_of(authorize_url);
        assert_eq!(query["client_id"], CLIENT);
        assert_eq!(query["redirect_uri"], format!("{BASE}/auth/oidc/callback"));
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["code_challenge_method"], "S256", "PKCE with SHA-256");
        assert!(query["scope"].split(' ').any(|s| s == "openid"), "{query:?}");
        let code = format!("code-{}", next_number());
        let grant = Grant { who, nonce: query["nonce"].clone(), challenge: query["code_challenge"].clone() };
        self.0.lock().expect("op").codes.insert(code.clone(), grant);
        (code, query["state"].clone())
    }
}

fn next_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

fn query_of(address: &str) -> HashMap<String, String> {
    url::Url::parse(address).expect("an absolute URL").query_pairs().into_owned().collect()
}

async fn discovery(State(op): State<Op>) -> Json<Value> {
    let issuer = op.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(op): State<Op>) -> Json<Value> {
    let mut s = op.0.lock().expect("op");
    s.jwks_fetches += 1;
    let keys = s.published.iter().map(|&i| s.keys[i].as_verification_key()).collect();
    Json(serde_json::to_value(CoreJsonWebKeySet::new(keys)).expect("jwks"))
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    code_verifier: String,
}

async fn token(State(op): State<Op>, headers: HeaderMap, Form(f): Form<TokenForm>) -> (StatusCode, Json<Value>) {
    let refuse = |e: &str| (StatusCode::BAD_REQUEST, Json(json!({ "error": e })));
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    if auth != format!("Basic {}", basic(CLIENT, SECRET)) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": "invalid_client" })));
    }
    let mut s = op.0.lock().expect("op");
    let Some(grant) = s.codes.remove(&f.code).filter(|_| f.grant_type == "authorization_code") else {
        return refuse("invalid_grant");
    };
    let verifier = PkceCodeVerifier::new(f.code_verifier);
    if PkceCodeChallenge::from_code_verifier_sha256(&verifier).as_str() != grant.challenge {
        return refuse("invalid_grant");
    }
    let now = chrono::Utc::now();
    let spoil = s.spoil;
    let issuer = if spoil == Spoil::WrongIssuer { "http://evil.example.test".to_owned() } else { s.issuer.clone() };
    let audience = if spoil == Spoil::WrongAudience { "someone-else" } else { CLIENT };
    let (issued, expires) = if spoil == Spoil::Expired {
        (now - chrono::Duration::hours(2), now - chrono::Duration::hours(1))
    } else {
        (now, now + chrono::Duration::minutes(5))
    };
    let nonce = if spoil == Spoil::WrongNonce { "not-the-nonce-plab-sent".to_owned() } else { grant.nonce };
    let mut standard = StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(grant.who.sub.into()));
    if !grant.who.email_in_user_info_only {
        standard = standard
            .set_email(Some(EndUserEmail::new(grant.who.email.into())))
            .set_email_verified(Some(grant.who.verified));
    }
    let access_token = format!("at-{}", next_number());
    s.access.insert(access_token.clone(), grant.who.clone());
    let extra = Extra { employee_number: grant.who.employee_number.map(str::to_owned) };
    let claims = IdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer"),
        vec![Audience::new(audience.into())],
        expires,
        issued,
        standard,
        extra,
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let unpublished;
    let signer = if spoil == Spoil::UnpublishedKey {
        unpublished = key(3);
        &unpublished
    } else {
        &s.keys[s.published[0]]
    };
    let id_token = IdToken::<Extra, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>::new(
        claims,
        signer,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .expect("sign");
    let mut jwt = id_token.to_string();
    if spoil == Spoil::Tampered {
        jwt = tamper(&jwt);
    }
    let body = json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": jwt });
    (StatusCode::OK, Json(body))
}

async fn user_info(State(op): State<Op>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    let s = op.0.lock().expect("op");
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(who) = token.and_then(|t| s.access.get(t)) else {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": "invalid_token" })));
    };
    let sub = if s.spoil == Spoil::UserInfoOfAnother { "someone-else" } else { who.sub };
    (StatusCode::OK, Json(json!({ "sub": sub, "email": who.email, "email_verified": who.verified })))
}

/// The same token with its payload's e-mail swapped for the sponsor's, the signature kept.
fn tamper(jwt: &str) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url")).expect("json");
    let mut claims: Value = serde_json::from_str(&payload).expect("claims");
    claims["email"] = json!("s@lab.test");
    format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2])
}

fn basic(user: &str, password: &str) -> String {
    // RFC 6749 §2.3.1: standard base64 of `id:secret` (both plain here).
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

/// The app signing people in through `op` (with `claim` as the employee-id claim).
fn with_sso(mut app: App, op: &Op, claim: Option<&str>, password: PasswordSignIn) -> App {
    let sso = Sso::new(&op.issuer(), CLIENT, SECRET, BASE, claim).expect("sso");
    app.state = app.state.clone().with_sign_in(Some(sso), password);
    app.router = plab_web::router(app.state.clone());
    app
}

/// The same app over the same database (its accounts, roles and sessions)
/// with single sign-on turned off.
fn without_sso(app: &App) -> Router {
    plab_web::router(app.state.clone().with_sign_in(None, PasswordSignIn::Everyone))
}

/// What the browser got back: status, where to, every cookie set, the page.
struct Answer {
    status: StatusCode,
    location: String,
    cookies: Vec<String>,
    /// The Cache-Control header.
    cache: String,
    html: String,
}

impl Answer {
    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            pair.strip_prefix(&format!("{name}=")).filter(|v| !v.is_empty()).map(str::to_owned)
        })
    }
}

async fn get_page(app: &App, uri: &str, cookie: Option<&str>) -> Answer {
    get_from(&app.router, uri, cookie).await
}

/// `get_page` from this router (the same app, configured otherwise).
async fn get_from(router: &Router, uri: &str, cookie: Option<&str>) -> Answer {
    let mut req = Request::builder().uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let resp = router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("response");
    let location = resp.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let cookies =
        resp.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    let cache = resp.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let status = resp.status();
    let html = String::from_utf8(resp.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    Answer { status, location, cookies, cache, html }
}

/// Starts a sign-in in a browser: the provider's URL and the state cookie.
async fn start(app: &App, next: &str) -> (String, String) {
    let uri = if next.is_empty() { "/auth/oidc/login".to_owned() } else { format!("/auth/oidc/login?next={next}") };
    let started = get_page(app, &uri, None).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.html);
    let cookie = started.cookie("plab_oidc").expect("the state cookie");
    let set = started.cookies.iter().find(|c| c.starts_with("plab_oidc=")).expect("cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/auth/oidc"), "{set}");
    (started.location, cookie)
}

/// A whole sign-in: start, log in at the provider as `who`, come back.
async fn sign_in_as(app: &App, op: &Op, who: Who) -> Answer {
    let (authorize, state_cookie) = start(app, "").await;
    let (code, state) = op.log_in(&authorize, who);
    assert_eq!(state, state_cookie, "the state in the cookie is the one sent to the provider");
    back(app, &code, &state, Some(&state_cookie)).await
}

async fn back(app: &App, code: &str, state: &str, state_cookie: Option<&str>) -> Answer {
    let cookie = state_cookie.map(|c| format!("plab_oidc={c}"));
    get_page(app, &format!("/auth/oidc/callback?code={code}&state={state}"), cookie.as_deref()).await
}

/// The signed-in person's `/api/v1/me` through the session cookie's token.
async fn me(app: &App, answer: &Answer) -> Value {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let session = answer.cookie("plab_session").expect("a session");
    let (status, body) = app.call("GET", "/api/v1/me", Some(&session), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn assert_refused(answer: &Answer, status: StatusCode, says: &str) {
    assert_eq!(answer.status, status, "{}", answer.html);
    assert!(answer.cookie("plab_session").is_none(), "no session after a refusal: {:?}", answer.cookies);
    let alert = answer.html.split("id=\"sso-error\">").nth(1).expect("the page says why");
    assert!(alert.contains(says), "expected '{says}' in {alert}");
}

async fn account_count(app: &App) -> usize {
    app.store.accounts().await.expect("accounts").len()
}

async fn a_verified_directory_email_signs_in_and_makes_an_account_bound_to_the_person(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    // The sign-in page offers the provider.
    let page = get_page(&app, "/", None).await;
    assert!(page.html.contains("id=\"sso\" class=\"button\" href=\"/auth/oidc/login\""), "{}", page.html);
    // CEO is in the directory with no account yet; the provider sends the e-mail in another case.
    let before = account_count(&app).await;
    let answer = sign_in_as(&app, &op, who("ceo-sub", "CEO@Lab.Test")).await;
    assert_eq!(answer.location, "/home");
    let set = answer.cookies.iter().find(|c| c.starts_with("plab_session=")).expect("session cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    assert!(answer.cookie("plab_oidc").is_none(), "the state cookie is cleared: {:?}", answer.cookies);
    let me = me(&app, &answer).await;
    assert_eq!(me["id"], "CEO", "{me}");
    assert_eq!(account_count(&app).await, before + 1, "one account made for the person");
    let home =
        get_page(&app, "/home", Some(&format!("plab_session={}", answer.cookie("plab_session").expect("s")))).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("Name CEO"), "{}", home.html);
    // Signing out ends the local session.
    let session = answer.cookie("plab_session").expect("session");
    let (status, _) = app.call("POST", "/api/v1/auth/logout", Some(&session), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.call("GET", "/api/v1/me", Some(&session), None).await.0, StatusCode::UNAUTHORIZED);
    // A second sign-in reaches the same account, and where the sign-in started is kept (only paths on this site).
    let (authorize, state_cookie) = start(&app, "/account").await;
    let (code, state) = op.log_in(&authorize, who("ceo-sub", "ceo@lab.test"));
    let again = back(&app, &code, &state, Some(&state_cookie)).await;
    assert_eq!(again.location, "/account");
    assert_eq!(account_count(&app).await, before + 1);
    let (authorize, state_cookie) = start(&app, "//evil.example/steal").await;
    let (code, state) = op.log_in(&authorize, who("ceo-sub", "ceo@lab.test"));
    assert_eq!(back(&app, &code, &state, Some(&state_cookie)).await.location, "/home", "no open redirect");
    let audit = app.store.audit_log(10).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "sign-in.oidc"), "{audit:?}");
}

async fn a_changed_email_at_the_provider_never_moves_an_account_to_someone_else(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    // L1 already has a password account; the provider identity "x" is linked to it.
    let first = sign_in_as(&app, &op, who("x", "l1@lab.test")).await;
    assert_eq!(me(&app, &first).await["id"], "L1");
    // The provider now says "x" has L2's address: still L1's account.
    let moved = sign_in_as(&app, &op, who("x", "l2@lab.test")).await;
    assert_eq!(me(&app, &moved).await["id"], "L1", "the identity, not the e-mail, decides");
    // Another identity claiming L1's address reaches nobody.
    let other = sign_in_as(&app, &op, who("y", "l1@lab.test")).await;
    assert_refused(&other, StatusCode::FORBIDDEN, "already linked to another identity");
    // L1's password still works: single sign-on adds a way in, it takes none away.
    assert_eq!(post_sign_in(&app, "l1@lab.test", crate::common::PASSWORD).await.status, StatusCode::SEE_OTHER);
}

async fn someone_the_directory_does_not_know_or_whose_email_is_unverified_gets_a_page_not_an_account(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let before = account_count(&app).await;
    let stranger = sign_in_as(&app, &op, who("z", "stranger@elsewhere.test")).await;
    assert_refused(&stranger, StatusCode::FORBIDDEN, "not in this organisation");
    let unverified = sign_in_as(&app, &op, Who { verified: false, ..who("u", "l2@lab.test") }).await;
    assert_refused(&unverified, StatusCode::FORBIDDEN, "not verified");
    assert_eq!(account_count(&app).await, before, "no account for either");
    assert!(app.store.sso_account(&op.issuer(), "u").await.expect("link").is_none());
}

async fn the_employee_id_claim_finds_the_person_whatever_the_email(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, Some("employee_number"), PasswordSignIn::Everyone);
    let private = Who { employee_number: Some("M2"), verified: false, ..who("m2-sub", "m2.private@mail.test") };
    let answer = sign_in_as(&app, &op, private).await;
    assert_eq!(me(&app, &answer).await["id"], "M2");
    let unknown = Who { employee_number: Some("NOBODY"), ..who("n-sub", "l1@lab.test") };
    assert_refused(&sign_in_as(&app, &op, unknown).await, StatusCode::FORBIDDEN, "not in this organisation");
}

async fn a_forged_or_misdirected_id_token_signs_no_one_in(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let before = account_count(&app).await;
    for spoil in [
        Spoil::Tampered,
        Spoil::WrongNonce,
        Spoil::WrongAudience,
        Spoil::WrongIssuer,
        Spoil::Expired,
        Spoil::UnpublishedKey,
    ] {
        op.spoil(spoil);
        let answer = sign_in_as(&app, &op, who("m1-sub", "m1@lab.test")).await;
        assert_refused(&answer, StatusCode::UNAUTHORIZED, "could not be verified");
        assert!(
            !answer.html.contains("s@lab.test") && !answer.html.contains("m1@lab.test"),
            "{spoil:?}: {}",
            answer.html
        );
    }
    assert_eq!(account_count(&app).await, before);
    assert!(app.store.sso_account(&op.issuer(), "m1-sub").await.expect("link").is_none(), "nothing linked");
    op.spoil(Spoil::Nothing);
    assert_eq!(me(&app, &sign_in_as(&app, &op, who("m1-sub", "m1@lab.test")).await).await["id"], "M1");
}

async fn rotated_provider_keys_are_fetched_again_without_a_restart(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    assert_eq!(me(&app, &sign_in_as(&app, &op, who("m1-sub", "m1@lab.test")).await).await["id"], "M1");
    let fetched = op.0.lock().expect("op").jwks_fetches;
    // The provider signs with a new key and publishes only it.
    op.0.lock().expect("op").published = vec![1];
    assert_eq!(me(&app, &sign_in_as(&app, &op, who("m1-sub", "m1@lab.test")).await).await["id"], "M1");
    assert_eq!(op.0.lock().expect("op").jwks_fetches, fetched + 1, "one fresh fetch of the keys");
    // A key the provider never published is still refused after the fresh fetch.
    op.spoil(Spoil::UnpublishedKey);
    assert_refused(
        &sign_in_as(&app, &op, who("m1-sub", "m1@lab.test")).await,
        StatusCode::UNAUTHORIZED,
        "could not be verified",
    );
}

async fn a_callback_replayed_from_another_browser_or_refused_by_the_provider_signs_no_one_in(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    // An attacker's own sign-in, finished in the victim's browser (login CSRF): no state cookie there.
    let (authorize, _attackers) = start(&app, "").await;
    let (code, state) = op.log_in(&authorize, who("m1-sub", "m1@lab.test"));
    assert_refused(&back(&app, &code, &state, None).await, StatusCode::BAD_REQUEST, "start again");
    // ... or with the victim's own, different, state cookie.
    let (_, victims) = start(&app, "").await;
    assert_refused(&back(&app, &code, &state, Some(&victims)).await, StatusCode::BAD_REQUEST, "start again");
    // The rightful browser finishes it once; the same callback again is refused.
    let (authorize, state_cookie2) = start(&app, "").await;
    let (code2, state2) = op.log_in(&authorize, who("m1-sub", "m1@lab.test"));
    assert_eq!(back(&app, &code2, &state2, Some(&state_cookie2)).await.status, StatusCode::SEE_OTHER);
    assert_refused(&back(&app, &code2, &state2, Some(&state_cookie2)).await, StatusCode::BAD_REQUEST, "start again");
    // The provider said no.
    let (_, state_cookie3) = start(&app, "").await;
    let denied = get_page(
        &app,
        &format!("/auth/oidc/callback?error=access_denied&state={state_cookie3}"),
        Some(&format!("plab_oidc={state_cookie3}")),
    )
    .await;
    assert_refused(&denied, StatusCode::UNAUTHORIZED, "refused");
    // Without single sign-on configured, its addresses are not there.
    let off = without_sso(&app);
    assert_eq!(get_from(&off, "/auth/oidc/login", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get_from(&off, "/auth/oidc/callback?code=a&state=b", None).await.status, StatusCode::NOT_FOUND);
    assert!(!get_from(&off, "/", None).await.html.contains("id=\"sso\""));
}

async fn disabled_accounts_and_leavers_cannot_sign_in_through_the_provider(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let answer = sign_in_as(&app, &op, who("l2-sub", "l2@lab.test")).await;
    me(&app, &answer).await;
    plab_app::accounts::set_disabled_as(&app.store, "l2@lab.test", true, "test").await.expect("disable");
    assert_refused(&sign_in_as(&app, &op, who("l2-sub", "l2@lab.test")).await, StatusCode::FORBIDDEN, "disabled");
    // M3 left yesterday: the directory still has them (their history stays), the provider may not know yet.
    let mut m3 = app.store.person("M3").await.expect("M3");
    m3.end_date = Some(plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(-1));
    app.store.upsert_people(&[m3], &|_| {}).await.expect("leaver");
    let before = account_count(&app).await;
    assert_refused(&sign_in_as(&app, &op, who("m3-sub", "m3@lab.test")).await, StatusCode::FORBIDDEN, "has left");
    assert_eq!(account_count(&app).await, before);
}

async fn password_sign_in_can_be_kept_for_administrators_only(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::AdminsOnly);
    let page = get_page(&app, "/", None).await;
    assert!(page.html.contains("<h2>Administrators</h2>") && !page.html.contains("forgot-link"), "{}", page.html);
    let refused = post_sign_in(&app, "l1@lab.test", crate::common::PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("Password sign-in is turned off here"), "{}", refused.html);
    assert!(refused.set_cookie.is_none_or(|c| !c.starts_with("plab_session=")));
    // A wrong password says only that: no hint whether the account is an administrator's.
    assert_eq!(post_sign_in(&app, "l1@lab.test", "wrong-password-1").await.status, StatusCode::UNAUTHORIZED);
    let body = json!({ "email": "l1@lab.test", "password": crate::common::PASSWORD }).to_string();
    let (status, error) = app.call("POST", "/api/v1/auth/login", None, Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(post_sign_in(&app, "admin@ops.test", crate::common::PASSWORD).await.status, StatusCode::SEE_OTHER);
    // The administrator's page says how people sign in (the configuration itself is the server's).
    let (cookie, _) = crate::common::browser::sign_in(&app, "admin@ops.test").await;
    let admin = crate::common::browser::send(&app, "GET", "/admin", Some(&cookie), None).await;
    let summary = admin.html.split("id=\"sign-in-summary\"").nth(1).expect("the sign-in summary");
    assert!(summary.contains(&format!("on, through <code>{}</code>", op.issuer())), "{summary}");
    assert!(summary.contains("Password sign-in: administrators only"), "{summary}");
    assert!(!admin.html.contains(SECRET), "the client secret is never shown");
    // The person still gets in, through the provider.
    assert_eq!(me(&app, &sign_in_as(&app, &op, who("l1-sub", "l1@lab.test")).await).await["id"], "L1");
}

async fn an_email_only_in_the_user_info_answer_finds_the_person_and_one_about_another_subject_is_refused(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let quiet = Who { email_in_user_info_only: true, ..who("m1-sub", "m1@lab.test") };
    assert_eq!(me(&app, &sign_in_as(&app, &op, quiet.clone()).await).await["id"], "M1");
    let unverified = Who { verified: false, email_in_user_info_only: true, ..who("m2-sub", "m2@lab.test") };
    assert_refused(&sign_in_as(&app, &op, unverified).await, StatusCode::FORBIDDEN, "not verified");
    op.spoil(Spoil::UserInfoOfAnother);
    let other = Who { email_in_user_info_only: true, ..who("l2-sub", "l2@lab.test") };
    assert_refused(&sign_in_as(&app, &op, other).await, StatusCode::UNAUTHORIZED, "could not be verified");
    assert!(app.store.sso_account(&op.issuer(), "l2-sub").await.expect("link").is_none());
}

/// The enterprise story end to end: the identity provider provisions a person
/// over SCIM, the person signs in through the same provider, and when the
/// provider deactivates them the session they hold stops at once and single
/// sign-on lets them in no more; their history stays.
async fn a_person_provisioned_over_scim_signs_in_through_the_provider_until_scim_deactivates_them(app: App) {
    use crate::scim::{call, patch, scim_token, user};
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::AdminsOnly);
    let token = scim_token(&app).await;
    let (status, _, created) =
        call(&app, "POST", "/scim/v2/Users", Some(&token), Some(user("G1", "grace@lab.test", Some("L1")))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let answer = sign_in_as(&app, &op, who("grace-sub", "grace@lab.test")).await;
    assert_eq!(me(&app, &answer).await["id"], "G1", "an account made at the first sign-in, bound to the person");
    let session = answer.cookie("plab_session").expect("session");
    let off = patch(json!([{ "op": "replace", "value": { "active": false } }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&token), Some(off)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&session), None).await.0,
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    assert_refused(&sign_in_as(&app, &op, who("grace-sub", "grace@lab.test")).await, StatusCode::FORBIDDEN, "disabled");
    assert!(app.store.person("G1").await.expect("kept").end_date.is_some(), "the leave date is set, the person kept");
}

/// Starts a sign-in over the network from `from`, with these extra headers.
async fn start_from(server: &wire::Server, from: Ipv4Addr, headers: &[(&str, &str)]) -> wire::Answer {
    server.send("GET", "/auth/oidc/login", wire::Req { from: Some(from), headers, ..wire::Req::default() }).await
}

/// Played over a real socket, so that the server sees each caller's own
/// address: one address is held at the limit while another is not, and a
/// forged forwarding header does not move a caller to another's count.
async fn one_address_cannot_fill_the_server_with_unfinished_sign_ins(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let server = wire::serve(&app).await;
    let (filler, neighbour) = (Ipv4Addr::new(127, 0, 0, 7), Ipv4Addr::new(127, 0, 0, 8));
    let first = start_from(&server, filler, &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let first_state = first.cookie("plab_oidc").expect("the state cookie");
    for _ in 1..plab_app::sso::MAX_PENDING_PER_CLIENT {
        assert_eq!(start_from(&server, filler, &[]).await.status, StatusCode::SEE_OTHER);
    }
    let refused = start_from(&server, filler, &[]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.body.contains("Too many sign-ins were started"), "{}", refused.body);
    assert!(refused.cookie("plab_oidc").is_none(), "no state for a refused start");
    let disguised = start_from(&server, filler, &[("X-Forwarded-For", "198.51.100.7"), ("X-Real-IP", "198.51.100.7")]);
    assert_eq!(disguised.await.status, StatusCode::TOO_MANY_REQUESTS, "a forged forwarding header changes nothing");
    // Another address is not held up by the filler.
    assert_eq!(start_from(&server, neighbour, &[]).await.status, StatusCode::SEE_OTHER);
    // Finishing one frees its place.
    let (code, state) = op.log_in(first.header("location").expect("to the provider"), who("m1-sub", "m1@lab.test"));
    let callback = format!("/auth/oidc/callback?code={code}&state={state}");
    let back = server.send(
        "GET",
        &callback,
        wire::Req { from: Some(filler), cookie: Some(&first_state), ..wire::Req::default() },
    );
    let session = back.await.cookie("plab_session").expect("signed in");
    let token = session.trim_start_matches("plab_session=");
    assert_eq!(server.json("GET", "/api/v1/me", Some(token), None).await.json()["id"], "M1");
    assert_eq!(start_from(&server, filler, &[]).await.status, StatusCode::SEE_OTHER);
}

/// The two single sign-on routes for the sponsor, an administrator, a partner
/// of each pair and an anonymous caller: starting is the same redirect for
/// everyone (a signed-in browser gets a fresh state, nothing of its session),
/// a callback that is not this browser's is 400 for everyone and signs no one
/// in, whoever's session cookie comes with it; with single sign-on off both
/// are 404 for everyone. Every answer is no-store.
async fn the_sign_on_routes_by_every_role_answer_alike_and_are_never_cached(app: App) {
    let op = Op::start().await;
    let app = with_sso(app, &op, None, PasswordSignIn::Everyone);
    let off = without_sso(&app);
    let mut sessions = vec![None];
    for who in ["s@lab.test", "admin@ops.test", "l1@lab.test", "m1@lab.test", "l2@lab.test", "m2@lab.test"] {
        sessions.push(Some(crate::common::browser::sign_in(&app, who).await.0));
    }
    let (_, someone_elses_state) = start(&app, "").await;
    for session in &sessions {
        let started = get_page(&app, "/auth/oidc/login?next=/home", session.as_deref()).await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{session:?}");
        assert!(started.location.starts_with(&format!("{}/authorize?", op.issuer())), "{}", started.location);
        assert_eq!(started.cache, "no-store");
        let state = started.cookie("plab_oidc").expect("a fresh state");
        assert_ne!(state, someone_elses_state);
        // Another browser's state, with this browser's session: refused, and the session is not replaced.
        let cookie = [session.clone(), Some(format!("plab_oidc={state}"))].into_iter().flatten().collect::<Vec<_>>();
        let uri = format!("/auth/oidc/callback?code=stolen&state={someone_elses_state}");
        let refused = get_page(&app, &uri, Some(&cookie.join("; "))).await;
        assert_refused(&refused, StatusCode::BAD_REQUEST, "start again");
        assert_eq!(refused.cache, "no-store");
        assert!(!refused.html.contains("lab.test") && !refused.html.contains("Name "), "{}", refused.html);
        // With single sign-on off, the same browser (really signed in there too) finds neither.
        let home = get_from(&off, "/home", session.as_deref()).await;
        let signed_in = if session.is_some() { StatusCode::OK } else { StatusCode::SEE_OTHER };
        assert_eq!(home.status, signed_in, "{session:?}");
        for uri in ["/auth/oidc/login", "/auth/oidc/callback?code=a&state=b"] {
            let gone = get_from(&off, uri, session.as_deref()).await;
            assert_eq!((gone.status, gone.cache.as_str()), (StatusCode::NOT_FOUND, "no-store"), "{uri}");
            assert!(gone.cookie("plab_oidc").is_none() && gone.cookie("plab_session").is_none(), "{uri}");
        }
    }
}
