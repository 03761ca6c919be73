//! Issue 20's attacks, each a named regression test that failed on the code
//! before it: an administrator taking over a single sign-on account, session
//! mail following a directory e-mail, leavers keeping access, a reset link
//! outliving the credentials it was for, links under "administrators only",
//! and a partner decoding the other's private answers from a signal.
use crate::common::browser::{form, send, sign_in};
use crate::common::smtp::{Sink, free_port};
use crate::common::{App, Held, PASSWORD, activate, hold_first_three};
use crate::mail::{post_to, with_post};
use axum::http::StatusCode;
use plab_app::accounts::{self, LinkRequest};
use plab_app::mail;
use plab_app::sso::PasswordSignIn;
use plab_domain::person::RawPerson;
use serde_json::json;
use time::OffsetDateTime;

crate::backends!(
    an_administrator_gets_no_link_for_a_single_sign_on_account,
    a_reset_link_ends_when_the_accounts_credentials_change_in_any_way,
    a_link_an_administrator_requested_always_leaves_the_owner_a_notice,
    with_password_sign_in_for_administrators_only_no_link_is_issued_for_a_member,
    session_mail_never_follows_a_directory_email_change,
    after_a_scim_deactivation_the_feed_is_gone_and_session_mail_stops,
    a_person_whose_leave_date_has_come_is_refused_everywhere_at_once,
    a_leaders_signals_never_decode_the_mentors_private_answers,
);

const ISSUER: &str = "https://idp.example";
const EVERYONE: PasswordSignIn = PasswordSignIn::Everyone;

/// The administrator asks for a set-password link for `email` under `policy`.
async fn admin_requests(app: &App, policy: PasswordSignIn, email: &str) -> Result<LinkRequest, plab_app::AppError> {
    let admin = accounts::Actor::from(app.store.account_by_email("admin@ops.test").await.expect("db").expect("admin"));
    accounts::request_password_link(&app.store, &app.state.vault, &app.state.post, policy, &admin, email).await
}

/// The administrator's "Create a set-password link" on /admin, as a browser sends it.
async fn admin_asks_for_a_link(app: &App, email: &str) -> String {
    let (cookie, csrf) = sign_in(app, "admin@ops.test").await;
    let page =
        send(app, "POST", "/admin/links", Some(&cookie), Some(&form(&[("csrf", &csrf), ("email", email)]))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    page.html
}

async fn link_page(app: &App, secret: &str) -> StatusCode {
    send(app, "GET", &format!("/set-password/{secret}"), None, None).await.status
}

async fn an_administrator_gets_no_link_for_a_single_sign_on_account(app: App) {
    // The CEO signs in once through the provider: an account without a password.
    app.store.link_sso(ISSUER, "sub-ceo", "CEO", "ceo@lab.test").await.expect("single sign-on");
    let html = admin_asks_for_a_link(&app, "ceo@lab.test").await;
    assert!(!html.contains("/set-password/"), "no credential for someone else's account: {html}");
    let asked = admin_requests(&app, EVERYONE, "ceo@lab.test").await.expect("request");
    assert_eq!(asked, LinkRequest::ForOwnerOnly);
    let audit = app.store.audit_log(20).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "account.reset_requested" && e.subject == "ceo@lab.test"));
    // The accounts list says how each signs in.
    let (cookie, _) = sign_in(&app, "admin@ops.test").await;
    let page = send(&app, "GET", "/admin?q=ceo", Some(&cookie), None).await;
    assert!(page.html.contains("single sign-on"), "{}", page.html);
}

async fn a_reset_link_ends_when_the_accounts_credentials_change_in_any_way(app: App) {
    let operator = "cli:operator";
    let issue = || accounts::issue_password_link(&app.store, "l1@lab.test", operator, EVERYONE);
    let token = app.login("l1@lab.test").await;

    // The attack: ask for a link, then change the password and sign out everywhere.
    let link = issue().await.expect("link");
    let change = json!({"current": PASSWORD, "new": "another password 2"}).to_string();
    let (status, body) = app.call("POST", "/api/v1/me/password", Some(&token), Some(change)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(link_page(&app, &link).await, StatusCode::NOT_FOUND, "a password change ends the link");
    let used = accounts::use_password_link(&app.store, &link, "the attacker's 1", EVERYONE).await;
    assert!(matches!(used, Err(plab_app::AppError::NotFound { .. })), "{used:?}");

    let link = issue().await.expect("link");
    let (status, _) = app.call("POST", "/api/v1/auth/logout-everywhere", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(link_page(&app, &link).await, StatusCode::NOT_FOUND, "signing out everywhere ends the link");

    let older = issue().await.expect("link");
    let newer = issue().await.expect("link");
    assert_eq!(link_page(&app, &older).await, StatusCode::NOT_FOUND, "a newer link ends the older one");
    assert_eq!(link_page(&app, &newer).await, StatusCode::OK);

    accounts::set_disabled_as(&app.store, "l1@lab.test", true, operator).await.expect("disable");
    accounts::set_disabled_as(&app.store, "l1@lab.test", false, operator).await.expect("enable");
    assert_eq!(link_page(&app, &newer).await, StatusCode::NOT_FOUND, "disabling ends the link");

    let link = issue().await.expect("link");
    app.store.link_sso(ISSUER, "sub-l1", "L1", "l1@lab.test").await.expect("linked identity");
    assert_eq!(link_page(&app, &link).await, StatusCode::NOT_FOUND, "a linked identity ends the link");

    // A link whose credentials did not change still works, once.
    let link = issue().await.expect("link");
    assert_eq!(link_page(&app, &link).await, StatusCode::OK);
    accounts::use_password_link(&app.store, &link, "the owner's new 3", EVERYONE).await.expect("set");
    assert_eq!(link_page(&app, &link).await, StatusCode::NOT_FOUND, "used once");
}

async fn a_link_an_administrator_requested_always_leaves_the_owner_a_notice(app: App) {
    // The CEO has never had an account: the administrator may hand over an onboarding link…
    let LinkRequest::Onboarding(link) = admin_requests(&app, EVERYONE, "ceo@lab.test").await.expect("request") else {
        panic!("a never-established account gets an onboarding link");
    };
    accounts::use_password_link(&app.store, &link, "set by whoever 1", EVERYONE).await.expect("onboarded");
    // …and whoever used it, the owner is told who issued it.
    let (status, body) = app.try_login("ceo@lab.test", "set by whoever 1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["token"].as_str().expect("token");
    let (_, me) = app.call("GET", "/api/v1/me", Some(token), None).await;
    assert!(me["reset_notice"].as_str().is_some_and(|n| n.contains("admin@ops.test")), "the owner is told: {me}");
    // The link was a credential once: the account is established, and no administrator sees another.
    let again = admin_requests(&app, EVERYONE, "ceo@lab.test").await.expect("request");
    assert_eq!(again, LinkRequest::ForOwnerOnly);
}

async fn with_password_sign_in_for_administrators_only_no_link_is_issued_for_a_member(app: App) {
    let admins = PasswordSignIn::AdminsOnly;
    let refused = accounts::issue_password_link(&app.store, "l1@lab.test", "cli:operator", admins).await;
    assert!(matches!(refused, Err(plab_app::AppError::Conflict(_))), "{refused:?}");
    let refused = accounts::issue_password_link(&app.store, "ceo@lab.test", "cli:operator", admins).await;
    assert!(matches!(refused, Err(plab_app::AppError::Conflict(_))), "no onboarding link either: {refused:?}");
    let refused = admin_requests(&app, admins, "ceo@lab.test").await;
    assert!(refused.is_err(), "{refused:?}");
    // A link issued before the policy changed cannot be used under it.
    let early = accounts::issue_password_link(&app.store, "l2@lab.test", "cli:operator", EVERYONE).await.expect("link");
    let used = accounts::use_password_link(&app.store, &early, "a member's own 1", admins).await;
    assert!(matches!(used, Err(plab_app::AppError::Forbidden(_))), "{used:?}");
    // Administrators still get theirs.
    accounts::issue_password_link(&app.store, "admin@ops.test", "cli:operator", admins).await.expect("admin link");
}

async fn deliver(app: &App) {
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, OffsetDateTime::now_utc()).await.expect("deliver");
}

/// The leader L1 as an HR file or the identity provider sends them now.
async fn leader_in_directory(app: &App, email: &str, end_date: &str) {
    let raw = RawPerson {
        employee_id: "L1".into(),
        name: "Name L1".into(),
        email: email.into(),
        department: "Sales".into(),
        manager_id: "CEO".into(),
        hire_date: "2015-01-01".into(),
        level: "8".into(),
        end_date: end_date.into(),
        ..RawPerson::default()
    };
    app.store.upsert_people(&[raw.parse().expect("person")], &|_| {}).await.expect("directory");
}

async fn reschedule(app: &App, who: &str, session: i64, days: i64) {
    let token = app.login(who).await;
    let mut day = plab_domain::Date::of_instant(OffsetDateTime::now_utc()).plus_days(days);
    while matches!(day.midnight_utc().weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
        day = day.plus_days(1);
    }
    let at = day.midnight_utc() + time::Duration::hours(14);
    let at = at.format(&time::format_description::well_known::Rfc3339).expect("rfc3339");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/v1/sessions/{session}/reschedule"),
            Some(&token),
            Some(json!({"starts_at": at}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn session_mail_never_follows_a_directory_email_change(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    plab_app::programs::set_question(
        &app.store,
        plab_domain::ProgramId(app.program),
        "L1",
        "Why do new analysts skip our Friday demo?",
    )
    .await
    .expect("question");
    // The sponsor's upload (or the provider's PATCH) gives the leader an address the sponsor owns.
    leader_in_directory(&app, "sponsor.owned@evil.test", "").await;
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    reschedule(&app, "m1@lab.test", sessions[1], 40).await;
    deliver(&app).await;
    let mails = sink.take();
    assert!(!mails.is_empty(), "invitations went out");
    assert!(
        mails.iter().all(|m| m.to.iter().all(|to| to != "sponsor.owned@evil.test")),
        "nothing goes to the directory's new address: {:?}",
        mails.iter().map(|m| m.to.clone()).collect::<Vec<_>>()
    );
    assert!(mails.iter().any(|m| m.to == ["l1@lab.test"]), "the leader's mail goes to their sign-in address");
    assert!(mails.iter().all(|m| !m.text.contains("sponsor.owned@evil.test")), "nor is it an attendee");
}

async fn after_a_scim_deactivation_the_feed_is_gone_and_session_mail_stops(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    deliver(&app).await;
    sink.take();
    let token = app.login("l1@lab.test").await;
    let feed = app.feed_path(&token).await;
    assert_eq!(app.call("GET", &feed, None, None).await.0, StatusCode::OK);
    // The identity provider deactivates the leader.
    let scim = crate::scim::scim_token(&app).await;
    let patch = json!({"schemas": [plab_app::scim::PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    let (status, _, body) = crate::scim::call(&app, "PATCH", "/scim/v2/Users/L1", Some(&scim), Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call("GET", &feed, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old feed URL serves nothing: {body}");
    assert_eq!(app.call("GET", "/api/v1/me", Some(&token), None).await.0, StatusCode::UNAUTHORIZED);
    // The mentor moves a session: only the mentor hears of it.
    reschedule(&app, "m1@lab.test", sessions[2], 50).await;
    deliver(&app).await;
    let mails = sink.take();
    assert!(!mails.is_empty(), "the mentor is told");
    assert!(mails.iter().all(|m| m.to == ["m1@lab.test"]), "{:?}", mails.iter().map(|m| &m.to).collect::<Vec<_>>());
}

async fn a_person_whose_leave_date_has_come_is_refused_everywhere_at_once(app: App) {
    let token = app.login("l1@lab.test").await;
    let (browser, _) = sign_in(&app, "l1@lab.test").await;
    let feed = app.feed_path(&token).await;
    let notes = format!("/api/v1/pairs/{}/notes", app.pair1);
    // An imported file says the leader leaves today.
    let today = plab_domain::Date::of_instant(OffsetDateTime::now_utc()).to_string();
    leader_in_directory(&app, "l1@lab.test", &today).await;
    let (status, body) = app.try_login("l1@lab.test", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the password path refuses a leaver: {body}");
    assert_eq!(app.call("GET", &notes, Some(&token), None).await.0, StatusCode::UNAUTHORIZED, "tokens end");
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&browser), None).await;
    assert!(page.status == StatusCode::SEE_OTHER || page.status == StatusCode::UNAUTHORIZED, "{}", page.status);
    assert!(!page.html.contains("lab rules"), "the browser session ended");
    assert_eq!(app.call("GET", &feed, None, None).await.0, StatusCode::NOT_FOUND, "the feed ends");
    let link = accounts::issue_password_link(&app.store, "l1@lab.test", "cli:operator", EVERYONE).await;
    assert!(link.is_err(), "no link for a leaver: {link:?}");
    let html = admin_asks_for_a_link(&app, "l1@lab.test").await;
    assert!(!html.contains("/set-password/"), "no link for a leaver on the page either: {html}");
    // Someone who left before ever signing in gets no onboarding link: said beside the form.
    let ceo = RawPerson {
        employee_id: "CEO".into(),
        name: "Name CEO".into(),
        email: "ceo@lab.test".into(),
        department: "Exec".into(),
        hire_date: "2015-01-01".into(),
        level: "10".into(),
        end_date: today.clone(),
        ..RawPerson::default()
    };
    app.store.upsert_people(&[ceo.parse().expect("person")], &|_| {}).await.expect("directory");
    let html = admin_asks_for_a_link(&app, "ceo@lab.test").await;
    assert!(html.contains("id=\"link-refused\"") && !html.contains("/set-password/"), "{html}");
    // A leave date corrected afterwards does not bring the ended sessions back.
    leader_in_directory(&app, "l1@lab.test", "").await;
    assert_eq!(app.call("GET", &notes, Some(&token), None).await.0, StatusCode::UNAUTHORIZED, "ended for good");
}

async fn signals_seen_by(app: &App, who: &str) -> Vec<String> {
    let token = app.login(who).await;
    let actor = accounts::actor_for_token(&app.store, &token).await.expect("actor");
    let signals =
        plab_app::signals::for_pair(&app.store, &actor, plab_domain::PairId(app.pair1)).await.expect("signals");
    signals.iter().map(|s| s.kind.as_str().to_owned()).collect()
}

async fn a_leaders_signals_never_decode_the_mentors_private_answers(app: App) {
    // The leader's own answers are all 5 and the timer is normal; the mentor privately answers led=1.
    let held = Held { homework: "try the team channel", leader: [5, 5, 5], mentor: [1, 5, 5], timed: true };
    hold_first_three(&app, &held).await;
    // The sponsor sees the full signal, from every answer…
    let sponsor = app.login("s@lab.test").await;
    let (_, report) = app.call("GET", &format!("/api/v1/programs/{}/report", app.program), Some(&sponsor), None).await;
    assert_eq!(
        crate::report::pairs_and_signals(&report),
        json!([{"pair": app.pair1, "signals": ["expert_reflex"]}]),
        "{report}"
    );
    assert_eq!(signals_seen_by(&app, "s@lab.test").await, ["expert_reflex"]);
    // …the leader, whose own answers and timer are fine, sees nothing that rests on the mentor's.
    assert_eq!(signals_seen_by(&app, "l1@lab.test").await, Vec::<String>::new());
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("id=\"signals\""), "the pair page shows no signal to decode: {}", page.html);
}
