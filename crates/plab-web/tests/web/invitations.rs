//! Invitations: a sponsor welcomes the people they enrol by e-mail, sees who
//! has accepted and sends again; the welcome goes to the person's own
//! address only, and a set-password link in it is never shown to anyone but
//! its owner. After setting a password the person is signed in.
use crate::common::browser::{form, pre_session, send, sign_in};
use crate::common::smtp::{Mail, Sink, free_port};
use crate::common::{App, person_in_zone};
use crate::mail::{post_to, with_post};
use axum::http::StatusCode;
use plab_app::{mail, programs};
use plab_domain::ProgramId;
use plab_domain::program::Role;
use serde_json::{Value, json};
use time::OffsetDateTime;

crate::backends!(
    a_sponsor_invites_a_newcomer_who_sets_a_password_and_lands_signed_in_on_home,
    an_invitation_to_an_account_in_use_carries_no_set_password_link,
    with_single_sign_on_the_welcome_says_to_sign_in_with_the_company_account,
    a_leaver_gets_no_invitation_and_the_sponsor_is_told_why_beside_them,
    a_second_invitation_within_ten_minutes_is_refused_beside_the_person,
    only_the_programs_own_sponsors_invite_or_see_who_accepted,
    without_e_mail_no_invitation_goes_out_and_the_page_says_so,
    everyone_not_invited_yet_is_invited_at_once_and_accepted_people_are_left_alone,
);

/// The app with mail on, a sink that receives it, and N1 (no account yet) enrolled as a leader of A.
async fn with_newcomer(app: App) -> (App, Sink) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    app.store.upsert_people(&[person_in_zone("N1", "CEO", 8, "Finance", "")], &|_| {}).await.expect("person");
    programs::enroll(&app.store, ProgramId(app.program), Role::Leader, &["N1".to_owned()], None, "test")
        .await
        .expect("enrol");
    (app, sink)
}

async fn deliver(app: &App, sink: &Sink) -> Vec<Mail> {
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, OffsetDateTime::now_utc()).await.expect("deliver");
    sink.take()
}

/// The sponsor's invite form for these people, as the roster sends it.
async fn invite_on_page(app: &App, who: &str, people: &[&str]) -> crate::common::browser::Page {
    let (cookie, csrf) = sign_in(app, who).await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(people.iter().map(|p| ("person", *p)));
    send(app, "POST", &format!("/programs/{}/people/invite", app.program), Some(&cookie), Some(&form(&fields))).await
}

fn set_password_path(mail: &Mail) -> Option<String> {
    mail.text
        .split("https://lab.test")
        .find_map(|r| r.strip_prefix("/set-password/"))
        .and_then(|r| r.split_whitespace().next())
        .map(|secret| format!("/set-password/{secret}"))
}

/// The roster row of one person on the people page.
fn row(html: &str, id: &str) -> String {
    html.split(&format!("<tr data-person=\"{id}\">"))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_default()
        .to_owned()
}

async fn statuses(app: &App, who: &str) -> (StatusCode, Value) {
    let token = app.login(who).await;
    app.call("GET", &format!("/api/v1/programs/{}/invitations", app.program), Some(&token), None).await
}

fn status_of<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().expect("list").iter().find(|s| s["employee_id"] == id).expect("enrolled")
}

async fn a_sponsor_invites_a_newcomer_who_sets_a_password_and_lands_signed_in_on_home(app: App) {
    let (app, sink) = with_newcomer(app).await;
    let (_, before) = statuses(&app, "s@lab.test").await;
    assert_eq!(status_of(&before, "N1")["status"], "not_invited", "{before}");
    let page = invite_on_page(&app, "s@lab.test", &["N1"]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Invitation sent to 1 person."), "{}", page.html);
    assert!(!page.html.contains("set-password"), "the sponsor never sees a link");
    assert!(row(&page.html, "N1").contains("<td class=\"invitation\">invited "), "{}", row(&page.html, "N1"));
    assert!(!page.html.contains("Until e-mail invitations exist"));
    let (_, after) = statuses(&app, "s@lab.test").await;
    assert_eq!(status_of(&after, "N1")["status"], "invited", "{after}");
    assert!(!after.to_string().contains("set-password"), "nor does the API: {after}");
    let audit = app.store.audit_log(20).await.expect("audit");
    let entry = audit.iter().find(|e| e.action == "program.invite").expect("audited");
    assert!(
        entry.detail.starts_with("N1: welcome with a set-password link") && !entry.detail.contains("/set-password/")
    );

    let mails = deliver(&app, &sink).await;
    assert_eq!(mails.len(), 1);
    let welcome = &mails[0];
    assert_eq!(welcome.to, ["n1@lab.test"], "the person's own address");
    assert!(welcome.subject.contains("Welcome to A"), "{}", welcome.subject);
    assert!(welcome.text.contains("Name S invites you to A"), "names the sponsor and the program: {}", welcome.text);
    let link = set_password_path(welcome).expect("a set-password link for an account never used");
    let (cookie, csrf) = pre_session(&app, &link).await;
    let set =
        send(&app, "POST", &link, Some(&cookie), Some(&form(&[("csrf", &csrf), ("password", "my own password 1")])))
            .await;
    assert_eq!((set.status, set.location.as_deref()), (StatusCode::SEE_OTHER, Some("/home")));
    let session = set.set_cookie.expect("signed in").split(';').next().expect("cookie").to_owned();
    let home = send(&app, "GET", "/home", Some(&session), None).await;
    assert_eq!(home.status, StatusCode::OK, "signed in at once");
    let (_, accepted) = statuses(&app, "s@lab.test").await;
    assert_eq!(status_of(&accepted, "N1")["status"], "accepted", "{accepted}");
}

async fn an_invitation_to_an_account_in_use_carries_no_set_password_link(app: App) {
    let (app, sink) = with_newcomer(app).await;
    // L1 has a password already.
    let page = invite_on_page(&app, "s@lab.test", &["L1"]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let mails = deliver(&app, &sink).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["l1@lab.test"]);
    assert_eq!(set_password_path(&mails[0]), None, "no credential for an account in use: {}", mails[0].text);
    assert!(mails[0].text.contains("with the password you already have"), "{}", mails[0].text);
    assert_eq!(plab_store::testing::open_link_count(&app.store).await, 0, "no link was even stored");
}

async fn with_single_sign_on_the_welcome_says_to_sign_in_with_the_company_account(app: App) {
    let (mut app, sink) = with_newcomer(app).await;
    let sso = plab_app::sso::Sso::new("https://idp.example", "c", "s", "https://lab.test", None).expect("sso");
    app.state = app.state.clone().with_sign_in(Some(sso), plab_app::sso::PasswordSignIn::Everyone);
    app.router = plab_web::router(app.state.clone());
    let token = app.login("s@lab.test").await;
    let body = json!({"employee_ids": ["N1"]}).to_string();
    let (status, sent) =
        app.call("POST", &format!("/api/v1/programs/{}/invitations", app.program), Some(&token), Some(body)).await;
    assert_eq!((status, &sent["invited"]), (StatusCode::OK, &json!(["Name N1"])), "{sent}");
    let mails = deliver(&app, &sink).await;
    assert_eq!(mails[0].to, ["n1@lab.test"]);
    assert!(mails[0].text.contains("Sign in with your company account"), "{}", mails[0].text);
    assert_eq!(set_password_path(&mails[0]), None, "{}", mails[0].text);
}

async fn a_leaver_gets_no_invitation_and_the_sponsor_is_told_why_beside_them(app: App) {
    let (app, sink) = with_newcomer(app).await;
    let mut leaver = person_in_zone("N1", "CEO", 8, "Finance", "");
    leaver.end_date = Some(plab_domain::Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    let page = invite_on_page(&app, "s@lab.test", &["N1"]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    let n1 = row(&page.html, "N1");
    assert!(
        n1.contains("id=\"enrolled-N1-error\" class=\"error field-error\">Name N1 has left the organisation"),
        "the reason beside the person: {n1}"
    );
    assert!(page.html.contains("role=\"alert\" id=\"problems\""), "and in the summary");
    assert_eq!(app.store.mail_counts().await.expect("counts").pending, 0, "no mail at all");
    assert!(deliver(&app, &sink).await.is_empty());
}

async fn a_second_invitation_within_ten_minutes_is_refused_beside_the_person(app: App) {
    let (app, _sink) = with_newcomer(app).await;
    let first = invite_on_page(&app, "s@lab.test", &["N1"]).await;
    assert_eq!(first.status, StatusCode::OK);
    let n1 = row(&first.html, "N1");
    assert!(!n1.contains(">Send again<") && n1.contains("at the earliest 10 minutes after"), "no resend offered: {n1}");
    let again = invite_on_page(&app, "s@lab.test", &["N1"]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(row(&again.html, "N1").contains("was invited less than 10 minutes ago"), "{}", again.html);
    assert_eq!(app.store.mail_counts().await.expect("counts").pending, 1, "one welcome");
    let audit = app.store.audit_log(50).await.expect("audit");
    assert_eq!(audit.iter().filter(|e| e.action == "program.invite").count(), 1);
    // Ten minutes on, it may go again (the last one moved back in time here).
    plab_store::testing::backdate_invitation(&app.store, ProgramId(app.program), "N1", 11 * 60).await;
    let resent = invite_on_page(&app, "s@lab.test", &["N1"]).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.html);
    assert!(row(&resent.html, "N1").contains("(2 times)"), "{}", row(&resent.html, "N1"));
}

async fn only_the_programs_own_sponsors_invite_or_see_who_accepted(app: App) {
    let (app, _sink) = with_newcomer(app).await;
    let uri = format!("/api/v1/programs/{}/invitations", app.program);
    let body = Some(json!({"employee_ids": ["N1"]}).to_string());
    for (who, want) in [
        ("s2@lab.test", StatusCode::NOT_FOUND),
        ("m3@lab.test", StatusCode::NOT_FOUND),
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let token = app.login(who).await;
        let (status, refused) = app.call("POST", &uri, Some(&token), body.clone()).await;
        crate::common::assert_error_json(status, &refused, want);
        let (status, refused) = app.call("GET", &uri, Some(&token), None).await;
        crate::common::assert_error_json(status, &refused, want);
    }
    let page = invite_on_page(&app, "s2@lab.test", &["N1"]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // A sponsor invites only people enrolled in their program.
    let token = app.login("s@lab.test").await;
    let stranger = Some(json!({"employee_ids": ["L3"]}).to_string());
    let (status, refused) = app.call("POST", &uri, Some(&token), stranger).await;
    crate::common::assert_error_json(status, &refused, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.mail_counts().await.expect("counts").pending, 0);
    assert!(app.store.account_of_person("N1").await.expect("db").is_none(), "nothing was made for anyone");
}

async fn without_e_mail_no_invitation_goes_out_and_the_page_says_so(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/people", app.program), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"no-mail\""), "{}", page.html);
    assert!(!page.html.contains(">Invite<"), "no invitation offered that would be refused");
    let refused = invite_on_page(&app, "s@lab.test", &["L1"]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.html.contains("this instance sends no e-mail yet"), "{}", refused.html);
    let token = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/invitations", app.program);
    let (status, body) =
        app.call("POST", &uri, Some(&token), Some(json!({"all_not_yet_invited": true}).to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
}

async fn everyone_not_invited_yet_is_invited_at_once_and_accepted_people_are_left_alone(app: App) {
    let (app, sink) = with_newcomer(app).await;
    app.store.upsert_people(&[person_in_zone("N2", "CEO", 2, "Finance", "")], &|_| {}).await.expect("person");
    programs::enroll(&app.store, ProgramId(app.program), Role::Mentor, &["N2".to_owned()], None, "test")
        .await
        .expect("enrol");
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let before = send(&app, "GET", &format!("/programs/{}/people", app.program), Some(&cookie), None).await;
    // L1's account is in use (a password): accepted already, nothing to invite them to.
    let l1 = row(&before.html, "L1");
    assert!(l1.contains("<td class=\"invitation\">accepted</td>") && !l1.contains(">Invite<"), "{l1}");
    assert!(row(&before.html, "N1").contains("aria-label=\"Invite Name N1\">Invite</button>"));
    assert!(before.html.contains("Invite everyone not invited yet (2)"), "{}", before.html);
    let all = form(&[("csrf", &csrf), ("all", "1")]);
    let page = send(&app, "POST", &format!("/programs/{}/people/invite", app.program), Some(&cookie), Some(&all)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Invitation sent to 2 people."), "{}", page.html);
    let mails = deliver(&app, &sink).await;
    let mut to: Vec<String> = mails.iter().map(|m| m.to[0].clone()).collect();
    to.sort();
    assert_eq!(to, ["n1@lab.test", "n2@lab.test"]);
    assert!(mails.iter().all(|m| set_password_path(m).is_some()), "each a link of their own");
    let mentor = mails.iter().find(|m| m.to[0] == "n2@lab.test").expect("N2's");
    assert!(mentor.text.contains("as a mentor"), "{}", mentor.text);
}
