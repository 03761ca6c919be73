//! The browser pages: sign-in with an HttpOnly cookie, CSRF on every form,
//! user text escaped, and the same confidentiality as the API.

use crate::common::browser::{Page, form, post_sign_in, pre_session, send, send_with, sign_in};
use crate::common::{App, PASSWORD};
use axum::http::StatusCode;

async fn signing_in_through_the_form_leads_home_and_a_wrong_password_does_not(app: App) {
    let page = send(&app, "GET", "/", None, None).await;
    assert!(page.status.is_success() && page.html.contains("form id=\"signin\""));
    let wrong = post_sign_in(&app, "l1@lab.test", "nope-nope").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("class=\"error\"") && wrong.set_cookie.is_none());
    // Login CSRF: a form posted from elsewhere carries no matching pre-session token.
    let forged =
        send(&app, "POST", "/login", None, Some(&form(&[("email", "l1@lab.test"), ("password", PASSWORD)]))).await;
    assert_eq!((forged.status, forged.set_cookie), (StatusCode::FORBIDDEN, None));
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await;
    assert!(home.html.contains(&format!("href=\"/pairs/{}\"", app.pair1)));
    assert_eq!(send(&app, "GET", "/home", None, None).await.location.as_deref(), Some("/?next=%2Fhome"));
}

async fn forms_without_the_csrf_token_are_refused(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/pairs/{}/notes", app.pair1);
    for bad in [form(&[("body", "forged")]), form(&[("csrf", "0000"), ("body", "forged")])] {
        assert_eq!(send(&app, "POST", &uri, Some(&cookie), Some(&bad)).await.status, StatusCode::FORBIDDEN);
    }
    let charter = format!("/pairs/{}/charter", app.pair1);
    assert_eq!(send(&app, "POST", &charter, Some(&cookie), Some("")).await.status, StatusCode::FORBIDDEN);
    assert!(!send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await.html.contains("forged"));
    let ok = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("body", "genuine")]))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

async fn a_note_with_markup_is_shown_as_text_to_the_pair_and_never_to_the_sponsor(app: App) {
    let (leader, csrf) = sign_in(&app, "l1@lab.test").await;
    let pair = format!("/pairs/{}", app.pair1);
    let text = "Our Friday demo <script>alert(1)</script>";
    send(&app, "POST", &format!("{pair}/notes"), Some(&leader), Some(&form(&[("csrf", &csrf), ("body", text)]))).await;
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &pair, Some(&mentor), None).await;
    assert!(
        page.html.contains("Our Friday demo &#60;script&#62;alert(1)&#60;/script&#62;")
            || page.html.contains("Our Friday demo &lt;script&gt;"),
        "escaped"
    );
    assert!(!page.html.contains("<script>alert(1)"), "user text must never become markup");
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &pair, Some(&sponsor), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("id=\"lab-rules\"") && !page.html.contains("id=\"notes\""));
    assert!(!page.html.contains("Friday demo"));
    let (other, _) = sign_in(&app, "s2@lab.test").await;
    let refused = send(&app, "GET", &pair, Some(&other), None).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "another program's sponsor does not see the pair");
    assert!(!refused.html.contains("Friday demo") && !refused.html.contains("Name L1"));
}

async fn accepting_the_lab_rules_in_the_browser_activates_the_pair(app: App) {
    let pair = format!("/pairs/{}", app.pair1);
    for (who, said) in [
        ("l1@lab.test", "The pair starts once your partner accepts them too."),
        ("m1@lab.test", "You both have: your sessions are planned."),
    ] {
        let (cookie, csrf) = sign_in(&app, who).await;
        let page = send(&app, "GET", &pair, Some(&cookie), None).await;
        assert!(page.html.contains("form id=\"accept-rules\""));
        let done = send(&app, "POST", &format!("{pair}/charter"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let after = send(&app, "GET", done.location.as_deref().expect("back to the pair"), Some(&cookie), None).await;
        assert!(!after.html.contains("form id=\"accept-rules\""));
        assert!(after.html.contains(said), "{who} is told what happened: {}", after.html);
    }
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let program = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(program.html.contains("<td class=\"status\">active</td>"), "{}", program.html);
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    assert_eq!(
        send(&app, "GET", &format!("/programs/{}", app.program), Some(&leader), None).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn signing_out_ends_the_session_everywhere(app: App) {
    let (cookie, csrf) = sign_in(&app, "m2@lab.test").await;
    let out = send(&app, "POST", "/logout", Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(out.location.as_deref(), Some("/"));
    assert_eq!(send(&app, "GET", "/home", Some(&cookie), None).await.location.as_deref(), Some("/?next=%2Fhome"));
}

async fn a_leader_writes_their_question_with_the_coach_and_no_one_else_can(app: App) {
    let (leader, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/programs/{}/question", app.program);
    let draft = send(
        &app,
        "POST",
        "/coach",
        Some(&leader),
        Some(&form(&[("csrf", &csrf), ("text", "I want to learn about Gen Z.")])),
    )
    .await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(draft.html.contains("\"strength\":\"weak\""), "{}", draft.html);
    assert_eq!(
        send(&app, "POST", "/coach", Some(&leader), Some(&form(&[("text", "x")]))).await.status,
        StatusCode::FORBIDDEN
    );
    let text = "Why do new analysts skip our Friday demo?";
    let saved = send(&app, "POST", &uri, Some(&leader), Some(&form(&[("csrf", &csrf), ("text", text)]))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", &uri, Some(&leader), None).await;
    assert!(page.html.contains(text) && page.html.contains("strength-strong"), "{}", page.html);
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let refused = send(&app, "GET", &uri, Some(&mentor), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.html.contains(text), "the refusal does not quote the question");
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let program = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(
        program.html.contains("strength-strong") && !program.html.contains(text),
        "sponsors see strengths, not wording"
    );
}

async fn a_mentor_steps_out_of_pairing_from_their_page(app: App) {
    let (mentor, csrf) = sign_in(&app, "m1@lab.test").await;
    let uri = format!("/programs/{}/mentor", app.program);
    assert!(send(&app, "GET", &uri, Some(&mentor), None).await.html.contains("Step out of pairing"));
    let unconfirmed =
        send(&app, "POST", &uri, Some(&mentor), Some(&form(&[("csrf", &csrf), ("pairing", "out")]))).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY, "stepping out is confirmed first");
    let still = app.store.enrolments(plab_store::ProgramId(app.program)).await.expect("enrolments");
    assert!(still.iter().any(|e| e.employee_id == "M1" && !e.opted_out), "nothing changed");
    let confirmed = form(&[("csrf", &csrf), ("pairing", "out"), ("confirm", "yes")]);
    let out = send(&app, "POST", &uri, Some(&mentor), Some(&confirmed)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(send(&app, "GET", &uri, Some(&mentor), None).await.html.contains("Step back in"));
    let opted = app.store.enrolments(plab_store::ProgramId(app.program)).await.expect("enrolments");
    assert!(opted.iter().any(|e| e.employee_id == "M1" && e.opted_out));
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    assert_eq!(send(&app, "GET", &uri, Some(&leader), None).await.status, StatusCode::FORBIDDEN);
}

async fn only_sponsors_review_and_steer_pairing(app: App) {
    let uri = format!("/programs/{}/pairing", app.program);
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &uri, Some(&sponsor), None).await;
    assert!(
        page.html.contains("id=\"pairs\"") && !page.html.contains("id=\"proposal\""),
        "the approved pairs are shown"
    );
    let rule = form(&[("csrf", &csrf), ("leader", "L1"), ("mentor", "M2"), ("rule", "forbid")]);
    assert_eq!(
        send(&app, "POST", &format!("{uri}/rule"), Some(&sponsor), Some(&rule)).await.status,
        StatusCode::SEE_OTHER
    );
    let forbids =
        app.store.pair_rules(plab_store::ProgramId(app.program), plab_store::PairRule::Forbid).await.expect("rules");
    assert_eq!(forbids, vec![("L1".to_owned(), "M2".to_owned())]);
    // Every leader is paired already: a run says so instead of storing an empty proposal.
    let run = send(&app, "POST", &format!("{uri}/run"), Some(&sponsor), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(run.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (leader, leader_csrf) = sign_in(&app, "l1@lab.test").await;
    assert_eq!(send(&app, "GET", &uri, Some(&leader), None).await.status, StatusCode::FORBIDDEN);
    let rule = form(&[("csrf", &leader_csrf), ("leader", "L1"), ("mentor", "M2"), ("rule", "pin")]);
    assert_eq!(
        send(&app, "POST", &format!("{uri}/rule"), Some(&leader), Some(&rule)).await.status,
        StatusCode::FORBIDDEN
    );
}

fn multipart(csrf: Option<&str>, csv: &str) -> (String, String) {
    multipart_with(csrf, &[], csv)
}

/// A multipart upload with these text fields before the file.
fn multipart_with(csrf: Option<&str>, fields: &[(&str, &str)], csv: &str) -> (String, String) {
    let boundary = "plabBoundary7MA4YWxk";
    let mut body = String::new();
    if let Some(c) = csrf {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{c}\r\n"));
    }
    for (name, value) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"org.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &App, cookie: &str, csrf: Option<&str>, csv: &str) -> Page {
    let (content_type, body) = multipart(csrf, csv);
    send_with(app, "POST", "/people/import", Some(cookie), &[("content-type", &content_type)], Some(body)).await
}

async fn a_sponsor_uploads_people_and_sees_every_problem_by_line(app: App) {
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let header = "employee_id,name,email,department,manager_id,hire_date,level\n";
    let good = format!("{header}N1,New <b>One</b>,n1@lab.test,Sales,L1,2024-01-01,2\n");
    let page = upload(&app, &sponsor, Some(&csrf), &good).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Imported 1 people (1 new, 0 updated)"));
    let bad =
        format!("{header}N2,Two,not-an-email,Sales,L1,2024-01-01,2\nN3,Three,n3@lab.test,Sales,ghost,2024-01-01,2\n");
    let page = upload(&app, &sponsor, Some(&csrf), &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("org.csv:2: email:") && page.html.contains("org.csv:3: manager_id:"), "{}", page.html);
    assert!(app.store.person("N2").await.is_err(), "nothing written");
    assert_eq!(upload(&app, &sponsor, None, &good).await.status, StatusCode::FORBIDDEN);
    let (leader, leader_csrf) = sign_in(&app, "l1@lab.test").await;
    assert_eq!(upload(&app, &leader, Some(&leader_csrf), &good).await.status, StatusCode::FORBIDDEN);

    // An HR export: semicolons, CRLF, its own header names. "Check only" shows how it is read and writes nothing.
    let export = "Employee ID;Full Name;Work Email;Dept;Personal Nr;Manager ID;Hire Date;Job Level\r\n\
                  N4;Nia Four;n4@lab.test;Sales;44;L1;2024-02-01;2\r\n";
    let check = |action: &'static str| {
        let fields = [("action", action), ("map", "")];
        multipart_with(Some(&csrf), &fields, export)
    };
    let (content_type, body) = check("check");
    let page =
        send_with(&app, "POST", "/people/import", Some(&sponsor), &[("content-type", &content_type)], Some(body)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("would add 1 people and update 0. Nothing was written."), "{}", page.html);
    assert!(page.html.contains("Read as semicolon-separated, UTF-8, CRLF line endings; name from"), "{}", page.html);
    assert!(page.html.contains("email from &#34;Work Email&#34;"), "{}", page.html);
    assert!(app.store.person("N4").await.is_err(), "a check writes nothing");
    let (content_type, body) = check("import");
    let page =
        send_with(&app, "POST", "/people/import", Some(&sponsor), &[("content-type", &content_type)], Some(body)).await;
    assert!(page.html.contains("Imported 1 people (1 new, 0 updated)"), "{}", page.html);
    assert_eq!(app.store.person("N4").await.expect("written").name.as_str(), "Nia Four");
}

async fn an_admin_issues_a_one_time_password_link_that_works_once(app: App) {
    let (admin, csrf) = sign_in(&app, "admin@ops.test").await;
    let page = send(&app, "GET", "/admin", Some(&admin), None).await;
    assert!(page.html.contains("l1@lab.test") && page.html.contains("administrator"));
    let issued =
        send(&app, "POST", "/admin/links", Some(&admin), Some(&form(&[("csrf", &csrf), ("email", "new@lab.test")])))
            .await;
    let url = issued.html.split("<code id=\"password-link\">").nth(1).and_then(|r| r.split('<').next()).expect("link");
    let path = &url[url.find("/set-password/").expect("path")..];
    assert!(send(&app, "GET", path, None, None).await.html.contains("new@lab.test"));
    let (cookie, csrf) = pre_session(&app, path).await;
    let post = |password: &str| form(&[("csrf", &csrf), ("password", password)]);
    let forged = send(&app, "POST", path, None, Some(&form(&[("password", "a forged password")]))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let short = send(&app, "POST", path, Some(&cookie), Some(&post("short"))).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = send(&app, "POST", path, Some(&cookie), Some(&post("a brand new password"))).await;
    assert_eq!(set.location.as_deref(), Some("/home"), "signed in at once");
    let again = send(&app, "POST", path, Some(&cookie), Some(&post("another new password"))).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");
    let signin = post_sign_in(&app, "new@lab.test", "a brand new password").await;
    assert_eq!(signin.location.as_deref(), Some("/home"));
    // The admin is no one in any pair: the lab stays closed to them.
    assert_eq!(
        send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&admin), None).await.status,
        StatusCode::NOT_FOUND
    );
    let (sponsor, sponsor_csrf) = sign_in(&app, "s@lab.test").await;
    assert_eq!(send(&app, "GET", "/admin", Some(&sponsor), None).await.status, StatusCode::FORBIDDEN);
    let forged = form(&[("csrf", &sponsor_csrf), ("email", "x@lab.test")]);
    assert_eq!(send(&app, "POST", "/admin/links", Some(&sponsor), Some(&forged)).await.status, StatusCode::FORBIDDEN);
}

fn settings_form(csrf: Option<&str>, fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = csrf.map(|c| ("csrf", c)).into_iter().collect();
    all.extend_from_slice(fields);
    form(&all)
}

async fn an_admin_saves_the_settings_form_and_the_instance_name_shows(app: App) {
    let (admin, csrf) = sign_in(&app, "admin@ops.test").await;
    let page = send(&app, "GET", "/admin", Some(&admin), None).await;
    assert!(page.html.contains("<label for=\"setting-program_defaults-sessions\">"), "labelled inputs");
    assert!(page.html.contains("name=\"program_defaults.sessions\" value=\"6\""), "current values");
    let posted = settings_form(
        Some(&csrf),
        &[("instance_name", "Acme <Lab>"), ("session_hours", "1"), ("program_defaults.sessions", "8")],
    );
    let saved = send(&app, "POST", "/admin/settings", Some(&admin), Some(&posted)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let settings = app.store.instance_settings().await.expect("settings");
    assert_eq!((settings.instance_name.as_str(), settings.session_hours), ("Acme <Lab>", 1));
    assert_eq!((settings.program_defaults.sessions, settings.program_defaults.cadence_days), (8, 14));
    let page = send(
        &app,
        "GET",
        saved.location.as_deref().and_then(|l| l.split('#').next()).expect("back to /admin"),
        Some(&admin),
        None,
    )
    .await;
    assert!(page.html.contains("Settings saved."));
    assert!(
        page.html.contains("<title>Administration · Acme &#60;Lab&#62;</title>")
            || page.html.contains("Acme &lt;Lab&gt;</title>"),
        "{}",
        page.html
    );
    let signin = send(&app, "GET", "/", None, None).await;
    assert!(
        signin.html.contains("Sign in to Acme &#60;Lab&#62;") || signin.html.contains("Sign in to Acme &lt;Lab&gt;")
    );
    // The browser sign-in now lasts the hour the administrator set.
    let fresh = post_sign_in(&app, "l1@lab.test", PASSWORD).await;
    assert!(fresh.set_cookie.as_deref().is_some_and(|c| c.contains("Max-Age=3600")), "{:?}", fresh.set_cookie);
    // The instance's name heads every page once signed in, not only sign-in and administration.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    for page in ["/home", &format!("/pairs/{}", app.pair1), "/account"] {
        let html = send(&app, "GET", page, Some(&leader), None).await.html;
        assert!(html.contains("<a class=\"brand\" href=\"/home\">Acme &#60;Lab&#62;</a>"), "{page}: {html}");
    }
}

async fn a_settings_form_without_its_csrf_token_or_from_a_non_admin_is_refused(app: App) {
    let (admin, _) = sign_in(&app, "admin@ops.test").await;
    let forged = settings_form(None, &[("instance_name", "Forged")]);
    assert_eq!(send(&app, "POST", "/admin/settings", Some(&admin), Some(&forged)).await.status, StatusCode::FORBIDDEN);
    let wrong = settings_form(Some("0000"), &[("instance_name", "Forged")]);
    assert_eq!(send(&app, "POST", "/admin/settings", Some(&admin), Some(&wrong)).await.status, StatusCode::FORBIDDEN);
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let theirs = settings_form(Some(&csrf), &[("instance_name", "Forged")]);
    assert_eq!(
        send(&app, "POST", "/admin/settings", Some(&sponsor), Some(&theirs)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.store.instance_settings().await.expect("settings").instance_name, "Perspective Lab");
}

async fn a_bad_setting_is_shown_beside_its_field_and_nothing_is_saved(app: App) {
    let (admin, csrf) = sign_in(&app, "admin@ops.test").await;
    let posted = settings_form(
        Some(&csrf),
        &[("instance_name", "Renamed"), ("session_hours", "forever"), ("program_defaults.checkin_after", "9")],
    );
    let page = send(&app, "POST", "/admin/settings", Some(&admin), Some(&posted)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"setting-session_hours-error\""), "{}", page.html);
    assert!(page.html.contains("forever&#39; is not a number"), "{}", page.html);
    assert!(
        page.html.contains("name=\"session_hours\" value=\"forever\" aria-invalid=\"true\""),
        "the typed value is kept"
    );
    assert!(
        page.html.contains("id=\"setting-program_defaults-checkin_after-error\""),
        "every error at once, not only the first: {}",
        page.html
    );
    let posted = settings_form(Some(&csrf), &[("instance_name", "Renamed"), ("program_defaults.checkin_after", "9")]);
    let page = send(&app, "POST", "/admin/settings", Some(&admin), Some(&posted)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"setting-program_defaults-checkin_after-error\""), "{}", page.html);
    assert_eq!(app.store.instance_settings().await.expect("settings"), Default::default(), "nothing saved");
}

async fn the_session_cookie_is_secure_behind_a_tls_proxy(app: App) {
    let (cookie, csrf) = pre_session(&app, "/").await;
    let fields = form(&[("csrf", &csrf), ("email", "l1@lab.test"), ("password", PASSWORD)]);
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("x-forwarded-proto", "https")];
    let page = send_with(&app, "POST", "/login", Some(&cookie), &headers, Some(fields)).await;
    let set_cookie = page.set_cookie.expect("a session cookie");
    assert!(set_cookie.contains("Secure") && set_cookie.contains("HttpOnly"), "{set_cookie}");
    let plain = post_sign_in(&app, "l1@lab.test", PASSWORD).await.set_cookie.expect("a session cookie");
    assert!(!plain.contains("Secure"), "no TLS, no Secure flag: {plain}");
}

/// The status and headers of a GET, as a browser (cookie) or a client (token) receives them.
async fn headers_of(
    app: &App,
    uri: &str,
    cookie: Option<&str>,
    token: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap) {
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().uri(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp =
        app.router.clone().oneshot(req.body(axum::body::Body::empty()).expect("request")).await.expect("response");
    (resp.status(), resp.headers().clone())
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn assert_protected(what: &str, headers: &axum::http::HeaderMap) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(header("content-security-policy"), CSP, "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "same-origin", "{what}");
}

async fn every_response_carries_the_protective_headers_and_only_static_files_may_be_cached(app: App) {
    let (leader, csrf) = sign_in(&app, "l1@lab.test").await;
    let pair = format!("/pairs/{}", app.pair1);
    let note = form(&[("csrf", &csrf), ("body", "private words")]);
    assert_eq!(
        send(&app, "POST", &format!("{pair}/notes"), Some(&leader), Some(&note)).await.status,
        StatusCode::SEE_OTHER
    );
    let token = app.login("l1@lab.test").await;
    let api_notes = format!("/api/v1/pairs/{}/notes", app.pair1);
    for (what, uri, cookie, token, expected) in [
        ("the sign-in page", "/", None, None, StatusCode::OK),
        ("a pair page with notes", pair.as_str(), Some(leader.as_str()), None, StatusCode::OK),
        ("an API answer", api_notes.as_str(), None, Some(token.as_str()), StatusCode::OK),
        ("an API refusal", api_notes.as_str(), None, None, StatusCode::UNAUTHORIZED),
        ("a 404", "/no/such/page", None, None, StatusCode::NOT_FOUND),
    ] {
        let (status, headers) = headers_of(&app, uri, cookie, token).await;
        assert_eq!(status, expected, "{what}");
        assert_protected(what, &headers);
        assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{what}");
    }
    // Every private answer added with the measure step and program setup: never kept by a cache.
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let sponsor_token = app.login("s@lab.test").await;
    let (p, pair1) = (app.program, app.pair1);
    let private: Vec<(String, Option<&str>, Option<&str>)> = vec![
        (format!("/api/v1/programs/{p}/me/self-assessment/baseline"), None, Some(token.as_str())),
        (format!("/programs/{p}/self-assessment/baseline"), Some(leader.as_str()), None),
        (format!("/api/v1/pairs/{pair1}/checkins/me"), None, Some(token.as_str())),
        (format!("/pairs/{pair1}/checkin"), Some(leader.as_str()), None),
        (format!("/api/v1/pairs/{pair1}/insights"), None, Some(token.as_str())),
        ("/api/v1/me".to_owned(), None, Some(token.as_str())),
        (format!("/api/v1/programs/{p}/report"), None, Some(sponsor_token.as_str())),
        (format!("/programs/{p}/report.csv"), Some(sponsor.as_str()), None),
        (format!("/programs/{p}/report.json"), Some(sponsor.as_str()), None),
        (format!("/api/v1/programs/{p}/checkins"), None, Some(sponsor_token.as_str())),
        (format!("/api/v1/programs/{p}/insights"), None, Some(sponsor_token.as_str())),
        (format!("/api/v1/programs/{p}/enrolments"), None, Some(sponsor_token.as_str())),
        (format!("/api/v1/programs/{p}/people?q=name"), None, Some(sponsor_token.as_str())),
        (format!("/programs/{p}/people"), Some(sponsor.as_str()), None),
        (format!("/programs/{p}/pairing"), Some(sponsor.as_str()), None),
    ];
    for (uri, cookie, token) in &private {
        let (status, headers) = headers_of(&app, uri, *cookie, *token).await;
        assert!(status.is_success(), "{uri}: {status}");
        assert_protected(uri, &headers);
        assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{uri}");
    }
    let (status, headers) = headers_of(&app, "/static/app.css", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_protected("the stylesheet", &headers);
    let cache = headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(!cache.contains("no-store"), "static files may be cached: {cache}");
}

async fn a_password_changed_in_the_browser_ends_every_other_sign_in_and_shows_each_problem_at_its_field(app: App) {
    let (here, csrf) = sign_in(&app, "m2@lab.test").await;
    let (elsewhere, _) = sign_in(&app, "m2@lab.test").await;
    let token = app.login("m2@lab.test").await;
    let wrong = form(&[("csrf", &csrf), ("current", "not my password"), ("new", "short")]);
    let page = send(&app, "POST", "/account/password", Some(&here), Some(&wrong)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"new-error\"") && page.html.contains("id=\"current-error\""), "{}", page.html);
    let right = form(&[("csrf", &csrf), ("current", PASSWORD), ("new", "a new password 2")]);
    let page = send(&app, "POST", "/account/password", Some(&here), Some(&right)).await;
    assert_eq!(page.location.as_deref(), Some("/account?done=password"));
    assert_eq!(send(&app, "GET", "/home", Some(&here), None).await.status, StatusCode::OK, "this browser stays");
    assert_eq!(send(&app, "GET", "/home", Some(&elsewhere), None).await.location.as_deref(), Some("/?next=%2Fhome"));
    assert_eq!(app.call("GET", "/api/v1/me", Some(&token), None).await.0, StatusCode::UNAUTHORIZED);
    // Sign out everywhere ends this browser too.
    let out = send(&app, "POST", "/account/sign-out-everywhere", Some(&here), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(out.location.as_deref(), Some("/"));
    assert_eq!(send(&app, "GET", "/home", Some(&here), None).await.location.as_deref(), Some("/?next=%2Fhome"));
    // Anonymous or without the form's token, sign out everywhere changes nothing.
    let anonymous = send(&app, "POST", "/account/sign-out-everywhere", None, Some(&form(&[("csrf", "x")]))).await;
    assert_eq!(anonymous.location.as_deref(), Some("/"));
    let (other, _) = sign_in(&app, "m1@lab.test").await;
    let forged =
        send(&app, "POST", "/account/sign-out-everywhere", Some(&other), Some(&form(&[("csrf", "0000")]))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, "GET", "/home", Some(&other), None).await.status, StatusCode::OK, "still signed in");
}

async fn a_new_calendar_link_from_the_account_page_ends_the_old_one(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let link = |html: &str| {
        let url = html.split("<code id=\"calendar-url\">").nth(1).and_then(|r| r.split('<').next()).expect("url");
        url[url.find("/calendar/").expect("path")..].to_owned()
    };
    let old = link(&send(&app, "GET", "/account", Some(&cookie), None).await.html);
    assert_eq!(send(&app, "GET", &old, None, None).await.status, StatusCode::OK);
    let made = send(&app, "POST", "/account/calendar", Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(made.location.as_deref(), Some("/account?done=calendar#calendar"));
    let page = send(&app, "GET", "/account?done=calendar", Some(&cookie), None).await;
    assert!(page.html.contains("The old one no longer works"));
    let new = link(&page.html);
    assert_ne!(old, new);
    assert_eq!(send(&app, "GET", &old, None, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, "GET", &new, None, None).await.status, StatusCode::OK);
}

crate::backends!(
    signing_in_through_the_form_leads_home_and_a_wrong_password_does_not,
    forms_without_the_csrf_token_are_refused,
    a_note_with_markup_is_shown_as_text_to_the_pair_and_never_to_the_sponsor,
    accepting_the_lab_rules_in_the_browser_activates_the_pair,
    signing_out_ends_the_session_everywhere,
    a_leader_writes_their_question_with_the_coach_and_no_one_else_can,
    a_mentor_steps_out_of_pairing_from_their_page,
    only_sponsors_review_and_steer_pairing,
    a_sponsor_uploads_people_and_sees_every_problem_by_line,
    an_admin_issues_a_one_time_password_link_that_works_once,
    an_admin_saves_the_settings_form_and_the_instance_name_shows,
    a_settings_form_without_its_csrf_token_or_from_a_non_admin_is_refused,
    a_bad_setting_is_shown_beside_its_field_and_nothing_is_saved,
    the_session_cookie_is_secure_behind_a_tls_proxy,
    every_response_carries_the_protective_headers_and_only_static_files_may_be_cached,
    a_password_changed_in_the_browser_ends_every_other_sign_in_and_shows_each_problem_at_its_field,
    a_new_calendar_link_from_the_account_page_ends_the_old_one,
    an_unknown_address_answers_a_browser_with_a_page_and_a_script_with_json,
    signing_in_leads_back_to_the_page_asked_for_and_never_to_another_site,
    an_administrator_finds_accounts_and_disables_one_which_ends_its_sign_ins,
);

async fn an_unknown_address_answers_a_browser_with_a_page_and_a_script_with_json(app: App) {
    let browser = [("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")];
    let page = crate::common::browser::send_with(&app, "GET", "/no/such/page", None, &browser, None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.starts_with("<!doctype html>") && page.html.contains("There is no page at this address"));
    assert!(page.html.contains("href=\"/home\""), "the site's layout, with a way back");
    let api = crate::common::browser::send_with(&app, "GET", "/api/v1/no-such-route", None, &browser, None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_str(&api.html).expect("the API answers JSON even to a browser");
    assert_eq!(body["error"]["code"], "not_found");
    let (status, script) = app.call("GET", "/no/such/page", None, None).await;
    assert_eq!((status, script["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let wrong_method = crate::common::browser::send_with(&app, "DELETE", "/home", None, &browser, None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.html.starts_with("<!doctype html>"));
}

async fn signing_in_leads_back_to_the_page_asked_for_and_never_to_another_site(app: App) {
    let asked = format!("/programs/{}/pairing", app.program);
    let bounced = send(&app, "GET", &asked, None, None).await;
    let location = bounced.location.expect("to sign in");
    assert_eq!(location, format!("/?next=%2Fprograms%2F{}%2Fpairing", app.program));
    let sign_in_page = send(&app, "GET", &location, None, None).await;
    assert!(sign_in_page.html.contains(&format!("name=\"next\" value=\"{asked}\"")), "the form keeps it");
    let cookie = sign_in_page.set_cookie.expect("pre-session").split(';').next().expect("cookie").to_owned();
    let csrf = crate::common::browser::csrf_in(&sign_in_page.html);
    let login = |next: &str| {
        form(&[("csrf", &csrf), ("email", "s@lab.test"), ("password", crate::common::PASSWORD), ("next", next)])
    };
    let back = send(&app, "POST", "/login", Some(&cookie), Some(&login(&asked))).await;
    assert_eq!((back.status, back.location.as_deref()), (StatusCode::SEE_OTHER, Some(asked.as_str())));
    for elsewhere in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
        let refused = send(&app, "POST", "/login", Some(&cookie), Some(&login(elsewhere))).await;
        assert_eq!(refused.location.as_deref(), Some("/home"), "{elsewhere} is not followed");
        let page = send(&app, "GET", &format!("/?next={}", elsewhere.replace('/', "%2F")), None, None).await;
        assert!(!page.html.contains("name=\"next\""), "{elsewhere} is not kept");
    }
    // A wrong password keeps where the person was going.
    let wrong = form(&[("csrf", &csrf), ("email", "s@lab.test"), ("password", "not the password"), ("next", &asked)]);
    let again = send(&app, "POST", "/login", Some(&cookie), Some(&wrong)).await;
    assert!(again.html.contains(&format!("name=\"next\" value=\"{asked}\"")));
}

async fn an_administrator_finds_accounts_and_disables_one_which_ends_its_sign_ins(app: App) {
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let (admin, csrf) = sign_in(&app, "admin@ops.test").await;
    let found = send(&app, "GET", "/admin?q=name+l1", Some(&admin), None).await;
    let row = |html: &str, email: &str| -> String {
        html.split(&format!("<tr data-email=\"{email}\">"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_default()
            .to_owned()
    };
    let l1 = row(&found.html, "l1@lab.test");
    assert!(l1.contains("Name L1 (L1)") && l1.contains(" (UTC)</td>"), "name and last sign-in: {l1}");
    assert!(row(&found.html, "m1@lab.test").is_empty(), "the search keeps only matching accounts");
    let all = send(&app, "GET", "/admin", Some(&admin), None).await;
    assert!(row(&all.html, "m2@lab.test").contains("<td class=\"last-sign-in\">never</td>"));
    let own = row(&all.html, "admin@ops.test");
    assert!(own.contains("active (you)") && !own.contains(">Disable<"), "no action that would be refused: {own}");

    let disable = form(&[("csrf", &csrf), ("email", "l1@lab.test"), ("action", "disable")]);
    let done = send(&app, "POST", "/admin/accounts", Some(&admin), Some(&disable)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", done.location.as_deref().expect("back"), Some(&admin), None).await;
    assert!(page.html.contains("l1@lab.test is disabled"), "the action says what it did");
    assert!(row(&page.html, "l1@lab.test").contains("disabled"));
    assert_eq!(send(&app, "GET", "/home", Some(&leader), None).await.status, StatusCode::SEE_OTHER, "signed out");
    let login = serde_json::json!({"email": "l1@lab.test", "password": crate::common::PASSWORD}).to_string();
    let (status, body) = app.call("POST", "/api/v1/auth/login", None, Some(login.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("disabled"), "{body}");
    let browser = crate::common::browser::post_sign_in(&app, "l1@lab.test", crate::common::PASSWORD).await;
    assert!(browser.html.contains("You cannot sign in: this account is disabled"), "{}", browser.html);
    let wrong = crate::common::browser::post_sign_in(&app, "l1@lab.test", "not the password").await;
    assert!(!wrong.html.contains("disabled"), "a wrong password learns nothing about the account");

    let myself = form(&[("csrf", &csrf), ("email", "admin@ops.test"), ("action", "disable")]);
    assert_eq!(send(&app, "POST", "/admin/accounts", Some(&admin), Some(&myself)).await.status, StatusCode::CONFLICT);
    let enable = form(&[("csrf", &csrf), ("email", "l1@lab.test"), ("action", "enable")]);
    assert_eq!(send(&app, "POST", "/admin/accounts", Some(&admin), Some(&enable)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.call("POST", "/api/v1/auth/login", None, Some(login)).await.0, StatusCode::OK);
    let audit = app.store.audit_log(10).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "account.disable" && e.subject == "l1@lab.test"));
    // Nobody else may: a sponsor's try is refused and changes nothing.
    let (sponsor, sponsor_csrf) = sign_in(&app, "s@lab.test").await;
    let attempt = form(&[("csrf", &sponsor_csrf), ("email", "l1@lab.test"), ("action", "disable")]);
    assert_eq!(
        send(&app, "POST", "/admin/accounts", Some(&sponsor), Some(&attempt)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"email": "l1@lab.test", "password": crate::common::PASSWORD}).to_string())
        )
        .await
        .0,
        StatusCode::OK
    );
}
