//! The leader's priorities: who moves or cancels each session is recorded;
//! the partner who changes far more is nudged without blame, the other
//! partner is not, and the sponsor's report counts such pairs from the
//! program's minimum group size of pairs.
use crate::common::browser::{send, sign_in};
use crate::common::{App, activate};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::ProgramId;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

crate::backends!(the_partner_who_changes_far_more_sessions_is_nudged_and_the_sponsor_sees_it_from_the_group_size);

async fn report(app: &App, program: i64) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", &format!("/api/v1/programs/{program}/report"), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r["session_changes"].clone()
}

/// L1 cancels three sessions of `pair` and moves a fourth; M1 moves none.
async fn leader_changes_four(app: &App, pair: i64) {
    let sessions = activate(app, pair, "l1@lab.test", "m1@lab.test").await;
    let l1 = app.login("l1@lab.test").await;
    for s in &sessions[1..4] {
        let (status, body) = app.call("POST", &format!("/api/v1/sessions/{s}/cancel"), Some(&l1), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, listed) = app.call("GET", &format!("/api/v1/pairs/{pair}/sessions"), Some(&l1), None).await;
    let fifth = &listed[4];
    let at = time::OffsetDateTime::parse(
        fifth["starts_at"].as_str().expect("start"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("rfc3339")
        + time::Duration::days(1);
    let body = json!({"starts_at": at.format(&time::format_description::well_known::Rfc3339).expect("format")});
    let uri = format!("/api/v1/sessions/{}/reschedule", fifth["id"]);
    let (status, moved) = app.call("POST", &uri, Some(&l1), Some(body.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
}

async fn the_partner_who_changes_far_more_sessions_is_nudged_and_the_sponsor_sees_it_from_the_group_size(app: App) {
    // Program A has 2 pairs and a group size of 5: the figure is withheld.
    leader_changes_four(&app, app.pair1).await;
    let a = report(&app, app.program).await;
    assert!(a["leader_far_more"].is_null() && a["mentor_far_more"].is_null(), "{a}");
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}", app.program), Some(&cookie), None).await;
    assert!(page.html.contains("shown once the program has at least 5 pairs"), "withheld in words");

    // The nudge goes to the leader, who can act; the mentor sees no blaming message.
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(page.html.contains("You have moved or cancelled 4 of the 4 sessions changed"), "{}", page.html);
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("steady-hour") && !page.html.contains("moved or cancelled"), "no blame for the mentor");

    // Program C asks for groups of 2 and has 2 pairs: the figure is shown.
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let start = crate::common::program_start().to_string();
    let c = programs::create(&app.store, "C", &start, settings, "test").await.expect("C");
    for (role, ids) in [(Role::Sponsor, ["S"].as_slice()), (Role::Leader, &["L1", "L2"]), (Role::Mentor, &["M1", "M2"])]
    {
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        programs::enroll(&app.store, c, role, &ids, None, "test").await.expect("enroll");
    }
    crate::common::approve_pairs(&app.store, c, &[("L1", "M1"), ("L2", "M2")]).await;
    let pairs = app.store.pairs(c).await.expect("pairs");
    let first = pairs.iter().find(|p| p.pair.leader == "L1").expect("L1's pair").id.0;
    let c_report = report(&app, c.0).await;
    assert_eq!((c_report["leader_far_more"].as_u64(), c_report["mentor_far_more"].as_u64()), (Some(0), Some(0)));
    leader_changes_four(&app, first).await;
    let c_report = report(&app, c.0).await;
    assert_eq!((c_report["leader_far_more"].as_u64(), c_report["mentor_far_more"].as_u64()), (Some(1), Some(0)));
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}", c.0), Some(&cookie), None).await;
    assert!(
        page.html.contains("In 1 pair the leader moves or cancels far more sessions than the mentor"),
        "{}",
        page.html
    );
    let _ = ProgramId(c.0);
}
