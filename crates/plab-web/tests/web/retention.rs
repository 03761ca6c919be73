//! Closing a program and retention: a sponsor closes the program (planned
//! sessions cancelled, no new private writes), and once its `retention_days`
//! have passed, `retention::run` destroys exactly that program's private data,
//! on the day it falls due and not before, keeping the report's figures.
//! The clock is the `as_of` day the tests pass.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, Held, assert_error_json, hold_first_three, run_api_matrix};
use axum::http::StatusCode;
use plab_app::retention;
use plab_domain::program::{ProgramSettings, Role};
use plab_domain::{Date, PairId, ProgramId};
use serde_json::{Value, json};
use std::collections::BTreeMap;

crate::backends!(
    closing_cancels_planned_sessions_and_refuses_new_notes_pulses_and_insights,
    only_the_programs_sponsors_close_it_through_the_api,
    retention_destroys_exactly_the_programs_private_data_on_the_day_it_falls_due,
    a_dry_run_reports_the_same_counts_and_destroys_nothing,
    the_report_after_destruction_shows_the_figures_it_showed_before,
    participants_read_how_long_their_notes_are_kept_and_the_sponsor_closes_after_a_confirmation,
    retention_days_must_be_a_whole_number_of_days_in_range,
);

fn day(s: &str) -> Date {
    Date::parse(s).expect("day")
}

/// Pair 1 of program A holds three sessions (homework, pulses), writes a
/// note, answers the leader's check-in and logs an insight; L3 and M3 of
/// program B write a note. Returns pair 1's session ids.
async fn private_data_in_both_programs(app: &App) -> Vec<i64> {
    let held = Held { homework: "canary homework", leader: [4, 4, 4], mentor: [4, 4, 4], timed: false };
    let ids = hold_first_three(app, &held).await;
    let l1 = app.login("l1@lab.test").await;
    let note = json!({"body": "canary note"}).to_string();
    let (status, body) = app.call("POST", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&l1), Some(note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let checkin = json!({"insight": "canary insight", "change": "canary change"}).to_string();
    let (status, body) =
        app.call("PUT", &format!("/api/v1/pairs/{}/checkins/me", app.pair1), Some(&l1), Some(checkin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let insight = json!({"kind": "action", "theme": "technology", "text": "canary log"}).to_string();
    let (status, body) =
        app.call("POST", &format!("/api/v1/pairs/{}/insights", app.pair1), Some(&l1), Some(insight)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let b_pair = app.store.pairs(ProgramId(app.program + 1)).await.expect("pairs of B")[0].id;
    crate::common::activate(app, b_pair.0, "l3@lab.test", "m3@lab.test").await;
    let l3 = app.login("l3@lab.test").await;
    let note = json!({"body": "program B's note"}).to_string();
    let (status, body) = app.call("POST", &format!("/api/v1/pairs/{}/notes", b_pair.0), Some(&l3), Some(note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    ids
}

fn counts(c: &BTreeMap<&'static str, i64>) -> BTreeMap<String, i64> {
    c.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

async fn closing_cancels_planned_sessions_and_refuses_new_notes_pulses_and_insights(app: App) {
    let ids = private_data_in_both_programs(&app).await;
    let sponsor = app.login("s@lab.test").await;
    let close = format!("/api/v1/programs/{}/close", app.program);
    let (status, closed) = app.call("POST", &close, Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    // Pair 1 held 3 of its 6 sessions; pair 2 never started, so it has none.
    assert_eq!(closed["cancelled_sessions"], 3, "{closed}");
    let today = Date::of_instant(time::OffsetDateTime::now_utc());
    assert_eq!(closed["closed_on"], today.to_string());
    assert_eq!(closed["destroyed_on"], today.plus_days(365).to_string());
    let l1 = app.login("l1@lab.test").await;
    let (_, sessions) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&l1), None).await;
    let statuses: Vec<&str> =
        sessions.as_array().expect("sessions").iter().map(|s| s["status"].as_str().unwrap_or_default()).collect();
    assert_eq!(statuses, ["held", "held", "held", "cancelled", "cancelled", "cancelled"], "{sessions}");
    // No new private writes, each refused with a plain message.
    let refusals = [
        ("POST", format!("/api/v1/pairs/{}/notes", app.pair1), json!({"body": "after closing"})),
        (
            "PUT",
            format!("/api/v1/sessions/{}/pulse", ids[2]),
            json!({"answers": {"listened": 1, "focused": 1, "shared_challenge": 1}}),
        ),
        (
            "POST",
            format!("/api/v1/pairs/{}/insights", app.pair1),
            json!({"kind": "action", "theme": "technology", "text": "late"}),
        ),
        (
            "PUT",
            format!("/api/v1/programs/{}/me/self-assessment/closing", app.program),
            json!({"answers": {"digital_fluency": 3, "empathy_employees": 3, "empathy_customers": 3}}),
        ),
    ];
    let before = app.store.private_counts(ProgramId(app.program)).await.expect("counts");
    for (method, uri, body) in refusals {
        let (status, answer) = app.call(method, &uri, Some(&l1), Some(body.to_string())).await;
        assert_error_json(status, &answer, StatusCode::CONFLICT);
        assert!(answer["error"]["message"].as_str().unwrap_or_default().contains("closed on"), "{uri}: {answer}");
    }
    assert_eq!(app.store.private_counts(ProgramId(app.program)).await.expect("counts"), before, "nothing written");
    // What was written stays to read until it is destroyed.
    let (status, notes) = app.call("GET", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&l1), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(notes.to_string().contains("canary note"), "{notes}");
    // Closing twice is a conflict; the audit names the program and the sponsor's employee id.
    let (status, again) = app.call("POST", &close, Some(&sponsor), None).await;
    assert_error_json(status, &again, StatusCode::CONFLICT);
    let log = app.store.audit_log(20).await.expect("audit");
    let entry = log.iter().find(|e| e.action == "program.close").expect("audited");
    assert_eq!((entry.actor.as_str(), entry.subject.clone()), ("S", format!("program {}", app.program)));
    // Program B is untouched: its partners still write.
    let b_pair = app.store.pairs(ProgramId(app.program + 1)).await.expect("pairs")[0].id;
    let l3 = app.login("l3@lab.test").await;
    let note = json!({"body": "still open"}).to_string();
    assert_eq!(
        app.call("POST", &format!("/api/v1/pairs/{}/notes", b_pair.0), Some(&l3), Some(note)).await.0,
        StatusCode::CREATED
    );
}

async fn only_the_programs_sponsors_close_it_through_the_api(app: App) {
    let (a, b) = (app.program, app.program + 1);
    let routes =
        [("POST", format!("/api/v1/programs/{a}/close"), None), ("POST", format!("/api/v1/programs/{b}/close"), None)];
    use StatusCode as C;
    #[rustfmt::skip]
    let matrix = [
        (None, [C::UNAUTHORIZED, C::UNAUTHORIZED]),
        (Some("l1@lab.test"), [C::FORBIDDEN, C::NOT_FOUND]),
        (Some("m1@lab.test"), [C::FORBIDDEN, C::NOT_FOUND]),
        (Some("m3@lab.test"), [C::NOT_FOUND, C::FORBIDDEN]),
        (Some("admin@ops.test"), [C::NOT_FOUND, C::NOT_FOUND]),
        (Some("s2@lab.test"), [C::NOT_FOUND, C::OK]),
        (Some("s@lab.test"), [C::OK, C::NOT_FOUND]),
    ];
    run_api_matrix(&app, &routes, &matrix).await;
    for p in [a, b] {
        assert!(app.store.closure(ProgramId(p)).await.expect("closure").closed_on.is_some(), "program {p} closed");
    }
}

async fn retention_destroys_exactly_the_programs_private_data_on_the_day_it_falls_due(app: App) {
    private_data_in_both_programs(&app).await;
    let (a, b) = (ProgramId(app.program), ProgramId(app.program + 1));
    let closed_on = day("2030-03-01");
    retention::close_as_operator(&app.store, a, closed_on, "cli:test").await.expect("close A");
    // Program B closes a day later, so it falls due a day later.
    retention::close_as_operator(&app.store, b, closed_on.plus_days(1), "cli:test").await.expect("close B");
    let a_before = app.store.private_counts(a).await.expect("counts");
    let b_before = app.store.private_counts(b).await.expect("counts");
    assert_eq!(
        (
            a_before["notes"],
            a_before["homework"],
            a_before["pulse_answers"],
            a_before["checkins"],
            a_before["insights"]
        ),
        (1, 3, 18, 1, 1),
        "{a_before:?}"
    );
    // The day before: nothing.
    let due = closed_on.plus_days(365);
    assert_eq!(retention::run(&app.store, due.plus_days(-1), false).await.expect("run"), vec![]);
    assert_eq!(app.store.private_counts(a).await.expect("counts"), a_before);
    // On the day: exactly program A's private data.
    let done = retention::run(&app.store, due, false).await.expect("run");
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!((done[0].program, &done[0].destroyed), (a.0, &counts(&a_before)));
    let after = app.store.private_counts(a).await.expect("counts");
    assert!(after.values().all(|n| *n == 0), "{after:?}");
    assert_eq!(app.store.private_counts(b).await.expect("counts"), b_before, "program B is not due yet");
    assert_eq!(app.store.closure(a).await.expect("closure").purged_on, Some(due));
    // The insight's existence stays (the report counts it), its text does not.
    let log = app.store.insights(PairId(app.pair1)).await.expect("insights");
    assert_eq!(log.len(), 1);
    assert!(log[0].text.is_empty(), "{:?}", log[0].text);
    // The audit says how much, never what.
    let entries = app.store.audit_log(50).await.expect("audit");
    let entry = entries.iter().find(|e| e.action == "retention.destroy").expect("audited");
    assert_eq!(entry.subject, format!("program {}", a.0));
    assert!(entry.detail.contains("notes: 1") && entry.detail.contains("pulse_answers: 18"), "{}", entry.detail);
    assert!(!entries.iter().any(|e| e.detail.contains("canary")), "no content in the audit log");
    // Running again destroys nothing more; the next day it is B's turn.
    assert_eq!(retention::run(&app.store, due, false).await.expect("again"), vec![]);
    let next = retention::run(&app.store, due.plus_days(1), false).await.expect("next day");
    assert_eq!(next.iter().map(|d| d.program).collect::<Vec<_>>(), [b.0]);
    assert_eq!(next[0].destroyed, counts(&b_before));
    // The partners find their notes gone, with the day it happened.
    let l1 = app.login("l1@lab.test").await;
    let (_, notes) = app.call("GET", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&l1), None).await;
    assert_eq!(notes, json!([]));
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(page.html.contains(&format!("were destroyed on {due}")), "{}", page.html);
}

async fn a_dry_run_reports_the_same_counts_and_destroys_nothing(app: App) {
    private_data_in_both_programs(&app).await;
    let a = ProgramId(app.program);
    retention::close_as_operator(&app.store, a, day("2030-03-01"), "cli:test").await.expect("close");
    let due = day("2030-03-01").plus_days(365);
    let before = app.store.private_counts(a).await.expect("counts");
    let dry = retention::run(&app.store, due, true).await.expect("dry run");
    assert_eq!(app.store.private_counts(a).await.expect("counts"), before, "a dry run destroys nothing");
    assert!(app.store.closure(a).await.expect("closure").purged_on.is_none());
    let real = retention::run(&app.store, due, false).await.expect("run");
    assert_eq!(dry, real, "the dry run counted what went");
    assert!(!app.store.audit_log(50).await.expect("audit").is_empty());
}

fn leader_answers(v: i64) -> Option<String> {
    Some(json!({"answers": {"digital_fluency": v, "empathy_employees": v, "empathy_customers": v}}).to_string())
}

fn without_generated_at(mut r: Value) -> Value {
    r.as_object_mut().expect("report").remove("generated_at");
    r
}

async fn the_report_after_destruction_shows_the_figures_it_showed_before(app: App) {
    // A program small enough for its averages to be released: two leaders.
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, retention_days: 30, ..ProgramSettings::default() };
    let c = plab_app::programs::create(&app.store, "C", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program C");
    for (role, ids) in [(Role::Sponsor, vec!["S".to_owned()]), (Role::Leader, vec!["L1".to_owned(), "L2".to_owned()])] {
        plab_app::programs::enroll(&app.store, c, role, &ids, None, "test").await.expect("enroll");
    }
    let uri = |phase: &str| format!("/api/v1/programs/{}/me/self-assessment/{phase}", c.0);
    let (l1, l2) = (app.login("l1@lab.test").await, app.login("l2@lab.test").await);
    for (token, v) in [(&l1, 2), (&l2, 3)] {
        assert_eq!(app.call("PUT", &uri("baseline"), Some(token), leader_answers(v)).await.0, StatusCode::OK);
    }
    let sponsor = app.login("s@lab.test").await;
    let report_uri = format!("/api/v1/programs/{}/report", c.0);
    let (_, before) = app.call("GET", &report_uri, Some(&sponsor), None).await;
    let fluency = |r: &Value| r["self_assessment"].as_array().expect("outcomes")[0].clone();
    assert_eq!(fluency(&before)["baseline"], 2.5, "{before}");
    let closed_on = day("2030-01-10");
    retention::close_as_operator(&app.store, c, closed_on, "cli:test").await.expect("close");
    let (_, closed) = app.call("GET", &report_uri, Some(&sponsor), None).await;
    let done = retention::run(&app.store, closed_on.plus_days(30), false).await.expect("run");
    assert_eq!(done[0].destroyed["self_assessments"], 6, "{done:?}");
    assert_eq!(app.store.self_assessment_answers(c).await.expect("answers"), vec![]);
    let (status, after) = app.call("GET", &report_uri, Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(fluency(&after)["baseline"], 2.5, "the released average stays: {after}");
    assert_eq!(without_generated_at(after.clone()), without_generated_at(closed), "every figure as it stood");
    // The operator's report (`plab report`) reads the same.
    let now = time::OffsetDateTime::now_utc();
    let operator = plab_app::report::build(&app.store, c, now).await.expect("report");
    assert_eq!(without_generated_at(serde_json::to_value(&operator).expect("json")), without_generated_at(after));
}

async fn participants_read_how_long_their_notes_are_kept_and_the_sponsor_closes_after_a_confirmation(app: App) {
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let pair_page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    // (The page escapes the apostrophe of "Your pair's".)
    let running = "Your pair&#39;s notes and answers are kept until 365 days after the program closes.";
    assert!(pair_page.html.contains(running), "{}", pair_page.html);
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&mentor), None).await;
    assert!(home.html.contains(running), "{}", home.html);
    // The sponsor's page offers the button; the confirmation says what closing means.
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let program = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(program.html.contains("id=\"close-program\"") && program.html.contains("Close this program"));
    let confirm = send(&app, "GET", &format!("/programs/{}/close", app.program), Some(&sponsor), None).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let destroyed_on = Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(365);
    for words in ["cannot be undone", "are cancelled", "destroyed for good", &destroyed_on.to_string()] {
        assert!(confirm.html.contains(words), "{words}: {}", confirm.html);
    }
    assert!(app.store.closure(ProgramId(app.program)).await.expect("closure").closed_on.is_none(), "not yet");
    let closed = send(
        &app,
        "POST",
        &format!("/programs/{}/close", app.program),
        Some(&sponsor),
        Some(&form(&[("csrf", &csrf)])),
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.html);
    let program = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(!program.html.contains("id=\"close-program\""), "closed once");
    assert!(program.html.contains(&format!("will be destroyed on {destroyed_on}")), "{}", program.html);
    // Once closed, the partners read the exact day, and the note form is gone.
    let pair_page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    assert!(pair_page.html.contains(&format!("will be destroyed on {destroyed_on}")), "{}", pair_page.html);
    assert!(!pair_page.html.contains("id=\"add-note\""));
    let home = send(&app, "GET", "/home", Some(&mentor), None).await;
    assert!(home.html.contains(&format!("will be destroyed on {destroyed_on}")), "{}", home.html);
}

async fn retention_days_must_be_a_whole_number_of_days_in_range(app: App) {
    let sponsor = app.login("s@lab.test").await;
    for (value, says) in [
        (json!(0), "between 1 and 3650"),
        (json!(4000), "between 1 and 3650"),
        (json!(1.5), "whole number of days"),
        (json!("a year"), "whole number of days"),
    ] {
        let body =
            json!({"name": "Kept", "starts_on": "2031-09-01", "settings": {"retention_days": value}}).to_string();
        let (status, answer) = app.call("POST", "/api/v1/programs", Some(&sponsor), Some(body)).await;
        assert_error_json(status, &answer, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer.to_string().contains("retention_days") && answer.to_string().contains(says),
            "{value}: {answer}"
        );
    }
    let body = json!({"name": "Kept", "starts_on": "2031-09-01", "settings": {"retention_days": 90}}).to_string();
    let (status, created) = app.call("POST", "/api/v1/programs", Some(&sponsor), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = ProgramId(created["id"].as_i64().expect("id"));
    assert_eq!(app.store.program(id).await.expect("program").settings.retention_days, 90);
    // The instance's default applies to a program opened without one.
    plab_app::settings::set_field(&app.store, "program_defaults.retention_days", "30", "operator").await.expect("set");
    let refused = plab_app::settings::set_field(&app.store, "program_defaults.retention_days", "0", "operator").await;
    assert!(refused.expect_err("0 days").to_string().contains("retention_days"));
    let id = plab_app::programs::create_with_instance_defaults(&app.store, "Short", "2031-09-01", "test")
        .await
        .expect("open");
    assert_eq!(app.store.program(id).await.expect("program").settings.retention_days, 30);
}
