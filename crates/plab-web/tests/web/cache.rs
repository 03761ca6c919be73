//! Reads served from memory never outlive the data behind them: a change
//! made by this server, by another process on the same database or by another
//! instance shows in the next answer, and a request never reads from memory
//! what it may have just changed.
use crate::common::App;
use crate::common::browser::{send, sign_in};
use axum::http::StatusCode;
use plab_domain::PairId;
use plab_domain::person::RawPerson;
use plab_domain::program::Role;
use serde_json::Value;

crate::backends!(
    a_cached_pair_list_shows_what_another_process_changed,
    a_person_enrolled_by_another_process_is_let_in_at_once,
    the_report_and_the_dashboard_follow_a_change_at_once,
);

async fn pairs_as(app: &App, token: &str) -> (StatusCode, Value) {
    app.call("GET", &format!("/api/v1/programs/{}/pairs", app.program), Some(token), None).await
}

async fn a_cached_pair_list_shows_what_another_process_changed(app: App) {
    let sponsor = app.login("s@lab.test").await;
    for _ in 0..2 {
        let (status, list) = pairs_as(&app, &sponsor).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list[0]["status"], "forming");
        assert_eq!(list[0]["leader"]["name"], "Name L1");
    }
    let other = app.other_process().await;
    for who in ["L1", "M1"] {
        other.accept_charter(PairId(app.pair1), who).await.expect("accept elsewhere");
    }
    let renamed = RawPerson {
        employee_id: "L1".into(),
        name: "Lena Renamed".into(),
        email: "l1@lab.test".into(),
        department: "Sales".into(),
        manager_id: "CEO".into(),
        hire_date: "2015-03-01".into(),
        level: "8".into(),
        ..RawPerson::default()
    }
    .parse()
    .expect("person");
    other.upsert_people(&[renamed], &|_| {}).await.expect("import elsewhere");
    other.close().await;
    let (_, list) = pairs_as(&app, &sponsor).await;
    assert_eq!(list[0]["status"], "active", "{list}");
    assert_eq!(list[0]["leader"]["name"], "Lena Renamed", "{list}");
    // A partner's own list, read from the same memory, holds only their pair.
    let leader = app.login("l1@lab.test").await;
    let (_, mine) = pairs_as(&app, &leader).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!((mine[0]["id"].as_i64(), mine[0]["status"].as_str()), (Some(app.pair1), Some("active")));
}

async fn a_person_enrolled_by_another_process_is_let_in_at_once(app: App) {
    // L3 leads in program B only: program A's pairs are not theirs to see, twice (the second from memory).
    let outsider = app.login("l3@lab.test").await;
    for _ in 0..2 {
        let (status, body) = pairs_as(&app, &outsider).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let other = app.other_process().await;
    other.enroll(plab_store::ProgramId(app.program), Role::Sponsor, &[("L3".into(), 1)]).await.expect("enroll");
    other.close().await;
    let (status, list) = pairs_as(&app, &outsider).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(2), "a sponsor now, of every pair: {list}");
}

async fn the_report_and_the_dashboard_follow_a_change_at_once(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let report = format!("/api/v1/programs/{}/report", app.program);
    let (status, before) = app.call("GET", &report, Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["sessions"]["planned"], 0, "nothing is planned before a pair is active: {before}");
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let dashboard = format!("/programs/{}", app.program);
    let page = send(&app, "GET", &dashboard, Some(&cookie), None).await;
    assert!(page.html.contains("<dd id=\"sessions-planned\">0</dd>"), "{}", page.html);
    // Both partners accept the lab rules over the API: the pair's sessions are planned.
    let planned = crate::common::activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await.len();
    assert!(planned > 0);
    let (_, after) = app.call("GET", &report, Some(&sponsor), None).await;
    assert_eq!(after["sessions"]["planned"], planned, "{after}");
    let page = send(&app, "GET", &dashboard, Some(&cookie), None).await;
    assert!(page.html.contains(&format!("<dd id=\"sessions-planned\">{planned}</dd>")), "{}", page.html);
    assert!(page.html.contains("<td class=\"status\">active</td>"), "the dashboard lists the pair active");
    // Another process cancels one of them: the next report counts it.
    let other = app.other_process().await;
    let first = other.sessions(PairId(app.pair1)).await.expect("sessions")[0].id;
    other.cancel_session(first, &[]).await.expect("cancel elsewhere");
    other.close().await;
    let (_, later) = app.call("GET", &report, Some(&sponsor), None).await;
    assert_eq!(
        (later["sessions"]["planned"].as_u64(), later["sessions"]["cancelled"].as_u64()),
        (Some(planned as u64 - 1), Some(1)),
        "{later}"
    );
}
