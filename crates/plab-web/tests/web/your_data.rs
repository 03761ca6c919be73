//! A person's export (GDPR Art. 15 and 20): every kind of the person's data,
//! their pairs' notes from both partners, and nothing of anyone else's
//! private answers; the readable page; who may download it.
use crate::common::browser::{send, sign_in};
use crate::common::{App, Held, activate, assert_error_json, hold_first_three};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use plab_domain::ProgramId;
use serde_json::{Value, json};
use tower::ServiceExt;

const KEYS: [&str; 19] = [
    "commitments",
    "format",
    "exported_at",
    "person",
    "accounts",
    "programs",
    "questions",
    "pairs",
    "sessions",
    "notes",
    "pulses",
    "checkins",
    "self_assessments",
    "exit_answers",
    "fit_answers",
    "insights",
    "mail",
    "audit",
    // Issue 23: the concerns the person raised.
    "concerns",
];

const LEADER_NOTE: &str = "canary-leader-note-1187";
const MENTOR_NOTE: &str = "canary-mentor-note-2291";
const HOMEWORK: &str = "canary-homework-3307";
const LEADER_CHECKIN: &str = "canary-leader-checkin-4413";
const MENTOR_CHECKIN: &str = "canary-mentor-checkin-5519";
const MENTOR_HEARD: &str = "canary-mentor-heard-6623";
const LEADER_INSIGHT: &str = "canary-leader-insight-7741";
const QUESTION_V1: &str = "How might canary-question-first-9901 help my team adopt our new planning tool?";
const QUESTION_V2: &str = "How might canary-question-second-9902 help my sales team adopt AI tools by June?";
const THIRD_NOTE: &str = "canary-third-person-note-1033";

/// GET the export with these headers: status, response headers, JSON.
async fn export(app: &App, headers: &[(&str, String)]) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::builder().method("GET").uri("/api/v1/me/export");
    for (name, value) in headers {
        req = req.header(*name, value.as_str());
    }
    let resp = app.router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("response");
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn export_as(app: &App, email: &str) -> Value {
    let token = app.login(email).await;
    let (status, _, doc) = export(app, &[("authorization", format!("Bearer {token}"))]).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    doc
}

async fn ok(app: &App, method: &str, uri: &str, token: &str, body: Value) {
    let (status, answer) = app.call(method, uri, Some(token), Some(body.to_string())).await;
    assert!(status.is_success(), "{method} {uri}: {status} {answer}");
}

/// Pair 1 (L1 and M1) held three sessions; each partner wrote a note, a
/// pulse, a check-in and a self-assessment; L1 (only leaders keep the
/// insight log) an insight and two versions of a question. Pair 2 (L2 and M2), third persons, wrote a note.
async fn world(app: &App) {
    let held = Held { homework: HOMEWORK, leader: [5, 5, 5], mentor: [1, 1, 1], timed: false };
    hold_first_three(app, &held).await;
    let (l1, m1) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let pair = app.pair1;
    ok(app, "POST", &format!("/api/v1/pairs/{pair}/notes"), &l1, json!({"body": LEADER_NOTE})).await;
    ok(app, "POST", &format!("/api/v1/pairs/{pair}/notes"), &m1, json!({"body": MENTOR_NOTE})).await;
    let checkin = format!("/api/v1/pairs/{pair}/checkins/me");
    ok(app, "PUT", &checkin, &l1, json!({"insight": LEADER_CHECKIN, "change": "a new weekly habit"})).await;
    let mentor = json!({"view_of_organization": MENTOR_CHECKIN, "heard": 4, "heard_comment": MENTOR_HEARD});
    ok(app, "PUT", &checkin, &m1, mentor).await;
    let insight = |text: &str| json!({"kind": "decision", "theme": "technology", "text": text});
    ok(app, "POST", &format!("/api/v1/pairs/{pair}/insights"), &l1, insight(LEADER_INSIGHT)).await;
    let assess = format!("/api/v1/programs/{}/me/self-assessment/baseline", app.program);
    let leader = json!({"answers": {"digital_fluency": 2, "empathy_employees": 2, "empathy_customers": 2}});
    ok(app, "PUT", &assess, &l1, leader).await;
    let (status, mine) = app.call("GET", &assess, Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let answers: serde_json::Map<String, Value> = mine["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| (s["code"].as_str().expect("code").to_owned(), json!(4)))
        .collect();
    ok(app, "PUT", &assess, &m1, json!({"answers": answers})).await;
    for text in [QUESTION_V1, QUESTION_V2] {
        plab_app::programs::set_question(&app.store, ProgramId(app.program), "L1", text).await.expect("question");
    }
    activate(app, app.pair2, "l2@lab.test", "m2@lab.test").await;
    let l2 = app.login("l2@lab.test").await;
    ok(app, "POST", &format!("/api/v1/pairs/{}/notes", app.pair2), &l2, json!({"body": THIRD_NOTE})).await;
}

fn all_of<'a>(doc: &'a Value, key: &str) -> &'a Vec<Value> {
    doc[key].as_array().unwrap_or_else(|| panic!("{key} is a list: {doc}"))
}

fn has_exactly_the_contracts_keys(doc: &Value) {
    let mut keys: Vec<&str> = doc.as_object().expect("object").keys().map(String::as_str).collect();
    let mut want = KEYS.to_vec();
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want);
}

async fn a_leaders_export_holds_all_their_data_and_their_pairs_notes_but_no_one_elses_answers(app: App) {
    world(&app).await;
    let doc = export_as(&app, "l1@lab.test").await;
    has_exactly_the_contracts_keys(&doc);
    let text = doc.to_string();
    for mine in [LEADER_NOTE, MENTOR_NOTE, HOMEWORK, LEADER_CHECKIN, LEADER_INSIGHT, QUESTION_V1, QUESTION_V2] {
        assert!(text.contains(mine), "{mine} is missing: {doc:#}");
    }
    for theirs in [MENTOR_CHECKIN, MENTOR_HEARD, THIRD_NOTE, "m2@lab.test", "Name L2"] {
        assert!(!text.contains(theirs), "{theirs} must not be in the leader's export");
    }
    assert!(!text.contains("$argon2") && !text.contains("password_hash") && !text.contains("token_hash"));
    assert_eq!(doc["person"]["employee_id"], "L1");
    assert_eq!(doc["person"]["email"], "l1@lab.test");
    let accounts = all_of(&doc, "accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["email"], "l1@lab.test");
    assert!(!all_of(&accounts[0], "signed_in_sessions").is_empty(), "{}", accounts[0]);
    let programs = all_of(&doc, "programs");
    assert_eq!((programs.len(), programs[0]["role"].as_str()), (1, Some("leader")), "{programs:?}");
    let versions: Vec<i64> = all_of(&doc, "questions").iter().filter_map(|q| q["version"].as_i64()).collect();
    assert_eq!(versions, [1, 2]);
    let pairs = all_of(&doc, "pairs");
    assert_eq!((pairs.len(), pairs[0]["partner_name"].as_str()), (1, Some("Name M1")), "{pairs:?}");
    assert_eq!(pairs[0]["partner_role"], "mentor");
    assert!(all_of(&doc, "sessions").iter().all(|s| s["pair_id"] == app.pair1));
    let notes = all_of(&doc, "notes");
    assert_eq!(notes.len(), 2, "both partners' notes: {notes:?}");
    // Only their own answers: nine pulse answers of three sessions, a leader's each.
    let pulses = all_of(&doc, "pulses");
    assert_eq!(pulses.len(), 9, "{pulses:?}");
    assert!(pulses.iter().all(|p| p["role"] == "leader" && p["value"] == 5), "{pulses:?}");
    let checkins = all_of(&doc, "checkins");
    assert!(checkins.len() == 1 && checkins[0]["role"] == "leader", "{checkins:?}");
    let assessed = all_of(&doc, "self_assessments");
    assert!(assessed.len() == 3 && assessed.iter().all(|a| a["role"] == "leader" && a["value"] == 2), "{assessed:?}");
    let insights = all_of(&doc, "insights");
    assert!(insights.len() == 1 && insights[0]["body"] == LEADER_INSIGHT, "{insights:?}");
    let audit = all_of(&doc, "audit");
    assert!(audit.iter().all(|e| !e.to_string().contains("canary")), "the audit holds no content");
    // This export is audited by employee id, never by e-mail or name.
    let again = export_as(&app, "l1@lab.test").await;
    let entry = all_of(&again, "audit").iter().find(|e| e["action"] == "person.export").cloned().expect("audited");
    assert_eq!((entry["actor"].as_str(), entry["subject"].as_str()), (Some("L1"), Some("L1")), "{entry}");
}

async fn a_mentors_export_holds_their_answers_and_both_notes_but_not_the_leaders_answers(app: App) {
    world(&app).await;
    let doc = export_as(&app, "m1@lab.test").await;
    has_exactly_the_contracts_keys(&doc);
    let text = doc.to_string();
    for mine in [MENTOR_NOTE, LEADER_NOTE, HOMEWORK, MENTOR_CHECKIN, MENTOR_HEARD] {
        assert!(text.contains(mine), "{mine} is missing: {doc:#}");
    }
    for theirs in [LEADER_CHECKIN, LEADER_INSIGHT, QUESTION_V1, QUESTION_V2, THIRD_NOTE, "m2@lab.test"] {
        assert!(!text.contains(theirs), "{theirs} must not be in the mentor's export");
    }
    let pulses = all_of(&doc, "pulses");
    assert!(pulses.len() == 9 && pulses.iter().all(|p| p["role"] == "mentor" && p["value"] == 1), "{pulses:?}");
    let assessed = all_of(&doc, "self_assessments");
    assert!(!assessed.is_empty() && assessed.iter().all(|a| a["role"] == "mentor" && a["value"] == 4), "{assessed:?}");
    assert!(all_of(&doc, "checkins").iter().all(|c| c["role"] == "mentor"));
    assert!(all_of(&doc, "questions").is_empty());
    assert_eq!(all_of(&doc, "pairs")[0]["partner_name"], "Name L1");
    // The third person's export has their own note, and nothing of pair 1.
    let third = export_as(&app, "l2@lab.test").await.to_string();
    assert!(third.contains(THIRD_NOTE));
    for other in [LEADER_NOTE, MENTOR_NOTE, HOMEWORK, LEADER_CHECKIN, MENTOR_CHECKIN, LEADER_INSIGHT] {
        assert!(!third.contains(other), "{other} must not be in a third person's export");
    }
}

async fn the_export_is_a_download_for_any_signed_in_account_and_refused_to_anyone_else(app: App) {
    let token = app.login("s@lab.test").await;
    let (status, headers, doc) = export(&app, &[("authorization", format!("Bearer {token}"))]).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-disposition"), "attachment; filename=\"perspective-lab-export.json\"");
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("content-type").starts_with("application/json"));
    assert_eq!(all_of(&doc, "programs")[0]["role"], "sponsor");
    // An administrator who is no one in the directory gets their account.
    let admin = export_as(&app, "admin@ops.test").await;
    has_exactly_the_contracts_keys(&admin);
    assert!(admin["person"].is_null() && all_of(&admin, "programs").is_empty(), "{admin}");
    assert_eq!(all_of(&admin, "accounts")[0]["email"], "admin@ops.test");
    // The browser's session cookie downloads it too (the account page's link).
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let (status, _, doc) = export(&app, &[("cookie", cookie)]).await;
    assert_eq!((status, doc["person"]["employee_id"].as_str()), (StatusCode::OK, Some("M1")));
    for bad in [
        vec![],
        vec![("authorization", "Bearer not-a-token".to_owned())],
        vec![("cookie", "plab_session=nope".to_owned())],
    ] {
        let (status, _, body) = export(&app, &bad).await;
        assert_error_json(status, &body, StatusCode::UNAUTHORIZED);
    }
    use StatusCode as C;
    let routes = [("GET", "/api/v1/me/export".to_owned(), None)];
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 1])> = vec![
        (Some("l1@lab.test"),    [C::OK]),
        (Some("m1@lab.test"),    [C::OK]),
        (Some("s@lab.test"),     [C::OK]),
        (Some("s2@lab.test"),    [C::OK]),
        (Some("admin@ops.test"), [C::OK]),
        (None,                   [C::UNAUTHORIZED]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
}

async fn the_readable_page_shows_the_same_data_in_plain_headings_and_links_the_download(app: App) {
    world(&app).await;
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let account = send(&app, "GET", "/account", Some(&cookie), None).await;
    assert!(account.html.contains("Download your data") && account.html.contains("href=\"/account/data\""));
    let page = send(&app, "GET", "/account/data", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for words in [
        "Everything Perspective Lab holds about you",
        "Your pulse answers",
        "The notes of your pairs",
        "/api/v1/me/export",
    ] {
        assert!(page.html.contains(words), "{words}: {}", page.html);
    }
    for mine in [LEADER_NOTE, MENTOR_NOTE, LEADER_CHECKIN, LEADER_INSIGHT, "canary-question-second-9902"] {
        assert!(page.html.contains(mine), "{mine} is missing from the page");
    }
    for theirs in [MENTOR_CHECKIN, THIRD_NOTE] {
        assert!(!page.html.contains(theirs), "{theirs} must not be on the leader's page");
    }
    let anonymous = send(&app, "GET", "/account/data", None, None).await;
    assert!(anonymous.status.is_redirection(), "to sign-in: {}", anonymous.status);
}

crate::backends!(
    a_leaders_export_holds_all_their_data_and_their_pairs_notes_but_no_one_elses_answers,
    a_mentors_export_holds_their_answers_and_both_notes_but_not_the_leaders_answers,
    the_export_is_a_download_for_any_signed_in_account_and_refused_to_anyone_else,
    the_readable_page_shows_the_same_data_in_plain_headings_and_links_the_download,
);
