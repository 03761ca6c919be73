//! Self-assessments: each participant's own, private; sponsors see only
//! averages released from the minimum group size.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, assert_error_json};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::json;

fn leader_answers(v: i64) -> Option<String> {
    Some(json!({"answers": {"digital_fluency": v, "empathy_employees": 3, "empathy_customers": 4}}).to_string())
}

async fn only_leaders_and_mentors_assess_themselves_and_read_only_their_own(app: App) {
    let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", app.program);
    let leader = app.login("l1@lab.test").await;
    let (status, saved) = app.call("PUT", &uri, Some(&leader), leader_answers(2)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["role"], "leader");
    assert_eq!(saved["statements"][0]["answer"], 2);
    // The mentor gets their own statements, unanswered: never the leader's answers.
    let (status, theirs) = app.call("GET", &uri, Some(&app.login("m1@lab.test").await), None).await;
    assert_eq!((status, theirs["role"].as_str()), (StatusCode::OK, Some("mentor")));
    assert!(theirs["statements"].as_array().expect("statements").iter().all(|s| s["answer"].is_null()), "{theirs}");
    // Every role on both routes: one's own assessment only; a sponsor sees the
    // program but no one's answers (403); outsiders and administrators 404.
    let put = leader_answers(3);
    let routes = [("GET", uri.clone(), None), ("PUT", uri.clone(), put)];
    use StatusCode as C;
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 2])> = vec![
        (Some("s@lab.test"),     [C::FORBIDDEN, C::FORBIDDEN]),
        (Some("s2@lab.test"),    [C::NOT_FOUND, C::NOT_FOUND]),
        (Some("admin@ops.test"), [C::NOT_FOUND, C::NOT_FOUND]),
        (None,                   [C::UNAUTHORIZED; 2]),
        // The other pair's leader answers their own, never reads L1's.
        (Some("l2@lab.test"),    [C::OK, C::OK]),
        // The mentor's statements are not the leader's: the leader's answers are refused.
        (Some("m1@lab.test"),    [C::OK, C::UNPROCESSABLE_ENTITY]),
    ];
    let refusals = crate::common::api_matrix_refusals(&app, &routes, &matrix).await;
    assert!(refusals.iter().all(|body| !body.to_string().contains("\"answer\":2")), "{refusals:?}");
    let (_, l2) = app.call("GET", &uri, Some(&app.login("l2@lab.test").await), None).await;
    assert_eq!(l2["statements"][0]["answer"], 3, "L2 reads their own answer, not L1's");
    let other_phase = format!("/api/v1/programs/{}/me/self-assessment/midterm", app.program);
    let (status, body) = app.call("GET", &other_phase, Some(&leader), None).await;
    assert_error_json(status, &body, StatusCode::NOT_FOUND);
    let bad = Some(json!({"answers": {"digital_fluency": 9, "engagement": 3}}).to_string());
    let (status, body) = app.call("PUT", &uri, Some(&leader), bad).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("digital_fluency") && body.to_string().contains("empathy_employees"), "{body}");
    let (_, kept) = app.call("GET", &uri, Some(&leader), None).await;
    assert_eq!(kept["statements"][0]["answer"], 2, "nothing written by a bad answer");
}

/// The report's outcome for the leaders' `digital_fluency` statement in program `c`.
async fn digital_fluency(app: &App, c: plab_domain::ProgramId) -> serde_json::Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", &format!("/api/v1/programs/{}/report", c.0), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let outcomes = r["self_assessment"].as_array().expect("self_assessment");
    outcomes.iter().find(|o| o["item"] == "digital_fluency").cloned().expect("item")
}

async fn sponsors_see_self_assessment_averages_only_from_the_minimum_group_size(app: App) {
    // The operator lowers the instance's floor first (`plab settings set group_size_floor`).
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let c = programs::create(&app.store, "C", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program C");
    for (role, ids) in [(Role::Sponsor, vec!["S".to_owned()]), (Role::Leader, vec!["L1".to_owned(), "L2".to_owned()])] {
        programs::enroll(&app.store, c, role, &ids, None, "test").await.expect("enroll");
    }
    let uri = |phase: &str| format!("/api/v1/programs/{}/me/self-assessment/{phase}", c.0);
    let l1 = app.login("l1@lab.test").await;
    app.call("PUT", &uri("baseline"), Some(&l1), leader_answers(2)).await;
    assert!(digital_fluency(&app, c).await["baseline"].is_null(), "one person's answer is never shown");
    let l2 = app.login("l2@lab.test").await;
    app.call("PUT", &uri("baseline"), Some(&l2), leader_answers(3)).await;
    app.call("PUT", &uri("closing"), Some(&l1), leader_answers(4)).await;
    let outcome = digital_fluency(&app, c).await;
    assert_eq!(outcome["baseline"], 2.5, "{outcome}");
    assert!(outcome["closing"].is_null() && outcome["change"].is_null(), "one closing answer is withheld: {outcome}");
    app.call("PUT", &uri("closing"), Some(&l2), leader_answers(5)).await;
    let outcome = digital_fluency(&app, c).await;
    assert_eq!((outcome["closing"].as_f64(), outcome["change"].as_f64()), (Some(4.5), Some(2.0)), "{outcome}");
}

async fn the_self_assessment_form_keeps_answers_and_names_the_missing_statement(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/programs/{}/self-assessment/baseline", app.program);
    let page = send(&app, "GET", &uri, Some(&cookie), None).await;
    assert!(page.html.contains("id=\"self-assessment-form\"") && page.html.contains("digital_fluency-3"));
    let partial = form(&[("csrf", &csrf), ("digital_fluency", "3"), ("empathy_employees", "4")]);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&partial)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("id=\"empathy_customers-error\"")
            && page.html.contains("id=\"digital_fluency-3\" name=\"digital_fluency\" value=\"3\" checked"),
        "{}",
        page.html
    );
    let full =
        form(&[("csrf", &csrf), ("digital_fluency", "3"), ("empathy_employees", "4"), ("empathy_customers", "5")]);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&full)).await;
    assert!(page.status.is_success() && page.html.contains("Saved."), "{}", page.html);
}

crate::backends!(
    only_leaders_and_mentors_assess_themselves_and_read_only_their_own,
    sponsors_see_self_assessment_averages_only_from_the_minimum_group_size,
    the_self_assessment_form_keeps_answers_and_names_the_missing_statement,
);
