//! Sessions that did not happen, the timer that survives a reload, and the
//! sponsor's triage of pairs at risk: a past session asks both partners
//! whether it took place, "no" (or a week without an answer) records it as
//! missed, which the report and the fade-out signal count and after which
//! nobody is asked for a pulse; the timer is kept by the server and gone once
//! the session is held; the program's sponsors alone keep a follow-up state
//! per pair and signal, audited.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate};
use axum::http::StatusCode;
use plab_domain::SessionId;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

crate::backends!(
    a_past_planned_session_asks_both_partners_whether_it_took_place,
    nobody_is_asked_about_a_session_still_ahead,
    did_not_happen_is_recorded_as_missed_audited_and_counted_in_the_report_and_fade_out,
    a_session_unanswered_for_a_week_counts_as_missed_yet_can_still_be_said_held,
    no_pulse_is_asked_for_a_missed_session_nor_for_one_long_past,
    the_timer_shows_the_stored_segment_after_a_reload_and_is_gone_once_held,
    two_devices_pressing_next_together_skip_no_segment,
    a_sponsor_works_through_pairs_at_risk_in_one_sortable_table,
    only_the_programs_sponsors_see_the_triage_or_set_a_follow_up,
);

async fn move_to(app: &App, session: i64, ago: Duration) {
    app.store.reschedule_session(SessionId(session), OffsetDateTime::now_utc() - ago).await.expect("move");
}

async fn page(app: &App, cookie: &str, uri: &str) -> String {
    let page = send(app, "GET", uri, Some(cookie), None).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.html);
    page.html
}

async fn sessions_of(app: &App, pair: i64, who: &str) -> Vec<Value> {
    let token = app.login(who).await;
    let (status, list) = app.call("GET", &format!("/api/v1/pairs/{pair}/sessions"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().expect("sessions").clone()
}

async fn report(app: &App) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, report) =
        app.call("GET", &format!("/api/v1/programs/{}/report", app.program), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

async fn audited(app: &App, action: &str) -> Vec<plab_store::AuditEntry> {
    app.store.audit_log(100).await.expect("audit").into_iter().filter(|e| e.action == action).collect()
}

async fn a_past_planned_session_asks_both_partners_whether_it_took_place(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to(&app, ids[0], Duration::hours(2)).await;
    let listed = sessions_of(&app, app.pair1, "l1@lab.test").await;
    assert_eq!((listed[0]["status"].as_str(), listed[0]["awaiting_outcome"].as_bool()), (Some("planned"), Some(true)));
    assert_eq!(listed[1]["awaiting_outcome"], json!(false), "a session ahead is not asked about");
    for who in ["l1@lab.test", "m1@lab.test"] {
        let (cookie, _) = sign_in(&app, who).await;
        let home = page(&app, &cookie, "/home").await;
        assert!(
            home.contains("Did session 1 (") && home.contains(&format!("/sessions/{}#took-place", ids[0])),
            "{home}"
        );
        assert!(!home.contains("Did session 2"), "{who}: a session ahead is not asked about");
        let session = page(&app, &cookie, &format!("/sessions/{}", ids[0])).await;
        assert!(session.contains("id=\"took-place\"") && session.contains("Did it take place?"), "{session}");
        assert!(session.contains("Yes, it was held") && session.contains("No, it did not happen"), "{session}");
        let ahead = page(&app, &cookie, &format!("/sessions/{}", ids[1])).await;
        assert!(!ahead.contains("id=\"took-place\""), "{who}: session 2 is still ahead");
    }
    // "Yes, it was held" is the hold flow: homework, then the pulse.
    let (cookie, csrf) = sign_in(&app, "m1@lab.test").await;
    let held = send(
        &app,
        "POST",
        &format!("/sessions/{}/hold", ids[0]),
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("homework", "read the team channel")])),
    )
    .await;
    assert_eq!(held.location, Some(format!("/sessions/{}?done=held#pulse", ids[0])), "{}", held.html);
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let home = page(&app, &leader, "/home").await;
    assert!(!home.contains("Did session 1") && home.contains("Answer the pulse for session 1"), "{home}");
}

async fn nobody_is_asked_about_a_session_still_ahead(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    for who in ["l1@lab.test", "m1@lab.test"] {
        let (cookie, _) = sign_in(&app, who).await;
        assert!(!page(&app, &cookie, "/home").await.contains("take place?"), "{who}");
        assert!(!page(&app, &cookie, &format!("/sessions/{}", ids[0])).await.contains("id=\"took-place\""));
    }
    let token = app.login("l1@lab.test").await;
    let (status, body) = app.call("POST", &format!("/api/v1/sessions/{}/missed", ids[0]), Some(&token), None).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
    assert!(sessions_of(&app, app.pair1, "l1@lab.test").await.iter().all(|s| s["status"] == "planned"));
}

async fn did_not_happen_is_recorded_as_missed_audited_and_counted_in_the_report_and_fade_out(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let before = report(&app).await;
    assert_eq!(before["sessions"]["missed"], 0);
    move_to(&app, ids[0], Duration::days(30)).await;
    move_to(&app, ids[1], Duration::days(3)).await;
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let said =
        send(&app, "POST", &format!("/sessions/{}/missed", ids[1]), Some(&cookie), Some(&form(&[("csrf", &csrf)])))
            .await;
    assert_eq!(said.location, Some(format!("/sessions/{}?done=missed", ids[1])), "{}", said.html);
    let listed = sessions_of(&app, app.pair1, "m1@lab.test").await;
    assert_eq!(listed[1]["status"], "missed");
    assert_eq!(listed[1]["awaiting_outcome"], false);
    assert_eq!(listed[0]["status"], "missed", "a month without an answer");
    let entries = audited(&app, "session.missed").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!((entries[0].actor.as_str(), entries[0].subject.clone()), ("l1@lab.test", format!("session {}", ids[1])));
    // The partner is asked no more; answering again is refused on the page, in place.
    let (mentor, mentor_csrf) = sign_in(&app, "m1@lab.test").await;
    assert!(!page(&app, &mentor, "/home").await.contains("take place?"));
    let again = send(
        &app,
        "POST",
        &format!("/sessions/{}/missed", ids[1]),
        Some(&mentor),
        Some(&form(&[("csrf", &mentor_csrf)])),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.html.contains("role=\"alert\"") && again.html.contains("did not take place"), "{}", again.html);
    let hold = send(
        &app,
        "POST",
        &format!("/sessions/{}/hold", ids[1]),
        Some(&mentor),
        Some(&form(&[("csrf", &mentor_csrf), ("homework", "kept when refused")])),
    )
    .await;
    assert_eq!(hold.status, StatusCode::CONFLICT, "a missed session is not held afterwards");
    assert!(hold.html.contains("id=\"refusal\"") && hold.html.contains("did not take place"), "{}", hold.html);
    assert!(!hold.html.contains("id=\"hold\""), "nothing more to record for it");
    // The report counts both as missed, and a cadence that kept none of them.
    let after = report(&app).await;
    assert_eq!(after["sessions"]["missed"], 2, "{after}");
    assert_eq!(after["sessions"]["planned"], before["sessions"]["planned"].as_u64().expect("n") - 2);
    assert_eq!(after["cadence_kept"], json!(0.0), "two sessions fell due, none was held");
    let at_risk = after["at_risk"].as_array().expect("at risk");
    let pair = at_risk.iter().find(|r| r["pair"] == app.pair1).expect("pair 1 is at risk");
    assert_eq!(pair["signals"], json!(["unfocused"]));
    assert!(pair["last_held"].is_null() && pair["since"].as_array().is_some_and(|s| s.len() == 1), "{pair}");
    // The fade-out: no session held for more than two cadences while sessions were owed.
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let pair_page = page(&app, &sponsor, &format!("/pairs/{}", app.pair1)).await;
    assert!(pair_page.contains("No session has been recorded as held in the last"), "{pair_page}");
    assert!(pair_page.contains("did not take place"), "the slipped sessions include missed ones: {pair_page}");
    let dashboard = page(&app, &sponsor, &format!("/programs/{}", app.program)).await;
    assert!(dashboard.contains("<dd id=\"sessions-missed\">2</dd>"), "{dashboard}");
}

async fn a_session_unanswered_for_a_week_counts_as_missed_yet_can_still_be_said_held(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to(&app, ids[0], Duration::days(6)).await;
    assert_eq!(sessions_of(&app, app.pair1, "l1@lab.test").await[0]["status"], "planned", "six days: still asked");
    move_to(&app, ids[0], Duration::days(8)).await;
    let listed = sessions_of(&app, app.pair1, "l1@lab.test").await;
    assert_eq!((listed[0]["status"].as_str(), listed[0]["awaiting_outcome"].as_bool()), (Some("missed"), Some(false)));
    assert_eq!(report(&app).await["sessions"]["missed"], 1);
    let (cookie, csrf) = sign_in(&app, "m1@lab.test").await;
    assert!(!page(&app, &cookie, "/home").await.contains("take place?"), "its to-do expired");
    let session = page(&app, &cookie, &format!("/sessions/{}", ids[0])).await;
    assert!(session.contains("recorded as missed") && session.contains("Yes, it was held"), "{session}");
    assert!(!session.contains("No, it did not happen"));
    assert!(!session.contains("id=\"timer-start\""), "no timer on a missed session");
    // Nothing was written for it: a partner who says it did take place after all is heard.
    let held =
        send(&app, "POST", &format!("/sessions/{}/hold", ids[0]), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.html);
    assert_eq!(sessions_of(&app, app.pair1, "l1@lab.test").await[0]["status"], "held");
}

async fn no_pulse_is_asked_for_a_missed_session_nor_for_one_long_past(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let leader = app.login("l1@lab.test").await;
    move_to(&app, ids[0], Duration::days(40)).await;
    move_to(&app, ids[1], Duration::days(20)).await;
    move_to(&app, ids[2], Duration::days(2)).await;
    for session in [ids[1], ids[2]] {
        let (status, body) =
            app.call("POST", &format!("/api/v1/sessions/{session}/hold"), Some(&leader), Some("{}".into())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.call("POST", &format!("/api/v1/sessions/{}/missed", ids[0]), Some(&leader), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "missed");
    let pulse = json!({"answers": {"listened": 4, "focused": 4, "shared_challenge": 4}}).to_string();
    let (status, body) =
        app.call("PUT", &format!("/api/v1/sessions/{}/pulse", ids[0]), Some(&leader), Some(pulse.clone())).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
    for who in ["l1@lab.test", "m1@lab.test"] {
        let (cookie, _) = sign_in(&app, who).await;
        let home = page(&app, &cookie, "/home").await;
        assert!(!home.contains("Answer the pulse for session 1"), "{who}: it never happened");
        assert!(!home.contains("Answer the pulse for session 2"), "{who}: twenty days on, nobody is asked");
        assert!(home.contains("Answer the pulse for session 3"), "{who}: {home}");
    }
    // An old session's pulse can still be given; it is only no longer asked for.
    let (status, _) = app.call("PUT", &format!("/api/v1/sessions/{}/pulse", ids[1]), Some(&leader), Some(pulse)).await;
    assert_eq!(status, StatusCode::OK);
}

async fn press(app: &App, cookie: &str, csrf: &str, session: i64, action: &str, segment: Option<usize>) -> Value {
    let shown = segment.map(|s| s.to_string()).unwrap_or_default();
    let mut fields = vec![("csrf", csrf), ("action", action)];
    if segment.is_some() {
        fields.push(("segment", &shown));
    }
    let answer = send(app, "POST", &format!("/sessions/{session}/timer"), Some(cookie), Some(&form(&fields))).await;
    assert_eq!(answer.status, StatusCode::OK, "{action}: {}", answer.html);
    serde_json::from_str(&answer.html).expect("the timer as JSON")
}

async fn the_timer_shows_the_stored_segment_after_a_reload_and_is_gone_once_held(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to(&app, ids[0], Duration::minutes(15)).await;
    let (leader, leader_csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/sessions/{}", ids[0]);
    let fresh = page(&app, &leader, &uri).await;
    assert!(fresh.contains("id=\"timer-start\"") && fresh.contains("data-running=\"false\""), "{fresh}");
    let started = press(&app, &leader, &leader_csrf, ids[0], "start", None).await;
    assert_eq!((started["running"].as_bool(), started["segment"].as_u64()), (Some(true), Some(0)));
    let next = press(&app, &leader, &leader_csrf, ids[0], "next", Some(0)).await;
    assert_eq!(next["segment"], 1);
    // The partner's device, or a reload: the Mentor's Lab runs, with its time left, not Connect again.
    let (mentor, mentor_csrf) = sign_in(&app, "m1@lab.test").await;
    let reloaded = page(&app, &mentor, &uri).await;
    assert!(reloaded.contains("data-running=\"true\" data-segment=\"1\""), "{reloaded}");
    assert!(reloaded.contains("class=\"segment current\"") && reloaded.contains("aria-current=\"step\""));
    assert!(
        reloaded.contains("Now: <strong>Mentor&#39;s Lab</strong>")
            || reloaded.contains("Now: <strong>Mentor's Lab</strong>")
    );
    assert!(reloaded.contains("30:00 left") || reloaded.contains("29:5"), "{reloaded}");
    let paused = press(&app, &mentor, &mentor_csrf, ids[0], "pause", Some(1)).await;
    assert_eq!(paused["paused"], true);
    assert!(page(&app, &leader, &uri).await.contains("(paused)"));
    let token = app.login("l1@lab.test").await;
    let (_, timer) = app.call("GET", &format!("/api/v1/sessions/{}/timer", ids[0]), Some(&token), None).await;
    assert_eq!((timer["segment"].as_u64(), timer["paused"].as_bool()), (Some(1), Some(true)), "{timer}");
    // Connect's minutes were recorded for the measure step when the timer moved on.
    let measures =
        app.store.session_measures(plab_store::Scope::Pair(plab_domain::PairId(app.pair1))).await.expect("measures");
    assert!(measures.segments.iter().any(|t| t.session == SessionId(ids[0]) && t.segment == "Connect"));
    // Held: no timer on the page, and no pressing it.
    let held = send(
        &app,
        "POST",
        &format!("/sessions/{}/hold", ids[0]),
        Some(&leader),
        Some(&form(&[("csrf", &leader_csrf)])),
    )
    .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    let after = page(&app, &leader, &uri).await;
    assert!(
        !after.contains("timer-start") && !after.contains("Start the timer") && !after.contains("timer.js"),
        "{after}"
    );
    let refused = send(
        &app,
        "POST",
        &format!("/sessions/{}/timer", ids[0]),
        Some(&leader),
        Some(&form(&[("csrf", &leader_csrf), ("action", "start")])),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    // A cancelled session has no timer either.
    let (status, _) = app.call("POST", &format!("/api/v1/sessions/{}/cancel", ids[1]), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page(&app, &leader, &format!("/sessions/{}", ids[1])).await.contains("Start the timer"));
}

async fn two_devices_pressing_next_together_skip_no_segment(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to(&app, ids[0], Duration::minutes(5)).await;
    let (leader, leader_csrf) = sign_in(&app, "l1@lab.test").await;
    let (mentor, mentor_csrf) = sign_in(&app, "m1@lab.test").await;
    press(&app, &leader, &leader_csrf, ids[0], "start", None).await;
    let again = press(&app, &mentor, &mentor_csrf, ids[0], "start", None).await;
    assert_eq!(again["segment"], 0, "a second start leaves the running timer as it is");
    assert_eq!(press(&app, &leader, &leader_csrf, ids[0], "next", Some(0)).await["segment"], 1);
    assert_eq!(press(&app, &mentor, &mentor_csrf, ids[0], "next", Some(0)).await["segment"], 1, "the stale press");
    let token = app.login("m1@lab.test").await;
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/v1/sessions/{}/timer", ids[0]),
            Some(&token),
            Some(json!({"action": "jump"}).to_string()),
        )
        .await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone else's session timer is not there for them.
    let other = app.login("l2@lab.test").await;
    let (status, _) = app.call("GET", &format!("/api/v1/sessions/{}/timer", ids[0]), Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Pair 1 stops meeting: its first two sessions never took place.
async fn pair_one_at_risk(app: &App) -> Vec<i64> {
    let ids = activate(app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to(app, ids[0], Duration::days(40)).await;
    move_to(app, ids[1], Duration::days(26)).await;
    ids
}

async fn a_sponsor_works_through_pairs_at_risk_in_one_sortable_table(app: App) {
    pair_one_at_risk(&app).await;
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let dashboard = format!("/programs/{}", app.program);
    let html = page(&app, &sponsor, &dashboard).await;
    assert!(html.contains("id=\"triage\"") && html.contains("Name L1 and Name M1"), "{html}");
    assert!(html.contains("<td class=\"signal signal-unfocused\">Unfocused</td>"), "{html}");
    assert!(html.contains("none held yet"), "last session held: {html}");
    assert_eq!(html.matches("protect it in the calendar").count(), 1, "the advice once, not per pair");
    assert!(html.contains("<option value=\"new\" selected>"), "a signal nobody acted on is new");
    for sort in ["pair", "signal", "since", "last_session", "follow_up"] {
        let sorted = page(&app, &sponsor, &format!("{dashboard}?sort={sort}")).await;
        assert!(
            sorted.contains(&format!("aria-sort=\"ascending\"><a href=\"{dashboard}?sort={sort}#at-risk\"")),
            "{sort}"
        );
    }
    let saved = send(
        &app,
        "POST",
        &format!("/pairs/{}/follow-up", app.pair1),
        Some(&sponsor),
        Some(&form(&[("csrf", &csrf), ("signal", "unfocused"), ("state", "contacted"), ("sort", "last_session")])),
    )
    .await;
    assert_eq!(
        saved.location,
        Some(format!("{dashboard}?sort=last_session&saved={}#at-risk", app.pair1)),
        "{}",
        saved.html
    );
    let html = page(&app, &sponsor, &format!("{dashboard}?sort=last_session&saved=1")).await;
    assert!(html.contains("<option value=\"contacted\" selected>") && html.contains("Follow-up saved."), "{html}");
    let entries = audited(&app, "triage.follow_up").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].actor.as_str(), entries[0].detail.as_str()), ("s@lab.test", "unfocused: contacted"));
    // A value the form does not offer comes back above the table, nothing saved.
    let refused = send(
        &app,
        "POST",
        &format!("/pairs/{}/follow-up", app.pair1),
        Some(&sponsor),
        Some(&form(&[("csrf", &csrf), ("signal", "unfocused"), ("state", "forgotten")])),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("id=\"triage-error\"") && refused.html.contains("new, contacted or resolved"));
    assert_eq!(audited(&app, "triage.follow_up").await.len(), 1);
    // The pair's page shows its signals, where the sponsors are with them, and the way back.
    let pair = page(&app, &sponsor, &format!("/pairs/{}", app.pair1)).await;
    assert!(pair.contains("id=\"signals\"") && pair.contains("Follow-up: <strong>Contacted</strong>"), "{pair}");
    assert!(pair.contains(&format!("id=\"back-to-program\" href=\"{dashboard}#at-risk\"")), "{pair}");
    // The partners see their own signals, never the sponsors' follow-up nor the way to the dashboard.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let theirs = page(&app, &leader, &format!("/pairs/{}", app.pair1)).await;
    assert!(!theirs.contains("Follow-up:") && !theirs.contains("back-to-program"), "{theirs}");
}

async fn only_the_programs_sponsors_see_the_triage_or_set_a_follow_up(app: App) {
    pair_one_at_risk(&app).await;
    let uri = format!("/pairs/{}/follow-up", app.pair1);
    // (who, status): a partner sees the pair but this is not theirs (403);
    // anyone else does not see the pair at all (404).
    for (who, want) in [
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("m1@lab.test", StatusCode::FORBIDDEN),
        ("l2@lab.test", StatusCode::NOT_FOUND),
        ("s2@lab.test", StatusCode::NOT_FOUND),
        ("m3@lab.test", StatusCode::NOT_FOUND),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let (cookie, csrf) = sign_in(&app, who).await;
        let fields = form(&[("csrf", &csrf), ("signal", "unfocused"), ("state", "resolved")]);
        let answer = send(&app, "POST", &uri, Some(&cookie), Some(&fields)).await;
        assert_eq!(answer.status, want, "{who}: {}", answer.html);
        let dashboard = send(&app, "GET", &format!("/programs/{}", app.program), Some(&cookie), None).await;
        assert!(!dashboard.html.contains("id=\"triage\""), "{who} sees no triage table");
    }
    let anonymous =
        send(&app, "POST", &uri, None, Some(&form(&[("signal", "unfocused"), ("state", "resolved")]))).await;
    assert!(anonymous.status.is_redirection() || anonymous.status == StatusCode::FORBIDDEN, "{}", anonymous.status);
    assert!(app.store.follow_ups(plab_store::ProgramId(app.program)).await.expect("follow-ups").is_empty());
    assert!(audited(&app, "triage.follow_up").await.is_empty());
}
