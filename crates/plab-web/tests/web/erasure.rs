//! Erasure (GDPR Art. 17): the leader L1 of pair 1 writes notes, homework,
//! pulses, a check-in, a self-assessment, an insight and a research question,
//! each holding a canary; their mentor M1 writes notes with another. After
//! `plab_app::erasure::erase`, L1's name, address and canary are found in no
//! table (but the audit log, which the lead's audit chain redacts), no page or
//! API answer the partner, the sponsor or the administrator reach, and on
//! SQLite not in the database file nor its write-ahead log; M1's notes
//! survive; released averages stay frozen; a second run erases nothing;
//! L1 cannot sign in. The administrators' requests by every role.

use crate::common::browser::{form, send, sign_in};
use crate::common::{App, Held, PASSWORD, hold_first_three};
use axum::http::StatusCode;
use plab_app::{erasure, programs};
use plab_domain::ProgramId;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

crate::backends!(
    an_erased_person_is_found_in_no_table_page_answer_or_file_and_their_partners_notes_survive,
    released_averages_stay_frozen_and_never_move_by_the_erased_persons_answers,
    erasing_twice_erases_nothing_more_and_an_unknown_id_is_refused_by_field,
    an_administrator_requests_an_erasure_that_the_operator_run_marks_done,
    the_erasure_request_routes_answer_administrators_only,
);

const NAME: &str = "Name L1";
const EMAIL: &str = "l1@lab.test";
const CANARY: &str = "Quokka7731";
const PARTNER_CANARY: &str = "Pangolin4410";

fn body(v: Value) -> Option<String> {
    Some(v.to_string())
}

/// Mail on (into a port nothing listens on: the outbox fills, nothing is sent).
fn with_mail(app: App) -> App {
    crate::mail::with_post(app, crate::mail::post_to(9))
}

/// Pair 1 holds three sessions and L1 writes something private of every kind.
async fn l1_writes_everything(app: &App) {
    let homework = format!("Read the {CANARY} onboarding wiki");
    hold_first_three(app, &Held { homework: &homework, leader: [4, 5, 3], mentor: [5, 4, 4], timed: true }).await;
    let (l1, m1) = (app.login(EMAIL).await, app.login("m1@lab.test").await);
    let notes = format!("/api/v1/pairs/{}/notes", app.pair1);
    let (status, v) = app.call("POST", &notes, Some(&l1), body(json!({"body": format!("I noticed {CANARY}")}))).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) =
        app.call("POST", &notes, Some(&m1), body(json!({"body": format!("My own view: {PARTNER_CANARY}")}))).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let checkin = json!({"insight": format!("{CANARY} insight"), "change": format!("{CANARY} change")});
    let (status, v) =
        app.call("PUT", &format!("/api/v1/pairs/{}/checkins/me", app.pair1), Some(&l1), body(checkin)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let insight = json!({"kind": "decision", "theme": "technology", "text": format!("Moved the {CANARY} deck")});
    let (status, v) =
        app.call("POST", &format!("/api/v1/pairs/{}/insights", app.pair1), Some(&l1), body(insight)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let answers = json!({"answers": {"digital_fluency": 2, "empathy_employees": 3, "empathy_customers": 4}});
    let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", app.program);
    let (status, v) = app.call("PUT", &uri, Some(&l1), body(answers)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let question = format!("How do new analysts in {CANARY} decide which internal tools to trust?");
    programs::set_question(&app.store, ProgramId(app.program), "L1", &question).await.expect("question");
    // A failed sign-in leaves a row keyed by the address.
    assert_eq!(app.try_login(EMAIL, "not-the-password").await.0, StatusCode::UNAUTHORIZED);
}

/// Every page and API answer `who` reaches here, each checked for the
/// erased person's name, address and canary.
async fn nothing_shows_on(app: &App, who: &str, pages: &[String], api: &[String]) {
    let (cookie, _) = sign_in(app, who).await;
    for uri in pages {
        let page = send(app, "GET", uri, Some(&cookie), None).await;
        assert_eq!(page.status, StatusCode::OK, "{who} {uri}");
        for needle in [NAME, EMAIL, CANARY] {
            assert!(!page.html.contains(needle), "{who} reads {needle} on {uri}");
        }
    }
    let token = app.login(who).await;
    for uri in api {
        let (status, value) = app.call("GET", uri, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{who} {uri}: {value}");
        let text = value.to_string();
        for needle in [NAME, EMAIL, CANARY] {
            assert!(!text.contains(needle), "{who} reads {needle} in {uri}: {text}");
        }
    }
}

async fn an_erased_person_is_found_in_no_table_page_answer_or_file_and_their_partners_notes_survive(app: App) {
    let app = with_mail(app);
    l1_writes_everything(&app).await;
    let l1_token = app.login(EMAIL).await;
    let before = plab_store::testing::sweep::find_anywhere(&app.store, &[CANARY]).await;
    assert!(!before.is_empty(), "the canary is stored in the clear somewhere before: the sweep can fail");

    // Something they did earlier is in the audit log under their address.
    app.store.audit(EMAIL, "account.sign_out_everywhere", EMAIL, "every sign-in ended").await.expect("audit");
    let record = erasure::erase(&app.store, Some((&*app.state.vault, &app.state.post)), "cli:operator", "L1")
        .await
        .expect("erase");
    assert_eq!(record.employee_id, "L1");
    for kind in ["notes", "homework", "pulses", "checkins", "self_assessments", "insights", "questions", "accounts"] {
        assert!(record.counts[kind] >= 1, "{kind} erased: {:?}", record.counts);
    }
    assert_eq!((record.counts["person"], record.counts["pairs_ended"]), (1, 1), "{:?}", record.counts);

    // (a) Every table, every text and blob column.
    let hits: Vec<String> =
        plab_store::testing::sweep::find_anywhere(&app.store, &[NAME, EMAIL, CANARY]).await.into_iter().collect();
    assert!(hits.is_empty(), "the erased person is still found: {hits:#?}");
    // The audit log lost their words, and its chain is still whole.
    let chain = app.store.verify_audit_chain().await.expect("verify");
    assert_eq!(chain.problem, None, "{chain:?}");
    assert!(record.counts["audit_entries_redacted"] >= 1, "{:?}", record.counts);

    // The pair ended with the reason; the partner is told, the erased person is not.
    let pair = app.store.pair(plab_domain::PairId(app.pair1)).await.expect("pair");
    assert_eq!(pair.status, plab_domain::pair::PairStatus::Ended);
    let outbox = String::from_utf8_lossy(&plab_store::testing::outbox_bytes(&app.store).await).into_owned();
    assert!(outbox.contains(&format!("pair_ended:{}:M1", app.pair1)), "the partner is told");
    assert!(!outbox.contains(&format!("pair_ended:{}:L1", app.pair1)) && !outbox.contains(EMAIL));

    // (b) What the partner, the sponsor and the administrator reach.
    let (p, pair1) = (app.program, app.pair1);
    nothing_shows_on(
        &app,
        "m1@lab.test",
        &["/home".into(), format!("/pairs/{pair1}"), format!("/programs/{p}/mentor"), "/account".into()],
        &["/api/v1/me".into(), format!("/api/v1/pairs/{pair1}"), format!("/api/v1/pairs/{pair1}/notes")],
    )
    .await;
    nothing_shows_on(
        &app,
        "s@lab.test",
        &[
            "/home".into(),
            format!("/programs/{p}"),
            format!("/programs/{p}/pairing"),
            format!("/pairs/{pair1}"),
            format!("/programs/{p}/people"),
            format!("/programs/{p}/people?q=Name"),
            format!("/programs/{p}/report.json"),
            format!("/programs/{p}/report.csv"),
            format!("/programs/{p}/pairs.csv"),
            format!("/programs/{p}/checkins"),
            format!("/programs/{p}/activity"),
        ],
        &[
            format!("/api/v1/programs/{p}/report"),
            format!("/api/v1/programs/{p}/report/pairs"),
            format!("/api/v1/programs/{p}/pairs"),
            format!("/api/v1/programs/{p}/people"),
            format!("/api/v1/programs/{p}/enrolments"),
            format!("/api/v1/programs/{p}/checkins"),
            format!("/api/v1/programs/{p}/insights"),
            format!("/api/v1/pairs/{pair1}"),
        ],
    )
    .await;
    nothing_shows_on(
        &app,
        "admin@ops.test",
        &["/admin".into(), "/admin?q=l1".into(), "/home".into(), "/admin/audit".into(), "/admin/audit.csv".into()],
        &["/api/v1/admin/erasure-requests".into(), "/api/v1/admin/audit?limit=1000".into()],
    )
    .await;
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{pair1}"), Some(&cookie), None).await;
    assert!(page.html.contains(plab_store::ERASED_NAME), "the pair stays, its leader shown as erased");

    // (c) SQLite: the file and its write-ahead log, free pages included.
    if let Some(dir) = app.db().dir() {
        for needle in [NAME, EMAIL, CANARY] {
            for file in ["plab.db", "plab.db-wal"] {
                let bytes = std::fs::read(dir.join(file)).unwrap_or_default();
                let found = bytes.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
                assert!(!found, "{needle} is still in {file}");
            }
        }
        let file = std::fs::read(dir.join("plab.db")).expect("database file");
        assert!(file.windows(PARTNER_CANARY.len()).all(|w| w != PARTNER_CANARY.as_bytes()), "notes are sealed");
    }

    // (d) The partner's own notes survive and open; L1's are gone.
    let m1 = app.login("m1@lab.test").await;
    let (status, notes) = app.call("GET", &format!("/api/v1/pairs/{pair1}/notes"), Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK, "{notes}");
    let notes = notes.as_array().expect("notes").clone();
    assert!(notes.iter().any(|n| n["body"].as_str().is_some_and(|b| b.contains(PARTNER_CANARY))), "{notes:?}");
    assert!(notes.iter().all(|n| n["author"] != "L1"), "{notes:?}");

    // (g) The erased account cannot sign in, and its token is refused.
    assert_eq!(app.try_login(EMAIL, PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call("GET", "/api/v1/me", Some(&l1_token), None).await.0, StatusCode::UNAUTHORIZED);
}

/// The self-assessment's baseline average of `digital_fluency` in program `c`, as its sponsor reads it.
async fn digital_fluency(app: &App, c: ProgramId) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", &format!("/api/v1/programs/{}/report", c.0), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let outcomes = r["self_assessment"].as_array().expect("self_assessment");
    outcomes.iter().find(|o| o["item"] == "digital_fluency").expect("item")["baseline"].clone()
}

async fn released_averages_stay_frozen_and_never_move_by_the_erased_persons_answers(app: App) {
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let c = programs::create(&app.store, "C", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program C");
    for (role, ids) in [(Role::Sponsor, vec!["S"]), (Role::Leader, vec!["L1", "L2", "L3"])] {
        let ids: Vec<String> = ids.into_iter().map(String::from).collect();
        programs::enroll(&app.store, c, role, &ids, None, "test").await.expect("enroll");
    }
    let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", c.0);
    let answer =
        |v: i64| body(json!({"answers": {"digital_fluency": v, "empathy_employees": 3, "empathy_customers": 3}}));
    for (who, v) in [(EMAIL, 1), ("l2@lab.test", 5)] {
        let token = app.login(who).await;
        assert_eq!(app.call("PUT", &uri, Some(&token), answer(v)).await.0, StatusCode::OK);
    }
    assert_eq!(digital_fluency(&app, c).await, json!(3.0), "released on two answers");

    let record = erasure::erase(&app.store, None, "cli:operator", "L1").await.expect("erase");
    assert!(record.counts["released_answers"] >= 1, "L1's share of the release basis goes: {:?}", record.counts);
    // Recomputed on L2 alone it would read 5.0: L1's answer by subtraction.
    assert_eq!(digital_fluency(&app, c).await, json!(3.0), "the released figure stays as it was");
    // One more answer alone does not release a new figure either: the erased
    // answer no longer counts as a change that would make up the group.
    let l3 = app.login("l3@lab.test").await;
    assert_eq!(app.call("PUT", &uri, Some(&l3), answer(4)).await.0, StatusCode::OK);
    assert_eq!(digital_fluency(&app, c).await, json!(3.0), "L3's answer alone is not released");
    // Once the group's worth of others changed, the figure moves on their answers only.
    let l2 = app.login("l2@lab.test").await;
    assert_eq!(app.call("PUT", &uri, Some(&l2), answer(3)).await.0, StatusCode::OK);
    assert_eq!(digital_fluency(&app, c).await, json!(3.5), "L2 and L3 only");
}

async fn erasing_twice_erases_nothing_more_and_an_unknown_id_is_refused_by_field(app: App) {
    l1_writes_everything(&app).await;
    let first = erasure::erase(&app.store, None, "cli:operator", "L1").await.expect("first");
    assert!(first.counts.values().sum::<u64>() > 0);
    let snapshot = plab_store::testing::every_row(&app.store).await;
    let again = erasure::erase(&app.store, None, "cli:operator", "L1").await.expect("again");
    assert!(again.counts.values().all(|n| *n == 0), "{:?}", again.counts);
    assert_eq!(again.counts.keys().collect::<Vec<_>>(), first.counts.keys().collect::<Vec<_>>(), "same kinds");
    let after = plab_store::testing::every_row(&app.store).await;
    for (table, rows) in &snapshot {
        // One more deletion record and its audit entry; PostgreSQL's
        // statement triggers count the revision up for updates of no row.
        if ["erasures", "audit_log", "audit_head", "data_revision"].contains(&table.as_str()) {
            continue;
        }
        assert_eq!(Some(rows), after.get(table), "{table} changed on the second run");
    }
    assert_eq!(app.store.erasures(Some("L1")).await.expect("records").len(), 2);
    match erasure::erase(&app.store, None, "cli:operator", "NOBODY").await {
        Err(plab_app::AppError::Invalid(problems)) => {
            assert_eq!(problems[0].field.as_deref(), Some("employee_id"));
            assert!(problems[0].message.contains("NOBODY"), "{problems:?}");
        }
        other => panic!("an unknown id is the user's mistake: {other:?}"),
    }
    // The audit entry: counts, by employee id, never content.
    let audit = app.store.audit_log(10).await.expect("audit");
    let entry = audit.iter().find(|e| e.action == "person.erase").expect("audited");
    assert_eq!(entry.subject, "L1");
    assert!(entry.detail.contains("\"notes\"") && !entry.detail.contains(CANARY), "{}", entry.detail);
}

async fn an_administrator_requests_an_erasure_that_the_operator_run_marks_done(app: App) {
    let (cookie, csrf) = sign_in(&app, "admin@ops.test").await;
    let missing = form(&[("csrf", &csrf), ("employee_id", "NOBODY"), ("reason", "")]);
    let page = send(&app, "POST", "/admin/erasure-requests", Some(&cookie), Some(&missing)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"erasure-reason-error\"") && page.html.contains("value=\"NOBODY\""), "input kept");
    let asked = form(&[("csrf", &csrf), ("employee_id", "M3"), ("reason", "asked by the person on 3 May")]);
    let page = send(&app, "POST", "/admin/erasure-requests", Some(&cookie), Some(&asked)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let location = page.location.expect("redirect");
    let page = send(&app, "GET", &location, Some(&cookie), None).await;
    assert!(page.html.contains("id=\"erasure-requested\""), "says it was requested");
    assert!(page.html.contains("plab person erase --employee-id M3 --yes"), "names the operator's command");
    let pending = erasure::all_requests(&app.store, true).await.expect("pending");
    assert_eq!(pending.iter().map(|r| r.employee_id.as_str()).collect::<Vec<_>>(), ["M3"]);
    assert!(app.store.audit_log(5).await.expect("audit").iter().any(|e| e.action == "person.erase_requested"));

    erasure::erase(&app.store, None, "cli:operator", "M3").await.expect("erase");
    assert!(erasure::all_requests(&app.store, true).await.expect("pending").is_empty(), "marked done");
    let page = send(&app, "GET", "/admin", Some(&cookie), None).await;
    assert!(page.html.contains("id=\"erasure-requests-done\"") && page.html.contains("No erasure request is waiting"));
}

async fn the_erasure_request_routes_answer_administrators_only(app: App) {
    let ask = body(json!({"employee_id": "M2", "reason": "left the company"}));
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", "/api/v1/admin/erasure-requests".into(), None),
        ("POST", "/api/v1/admin/erasure-requests".into(), ask),
        ("POST", "/api/v1/admin/erasure-requests".into(), body(json!({"employee_id": "NOBODY", "reason": "x"}))),
    ];
    use StatusCode as C;
    let (no, anon) = (C::FORBIDDEN, C::UNAUTHORIZED);
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 3])> = vec![
        (Some("l1@lab.test"), [no, no, no]),
        (Some("m1@lab.test"), [no, no, no]),
        (Some("s@lab.test"), [no, no, no]),
        (None, [anon; 3]),
        (Some("admin@ops.test"), [C::OK, C::CREATED, C::UNPROCESSABLE_ENTITY]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
    let admin = app.login("admin@ops.test").await;
    let (_, list) = app.call("GET", "/api/v1/admin/erasure-requests", Some(&admin), None).await;
    assert_eq!(list[0]["employee_id"], "M2", "{list}");
    assert!(list[0].get("done_at").is_none(), "pending: {list}");
}
