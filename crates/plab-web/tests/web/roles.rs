//! One person, one role per program, and a group-size floor nobody in the
//! browser can lower (issue 20, items 4 and 5). Each attack seen is played
//! here as a regression: a sponsor who makes a pair's mentor a co-sponsor,
//! who enrols themselves as a leader, who pins or approves a pair with a
//! sponsor in it, who opens a program below the floor, or who reads an
//! average holding their own answers.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate, assert_error_json, move_to_past};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::program::{ProgramSettings, Role};
use plab_store::{NewProposal, ProgramId, StoredPair};
use serde_json::{Value, json};

crate::backends!(
    a_pairs_mentor_cannot_be_enrolled_as_co_sponsor,
    a_sponsor_cannot_enrol_themselves_as_leader_and_become_a_partner,
    a_refused_enrolment_in_the_browser_names_the_person_and_enrols_nobody,
    enrolling_someone_again_in_the_same_role_is_fine,
    a_sponsor_cannot_pin_or_approve_a_pair_with_a_sponsor_in_it,
    the_database_refuses_a_second_role_written_around_the_services,
    a_program_cannot_go_below_the_group_size_floor,
    an_administrator_cannot_lower_the_floor_from_the_browser_or_api,
    a_sponsors_own_self_assessment_is_not_in_the_average_they_read,
    a_raised_floor_withholds_an_older_programs_smaller_averages,
    every_participants_pages_state_the_group_size_that_applies,
);

fn enrolment(role: &str, ids: &[&str]) -> Option<String> {
    Some(json!({"role": role, "employee_ids": ids}).to_string())
}

/// The person's roles in the program, as `GET /api/v1/me` lists them.
async fn roles_of(app: &App, email: &str, program: i64) -> Vec<String> {
    let token = app.login(email).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    me["memberships"]
        .as_array()
        .expect("memberships")
        .iter()
        .filter(|m| m["program"] == program)
        .map(|m: &Value| m["role"].as_str().expect("role").to_owned())
        .collect()
}

fn message(body: &Value) -> String {
    body["error"]["message"].as_str().unwrap_or_default().to_owned()
}

async fn a_pairs_mentor_cannot_be_enrolled_as_co_sponsor(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/enrolments", app.program);
    let (status, body) = app.call("POST", &uri, Some(&sponsor), enrolment("sponsor", &["M1"])).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&body).contains("M1 (Name M1) is already a mentor in A: one person takes one role per program"),
        "{body}"
    );
    assert_eq!(roles_of(&app, "m1@lab.test", app.program).await, ["mentor"]);
    // As a co-sponsor M1 would have read the leader's check-in by name: still not theirs.
    let m1 = app.login("m1@lab.test").await;
    let (status, _) = app.call("GET", &format!("/api/v1/programs/{}/checkins", app.program), Some(&m1), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // All or nothing: a batch naming one such person enrols nobody.
    let (status, body) = app.call("POST", &uri, Some(&sponsor), enrolment("sponsor", &["S2", "M1"])).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(roles_of(&app, "s2@lab.test", app.program).await.is_empty(), "S2 was not enrolled either");
}

async fn a_sponsor_cannot_enrol_themselves_as_leader_and_become_a_partner(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/enrolments", app.program);
    for role in ["leader", "mentor"] {
        let (status, body) = app.call("POST", &uri, Some(&sponsor), enrolment(role, &["S"])).await;
        assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&body).contains("S (Name S) is already a sponsor in A"), "{role}: {body}");
    }
    assert_eq!(roles_of(&app, "s@lab.test", app.program).await, ["sponsor"]);
    // Nor may a leader take the other side of the pairing.
    let (status, body) = app.call("POST", &uri, Some(&sponsor), enrolment("mentor", &["L2"])).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&body).contains("L2 (Name L2) is already a leader in A"), "{body}");
}

async fn a_refused_enrolment_in_the_browser_names_the_person_and_enrols_nobody(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/people", app.program);
    let body = form(&[("csrf", &csrf), ("role", "sponsor"), ("person", "S2"), ("person", "M1"), ("q", "Name")]);
    let refused = send(&app, "POST", &uri, Some(&cookie), Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("M1 (Name M1) is already a mentor in A"), "{}", refused.html);
    assert!(refused.html.contains("value=\"Name\""), "the search typed is kept: {}", refused.html);
    assert!(!refused.html.contains("<tr data-person=\"S2\">"), "S2 was not enrolled");
}

async fn enrolling_someone_again_in_the_same_role_is_fine(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/enrolments", app.program);
    let again = Some(json!({"role": "mentor", "employee_ids": ["M1"], "capacity": 2}).to_string());
    let (status, body) = app.call("POST", &uri, Some(&sponsor), again).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call("POST", &uri, Some(&sponsor), enrolment("sponsor", &["S"])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let enrolments = app.store.enrolments(ProgramId(app.program)).await.expect("enrolments");
    let m1 = enrolments.iter().find(|e| e.employee_id == "M1").expect("M1");
    assert_eq!((m1.role, m1.capacity), (Role::Mentor, 2));
}

/// Program A as it could be before the rule: its sponsor S is also a leader
/// with a question, and M3 is a mentor with no pair.
async fn sponsor_also_leader_from_before_the_rule(app: &App) -> ProgramId {
    let a = ProgramId(app.program);
    plab_store::testing::enrol_as_before_the_one_role_rule(&app.store, a, "S", Role::Leader).await;
    programs::enroll(&app.store, a, Role::Mentor, &["M3".into()], None, "test").await.expect("M3 mentors in A");
    programs::set_question(&app.store, a, "S", "Why do new analysts skip our Friday demo?").await.expect("question");
    a
}

async fn a_sponsor_cannot_pin_or_approve_a_pair_with_a_sponsor_in_it(app: App) {
    let a = sponsor_also_leader_from_before_the_rule(&app).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let pin = form(&[("csrf", &csrf), ("leader", "S"), ("mentor", "M3"), ("rule", "pin")]);
    let refused = send(&app, "POST", &format!("/programs/{}/pairing/rule", a.0), Some(&cookie), Some(&pin)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("S (Name S) is already a sponsor in A"), "{}", refused.html);
    assert!(app.store.pair_rules(a, plab_store::PairRule::Pin).await.expect("pins").is_empty(), "no pin stored");
    // A proposal pairing the sponsor (as one made before the rule could) is not approved.
    let pairs =
        [StoredPair { leader: "S".into(), mentor: "M3".into(), score: 1.0, kind: "topic".into(), reasons: vec![] }];
    let proposal = NewProposal {
        parameters: "{}",
        total_score: 1.0,
        solve_ms: 0.0,
        unmatched: &[],
        unmatched_reasons: &[],
        pairs: &pairs,
    };
    let id = app.store.add_proposal(a, &proposal).await.expect("proposal");
    let approve = form(&[("csrf", &csrf), ("proposal", &id.to_string())]);
    let refused =
        send(&app, "POST", &format!("/programs/{}/pairing/approve", a.0), Some(&cookie), Some(&approve)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("S (Name S) is already a sponsor in A"), "{}", refused.html);
    let pairs = app.store.pairs(a).await.expect("pairs");
    assert!(pairs.iter().all(|p| p.pair.leader != "S"), "the sponsor is in no pair");
    // Nor does a pairing run propose them: with L1 and L2 paired, no leader is waiting.
    let run =
        send(&app, "POST", &format!("/programs/{}/pairing/run", a.0), Some(&cookie), Some(&form(&[("csrf", &csrf)])))
            .await;
    assert_eq!(run.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", run.html);
    assert!(run.html.contains("no leader is waiting for a pair"), "{}", run.html);
}

async fn the_database_refuses_a_second_role_written_around_the_services(app: App) {
    let a = ProgramId(app.program);
    assert!(app.store.enroll(a, Role::Sponsor, &[("M1".to_owned(), 1)]).await.is_err(), "a mentor made sponsor");
    assert!(app.store.enroll(a, Role::Mentor, &[("M1".to_owned(), 3)]).await.is_ok(), "the same role again");
    assert!(app.store.enroll(a, Role::Mentor, &[("M3".to_owned(), 1)]).await.is_ok(), "a new mentor");
    plab_store::testing::enrol_as_before_the_one_role_rule(&app.store, a, "S", Role::Leader).await;
    let pairs =
        [StoredPair { leader: "S".into(), mentor: "M3".into(), score: 1.0, kind: "topic".into(), reasons: vec![] }];
    let proposal = NewProposal {
        parameters: "{}",
        total_score: 1.0,
        solve_ms: 0.0,
        unmatched: &[],
        unmatched_reasons: &[],
        pairs: &pairs,
    };
    let id = app.store.add_proposal(a, &proposal).await.expect("proposal");
    assert!(app.store.approve_proposal(a, id).await.is_err(), "a sponsor's pair is refused by the database too");
}

async fn a_program_cannot_go_below_the_group_size_floor(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let before = app.store.programs().await.expect("programs").len();
    let tiny = json!({"name": "Tiny", "starts_on": "2031-09-01", "settings": {"min_group_size": 2}}).to_string();
    let (status, body) = app.call("POST", "/api/v1/programs", Some(&sponsor), Some(tiny)).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&body).contains("min_group_size") && message(&body).contains("floor of 5"), "{body}");
    // In the browser: the message beside the field, what was typed kept.
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let page = form(&[
        ("csrf", &csrf),
        ("name", "Tiny"),
        ("starts_on", "2031-09-01"),
        ("sessions", "6"),
        ("cadence_days", "14"),
        ("session_minutes", "60"),
        ("checkin_after", "3"),
        ("min_group_size", "2"),
        ("default_mentor_capacity", "1"),
    ]);
    let refused = send(&app, "POST", "/programs/new", Some(&cookie), Some(&page)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("id=\"min_group_size-error\""), "{}", refused.html);
    assert!(refused.html.contains("floor of 5"), "{}", refused.html);
    assert!(refused.html.contains("value=\"Tiny\""), "the input is kept");
    assert_eq!(app.store.programs().await.expect("programs").len(), before, "nothing opened");
    let (status, body) = app
        .call(
            "POST",
            "/api/v1/programs",
            Some(&sponsor),
            Some(json!({"name": "Fine", "starts_on": "2031-09-01", "settings": {"min_group_size": 5}}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn an_administrator_cannot_lower_the_floor_from_the_browser_or_api(app: App) {
    let admin = app.login("admin@ops.test").await;
    let (_, mut current) = app.call("GET", "/api/v1/admin/settings", Some(&admin), None).await;
    assert!(current.get("group_size_floor").is_none(), "not among the administrators' settings: {current}");
    current["group_size_floor"] = json!(2);
    let (status, body) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(current.to_string())).await;
    assert!(status.is_client_error(), "{status} {body}");
    current.as_object_mut().expect("object").remove("group_size_floor");
    current["program_defaults"]["min_group_size"] = json!(2);
    let (status, body) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(current.to_string())).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&body).contains("program_defaults.min_group_size") && message(&body).contains("floor of 5"));
    let (cookie, csrf) = sign_in(&app, "admin@ops.test").await;
    let lower = form(&[("csrf", &csrf), ("group_size_floor", "2"), ("program_defaults.min_group_size", "2")]);
    let refused = send(&app, "POST", "/admin/settings", Some(&cookie), Some(&lower)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("floor of 5"), "{}", refused.html);
    let only_floor = form(&[("csrf", &csrf), ("group_size_floor", "2")]);
    send(&app, "POST", "/admin/settings", Some(&cookie), Some(&only_floor)).await;
    assert_eq!(app.store.group_size_floor().await.expect("floor").get(), 5, "the floor is unchanged");
    assert_eq!(app.store.instance_settings().await.expect("settings").program_defaults.min_group_size, 5);
}

fn leader_answers(v: i64) -> Option<String> {
    Some(json!({"answers": {"digital_fluency": v, "empathy_employees": 3, "empathy_customers": 4}}).to_string())
}

/// The leaders' `digital_fluency` outcome in the report, as the sponsor reads it.
async fn digital_fluency(app: &App, program: ProgramId) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", &format!("/api/v1/programs/{}/report", program.0), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r["self_assessment"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|o| o["item"] == "digital_fluency")
        .cloned()
        .expect("item")
}

/// A program of group size 2 (the operator lowered the floor for it), its
/// sponsor S, and leaders L1 and L2.
async fn small_program(app: &App) -> ProgramId {
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let c = programs::create(&app.store, "C", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program C");
    programs::enroll(&app.store, c, Role::Sponsor, &["S".into()], None, "test").await.expect("sponsor");
    programs::enroll(&app.store, c, Role::Leader, &["L1".into(), "L2".into()], None, "test").await.expect("leaders");
    c
}

async fn a_sponsors_own_self_assessment_is_not_in_the_average_they_read(app: App) {
    let c = small_program(&app).await;
    // Enrolled as a leader too before the rule: they answer, and so does L1.
    plab_store::testing::enrol_as_before_the_one_role_rule(&app.store, c, "S", Role::Leader).await;
    let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", c.0);
    let (status, body) = app.call("PUT", &uri, Some(&app.login("s@lab.test").await), leader_answers(5)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.call("PUT", &uri, Some(&app.login("l1@lab.test").await), leader_answers(1)).await;
    // S and L1 make two, but subtracting S's own 5 would give L1's exact answer.
    assert!(digital_fluency(&app, c).await["baseline"].is_null(), "L1's answer alone is never shown");
    app.call("PUT", &uri, Some(&app.login("l2@lab.test").await), leader_answers(2)).await;
    assert_eq!(digital_fluency(&app, c).await["baseline"], 1.5, "L1 and L2, never the sponsor");
}

async fn a_raised_floor_withholds_an_older_programs_smaller_averages(app: App) {
    let c = small_program(&app).await;
    let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", c.0);
    app.call("PUT", &uri, Some(&app.login("l1@lab.test").await), leader_answers(1)).await;
    app.call("PUT", &uri, Some(&app.login("l2@lab.test").await), leader_answers(2)).await;
    assert_eq!(digital_fluency(&app, c).await["baseline"], 1.5, "two people at a group size of 2");
    plab_app::settings::set_group_size_floor(&app.store, "5", "operator").await.expect("floor raised");
    assert!(digital_fluency(&app, c).await["baseline"].is_null(), "the older program is read at the floor now");
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/self-assessment/baseline", c.0), Some(&cookie), None).await;
    assert!(page.html.contains("an average of at least 5 people, and never on their own"), "{}", page.html);
}

async fn every_participants_pages_state_the_group_size_that_applies(app: App) {
    let sentence = "Your answers are only ever shown to sponsors as part of an average of at least 5 people, and never on their own.";
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let own =
        send(&app, "GET", &format!("/programs/{}/self-assessment/baseline", app.program), Some(&leader), None).await;
    assert!(own.html.contains(sentence), "{}", own.html);
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to_past(&app, ids[0]).await;
    let token = app.login("l1@lab.test").await;
    let held = Some(json!({"homework": null, "previous_homework_done": false}).to_string());
    let (status, body) = app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[0]), Some(&token), held).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let pulse = send(&app, "GET", &format!("/sessions/{}", ids[0]), Some(&mentor), None).await;
    assert!(pulse.html.contains(sentence), "{}", pulse.html);
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let dashboard = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(dashboard.html.contains("covers at least 5 people and never includes a sponsor"), "{}", dashboard.html);
}
