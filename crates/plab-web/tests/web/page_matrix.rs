//! The pages' authorization matrix: every page route × sponsor, leader,
//! mentor, a member of the same program outside the pair, another program's
//! sponsor and mentor, an administrator and an anonymous browser, over one's
//! own and others' resources. Forms carry a valid CSRF token, so a refusal
//! here is the authorization's, not the CSRF check's.

use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate, move_to_past};
use axum::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Served: any answer but a refusal, a sign-in redirect, a malformed
    /// form (400), 404 or 5xx (a 409/422 means the request got past
    /// authorization to the rules).
    Allowed,
    /// Seen but not theirs to act on: 403.
    Forbidden,
    /// Not theirs to see at all: 404, exactly like a missing id.
    Hidden,
    /// Anonymous: sent to the sign-in page.
    SignIn,
}
use Want::{Allowed as A, Forbidden as F, Hidden as H, SignIn as S};

/// A form's fields other than its CSRF token.
type Fields = Vec<(String, String)>;

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
async fn sessions(app: &App) -> (i64, i64) {
    let own = activate(app, app.pair1, "l1@lab.test", "m1@lab.test").await[0];
    let other = activate(app, app.pair2, "l2@lab.test", "m2@lab.test").await[0];
    move_to_past(app, own).await;
    (own, other)
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

fn check(who: Option<&str>, method: &str, uri: &str, status: StatusCode, location: Option<&str>, want: Want) {
    let to_sign_in = status == StatusCode::SEE_OTHER && location == Some(sign_in_for(method, uri).as_str());
    let ok = match want {
        A => {
            let refused = [StatusCode::BAD_REQUEST, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND];
            !to_sign_in && !refused.contains(&status) && status.as_u16() < 500
        }
        F => status == StatusCode::FORBIDDEN,
        H => status == StatusCode::NOT_FOUND,
        S => to_sign_in,
    };
    assert!(ok, "{who:?} {method} {uri}: expected {want:?}, got {status} (to {location:?})");
}

async fn every_page_route_by_every_role_over_own_and_others_resources(app: App) {
    let (own_s, other_s) = sessions(&app).await;
    let (p, b, pair1, pair2) = (app.program, app.program + 1, app.pair1, app.pair2);
    let (own_i, other_i) = insights(&app).await;
    let link = plab_app::accounts::issue_password_link(
        &app.store,
        "newcomer@lab.test",
        "cli:operator",
        plab_app::sso::PasswordSignIn::Everyone,
    )
    .await
    .expect("link");
    #[rustfmt::skip]
    let gets: Vec<(String, [Want; 8])> = vec![
        //                                   l1 m1 s  l2 s2 m3 admin anon
        ("/home".into(),                      [A, A, A, A, A, A, A, S]),
        ("/account".into(),                   [A, A, A, A, A, A, A, S]),
        ("/forgot-password".into(),           [A, A, A, A, A, A, A, A]),
        (format!("/set-password/{link}"),     [A, A, A, A, A, A, A, A]),
        ("/set-password/not-a-link".into(),   [H, H, H, H, H, H, H, H]),
        (format!("/programs/{p}"),            [F, F, A, F, H, H, H, S]),
        (format!("/programs/{b}"),            [H, H, H, H, A, F, H, S]),
        (format!("/programs/{p}/pairing"),    [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/question"),   [A, F, F, A, H, H, H, S]),
        (format!("/programs/{p}/mentor"),     [F, A, F, F, H, H, H, S]),
        (format!("/programs/{b}/mentor"),     [H, H, H, H, F, A, H, S]),
        (format!("/pairs/{pair1}"),           [A, A, A, H, H, H, H, S]),
        (format!("/pairs/{pair2}"),           [H, H, A, A, H, H, H, S]),
        (format!("/sessions/{own_s}"),        [A, A, F, H, H, H, H, S]),
        (format!("/sessions/{other_s}"),      [H, H, F, A, H, H, H, S]),
        (format!("/programs/{p}/report.csv"), [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/report.json"), [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/self-assessment/baseline"), [A, A, F, A, H, H, H, S]),
        ("/people/import".into(),             [F, F, A, F, A, F, A, S]),
        ("/programs/new".into(),              [F, F, A, F, A, F, A, S]),
        (format!("/programs/{p}/people"),     [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/people?q=name&level=2"), [F, F, A, F, H, H, H, S]),
        ("/admin".into(),                     [F, F, F, F, F, F, A, S]),
        (format!("/pairs/{pair1}/checkin"),   [A, A, F, H, H, H, H, S]),
        (format!("/pairs/{pair2}/checkin"),   [H, H, F, A, H, H, H, S]),
        (format!("/pairs/{pair1}/checkins/leader"), [F, F, A, H, H, H, H, S]),
        (format!("/pairs/{pair1}/checkins/mentor"), [F, F, A, H, H, H, H, S]),
        (format!("/programs/{p}/checkins"),   [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/insights"),   [F, F, A, F, H, H, H, S]),
        (format!("/pairs/{pair1}/insights"),  [A, F, F, H, H, H, H, S]),
        (format!("/insights/{own_i}"),        [A, F, F, H, H, H, H, S]),
        (format!("/insights/{other_i}"),      [H, H, F, A, H, H, H, S]),
    ];
    let rule = |extra: &[(&str, &str)]| extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    #[rustfmt::skip]
    let posts: Vec<(String, Fields, [Want; 8])> = vec![
        (format!("/programs/{p}/pairing/run"), rule(&[]),                                       [F, F, A, F, H, H, H, S]),
        ("/programs/new".into(), rule(&[("name", "Autumn cohort"), ("starts_on", "2031-09-01"), ("sessions", "6"),
            ("cadence_days", "14"), ("session_minutes", "60"), ("checkin_after", "3"), ("min_group_size", "5"),
            ("default_mentor_capacity", "1")]),                                                 [F, F, A, F, A, F, A, S]),
        (format!("/programs/{p}/pairing/sharpen"), rule(&[("leader", "L1")]),                 [F, F, A, F, H, H, H, S]),
        ("/account/timezone".into(), rule(&[("timezone", "Europe/Berlin")]),                   [A, A, A, A, A, A, A, S]),
        ("/account/mail".into(), rule(&[("reminders", "on")]),                                 [A, A, A, A, A, A, A, S]),
        ("/coach".into(), rule(&[("text", "Why do new analysts skip our Friday demo?")]),     [A, A, A, A, A, A, A, S]),
        ("/admin/accounts".into(), rule(&[("email", "nobody@lab.test"), ("action", "disable")]),   [F, F, F, F, F, F, H, S]),
        (format!("/programs/{p}/people"), rule(&[("role", "mentor"), ("person", "CEO")]),       [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/pairing/rule"), rule(&[("leader", "L1"), ("mentor", "M2"), ("rule", "forbid")]),
                                                                                                [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/pairing/approve"), rule(&[("proposal", "1")]),                  [F, F, A, F, H, H, H, S]),
        (format!("/programs/{p}/question"), rule(&[("text", "Why do new analysts skip our Friday demo?")]),
                                                                                                [A, F, F, A, H, H, H, S]),
        (format!("/programs/{p}/mentor"), rule(&[("pairing", "out")]),                         [F, A, F, F, H, H, H, S]),
        (format!("/programs/{p}/mentor/perspectives"), rule(&[("perspectives", "TikTok campaigns")]),
                                                                                                [F, A, F, F, H, H, H, S]),
        (format!("/pairs/{pair1}/notes"), rule(&[("body", "a candid observation")]),            [A, A, F, H, H, H, H, S]),
        (format!("/pairs/{pair1}/charter"), rule(&[]),                                          [A, A, F, H, H, H, H, S]),
        (format!("/pairs/{pair2}/notes"), rule(&[("body", "not my pair")]),                     [H, H, F, A, H, H, H, S]),
        (format!("/sessions/{own_s}/hold"), rule(&[("homework", "try the chat")]),              [A, A, F, H, H, H, H, S]),
        (format!("/sessions/{own_s}/pulse"), rule(&[("listened", "4"), ("focused", "4"), ("shared_challenge", "3")]),
                                                                                                [A, A, F, H, H, H, H, S]),
        (format!("/sessions/{other_s}/reschedule"), rule(&[("starts_at", "2030-01-14T10:00")]), [H, H, F, A, H, H, H, S]),
        (format!("/sessions/{other_s}/reschedule"), rule(&[("starts_at", "2030-01-14T10:00"), ("scope", "rest"), ("action", "preview")]),
                                                                                                [H, H, F, A, H, H, H, S]),
        (format!("/sessions/{own_s}/segments"), rule(&[("segment", "Connect"), ("minutes", "9")]), [A, A, F, H, H, H, H, S]),
        (format!("/programs/{p}/self-assessment/closing"), rule(&[("digital_fluency", "3"), ("empathy_employees", "3"), ("empathy_customers", "3")]),
                                                                                                [A, A, F, A, H, H, H, S]),
        (format!("/sessions/{other_s}/cancel"), rule(&[]),                                      [H, H, F, A, H, H, H, S]),
        (format!("/pairs/{pair1}/checkin"), rule(&[("insight", "a"), ("change", "b")]),          [A, A, F, H, H, H, H, S]),
        (format!("/pairs/{pair1}/checkins/mentor"), rule(&[("view_of_organization", "a"), ("heard", "4")]),
                                                                                                [F, F, A, H, H, H, H, S]),
        (format!("/pairs/{pair1}/insights"), rule(&[("kind", "action"), ("theme", "technology"), ("text", "tried the chat")]),
                                                                                                [A, F, F, H, H, H, H, S]),
        (format!("/insights/{own_i}"), rule(&[("kind", "decision"), ("theme", "technology"), ("text", "edited")]),
                                                                                                [A, F, F, H, H, H, H, S]),
        (format!("/insights/{other_i}/delete"), rule(&[]),                                      [H, H, F, A, H, H, H, S]),
        ("/admin/settings".into(), rule(&[("instance_name", "Lab")]),                          [F, F, F, F, F, F, A, S]),
        ("/admin/links".into(), rule(&[("email", "m2@lab.test")]),                              [F, F, F, F, F, F, A, S]),
        ("/account/calendar".into(), rule(&[]),                                                 [A, A, A, A, A, A, A, S]),
        ("/account/reset-notice".into(), rule(&[]),                                             [A, A, A, A, A, A, A, S]),
        ("/account/password".into(), rule(&[("current", "wrong-password"), ("new", "long-enough-1")]),
                                                                                                [A, A, A, A, A, A, A, S]),
    ];
    for (column, who) in WHO.iter().enumerate() {
        let (cookie, csrf) = match who {
            Some(email) => {
                let (c, t) = sign_in(&app, email).await;
                (Some(c), t)
            }
            None => (None, String::new()),
        };
        for (uri, wants) in &gets {
            let page = send(&app, "GET", uri, cookie.as_deref(), None).await;
            check(*who, "GET", uri, page.status, page.location.as_deref(), wants[column]);
            // Downloads are the report itself; everything else is a page.
            if wants[column] == A && !uri.contains("/report.") {
                assert!(page.html.contains("<main"), "{who:?} GET {uri}: not a page");
            }
        }
        for (uri, fields, wants) in &posts {
            let mut fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            fields.push(("csrf", &csrf));
            let page = send(&app, "POST", uri, cookie.as_deref(), Some(&form(&fields))).await;
            check(*who, "POST", uri, page.status, page.location.as_deref(), wants[column]);
        }
    }
    // Nothing the refused posts carried was written.
    let token = app.login("l2@lab.test").await;
    let (_, notes) = app.call("GET", &format!("/api/v1/pairs/{pair2}/notes"), Some(&token), None).await;
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "only l2's own note: {notes}");
}

crate::backends!(every_page_route_by_every_role_over_own_and_others_resources,);
