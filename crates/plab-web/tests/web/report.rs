//! The measure step end to end: pairs whose sessions show a failure mode are
//! reported at risk to the sponsor and shown the protocol's adjustment on
//! their pair page; healthy pairs stay quiet; the report follows the
//! interface and is the sponsors' alone.
use crate::common::browser::{send, sign_in};
use crate::common::{App, activate};
use axum::http::StatusCode;
use plab_domain::SessionId;
use serde_json::{Value, json};

/// Holds a pair's first three sessions, 21, 14 and 7 days ago, with homework
/// each time and these leader pulses (listened, focused, shared_challenge);
/// the mentor answers 4 to everything.
pub(crate) async fn three_held_sessions(
    app: &App,
    pair: i64,
    leader: &str,
    mentor: &str,
    leader_pulses: [[i64; 3]; 3],
) {
    let ids = activate(app, pair, leader, mentor).await;
    let (lt, mt) = (app.login(leader).await, app.login(mentor).await);
    for (i, days_ago) in [21, 14, 7].into_iter().enumerate() {
        let at = time::OffsetDateTime::now_utc() - time::Duration::days(days_ago);
        app.store.reschedule_session(SessionId(ids[i]), at).await.expect("move into the past");
        let hold = json!({"homework": "try the team channel", "previous_homework_done": i > 0}).to_string();
        let (status, body) =
            app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[i]), Some(&lt), Some(hold)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let [listened, focused, shared] = leader_pulses[i];
        let answers = json!({"answers": {"listened": listened, "focused": focused, "shared_challenge": shared}});
        let pulse = format!("/api/v1/sessions/{}/pulse", ids[i]);
        assert_eq!(app.call("PUT", &pulse, Some(&lt), Some(answers.to_string())).await.0, StatusCode::OK);
        let mentor = json!({"answers": {"led": 4, "candid": 4, "heard": 4}}).to_string();
        assert_eq!(app.call("PUT", &pulse, Some(&mt), Some(mentor)).await.0, StatusCode::OK);
    }
}

async fn report(app: &App) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, body) =
        app.call("GET", &format!("/api/v1/programs/{}/report", app.program), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The report's pairs at risk with their signals only (each entry also says
/// since when each signal shows and when the pair last held a session).
pub(crate) fn pairs_and_signals(report: &Value) -> Value {
    let entries = report["at_risk"].as_array().cloned().unwrap_or_default();
    Value::Array(entries.iter().map(|e| json!({"pair": e["pair"], "signals": e["signals"]})).collect())
}

async fn an_expert_reflex_reaches_the_sponsor_and_the_leader_and_a_healthy_pair_stays_quiet(app: App) {
    // The leader said they explained more than they listened, twice in three sessions.
    three_held_sessions(&app, app.pair1, "l1@lab.test", "m1@lab.test", [[1, 4, 4], [4, 4, 4], [2, 4, 4]]).await;
    three_held_sessions(&app, app.pair2, "l2@lab.test", "m2@lab.test", [[5, 5, 4], [4, 5, 5], [5, 4, 4]]).await;
    let r = report(&app).await;
    assert_eq!(crate::report::pairs_and_signals(&r), json!([{"pair": app.pair1, "signals": ["expert_reflex"]}]), "{r}");
    assert_eq!(r["signals"], json!({"expert_reflex": 1, "mentor_apprehension": 0, "unfocused": 0}));
    assert_eq!((r["sessions"]["held"].as_u64(), r["homework"]["set"].as_u64()), (Some(6), Some(6)));
    // The leader sees the adjustment; the mentor does not, and nobody's answer is quoted.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    assert!(page.html.contains("id=\"signals\"") && page.html.contains("Help me understand your perspective"));
    assert!(!page.html.contains("mentor said") && !page.html.contains("rated"), "never whose answer, never a value");
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&mentor), None).await;
    assert!(!page.html.contains("id=\"signals\""), "the expert reflex is the leader's to act on");
    let (healthy, _) = sign_in(&app, "l2@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair2), Some(&healthy), None).await;
    assert!(!page.html.contains("id=\"signals\""), "a healthy pair stays quiet");
    // The sponsor's dashboard names the pair at risk and what to do.
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}", app.program), Some(&sponsor), None).await;
    assert!(page.html.contains("id=\"at-risk\"") && page.html.contains("Name L1 and Name M1"), "{}", page.html);
    assert!(
        page.html.contains("<svg") && !page.html.contains("style=\""),
        "charts drawn on the server, no inline style"
    );
}

async fn apprehension_and_an_unfocused_pair_are_reported_with_their_own_names(app: App) {
    // Pair 1 holds back: the leader shares no real challenge twice.
    three_held_sessions(&app, app.pair1, "l1@lab.test", "m1@lab.test", [[4, 4, 1], [4, 4, 2], [4, 4, 4]]).await;
    // Pair 2 drifts: the hour left the research question twice.
    three_held_sessions(&app, app.pair2, "l2@lab.test", "m2@lab.test", [[4, 1, 4], [4, 4, 4], [4, 2, 4]]).await;
    let r = report(&app).await;
    assert_eq!(
        crate::report::pairs_and_signals(&r),
        json!([{"pair": app.pair1, "signals": ["mentor_apprehension"]}, {"pair": app.pair2, "signals": ["unfocused"]}])
    );
    // The leader, whose own answers said the hour drifted, is shown it; the
    // mentor is not: a partner's signal never rests on the other's private answers.
    let (leader, _) = sign_in(&app, "l2@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair2), Some(&leader), None).await;
    assert!(page.html.contains("Re-centre on the research question"));
    let (mentor, _) = sign_in(&app, "m2@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair2), Some(&mentor), None).await;
    assert!(!page.html.contains("Re-centre on the research question"));
}

async fn the_report_follows_the_interface_and_only_the_programs_sponsors_get_it(app: App) {
    let r = report(&app).await;
    for key in ["program", "pairs", "cross_department_pairs", "insights", "at_risk", "generated_at"] {
        assert!(!r[key].is_null(), "{key} in {r}");
    }
    for (group, keys) in [
        ("sessions", &["planned", "held", "cancelled"][..]),
        ("homework", &["set", "done"]),
        ("checkins", &["due", "completed"]),
        ("questions", &["weak", "fair", "strong"]),
        ("signals", &["expert_reflex", "mentor_apprehension", "unfocused"]),
    ] {
        for key in keys {
            assert!(r[group][key].is_u64(), "{group}.{key} in {r}");
        }
    }
    assert!(r["checkins"]["mentor_feels_heard_avg"].is_null(), "withheld below the group size");
    // L1 (Sales) with M1 (Ops), L2 (Ops) with M2 (Sales): both pairs cross a department.
    assert_eq!((r["pairs"].as_u64(), r["cross_department_pairs"].as_u64()), (Some(2), Some(2)));
    let uri = format!("/api/v1/programs/{}/report", app.program);
    use StatusCode as C;
    let matrix: Vec<(Option<&str>, [C; 1])> = vec![
        (Some("s@lab.test"), [C::OK]),
        (Some("l1@lab.test"), [C::FORBIDDEN]),
        (Some("m2@lab.test"), [C::FORBIDDEN]),
        (Some("s2@lab.test"), [C::NOT_FOUND]),
        (Some("m3@lab.test"), [C::NOT_FOUND]),
        (Some("admin@ops.test"), [C::NOT_FOUND]),
        (None, [C::UNAUTHORIZED]),
    ];
    crate::common::run_api_matrix(&app, &[("GET", uri, None)], &matrix).await;
    // The operator's report is the same document but for its generation time.
    let mut operator = serde_json::to_value(
        plab_app::report::build(&app.store, plab_domain::ProgramId(app.program), time::OffsetDateTime::now_utc())
            .await
            .expect("report"),
    )
    .expect("json");
    let mut api = report(&app).await;
    operator["generated_at"] = Value::Null;
    api["generated_at"] = Value::Null;
    assert_eq!(operator, api);
    // The downloads: the sponsor's only.
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let csv = send(&app, "GET", &format!("/programs/{}/report.csv", app.program), Some(&sponsor), None).await;
    assert!(csv.html.starts_with("metric,value,label\n") && csv.html.contains("signals.unfocused,0,"), "{}", csv.html);
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let refused = send(&app, "GET", &format!("/programs/{}/report.json", app.program), Some(&leader), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

crate::backends!(
    an_expert_reflex_reaches_the_sponsor_and_the_leader_and_a_healthy_pair_stays_quiet,
    apprehension_and_an_unfocused_pair_are_reported_with_their_own_names,
    the_report_follows_the_interface_and_only_the_programs_sponsors_get_it,
);
