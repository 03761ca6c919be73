//! Sessions and pulses through the API and the pages: planned once the lab
//! rules are accepted, held, cancelled and rescheduled by the partners only,
//! homework sealed and carried to the next session, a pulse no partner or
//! sponsor can read, and sponsor averages withheld below the group minimum.

use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate, move_to_past};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

/// 16:30 UTC on the first Monday at least four weeks from now, plus `days`
/// (5 gives a Saturday): a time a partner may pick, whenever the tests run.
fn next_month(days: i64) -> String {
    let mut t = time::OffsetDateTime::now_utc() + time::Duration::days(28);
    while t.weekday() != time::Weekday::Monday {
        t += time::Duration::days(1);
    }
    let t = (t + time::Duration::days(days)).replace_time(time::macros::time!(16:30));
    plab_domain::session::format_instant(t)
}

fn body(v: Value) -> Option<String> {
    Some(v.to_string())
}

const MENTOR_PULSE: [(&str, i64); 3] = [("led", 2), ("candid", 1), ("heard", 5)];

fn mentor_pulse() -> Value {
    json!({"answers": MENTOR_PULSE.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect::<serde_json::Map<_, _>>()})
}

async fn accepting_the_lab_rules_plans_the_programs_sessions_at_its_cadence(app: App) {
    let token = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/sessions", app.pair1);
    let (_, before) = app.call("GET", &uri, Some(&token), None).await;
    assert_eq!(before, json!([]), "a forming pair has no sessions yet");
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (status, sessions) = app.call("GET", &uri, Some(&token), None).await;
    assert_eq!((status, ids.len()), (StatusCode::OK, 6), "{sessions}");
    // The program starts on a Monday five weeks or more from now, later than a week after activation;
    // both partners are in UTC, so the series is at 10:00 UTC.
    let starts: Vec<&str> =
        sessions.as_array().expect("list").iter().map(|s| s["starts_at"].as_str().expect("t")).collect();
    let day = crate::common::program_start();
    let expected: Vec<String> = [0, 14, 28].iter().map(|d| format!("{}T10:00:00Z", day.plus_days(*d))).collect();
    assert_eq!(starts[..3], expected);
    assert!(sessions.as_array().expect("list").iter().all(|s| s["minutes"] == 60 && s["status"] == "planned"));
    // Accepting again plans nothing more.
    app.call("POST", &format!("/api/v1/pairs/{}/charter", app.pair1), Some(&token), None).await;
    let (_, again) = app.call("GET", &uri, Some(&token), None).await;
    assert_eq!(again.as_array().map(Vec::len), Some(6));
}

async fn authorization_matrix_over_every_session_route(app: App) {
    let own = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let other = activate(&app, app.pair2, "l2@lab.test", "m2@lab.test").await;
    move_to_past(&app, own[0]).await;
    let (p1, p2) = (app.pair1, app.pair2);
    let leader_pulse = || body(json!({"answers": {"listened": 4, "focused": 4, "shared_challenge": 3}}));
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", format!("/api/v1/pairs/{p1}/sessions"), None),
        ("GET", format!("/api/v1/sessions/{}/pulse", own[0]), None),
        ("POST", format!("/api/v1/sessions/{}/reschedule", own[1]), body(json!({"starts_at": next_month(0)}))),
        ("POST", format!("/api/v1/sessions/{}/hold", own[0]), body(json!({"homework": "try the chat channel"}))),
        ("PUT", format!("/api/v1/sessions/{}/pulse", own[0]), leader_pulse()),
        ("POST", format!("/api/v1/sessions/{}/cancel", other[5]), None),
        ("GET", format!("/api/v1/pairs/{p2}/sessions"), None),
        ("POST", format!("/api/v1/sessions/{}/segments", own[0]), body(json!({"segment": "Connect", "minutes": 9}))),
        (
            "POST",
            format!("/api/v1/sessions/{}/reschedule/preview", own[2]),
            body(json!({"starts_at": next_month(1), "scope": "rest"})),
        ),
        // The timer of a planned session, and "did not happen" said of one still ahead (409).
        ("GET", format!("/api/v1/sessions/{}/timer", own[3]), None),
        ("POST", format!("/api/v1/sessions/{}/missed", own[3]), None),
    ];
    use StatusCode as C;
    let (ok, no, hidden, anon) = (C::OK, C::FORBIDDEN, C::NOT_FOUND, C::UNAUTHORIZED);
    // Rows run in order: the leader holds the session first, so the mentor
    // then finds it held (409); the mentor's answer to leader items is 422.
    // A session of a pair the caller cannot see is 404 like a missing one;
    // the sponsor sees the sessions but may not act on them (403).
    let done = C::NO_CONTENT;
    let ahead = C::CONFLICT;
    let matrix: Vec<(Option<&str>, [C; 11])> = vec![
        (Some("l1@lab.test"), [ok, ok, ok, ok, ok, hidden, hidden, done, ok, ok, ahead]),
        (Some("m1@lab.test"), [ok, ok, ok, C::CONFLICT, C::UNPROCESSABLE_ENTITY, hidden, hidden, done, ok, ok, ahead]),
        (Some("s@lab.test"), [ok, no, no, no, no, no, ok, no, no, no, no]),
        (Some("l2@lab.test"), [hidden, hidden, hidden, hidden, hidden, ok, ok, hidden, hidden, hidden, hidden]),
        (Some("s2@lab.test"), [hidden; 11]),
        (Some("m3@lab.test"), [hidden; 11]),
        (Some("admin@ops.test"), [hidden; 11]),
        (None, [anon; 11]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
    // The timer's recordings: only the agenda's segments, within ten hours, never on a cancelled session.
    let leader = app.login("l1@lab.test").await;
    let segments = format!("/api/v1/sessions/{}/segments", own[0]);
    for (bad, field) in [
        (json!({"segment": "Coffee", "minutes": 9}), "segment"),
        (json!({"segment": "Connect", "minutes": 601}), "minutes"),
    ] {
        let (status, value) = app.call("POST", &segments, Some(&leader), body(bad)).await;
        crate::common::assert_error_json(status, &value, C::UNPROCESSABLE_ENTITY);
        assert!(value["error"]["message"].as_str().is_some_and(|m| m.contains(field)), "{value}");
    }
    let cancelled = format!("/api/v1/sessions/{}/segments", other[5]);
    let l2 = app.login("l2@lab.test").await;
    let (status, value) =
        app.call("POST", &cancelled, Some(&l2), body(json!({"segment": "Connect", "minutes": 9}))).await;
    crate::common::assert_error_json(status, &value, C::CONFLICT);
}

async fn a_mentors_private_pulse_never_reaches_the_leader_or_the_sponsor(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to_past(&app, ids[0]).await;
    let (leader, mentor, sponsor) =
        (app.login("l1@lab.test").await, app.login("m1@lab.test").await, app.login("s@lab.test").await);
    let pulse = format!("/api/v1/sessions/{}/pulse", ids[0]);
    let (status, _) = app.call("PUT", &pulse, Some(&mentor), body(mentor_pulse())).await;
    assert_eq!(status, StatusCode::CONFLICT, "a planned session has no pulse yet");
    app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[0]), Some(&leader), body(json!({}))).await;
    let (status, saved) = app.call("PUT", &pulse, Some(&mentor), body(mentor_pulse())).await;
    assert_eq!((status, &saved), (StatusCode::OK, &json!({"candid": 1, "heard": 5, "led": 2})));
    let (_, leaders_view) = app.call("GET", &pulse, Some(&leader), None).await;
    assert_eq!(leaders_view, json!({}), "the leader sees only their own (empty) pulse");
    let (status, refused) = app.call("GET", &pulse, Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!refused.to_string().contains("candid") && !refused.to_string().contains("heard"), "{refused}");
    let (_, list) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&leader), None).await;
    assert!(!list.to_string().contains("candid"), "{list}");
    // The leader's session page carries the leader's statements only.
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/sessions/{}", ids[0]), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("I asked and listened more than I explained."));
    assert!(!page.html.contains("candid") && !page.html.contains("I felt my perspective was heard"));
    assert!(!page.html.contains(" checked"), "nothing of the leader's is answered yet");
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &format!("/sessions/{}", ids[0]), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"candid-1\" name=\"candid\" value=\"1\" required checked"), "{}", page.html);
}

/// A program with its own minimum group size, two active pairs (L1+M1, L2+M2)
/// whose first session was held and whose mentors both answered their pulse.
async fn program_with_two_mentor_pulses(app: &App, min_group_size: u32) -> i64 {
    // The operator lowers the instance's floor first (`plab settings set group_size_floor`).
    plab_app::settings::set_group_size_floor(&app.store, &min_group_size.to_string(), "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size, ..ProgramSettings::default() };
    let program = programs::create(&app.store, "C", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program");
    for (role, ids) in [(Role::Sponsor, ["S"].as_slice()), (Role::Leader, &["L1", "L2"]), (Role::Mentor, &["M1", "M2"])]
    {
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        programs::enroll(&app.store, program, role, &ids, None, "test").await.expect("enroll");
    }
    crate::common::approve_pairs(&app.store, program, &[("L1", "M1"), ("L2", "M2")]).await;
    for (pair, leader, mentor, heard) in app
        .store
        .pairs(program)
        .await
        .expect("pairs")
        .iter()
        .zip([("l1", "m1", 3), ("l2", "m2", 4)])
        .map(|(p, (l, m, h))| (p.id.0, format!("{l}@lab.test"), format!("{m}@lab.test"), h))
    {
        let ids = activate(app, pair, &leader, &mentor).await;
        move_to_past(app, ids[0]).await;
        let token = app.login(&mentor).await;
        app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[0]), Some(&token), body(json!({}))).await;
        let answers = json!({"answers": {"led": 4, "candid": 4, "heard": heard}});
        let (status, value) =
            app.call("PUT", &format!("/api/v1/sessions/{}/pulse", ids[0]), Some(&token), body(answers)).await;
        assert_eq!(status, StatusCode::OK, "{value}");
    }
    program.0
}

async fn sponsor_averages_are_withheld_below_the_minimum_group_size(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let below = program_with_two_mentor_pulses(&app, 3).await;
    let page = send(&app, "GET", &format!("/programs/{below}"), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("withheld (fewer than 3)"), "{}", page.html);
    assert!(!page.html.contains("3.50"), "two mentors' answers must not be averaged for a minimum of 3");
    assert!(page.html.contains("id=\"sessions-held\">2<"));
}

async fn sponsor_averages_are_shown_once_the_minimum_group_size_has_answered(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let at = program_with_two_mentor_pulses(&app, 2).await;
    let page = send(&app, "GET", &format!("/programs/{at}"), Some(&cookie), None).await;
    assert!(page.html.contains("3.50"), "heard: (3 + 4) / 2 once two people answered: {}", page.html);
    assert!(page.html.contains("4.00"));
    // Leaders answered nothing: their items stay withheld.
    assert!(page.html.contains("withheld (fewer than 2)"));
    // A leader of that program cannot open the sponsor's page.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    assert_eq!(send(&app, "GET", &format!("/programs/{at}"), Some(&leader), None).await.status, StatusCode::FORBIDDEN);
}

/// A mentor holds their pair's first session and answers `heard` (the other items 4).
async fn mentor_answers_heard(app: &App, session: i64, mentor: &str, heard: i64) {
    let token = app.login(mentor).await;
    app.call("POST", &format!("/api/v1/sessions/{session}/hold"), Some(&token), body(json!({}))).await;
    let answers = json!({"answers": {"led": 4, "candid": 4, "heard": heard}});
    let (status, value) =
        app.call("PUT", &format!("/api/v1/sessions/{session}/pulse"), Some(&token), body(answers)).await;
    assert_eq!(status, StatusCode::OK, "{value}");
}

/// The sponsor's `heard` row on the program page: (people, average) as shown.
async fn heard_row(app: &App, cookie: &str, program: i64) -> (String, String) {
    let page = send(app, "GET", &format!("/programs/{program}"), Some(cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = page
        .html
        .split("<tr class=\"pulse-average\">")
        .find(|r| r.contains("my perspective was heard"))
        .expect("heard row");
    let cell = |class: &str| {
        let start = row.find(&format!("<td class=\"{class}\">")).expect("cell") + class.len() + 13;
        row[start..].split("</td>").next().expect("cell end").trim().to_owned()
    };
    (cell("respondents"), cell("average"))
}

async fn a_sponsor_cannot_work_out_one_more_answer_from_two_reads_of_the_program_page(app: App) {
    // The operator lowers the instance's floor first (`plab settings set group_size_floor`).
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let program = programs::create(&app.store, "D", &crate::common::program_start().to_string(), settings, "test")
        .await
        .expect("program");
    for (role, ids) in
        [(Role::Sponsor, ["S"].as_slice()), (Role::Leader, &["L1", "L2", "L3"]), (Role::Mentor, &["M1", "M2", "M3"])]
    {
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        programs::enroll(&app.store, program, role, &ids, None, "test").await.expect("enroll");
    }
    crate::common::approve_pairs(&app.store, program, &[("L1", "M1"), ("L2", "M2"), ("L3", "M3")]).await;
    let mut first_sessions = Vec::new();
    for pair in app.store.pairs(program).await.expect("pairs") {
        let leader = format!("{}@lab.test", pair.pair.leader.to_lowercase());
        let mentor = format!("{}@lab.test", pair.pair.mentor.to_lowercase());
        let ids = activate(&app, pair.id.0, &leader, &mentor).await;
        move_to_past(&app, ids[0]).await;
        first_sessions.push((ids[0], mentor));
    }
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let program = program.0;
    let [(s1, m1), (s2, m2), (s3, m3)] = &first_sessions[..] else { panic!("three pairs") };

    mentor_answers_heard(&app, *s1, m1, 3).await;
    let alone = heard_row(&app, &cookie, program).await;
    assert_eq!(alone, ("–".to_owned(), "withheld (fewer than 2)".to_owned()), "not even the live count");
    mentor_answers_heard(&app, *s2, m2, 4).await;
    let before = heard_row(&app, &cookie, program).await;
    assert_eq!(before, ("2".to_owned(), "3.50".to_owned()), "released once two people answered");

    // One more answer: with a live average the page would now read 3 people
    // and 3.00, and 3 * 3.00 - 2 * 3.50 = 2 would be that mentor's answer.
    mentor_answers_heard(&app, *s3, m3, 2).await;
    assert_eq!(heard_row(&app, &cookie, program).await, before, "neither the figure nor its count moves");
    // One person changing their answer again and again moves nothing either.
    for heard in [1, 5, 2] {
        mentor_answers_heard(&app, *s3, m3, heard).await;
        assert_eq!(heard_row(&app, &cookie, program).await, before);
    }
    // A second person answering anew (M1 changes theirs) makes two since the
    // release: the figure moves, covering all three.
    mentor_answers_heard(&app, *s1, m1, 5).await;
    assert_eq!(heard_row(&app, &cookie, program).await, ("3".to_owned(), "3.67".to_owned()));
}

async fn the_calendar_feed_has_an_event_per_session_and_marks_cancelled_ones(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let token = app.login("m1@lab.test").await;
    app.call("POST", &format!("/api/v1/sessions/{}/cancel", ids[1]), Some(&token), None).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    let url = me["calendar_url"].as_str().expect("calendar url").trim_start_matches("http://localhost");
    let (status, feed) = app.call("GET", url, None, None).await;
    let feed = feed.as_str().expect("text").to_owned();
    assert_eq!(status, StatusCode::OK);
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n") && feed.trim_end().ends_with("END:VCALENDAR"), "{feed}");
    assert!(feed.contains("\r\nVERSION:2.0\r\n") && feed.contains("\r\nPRODID:-//Perspective Lab//plab//EN\r\n"));
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 6);
    assert_eq!(feed.matches("STATUS:CANCELLED").count(), 1);
    let day = crate::common::program_start().to_string().replace('-', "");
    assert!(
        feed.contains(&format!("DTSTART:{day}T100000Z")) && feed.contains(&format!("DTEND:{day}T110000Z")),
        "{feed}"
    );
    assert!(feed.contains(&format!("UID:pair-{}-session-1@perspective-lab", app.pair1)), "{feed}");
    assert!(feed.contains("of Name L1 and Name M1"), "the entry names both partners");
    // Someone with no pair gets a valid, empty calendar; a wrong secret is 404.
    let s = app.login("s@lab.test").await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&s), None).await;
    let url = me["calendar_url"].as_str().expect("url").trim_start_matches("http://localhost");
    let (_, empty) = app.call("GET", url, None, None).await;
    assert!(!empty.as_str().expect("text").contains("BEGIN:VEVENT"));
    assert_eq!(app.call("GET", "/calendar/not-a-secret.ics", None, None).await.0, StatusCode::NOT_FOUND);
}

async fn bad_session_requests_name_what_is_wrong_and_change_nothing(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let token = app.login("l1@lab.test").await;
    let call = |method: &'static str, uri: String, b: Option<String>| {
        let (app, token) = (&app, token.clone());
        async move { app.call(method, &uri, Some(&token), b).await }
    };
    let hold = format!("/api/v1/sessions/{}/hold", ids[0]);
    let (status, e) = call("POST", hold.clone(), body(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a session next year cannot be held today: {e}");
    let reschedule = format!("/api/v1/sessions/{}/reschedule", ids[0]);
    for (starts_at, says) in [
        (next_month(5), "weekend"),
        ("2020-01-06T10:00:00Z".into(), "past"),
        (next_month(400), "more than a year"),
        ("soon".into(), "is not a time"),
    ] {
        let (status, e) = call("POST", reschedule.clone(), body(json!({"starts_at": starts_at}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["message"].as_str().expect("message").contains(says), "{e}");
    }
    for (bad, want) in [
        ("{", StatusCode::BAD_REQUEST),
        ("{\"starts_at\": 5}", StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"starts_at\": \"2030-01-14T10:00:00Z\", \"x\": 1}", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (status, e) = call("POST", reschedule.clone(), Some(bad.to_owned())).await;
        assert!(status == want && e["error"]["code"].is_string(), "{bad}: {status} {e}");
    }
    move_to_past(&app, ids[0]).await;
    let long = "x".repeat(2_001);
    assert_eq!(call("POST", hold.clone(), body(json!({"homework": long}))).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(call("POST", hold.clone(), body(json!({}))).await.0, StatusCode::OK);
    assert_eq!(call("POST", hold.clone(), body(json!({}))).await.0, StatusCode::CONFLICT);
    let pulse = format!("/api/v1/sessions/{}/pulse", ids[0]);
    let (status, e) = call("PUT", pulse.clone(), body(json!({"answers": {"listened": 9, "focused": 3}}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = e["error"]["message"].as_str().expect("message");
    assert!(message.contains("listened") && message.contains("shared_challenge"), "{message}");
    assert_eq!(call("GET", pulse, None).await.1, json!({}), "nothing half-written");
    assert_eq!(call("POST", "/api/v1/sessions/999999/cancel".into(), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call("POST", "/api/v1/sessions/abc/cancel".into(), None).await.0, StatusCode::NOT_FOUND);
}

async fn homework_set_in_one_session_opens_the_next_escaped_and_encrypted_at_rest(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to_past(&app, ids[0]).await;
    let (leader, csrf) = sign_in(&app, "l1@lab.test").await;
    let homework = "<script>alert('lab')</script> use the team chat for a week";
    let hold = format!("/sessions/{}/hold", ids[0]);
    let forged = send(&app, "POST", &hold, Some(&leader), Some(&form(&[("homework", homework)]))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token, no change");
    let page = send(&app, "POST", &hold, Some(&leader), Some(&form(&[("csrf", &csrf), ("homework", homework)]))).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let sealed = app.store.homework(plab_domain::SessionId(ids[0])).await.expect("homework").expect("stored");
    assert!(!String::from_utf8_lossy(&sealed.ciphertext).contains("team chat"), "sealed at rest");
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    let next = send(&app, "GET", &format!("/sessions/{}", ids[1]), Some(&mentor), None).await;
    assert!(next.html.contains("Homework from last time"));
    assert!(
        next.html.contains("&#60;script&#62;alert(&#39;lab&#39;)&#60;/script&#62; use the team chat")
            || next.html.contains("&lt;script&gt;"),
        "{}",
        next.html
    );
    assert!(!next.html.contains("<script>alert"));
    // Every session page shows the lab rules and the agenda with its timer.
    assert!(next.html.contains("id=\"lab-rules\"") && next.html.contains("Curiosity over judgment"));
    assert!(next.html.contains("Mentor&#39;s Lab") || next.html.contains("Mentor's Lab"));
    assert!(next.html.contains("/static/timer.js"));
    // The sponsor sees the session's time and status on the pair page, never the session itself.
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let pair = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&sponsor), None).await;
    assert!(pair.html.contains("Session 1") && !pair.html.contains(&format!("href=\"/sessions/{}\"", ids[0])));
    assert_eq!(
        send(&app, "GET", &format!("/sessions/{}", ids[1]), Some(&sponsor), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!pair.html.contains("team chat"));
}

async fn partners_cancel_and_reschedule_from_the_session_page(app: App) {
    let ids = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (mentor, csrf) = sign_in(&app, "m1@lab.test").await;
    let moved = send(
        &app,
        "POST",
        &format!("/sessions/{}/reschedule", ids[2]),
        Some(&mentor),
        Some(&form(&[("csrf", &csrf), ("starts_at", &next_month(0)[..16])])),
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
    let page = send(&app, "GET", moved.location.as_deref().expect("back"), Some(&mentor), None).await;
    assert!(page.html.contains("The session is moved"), "the action confirms what happened");
    assert!(page.html.contains(&next_month(0)), "{}", page.html);
    let bad = send(
        &app,
        "POST",
        &format!("/sessions/{}/reschedule", ids[2]),
        Some(&mentor),
        Some(&form(&[("csrf", &csrf), ("starts_at", &next_month(5)[..16])])),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("starts_at") && bad.html.contains("weekend"), "{}", bad.html);
    assert!(bad.html.contains("id=\"starts_at-error\"") && bad.html.contains("id=\"reschedule\""), "by its field");
    assert!(bad.html.contains(&format!("value=\"{}\"", &next_month(5)[..16])), "the time typed is kept");
    assert!(bad.html.contains("id=\"agenda\""), "on the session page itself, not a bare error page");
    let cancel = format!("/sessions/{}/cancel", ids[3]);
    let unconfirmed = send(&app, "POST", &cancel, Some(&mentor), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY, "a cancellation is confirmed first");
    let page = send(&app, "GET", &format!("/sessions/{}", ids[3]), Some(&mentor), None).await;
    assert!(page.html.contains("data-status=\"planned\">Planned<"), "nothing was cancelled");
    let reason = "My team has a release that week";
    let confirmed = form(&[("csrf", &csrf), ("confirm", "yes"), ("reason", reason)]);
    let done = send(&app, "POST", &cancel, Some(&mentor), Some(&confirmed)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", done.location.as_deref().expect("back to the session"), Some(&mentor), None).await;
    assert!(page.html.contains("data-status=\"cancelled\">Cancelled<") && !page.html.contains("id=\"hold\""));
    assert!(page.html.contains("This session is cancelled."), "the action confirms what happened");
    // The reason reaches the partner, as a note of the pair; never the sponsor.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let pair_page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    assert!(pair_page.html.contains("Session 4 (") && pair_page.html.contains(reason), "{}", pair_page.html);
    assert!(
        pair_page.html.contains(" (UTC)) cancelled: "),
        "the note's time names the canceller's zone: {}",
        pair_page.html
    );
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let as_sponsor = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&sponsor), None).await;
    assert!(!as_sponsor.html.contains(reason));
}

crate::backends!(
    accepting_the_lab_rules_plans_the_programs_sessions_at_its_cadence,
    authorization_matrix_over_every_session_route,
    a_mentors_private_pulse_never_reaches_the_leader_or_the_sponsor,
    sponsor_averages_are_withheld_below_the_minimum_group_size,
    sponsor_averages_are_shown_once_the_minimum_group_size_has_answered,
    a_sponsor_cannot_work_out_one_more_answer_from_two_reads_of_the_program_page,
    the_calendar_feed_has_an_event_per_session_and_marks_cancelled_ones,
    bad_session_requests_name_what_is_wrong_and_change_nothing,
    homework_set_in_one_session_opens_the_next_escaped_and_encrypted_at_rest,
    partners_cancel_and_reschedule_from_the_session_page,
);
