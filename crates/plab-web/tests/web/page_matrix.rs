//! The pages' authorization matrix: every page route × sponsor, leader,
//! mentor, a member of the same program outside the pair, another program's
//! sponsor and mentor, an administrator and an anonymous browser, over one's
//! own and others' resources. Forms carry a valid CSRF token, so a refusal
//! here is the authorization's, not the CSRF check's. The rows must cover
//! every page route the router serves (`plab_web::page_routes`); an allowed
//! request must get exactly what its row calls success, and a refused one
//! must leave every table of the database as it was.

use crate::common::browser::{Page, form, pre_session, send, send_with, sign_in};
use crate::common::{App, activate, move_to_past};
use axum::http::{Method, StatusCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Served: exactly what the row's `Served` says success looks like.
    Allowed,
    /// Seen but not theirs to act on: 403.
    Forbidden,
    /// Not theirs to see at all: 404, exactly like a missing id.
    Hidden,
    /// Anonymous: sent to the sign-in page.
    SignIn,
    /// Let through, then refused by the protocol's rules with this status
    /// (the row's comment says why): never a 403 or 404 of authorization.
    Rules(StatusCode),
    /// Served, and sent on to exactly this address (unlike the row's others).
    To(&'static str),
}
use Want::{Allowed as A, Forbidden as F, Hidden as H, SignIn as S};
const EVERYONE: plab_app::sso::PasswordSignIn = plab_app::sso::PasswordSignIn::Everyone;
const C: Want = Want::Rules(StatusCode::CONFLICT);
const U: Want = Want::Rules(StatusCode::UNPROCESSABLE_ENTITY);
const HOME: Want = Want::To("/home");

/// What an allowed request gets back on this row. Nothing else counts as
/// allowed: not a 409 or 422 (unless the row says so), not a redirect elsewhere.
#[derive(Debug, Clone)]
enum Served {
    /// 200 and a page.
    Page,
    /// 200 and not a page: a download or an asset.
    File,
    /// 303 to exactly this address.
    To(String),
    /// 303 to an address that starts with this (it ends with an id the request made).
    ToUnder(String),
    /// The sign-in page: 200 for a signed-out browser, 303 to `/home` for a signed-in one.
    SignInPage,
    /// This status, for the reason given: the request passed authorization and the rules answered.
    Status(StatusCode, &'static str),
}

/// What a row sends.
#[derive(Debug, Clone)]
enum Body {
    None,
    /// A form with the session's CSRF token.
    Form(Vec<(String, String)>),
    /// A form with a pre-session CSRF token (sign-in, forgotten password, set password).
    PreSession(Vec<(String, String)>),
    /// A people file, with the session's CSRF token.
    Upload(String),
}

struct Row {
    method: &'static str,
    uri: String,
    body: Body,
    served: Served,
    /// Ends the browser's session when allowed (checked, then signed in again).
    ends_session: bool,
    wants: [Want; 8],
}

fn get(uri: impl Into<String>, served: Served, wants: [Want; 8]) -> Row {
    Row { method: "GET", uri: uri.into(), body: Body::None, served, ends_session: false, wants }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn post(uri: impl Into<String>, pairs: &[(&str, &str)], served: Served, wants: [Want; 8]) -> Row {
    Row { method: "POST", uri: uri.into(), body: Body::Form(fields(pairs)), served, ends_session: false, wants }
}

fn upload(uri: impl Into<String>, csv: &str, served: Served, wants: [Want; 8]) -> Row {
    Row { method: "POST", uri: uri.into(), body: Body::Upload(csv.into()), served, ends_session: false, wants }
}

impl Row {
    fn pre_session(mut self) -> Row {
        if let Body::Form(f) = self.body {
            self.body = Body::PreSession(f);
        }
        self
    }

    fn ends_session(mut self) -> Row {
        self.ends_session = true;
        self
    }
}

const PAGE: Served = Served::Page;
const FILE: Served = Served::File;

fn to(address: impl Into<String>) -> Served {
    Served::To(address.into())
}

const WHO: [Option<&str>; 8] = [
    Some("l1@lab.test"),
    Some("m1@lab.test"),
    Some("s@lab.test"),
    Some("l2@lab.test"),
    Some("s2@lab.test"),
    Some("m3@lab.test"),
    Some("admin@ops.test"),
    None,
];

/// Both pairs of program A accept the lab rules; returns the first session of
/// each, the own one (pair 1) moved into the past so that it can be held.
/// Pair 1 has already held two other sessions, so that its check-in opens
/// when the matrix holds the third.
async fn sessions(app: &App) -> (i64, i64) {
    let own = activate(app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let other = activate(app, app.pair2, "l2@lab.test", "m2@lab.test").await[0];
    move_to_past(app, own[0]).await;
    let leader = app.login("l1@lab.test").await;
    for (session, days_ago) in [(own[1], 21), (own[2], 14)] {
        let when = time::OffsetDateTime::now_utc() - time::Duration::days(days_ago);
        app.store.reschedule_session(plab_domain::SessionId(session), when).await.expect("move");
        let (status, body) =
            app.call("POST", &format!("/api/v1/sessions/{session}/hold"), Some(&leader), Some("{}".into())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    (own[0], other)
}

/// An insight in the log of each pair of program A: (pair 1's, pair 2's).
async fn insights(app: &App) -> (i64, i64) {
    let insight = |text: &str| plab_domain::insight::NewInsight {
        kind: plab_domain::insight::InsightKind::Action,
        theme: plab_domain::Theme::Technology,
        text: text.into(),
        session: None,
        shared: false,
    };
    let own = app.store.add_insight(plab_domain::PairId(app.pair1), "L1", &insight("own")).await.expect("own");
    let other = app.store.add_insight(plab_domain::PairId(app.pair2), "L2", &insight("other")).await.expect("other");
    (own.0, other.0)
}

/// Where a signed-out browser is sent: the sign-in page, which leads back to
/// the page it asked for (a form post just goes to sign in).
fn sign_in_for(method: &str, uri: &str) -> String {
    if method != "GET" {
        return "/".to_owned();
    }
    let encoded: String = uri
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/?next={encoded}")
}

/// What went wrong with one cell, or `None` when the answer is what `want` says.
fn mismatch(signed_in: bool, row: &Row, page: &Page, want: Want) -> Option<String> {
    let (status, location) = (page.status, page.location.as_deref());
    let to_sign_in = status == StatusCode::SEE_OTHER && location == Some(sign_in_for(row.method, &row.uri).as_str());
    let ok = match want {
        A => match &row.served {
            Served::Page => status == StatusCode::OK && page.html.contains("<main"),
            Served::File => status == StatusCode::OK && !page.html.contains("<main"),
            Served::To(to) => status == StatusCode::SEE_OTHER && location == Some(to.as_str()),
            Served::ToUnder(to) => {
                status == StatusCode::SEE_OTHER && location.is_some_and(|l| l.starts_with(to.as_str()))
            }
            Served::SignInPage if signed_in => status == StatusCode::SEE_OTHER && location == Some("/home"),
            Served::SignInPage => status == StatusCode::OK && page.html.contains("form id=\"signin\""),
            Served::Status(expected, _) => status == *expected,
        },
        Want::Rules(expected) => status == expected && page.html.contains("<main"),
        Want::To(to) => status == StatusCode::SEE_OTHER && location == Some(to),
        F => status == StatusCode::FORBIDDEN,
        H => status == StatusCode::NOT_FOUND,
        S => to_sign_in,
    };
    let served = match (want, &row.served) {
        (A, Served::Status(status, why)) => format!(" ({status}: {why})"),
        (A, served) => format!(" ({served:?})"),
        _ => String::new(),
    };
    let said = page.html.split("<main").nth(1).map(text_of).unwrap_or_default();
    (!ok).then(|| {
        format!("{} {}: expected {want:?}{served}, got {status} (to {location:?}) {said}", row.method, row.uri)
    })
}

/// The first words of a page's text, to say why a cell is wrong.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(160).collect()
}

/// The page route a row's request reaches: the most specific of the routes
/// whose path matches (a literal segment before a `{parameter}`, as axum does).
fn route_of(routes: &[(Method, &'static str)], method: &str, uri: &str) -> Option<(Method, &'static str)> {
    routes
        .iter()
        .filter(|(m, route)| m.as_str() == method && crate::common::matches_route(route, uri))
        .min_by_key(|(_, route)| route.matches('{').count())
        .cloned()
}

/// Every page route the router serves has a row, and every row is a page route.
fn assert_rows_cover_the_router(rows: &[Row]) {
    let routes = plab_web::page_routes();
    assert!(routes.len() > 60, "the router lists only {} page routes", routes.len());
    let mut reached = std::collections::BTreeSet::new();
    for row in rows {
        let route = route_of(&routes, row.method, &row.uri);
        let route = route.unwrap_or_else(|| panic!("{} {} is not a page route", row.method, row.uri));
        reached.insert(route);
    }
    let missing: Vec<String> =
        routes.iter().filter(|r| !reached.contains(*r)).map(|(m, p)| format!("{m} {p}")).collect();
    assert!(missing.is_empty(), "page routes the matrix does not try: {missing:?}");
}

/// A multipart people upload with the CSRF token.
fn multipart(csrf: &str, csv: &str) -> (String, String) {
    let boundary = "plabMatrixBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends one row's request as `cookie`'s browser, with valid CSRF tokens.
async fn send_row(app: &App, row: &Row, uri: &str, cookie: Option<&str>, csrf: &str) -> Page {
    let with_csrf = |fields: &[(String, String)], token: &str| {
        let mut fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        fields.push(("csrf", token));
        form(&fields)
    };
    match &row.body {
        Body::None => send(app, row.method, uri, cookie, None).await,
        Body::Form(fields) => send(app, row.method, uri, cookie, Some(&with_csrf(fields, csrf))).await,
        Body::PreSession(fields) => {
            let (pre, token) = pre_session(app, "/").await;
            let both = [cookie.map(str::to_owned), Some(pre)].into_iter().flatten().collect::<Vec<_>>().join("; ");
            send(app, row.method, uri, Some(&both), Some(&with_csrf(fields, &token))).await
        }
        Body::Upload(csv) => {
            let (content_type, body) = multipart(csrf, csv);
            send_with(app, row.method, uri, cookie, &[("content-type", &content_type)], Some(body)).await
        }
    }
}

async fn every_page_route_by_every_role_over_own_and_others_resources(app: App) {
    let (own_s, other_s) = sessions(&app).await;
    let (p, b, pair1, pair2) = (app.program, app.program + 1, app.pair1, app.pair2);
    let (own_i, other_i) = insights(&app).await;
    let (own_c, due) =
        (crate::office::commitment_of_l1(&app, "try the channel", false).await, crate::office::in_days(9));
    let link = plab_app::accounts::issue_password_link(&app.store, "newcomer@lab.test", "cli:operator", EVERYONE)
        .await
        .expect("link");
    // A link of its own for each browser that sets a password with one.
    let mut fresh_links = Vec::new();
    for n in 0..WHO.len() {
        let email = format!("newcomer{n}@lab.test");
        fresh_links.push(
            plab_app::accounts::issue_password_link(&app.store, &email, "cli:operator", EVERYONE).await.expect("link"),
        );
    }
    let people =
        "employee_id,name,email,department,manager_id,hire_date,level\nN1,Name N1,n1@lab.test,Sales,L1,2024-01-01,2\n";
    let no_mail = Served::Status(StatusCode::CONFLICT, "mail is off, so no link can be sent");
    let saved = Served::Status(StatusCode::NO_CONTENT, "the session timer saves a segment without a page");
    let start = crate::common::program_start();
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        //                                                                    l1 m1 s  l2 s2 m3 admin anon
        get("/", Served::SignInPage,                                          [A, A, A, A, A, A, A, A]),
        get("/static/app.css", FILE,                                  [A, A, A, A, A, A, A, A]),
        get("/static/coach.js", FILE,                                 [A, A, A, A, A, A, A, A]),
        get("/static/timer.js", FILE,                                 [A, A, A, A, A, A, A, A]),
        get("/home", PAGE,                                            [A, A, A, A, A, A, A, S]),
        get("/account", PAGE,                                         [A, A, A, A, A, A, A, S]),
        get("/account/data", PAGE,                                    [A, A, A, A, A, A, A, S]),
        get("/forgot-password", PAGE,                                 [A, A, A, A, A, A, A, A]),
        get(format!("/set-password/{link}"), PAGE,                    [A, A, A, A, A, A, A, A]),
        get("/set-password/not-a-link", PAGE,                         [H, H, H, H, H, H, H, H]),
        // Single sign-on is off on this instance: its routes are not there for anyone.
        get("/auth/oidc/login", PAGE,                                 [H, H, H, H, H, H, H, H]),
        get("/auth/oidc/callback?code=a&state=b", PAGE,               [H, H, H, H, H, H, H, H]),
        get(format!("/programs/{p}"), PAGE,                           [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{b}"), PAGE,                           [H, H, H, H, A, F, H, S]),
        get(format!("/programs/{p}/pairing"), PAGE,                   [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/question"), PAGE,                  [A, F, F, A, H, H, H, S]),
        get(format!("/programs/{p}/mentor"), PAGE,                    [F, A, F, F, H, H, H, S]),
        get(format!("/programs/{b}/mentor"), PAGE,                    [H, H, H, H, F, A, H, S]),
        get(format!("/pairs/{pair1}"), PAGE,                          [A, A, A, H, H, H, H, S]),
        get(format!("/pairs/{pair2}"), PAGE,                          [H, H, A, A, H, H, H, S]),
        get(format!("/sessions/{own_s}"), PAGE,                       [A, A, F, H, H, H, H, S]),
        get(format!("/sessions/{other_s}"), PAGE,                     [H, H, F, A, H, H, H, S]),
        get(format!("/programs/{p}/report.csv"), FILE,                [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/report.json"), FILE,               [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/pairs.csv"), FILE,                 [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/fortnights.csv"), FILE,            [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/report/print"), PAGE,              [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/self-assessment/baseline"), PAGE,  [A, A, F, A, H, H, H, S]),
        get(format!("/programs/{p}/exit"), PAGE,                      [A, A, F, A, H, H, H, S]),
        // The exit question is asked only in the close-out: program A is running.
        post(format!("/programs/{p}/exit"), &[("choice", "not_now")], PAGE, [C, C, F, C, H, H, H, S]),
        get(format!("/programs/{p}/concerns"), PAGE,                  [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/concerns/new"), PAGE,              [A, A, F, A, H, H, H, S]),
        get("/people/import", PAGE,                                   [F, F, A, F, A, F, A, S]),
        get("/programs/new", PAGE,                                    [F, F, A, F, A, F, A, S]),
        get(format!("/programs/{p}/people"), PAGE,                    [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/people?q=name&level=2"), PAGE,     [F, F, A, F, H, H, H, S]),
        get("/admin", PAGE,                                           [F, F, F, F, F, F, A, S]),
        get("/admin/audit", PAGE,                                     [F, F, F, F, F, F, A, S]),
        get("/admin/audit?action=pairing.&from=2020-01-01", PAGE,     [F, F, F, F, F, F, A, S]),
        get("/admin/audit.csv", FILE,                                 [F, F, F, F, F, F, A, S]),
        post("/admin/audit/verify", &[], PAGE,                        [F, F, F, F, F, F, A, S]),
        get(format!("/programs/{p}/activity"), PAGE,                  [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/activity.csv"), FILE,              [F, F, A, F, H, H, H, S]),
        get(format!("/pairs/{pair1}/checkin"), PAGE,                  [A, A, F, H, H, H, H, S]),
        get(format!("/pairs/{pair2}/checkin"), PAGE,                  [H, H, F, A, H, H, H, S]),
        get(format!("/pairs/{pair1}/checkins/leader"), PAGE,          [F, F, A, H, H, H, H, S]),
        get(format!("/pairs/{pair1}/checkins/mentor"), PAGE,          [F, F, A, H, H, H, H, S]),
        get(format!("/programs/{p}/checkins"), PAGE,                  [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/insights"), PAGE,                  [F, F, A, F, H, H, H, S]),
        get(format!("/pairs/{pair1}/insights"), PAGE,                 [A, F, F, H, H, H, H, S]),
        get(format!("/insights/{own_i}"), PAGE,                       [A, F, F, H, H, H, H, S]),
        get(format!("/insights/{other_i}"), PAGE,                     [H, H, F, A, H, H, H, S]),
        get(format!("/pairs/{pair1}/commitments"), PAGE,              [A, A, F, H, H, H, H, S]),
        get("/office", PAGE,                                          [F, F, F, F, F, F, F, S]),
        get("/office/report.csv", FILE,                               [F, F, F, F, F, F, F, S]),
        get("/admin/program-office", PAGE,                            [F, F, F, F, F, F, A, S]),
        get(format!("/programs/{p}/close"), PAGE,                     [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{b}/close"), PAGE,                     [H, H, H, H, A, F, H, S]),
        get(format!("/programs/{p}/close-out"), PAGE,                 [F, F, A, F, H, H, H, S]),
        get(format!("/programs/{p}/next-cohort"), PAGE,               [F, F, A, F, H, H, H, S]),

        get("/login", to("/"),                                                 [A, A, A, A, A, A, A, A]),
        post("/login", &[("email", "m2@lab.test"), ("password", crate::common::PASSWORD)], to("/home"),
                                                                              [A, A, A, A, A, A, A, A]).pre_session(),
        // Mail is off on this instance: the form says to ask an administrator, for anyone.
        post("/forgot-password", &[("email", "nobody@lab.test")], no_mail,
                                                                              [A, A, A, A, A, A, A, A]).pre_session(),
        post("/set-password/{fresh}", &[("password", "a newcomer's own 1")], to("/home"),
                                                                              [A, A, A, A, A, A, A, A]).pre_session(),
        post("/set-password/not-a-link", &[("password", "a newcomer's own 1")], to("/"),
                                                                              [H, H, H, H, H, H, H, H]).pre_session(),
        // Every leader of A is paired already: nothing to propose, nor proposal 1 (approved) to approve again.
        post(format!("/programs/{p}/pairing/run"), &[], to(format!("/programs/{p}/pairing")),
                                                                              [F, F, U, F, H, H, H, S]),
        post("/programs/new", &[("name", "Autumn cohort"), ("starts_on", "2031-09-01"), ("sessions", "6"),
            ("cadence_days", "14"), ("session_minutes", "60"), ("checkin_after", "3"), ("min_group_size", "5"),
            ("default_mentor_capacity", "1"), ("sponsor", "S")], Served::ToUnder("/programs/".into()),
                                                                              [F, F, A, F, A, F, HOME, S]),
        post(format!("/programs/{p}/pairing/sharpen"), &[("leader", "L1")], to(format!("/programs/{p}/pairing?asked=1")),
                                                                              [F, F, A, F, H, H, H, S]),
        post("/account/timezone", &[("timezone", "Europe/Berlin")], to("/account?done=timezone#timezone"),
                                                                              [A, A, A, A, A, A, A, S]),
        post("/account/mail", &[("reminders", "on")], to("/account?done=mail#mail"),
                                                                              [A, A, A, A, A, A, A, S]),
        post("/coach", &[("text", "Why do new analysts skip our Friday demo?")], FILE,
                                                                              [A, A, A, A, A, A, A, S]),
        post("/admin/accounts", &[("email", "nobody@lab.test"), ("action", "disable")], PAGE,
                                                                              [F, F, F, F, F, F, H, S]),
        post(format!("/programs/{p}/people"), &[("role", "mentor"), ("person", "CEO")],
            Served::ToUnder(format!("/programs/{p}/people?enrolled=")),       [F, F, A, F, H, H, H, S]),
        // Mail is off on this instance: no invitation can go out.
        post(format!("/programs/{p}/people/invite"), &[("person", "L2")], PAGE,
                                                                              [F, F, C, F, H, H, H, S]),
        // M2 is paired with L2: taking them out is refused, saying so.
        post(format!("/programs/{p}/people/unenrol"), &[("person", "M2")], PAGE,
                                                                              [F, F, C, F, H, H, H, S]),
        // Every leader of A is paired: the rule is saved, and the engine has nobody to re-run for.
        post(format!("/programs/{p}/pairing/rule"), &[("leader", "L1"), ("mentor", "M2"), ("rule", "forbid")],
            to(format!("/programs/{p}/pairing?done=forbid&rerun=0")),         [F, F, A, F, H, H, H, S]),
        post(format!("/programs/{p}/pairing/rule/clear"), &[("leader", "L1"), ("mentor", "M2")],
            to(format!("/programs/{p}/pairing?done=clear&rerun=0")),          [F, F, A, F, H, H, H, S]),
        // A blank reason, and a pair that has not ended: the sponsor passes, the rules refuse (nothing changes).
        post(format!("/pairs/{pair2}/end"), &[("reason", " ")], to(format!("/programs/{p}/pairing?done=ended")),
                                                                              [H, H, U, F, H, H, H, S]),
        post(format!("/pairs/{pair2}/rematch"), &[], to(format!("/programs/{p}/pairing?done=rematch")),
                                                                              [H, H, C, F, H, H, H, S]),
        post(format!("/programs/{p}/pairing/approve"), &[("proposal", "1")], to(format!("/programs/{p}")),
                                                                              [F, F, C, F, H, H, H, S]),
        post(format!("/programs/{p}/question"), &[("text", "Why do new analysts skip our Friday demo?")],
            to(format!("/programs/{p}/question?saved=1")),                    [A, F, F, A, H, H, H, S]),
        post(format!("/programs/{p}/mentor"), &[("pairing", "out"), ("confirm", "yes")], to(format!("/programs/{p}/mentor")),
                                                                              [F, A, F, F, H, H, H, S]),
        post(format!("/programs/{p}/mentor/perspectives"), &[("perspectives", "TikTok campaigns")],
            to(format!("/programs/{p}/mentor?saved=perspectives#own-perspectives")),
                                                                              [F, A, F, F, H, H, H, S]),
        post(format!("/pairs/{pair1}/notes"), &[("body", "a candid observation")],
            to(format!("/pairs/{pair1}?done=note#notes")),                    [A, A, F, H, H, H, H, S]),
        post(format!("/pairs/{pair1}/charter"), &[], to(format!("/pairs/{pair1}?done=accepted")),
                                                                              [A, A, F, H, H, H, H, S]),
        post(format!("/pairs/{pair2}/notes"), &[("body", "not my pair")], to(format!("/pairs/{pair2}?done=note#notes")),
                                                                              [H, H, F, A, H, H, H, S]),
        // A session is held once: its mentor finds it held by the leader just before.
        post(format!("/sessions/{own_s}/hold"), &[("homework", "try the chat")],
            to(format!("/sessions/{own_s}?done=held#pulse")),                 [A, C, F, H, H, H, H, S]),
        // Each partner's pulse has its own statements; the other's are refused.
        post(format!("/sessions/{own_s}/pulse"), &[("listened", "4"), ("focused", "4"), ("shared_challenge", "3")],
            to(format!("/sessions/{own_s}?done=pulse#pulse")),                [A, U, F, H, H, H, H, S]),
        post(format!("/sessions/{own_s}/pulse"), &[("led", "4"), ("candid", "4"), ("heard", "3")],
            to(format!("/sessions/{own_s}?done=pulse#pulse")),                [U, A, F, H, H, H, H, S]),
        post(format!("/sessions/{other_s}/reschedule"), &[("starts_at", &format!("{}T10:00", start.plus_days(1)))],
            to(format!("/sessions/{other_s}?done=moved")),                    [H, H, F, A, H, H, H, S]),
        post(format!("/sessions/{other_s}/reschedule"), &[("starts_at", &format!("{}T11:00", start.plus_days(1))), ("scope", "rest"), ("action", "preview")],
            PAGE,                                                     [H, H, F, A, H, H, H, S]),
        post(format!("/sessions/{own_s}/segments"), &[("segment", "Connect"), ("minutes", "9")], saved,
                                                                              [A, A, F, H, H, H, H, S]),
        // Held by now: it did take place, and its timer is gone.
        post(format!("/sessions/{own_s}/missed"), &[], PAGE,                 [C, C, F, H, H, H, H, S]),
        get(format!("/sessions/{own_s}/timer"), FILE,                         [A, A, F, H, H, H, H, S]),
        post(format!("/sessions/{own_s}/timer"), &[("action", "start")], PAGE, [C, C, F, H, H, H, H, S]),
        // The fit check, after the session held above: each partner answers for themselves; pair 2 holds none yet.
        post(format!("/pairs/{pair1}/fit"), &[("fit", "unsure"), ("comment", "early days")], to(format!("/pairs/{pair1}#fit")),
                                                                              [A, A, F, H, H, H, H, S]),
        post(format!("/pairs/{pair2}/fit"), &[("fit", "fit")], to(format!("/pairs/{pair2}#fit")),
                                                                              [H, H, F, C, H, H, H, S]),
        post(format!("/pairs/{pair1}/follow-up"), &[("signal", "unfocused"), ("state", "contacted")],
            to(format!("/programs/{p}?sort=since&saved={pair1}#at-risk")),    [F, F, A, H, H, H, H, S]),
        // A leader or mentor raises a concern; it reaches S, outside both chains.
        post(format!("/programs/{p}/concerns/new"), &[("text", "I am talked over"), ("anonymous", "on")],
            to(format!("/programs/{p}/concerns/new?raised=1")),               [A, A, F, A, H, H, H, S]),
        // Each partner rates their own statements; the other's are refused.
        post(format!("/programs/{p}/self-assessment/closing"), &[("digital_fluency", "3"), ("empathy_employees", "3"), ("empathy_customers", "3")],
            PAGE,                                                             [A, U, F, A, H, H, H, S]),
        post(format!("/programs/{p}/self-assessment/closing"), &[("engagement", "3"), ("visibility", "3"), ("voice", "3")],
            PAGE,                                                             [U, A, F, U, H, H, H, S]),
        post(format!("/sessions/{other_s}/cancel"), &[("confirm", "yes")], to(format!("/sessions/{other_s}?done=cancelled")),
                                                                              [H, H, F, A, H, H, H, S]),
        // Each partner answers their own questions; the other's are refused.
        post(format!("/pairs/{pair1}/checkin"), &[("insight", "a"), ("change", "b")],
            to(format!("/pairs/{pair1}/checkin?saved=1")),                    [A, U, F, H, H, H, H, S]),
        post(format!("/pairs/{pair1}/checkin"), &[("view_of_organization", "a"), ("heard", "4")],
            to(format!("/pairs/{pair1}/checkin?saved=1")),                    [U, A, F, H, H, H, H, S]),
        // The sponsor may record a mentor's check-in, but M1 answered it themself (their column runs first).
        post(format!("/pairs/{pair1}/checkins/mentor"), &[("view_of_organization", "a"), ("heard", "4")],
            to(format!("/pairs/{pair1}/checkins/mentor?saved=1")),            [F, F, C, H, H, H, H, S]),
        post(format!("/programs/{p}/checkins/read"), &[], to(format!("/programs/{p}/checkins#answers")),
                                                                              [F, F, A, F, H, H, H, S]),
        post(format!("/pairs/{pair1}/insights"), &[("kind", "action"), ("theme", "technology"), ("text", "tried the chat")],
            to(format!("/pairs/{pair1}/insights#log")),                       [A, F, F, H, H, H, H, S]),
        post(format!("/insights/{own_i}"), &[("kind", "decision"), ("theme", "technology"), ("text", "edited")],
            to(format!("/pairs/{pair1}/insights#insight-{own_i}")),           [A, F, F, H, H, H, H, S]),
        post(format!("/insights/{other_i}/delete"), &[], to(format!("/pairs/{pair2}/insights#log")),
                                                                              [H, H, F, A, H, H, H, S]),
        post(format!("/pairs/{pair1}/commitments"), &[("text", "try the chat"), ("due_on", &due)],
            to(format!("/pairs/{pair1}/commitments#made")),                   [A, F, F, H, H, H, H, S]),
        post(format!("/commitments/{own_c}"), &[("state", "kept")],
            to(format!("/pairs/{pair1}/commitments#commitment-{own_c}")),     [A, F, F, H, H, H, H, S]),
        post("/admin/program-office", &[("employee_id", "M3")], to("/admin/program-office#members"),
                                                                              [F, F, F, F, F, F, A, S]),
        post("/admin/settings", &[("instance_name", "Lab")], to("/admin?saved=settings#settings"),
                                                                              [F, F, F, F, F, F, A, S]),
        post("/admin/links", &[("email", "m2@lab.test")], PAGE,       [F, F, F, F, F, F, A, S]),
        post("/admin/erasure-requests", &[("employee_id", "M3"), ("reason", "asked by the person")],
            to("/admin?erasure_requested=M3#erasure-heading"),                [F, F, F, F, F, F, A, S]),
        upload("/people/import", people, PAGE,                                [F, F, A, F, A, F, A, S]),
        post("/account/calendar", &[], to("/account?done=calendar#calendar"), [A, A, A, A, A, A, A, S]),
        post("/account/reset-notice", &[], to("/account?done=notice"),        [A, A, A, A, A, A, A, S]),
        post("/account/password", &[("current", "wrong-password"), ("new", "long-enough-1")],
            Served::Status(StatusCode::UNPROCESSABLE_ENTITY, "the current password is wrong"),
                                                                              [A, A, A, A, A, A, A, S]),
        // Program B's sponsor begins its close-out, closes it, then starts its next cohort
        // (its column runs after every program-A row of the others).
        post(format!("/programs/{b}/close-out"), &[], to(format!("/programs/{b}?done=close-out#life")),
                                                                              [H, H, H, H, A, F, H, S]),
        post(format!("/programs/{b}/close"), &[], to(format!("/programs/{b}#closing")),
                                                                              [H, H, H, H, A, F, H, S]),
        post(format!("/programs/{b}/next-cohort"), &[("name", "B, next cohort"), ("starts_on", "2031-09-01")],
            Served::ToUnder("/programs/".into()),                             [H, H, H, H, A, F, H, S]),
        post("/account/sign-out-everywhere", &[], to("/"),                    [A, A, A, A, A, A, A, S]).ends_session(),
        post("/logout", &[], to("/"),                                         [A, A, A, A, A, A, A, S]).ends_session(),
    ];
    assert_rows_cover_the_router(&rows);
    let mut wrong = Vec::new();
    for (column, who) in WHO.iter().enumerate() {
        let mut browser = match who {
            Some(email) => Some(sign_in(&app, email).await),
            None => None,
        };
        for row in &rows {
            let uri = row.uri.replace("{fresh}", &fresh_links[column]);
            let (cookie, csrf) = browser.clone().map_or((None, String::new()), |(c, t)| (Some(c), t));
            let want = row.wants[column];
            // A request refused, by authorization or by the rules, writes nothing anywhere.
            let refused = matches!(want, F | H | S | Want::Rules(_));
            let before = if refused { Some(plab_store::testing::every_row(&app.store).await) } else { None };
            let page = send_row(&app, row, &uri, cookie.as_deref(), &csrf).await;
            if let Some(problem) = mismatch(who.is_some(), row, &page, want) {
                wrong.push(format!("{who:?} {problem}"));
            }
            if let Some(before) = before {
                let after = plab_store::testing::every_row(&app.store).await;
                for (table, rows_before) in &before {
                    if after.get(table) != Some(rows_before) {
                        wrong.push(format!("{who:?} {} {uri}: refused, yet the table {table} changed", row.method));
                    }
                }
            }
            if let (true, A, Some(email), Some(cookie)) = (row.ends_session, want, who, cookie) {
                let home = send(&app, "GET", "/home", Some(&cookie), None).await;
                if home.location.as_deref() != Some("/?next=%2Fhome") {
                    wrong.push(format!("{who:?} {} {uri}: the session did not end", row.method));
                }
                browser = Some(sign_in(&app, email).await);
            }
        }
    }
    assert!(wrong.is_empty(), "{} cells are wrong:\n{}", wrong.len(), wrong.join("\n"));
}

crate::backends!(every_page_route_by_every_role_over_own_and_others_resources,);
