//! Measure and iterate: each partner's check-in, answered separately once the
//! pair has held the program's `checkin_after` sessions (3 here) and read by
//! the program's sponsors only, never by the other partner; a sponsor
//! recording an in-person check-in; due and overdue check-ins; the leader's
//! insight log, whose text sponsors read only where it is shared.

use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate};
use axum::http::StatusCode;
use plab_domain::SessionId;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

fn body(v: Value) -> Option<String> {
    Some(v.to_string())
}

const LEADER_INSIGHT: &str = "Our juniors never open the quarterly deck";
const MENTOR_VIEW: &str = "The leadership floor is more curious than rumoured";

fn leader_answers() -> Value {
    json!({"insight": LEADER_INSIGHT, "change": "I moved the deck into the team chat"})
}

fn mentor_answers(heard: i64) -> Value {
    json!({"view_of_organization": MENTOR_VIEW, "heard": heard, "heard_comment": "mostly, in the lab"})
}

/// Marks one planned session held, `days_ago` days ago.
async fn hold(app: &App, token: &str, session: i64, days_ago: i64) {
    let at = OffsetDateTime::now_utc() - Duration::days(days_ago);
    app.store.reschedule_session(SessionId(session), at).await.expect("move into the past");
    let (status, value) =
        app.call("POST", &format!("/api/v1/sessions/{session}/hold"), Some(token), body(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{value}");
}

/// Activates the pair and holds its first `n` sessions a week apart, the
/// last of them `days_ago` days ago; returns every session id.
async fn held(app: &App, pair: i64, leader: &str, mentor: &str, n: usize, days_ago: i64) -> Vec<i64> {
    let ids = activate(app, pair, leader, mentor).await;
    let token = app.login(leader).await;
    for (i, id) in ids.iter().take(n).enumerate() {
        hold(app, &token, *id, days_ago + 7 * i64::try_from(n - 1 - i).expect("few")).await;
    }
    ids
}

/// Pair 1 has held its three sessions: both check-ins are due.
async fn due_pair1(app: &App) -> Vec<i64> {
    held(app, app.pair1, "l1@lab.test", "m1@lab.test", 3, 2).await
}

fn me_uri(pair: i64) -> String {
    format!("/api/v1/pairs/{pair}/checkins/me")
}

async fn every_check_in_and_insight_route_by_every_role(app: App) {
    due_pair1(&app).await;
    let (p, pair1) = (app.program, app.pair1);
    let leader = app.login("l1@lab.test").await;
    let insight = |text: &str| body(json!({"kind": "decision", "theme": "technology", "text": text}));
    let (status, kept) =
        app.call("POST", &format!("/api/v1/pairs/{pair1}/insights"), Some(&leader), insight("kept")).await;
    assert_eq!(status, StatusCode::CREATED, "{kept}");
    let (_, doomed) =
        app.call("POST", &format!("/api/v1/pairs/{pair1}/insights"), Some(&leader), insight("doomed")).await;
    let (kept, doomed) = (kept["id"].as_i64().expect("id"), doomed["id"].as_i64().expect("id"));
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", me_uri(pair1), None),
        ("PUT", me_uri(pair1), body(leader_answers())),
        ("PUT", format!("/api/v1/pairs/{pair1}/checkins/mentor"), body(mentor_answers(4))),
        ("GET", format!("/api/v1/programs/{p}/checkins"), None),
        ("GET", format!("/api/v1/programs/{p}/checkins/due"), None),
        ("GET", format!("/api/v1/pairs/{pair1}/insights"), None),
        ("POST", format!("/api/v1/pairs/{pair1}/insights"), insight("a new habit")),
        ("GET", format!("/api/v1/insights/{kept}"), None),
        ("PUT", format!("/api/v1/insights/{kept}"), insight("kept, edited")),
        ("DELETE", format!("/api/v1/insights/{doomed}"), None),
        ("GET", format!("/api/v1/programs/{p}/insights"), None),
    ];
    use StatusCode as C;
    let (ok, no, hidden, anon) = (C::OK, C::FORBIDDEN, C::NOT_FOUND, C::UNAUTHORIZED);
    // Rows run in order, the leader last (they delete an insight). The mentor
    // sending the leader's answers is 422; the sponsor records the mentor's
    // check-in (the mentor had not answered it). A pair outside one's own is
    // 404 like a missing one, to a member of the same program too; the
    // mentor and the sponsor see the pair but not its insight log (403).
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 11])> = vec![
        //                  me    me PUT                  record  checkins due  log    add         one    edit   delete        program insights
        (Some("m1@lab.test"), [ok, C::UNPROCESSABLE_ENTITY, no,    no,    no,    no,    no,         no,    no,    no,           no]),
        (Some("s@lab.test"),  [no, no,                      ok,    ok,    ok,    no,    no,         no,    no,    no,           ok]),
        (Some("l2@lab.test"), [hidden, hidden,              hidden, no,   no,    hidden, hidden,    hidden, hidden, hidden,     no]),
        (Some("s2@lab.test"), [hidden, hidden,              hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden,     hidden]),
        (Some("admin@ops.test"), [hidden, hidden,           hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden,     hidden]),
        (None,                [anon; 11]),
        (Some("l1@lab.test"), [ok, ok,                      no,    no,    no,    ok,    C::CREATED, ok,    ok,    C::NO_CONTENT, no]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
    let (status, _) = app.call("GET", &format!("/api/v1/insights/{doomed}"), Some(&leader), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleted");
}

async fn a_mentors_check_in_never_reaches_the_leader_and_the_leaders_never_the_mentor(app: App) {
    due_pair1(&app).await;
    let (leader, mentor) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let (status, saved) = app.call("PUT", &me_uri(app.pair1), Some(&mentor), body(mentor_answers(2))).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["role"].as_str(), saved["answers"]["heard"].as_i64()), (Some("mentor"), Some(2)));
    let (status, saved) = app.call("PUT", &me_uri(app.pair1), Some(&leader), body(leader_answers())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");

    let (_, leaders_own) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!(leaders_own["answers"]["insight"], LEADER_INSIGHT);
    assert!(!leaders_own.to_string().contains(MENTOR_VIEW), "{leaders_own}");
    let (_, mentors_own) = app.call("GET", &me_uri(app.pair1), Some(&mentor), None).await;
    assert_eq!(mentors_own["answers"]["view_of_organization"], MENTOR_VIEW);
    assert!(!mentors_own.to_string().contains(LEADER_INSIGHT), "{mentors_own}");
    for (who, other) in [("l1@lab.test", MENTOR_VIEW), ("m1@lab.test", LEADER_INSIGHT)] {
        let (cookie, _) = sign_in(&app, who).await;
        for uri in [format!("/pairs/{}/checkin", app.pair1), format!("/pairs/{}", app.pair1), "/home".to_owned()] {
            let page = send(&app, "GET", &uri, Some(&cookie), None).await;
            assert_eq!(page.status, StatusCode::OK, "{who} {uri}");
            assert!(!page.html.contains(other), "{who} sees the other partner's check-in on {uri}");
        }
        let page = send(&app, "GET", &format!("/pairs/{}/checkin", app.pair1), Some(&cookie), None).await;
        let own = if other == MENTOR_VIEW { LEADER_INSIGHT } else { MENTOR_VIEW };
        assert!(page.html.contains(own), "{who} sees their own answers");
        let token = app.login(who).await;
        let (_, sessions) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&token), None).await;
        assert!(!sessions.to_string().contains(other));
    }
    // Both reach the program's sponsor, and nobody else in the program.
    let sponsor = app.login("s@lab.test").await;
    let (_, all) = app.call("GET", &format!("/api/v1/programs/{}/checkins", app.program), Some(&sponsor), None).await;
    assert!(all.to_string().contains(LEADER_INSIGHT) && all.to_string().contains(MENTOR_VIEW), "{all}");
    let (status, _) = app.call("GET", &format!("/api/v1/programs/{}/checkins", app.program), Some(&leader), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_partner_revises_their_check_in_until_a_sponsor_has_read_it(app: App) {
    due_pair1(&app).await;
    let leader = app.login("l1@lab.test").await;
    app.call("PUT", &me_uri(app.pair1), Some(&leader), body(leader_answers())).await;
    let revised = json!({"insight": "Revised: they read the chat instead", "change": "I moved the deck into the chat"});
    let (status, value) = app.call("PUT", &me_uri(app.pair1), Some(&leader), body(revised)).await;
    assert_eq!(
        (status, value["answers"]["insight"].as_str()),
        (StatusCode::OK, Some("Revised: they read the chat instead"))
    );
    assert_eq!((value["can_answer"].as_bool(), value["read_by_sponsor"].as_bool()), (Some(true), Some(false)));

    // Counts and the due list do not read the answers; the full list does.
    let sponsor = app.login("s@lab.test").await;
    app.call("GET", &format!("/api/v1/programs/{}/checkins/due", app.program), Some(&sponsor), None).await;
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!(value["read_by_sponsor"], false);
    let (_, all) = app.call("GET", &format!("/api/v1/programs/{}/checkins", app.program), Some(&sponsor), None).await;
    assert!(all.to_string().contains("Revised: they read the chat instead"));

    let (status, value) = app.call("PUT", &me_uri(app.pair1), Some(&leader), body(leader_answers())).await;
    crate::common::assert_error_json(status, &value, StatusCode::CONFLICT);
    assert!(value["error"]["message"].as_str().is_some_and(|m| m.contains("a sponsor has read")), "{value}");
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!((value["read_by_sponsor"].as_bool(), value["can_answer"].as_bool()), (Some(true), Some(false)));
    assert_eq!(value["answers"]["insight"], "Revised: they read the chat instead", "what the sponsor read stands");
    // The mentor, who had not answered, still may.
    let mentor = app.login("m1@lab.test").await;
    assert_eq!(app.call("PUT", &me_uri(app.pair1), Some(&mentor), body(mentor_answers(5))).await.0, StatusCode::OK);
}

async fn check_ins_fall_due_after_the_third_held_session_and_are_overdue_fourteen_days_later(app: App) {
    let own = held(&app, app.pair1, "l1@lab.test", "m1@lab.test", 2, 3).await;
    let (leader, sponsor) = (app.login("l1@lab.test").await, app.login("s@lab.test").await);
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!((value["state"].as_str(), value["held_sessions"].as_i64()), (Some("not_yet"), Some(2)), "{value}");
    assert_eq!(value["checkin_after"], 3);
    assert!(value.get("due_at").is_none());
    let (status, value) = app.call("PUT", &me_uri(app.pair1), Some(&leader), body(leader_answers())).await;
    crate::common::assert_error_json(status, &value, StatusCode::CONFLICT);
    let due_uri = format!("/api/v1/programs/{}/checkins/due", app.program);
    assert_eq!(app.call("GET", &due_uri, Some(&sponsor), None).await.1, json!([]));

    // The third held session (a day ago) makes pair 1's due; pair 2 held its
    // third 20 days ago, so theirs are overdue.
    hold(&app, &leader, own[2], 1).await;
    held(&app, app.pair2, "l2@lab.test", "m2@lab.test", 3, 20).await;
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!(value["state"], "due", "{value}");
    let due_at = plab_domain::session::parse_instant(value["due_at"].as_str().expect("due_at")).expect("time");
    let overdue_at = plab_domain::session::parse_instant(value["overdue_at"].as_str().expect("overdue_at")).expect("t");
    assert_eq!(overdue_at - due_at, Duration::days(14));
    let (status, due) = app.call("GET", &due_uri, Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{due}");
    let seen: Vec<(i64, &str, &str)> = due
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (r["pair"].as_i64().expect("pair"), r["role"].as_str().expect("role"), r["state"].as_str().expect("s"))
        })
        .collect();
    let (p1, p2) = (app.pair1, app.pair2);
    assert_eq!(
        seen,
        [(p2, "leader", "overdue"), (p2, "mentor", "overdue"), (p1, "leader", "due"), (p1, "mentor", "due")]
    );
    assert!(due.as_array().expect("list").iter().all(|r| r.get("answers").is_none()), "no answers in the due list");

    // The partners see it as a pending action on their home page.
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await;
    assert!(home.html.contains(&format!("href=\"/pairs/{p1}/checkin\">Your check-in")), "{}", home.html);
    assert!(home.html.contains("due since"));
    let (cookie2, _) = sign_in(&app, "m2@lab.test").await;
    assert!(send(&app, "GET", "/home", Some(&cookie2), None).await.html.contains("<strong>overdue</strong>"));

    // Answered, it leaves the lists.
    app.call("PUT", &me_uri(p1), Some(&leader), body(leader_answers())).await;
    let (_, due) = app.call("GET", &due_uri, Some(&sponsor), None).await;
    assert_eq!(due.as_array().map(Vec::len), Some(3));
    assert!(!send(&app, "GET", "/home", Some(&cookie), None).await.html.contains("id=\"pending\""));
    let summary = plab_app::measure::checkin_summary(
        &app.store,
        &actor(&app, "s@lab.test").await,
        plab_domain::ProgramId(app.program),
        OffsetDateTime::now_utc(),
    )
    .await
    .expect("summary");
    assert_eq!((summary.not_yet, summary.due, summary.overdue, summary.done), (0, 1, 2, 1));
}

async fn actor(app: &App, email: &str) -> plab_app::accounts::Actor {
    let token = app.login(email).await;
    plab_app::accounts::actor_for_token(&app.store, &token).await.expect("actor")
}

async fn a_sponsor_records_an_in_person_check_in_audited_without_its_text(app: App) {
    let ids = held(&app, app.pair1, "l1@lab.test", "m1@lab.test", 2, 3).await;
    let (leader, mentor, sponsor) =
        (app.login("l1@lab.test").await, app.login("m1@lab.test").await, app.login("s@lab.test").await);
    let record = |role: &str| format!("/api/v1/pairs/{}/checkins/{role}", app.pair1);
    let (status, value) = app.call("PUT", &record("leader"), Some(&sponsor), body(leader_answers())).await;
    crate::common::assert_error_json(status, &value, StatusCode::CONFLICT);
    hold(&app, &leader, ids[2], 1).await;

    let (status, row) = app.call("PUT", &record("leader"), Some(&sponsor), body(leader_answers())).await;
    assert_eq!(status, StatusCode::OK, "{row}");
    assert_eq!((row["state"].as_str(), row["recorded_by_sponsor"].as_bool()), (Some("done"), Some(true)));
    assert_eq!(row["person"]["id"], "L1");
    let corrected = json!({"insight": "Corrected by the sponsor", "change": "I moved the deck into the chat"});
    assert_eq!(app.call("PUT", &record("leader"), Some(&sponsor), body(corrected)).await.0, StatusCode::OK);

    let (_, own) = app.call("GET", &me_uri(app.pair1), Some(&leader), None).await;
    assert_eq!((own["recorded_by_sponsor"].as_bool(), own["can_answer"].as_bool()), (Some(true), Some(false)));
    assert_eq!(own["answers"]["insight"], "Corrected by the sponsor");
    let (status, _) = app.call("PUT", &me_uri(app.pair1), Some(&leader), body(leader_answers())).await;
    assert_eq!(status, StatusCode::CONFLICT, "what was recorded with the leader stays");

    // A partner's own answers are theirs: the sponsor cannot overwrite them.
    assert_eq!(app.call("PUT", &me_uri(app.pair1), Some(&mentor), body(mentor_answers(3))).await.0, StatusCode::OK);
    let (status, value) = app.call("PUT", &record("mentor"), Some(&sponsor), body(mentor_answers(5))).await;
    crate::common::assert_error_json(status, &value, StatusCode::CONFLICT);
    for role in ["sponsor", "someone"] {
        let (status, value) = app.call("PUT", &record(role), Some(&sponsor), body(leader_answers())).await;
        crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
    }

    let audit = app.store.audit_log(1000).await.expect("audit");
    let recorded: Vec<_> = audit.iter().filter(|e| e.action == "checkin.record").collect();
    assert_eq!(recorded.len(), 2, "{audit:?}");
    assert_eq!((recorded[0].actor.as_str(), recorded[0].detail.as_str()), ("s@lab.test", "leader"));
    assert_eq!(recorded[0].subject, format!("pair {}", app.pair1));
    let all = format!("{audit:?}");
    assert!(!all.contains("Corrected") && !all.contains(LEADER_INSIGHT) && !all.contains(MENTOR_VIEW), "{all}");
}

async fn a_sponsor_sees_shared_insight_texts_and_only_counts_of_the_others(app: App) {
    let sessions = due_pair1(&app).await;
    let leader = app.login("l1@lab.test").await;
    let log = format!("/api/v1/pairs/{}/insights", app.pair1);
    for (kind, theme, text, shared) in [
        ("decision", "technology", "PRIVATE-1 we drop the printed deck", false),
        ("action", "culture.career", "SHARED-1 I now ask juniors first", true),
        ("action", "technology", "PRIVATE-2 trial of the team chat", false),
    ] {
        let insight = json!({"kind": kind, "theme": theme, "text": text, "shared": shared, "session": sessions[1]});
        let (status, value) = app.call("POST", &log, Some(&leader), body(insight)).await;
        assert_eq!(status, StatusCode::CREATED, "{value}");
        assert_eq!(value["session_number"], 2);
    }
    let sponsor = app.login("s@lab.test").await;
    let (status, seen) =
        app.call("GET", &format!("/api/v1/programs/{}/insights", app.program), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["counts"], json!({"decisions": 1, "actions": 2, "shared": 1, "total": 3}));
    let technology = seen["by_theme"].as_array().expect("themes").iter().find(|t| t["theme"] == "technology").cloned();
    assert_eq!(technology.map(|t| t["counts"]["total"].clone()), Some(json!(2)));
    let pair1 = seen["pairs"].as_array().expect("pairs").iter().find(|p| p["pair"] == app.pair1).cloned();
    assert_eq!(pair1.map(|p| (p["leader"]["id"].clone(), p["counts"]["total"].clone())), Some((json!("L1"), json!(3))));
    assert_eq!(seen["shared"].as_array().map(Vec::len), Some(1));
    assert_eq!(seen["shared"][0]["text"], "SHARED-1 I now ask juniors first");
    assert!(!seen.to_string().contains("PRIVATE"), "{seen}");

    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/insights", app.program), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("SHARED-1 I now ask juniors first") && !page.html.contains("PRIVATE"), "{}", page.html);
    assert!(page.html.contains("<h1>Insights and decisions: A</h1>"), "titled by the program's name");
    // The mentor sees none of them, in the API or on the pages.
    let mentor = app.login("m1@lab.test").await;
    let (status, value) = app.call("GET", &log, Some(&mentor), None).await;
    crate::common::assert_error_json(status, &value, StatusCode::FORBIDDEN);
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    for uri in [format!("/pairs/{}/insights", app.pair1), format!("/pairs/{}", app.pair1), "/home".to_owned()] {
        let page = send(&app, "GET", &uri, Some(&cookie), None).await;
        assert!(!page.html.contains("PRIVATE") && !page.html.contains("SHARED-1"), "{uri}");
    }
}

async fn the_leader_lists_edits_and_deletes_their_insights(app: App) {
    let sessions = due_pair1(&app).await;
    let other = activate(&app, app.pair2, "l2@lab.test", "m2@lab.test").await;
    let leader = app.login("l1@lab.test").await;
    let log = format!("/api/v1/pairs/{}/insights", app.pair1);
    let new = json!({"kind": "action", "theme": "market.product", "text": "Asked support for the top complaint"});
    let (status, added) = app.call("POST", &log, Some(&leader), body(new)).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!((added["shared"].as_bool(), added.get("session")), (Some(false), None), "private, no session");
    let id = added["id"].as_i64().expect("id");
    let one = format!("/api/v1/insights/{id}");

    let shared = json!({"kind": "decision", "theme": "market.product", "text": "We fix the top complaint first", "shared": true, "session": sessions[0]});
    let (status, edited) = app.call("PUT", &one, Some(&leader), body(shared)).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (edited["kind"].as_str(), edited["shared"].as_bool(), edited["session_number"].as_i64()),
        (Some("decision"), Some(true), Some(1))
    );
    let (_, list) = app.call("GET", &log, Some(&leader), None).await;
    assert_eq!(list, json!([edited]));

    // Only one of the pair's own held sessions.
    for (session, why) in
        [(sessions[4], "a planned session"), (other[0], "another pair's session"), (999_999, "no session")]
    {
        let bad = json!({"kind": "action", "theme": "technology", "text": "x", "session": session});
        let (status, value) = app.call("PUT", &one, Some(&leader), body(bad)).await;
        crate::common::assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(value["error"]["message"].as_str().is_some_and(|m| m.starts_with("session: ")), "{why}: {value}");
    }
    assert_eq!(app.call("GET", &one, Some(&leader), None).await.1, edited, "nothing changed");

    assert_eq!(app.call("DELETE", &one, Some(&leader), None).await.0, StatusCode::NO_CONTENT);
    let (status, value) = app.call("GET", &one, Some(&leader), None).await;
    crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
    let (status, value) = app.call("DELETE", &one, Some(&leader), None).await;
    crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
    assert_eq!(app.call("GET", &log, Some(&leader), None).await.1, json!([]));
}

async fn bad_check_in_and_insight_bodies_get_4xx_json_naming_the_field(app: App) {
    due_pair1(&app).await;
    let (leader, mentor) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let me = me_uri(app.pair1);
    let long = "z".repeat(2001);
    for (token, bad, field) in [
        (&mentor, json!({"view_of_organization": "ok", "heard": 6}), "heard: "),
        (&mentor, json!({"view_of_organization": "ok", "heard": 0}), "heard: "),
        (&mentor, json!({"view_of_organization": "ok"}), "heard: "),
        (&mentor, json!({"view_of_organization": "ok", "heard": "five"}), "heard"),
        (&mentor, json!({"view_of_organization": "ok", "heard": 3, "heard_comment": "two\nlines"}), "heard_comment: "),
        (&mentor, json!({"view_of_organization": "ok", "heard": 3, "insight": "not mine"}), "insight: "),
        (&leader, json!({"insight": " ", "change": "ok"}), "insight: "),
        (&leader, json!({"insight": long, "change": "ok"}), "insight: "),
        (&leader, json!({"insight": "ok", "change": "ok", "heard": 4}), "heard: "),
        (&leader, json!({"insight": "ok", "change": "ok", "liked_it": true}), "liked_it"),
    ] {
        let (status, value) = app.call("PUT", &me, Some(token), body(bad.clone())).await;
        crate::common::assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(value["error"]["message"].as_str().is_some_and(|m| m.contains(field)), "{bad}: {value}");
    }
    for (broken, want) in [
        (Some("{\"insight\": ".to_owned()), StatusCode::BAD_REQUEST),
        (Some("[1]".to_owned()), StatusCode::UNPROCESSABLE_ENTITY),
        (None, StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let (status, value) = app.call("PUT", &me, Some(&leader), broken.clone()).await;
        assert!(status == want && value["error"]["code"].is_string(), "{status} {broken:?} {value}");
    }
    let (_, value) = app.call("GET", &me, Some(&leader), None).await;
    assert!(value.get("answers").is_none(), "nothing was saved: {value}");

    let log = format!("/api/v1/pairs/{}/insights", app.pair1);
    for (bad, field) in [
        (json!({"kind": "idea", "theme": "technology", "text": "x"}), "kind: "),
        (json!({"kind": "action", "theme": "gen-z", "text": "x"}), "theme: "),
        (json!({"kind": "action", "theme": "technology", "text": "  "}), "text: "),
        (json!({"kind": "action", "theme": "technology", "text": "z".repeat(1001)}), "text: "),
        (json!({"kind": "action", "theme": "technology"}), "text"),
        (json!({"kind": "action", "theme": "technology", "text": "x", "shared": "yes"}), "shared"),
    ] {
        let (status, value) = app.call("POST", &log, Some(&leader), body(bad.clone())).await;
        crate::common::assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(value["error"]["message"].as_str().is_some_and(|m| m.contains(field)), "{bad}: {value}");
    }
    assert_eq!(app.call("GET", &log, Some(&leader), None).await.1, json!([]));
    for uri in
        ["/api/v1/insights/abc", "/api/v1/insights/0", "/api/v1/pairs/abc/checkins/me", "/api/v1/pairs/999/insights"]
    {
        let (status, value) = app.call("GET", uri, Some(&leader), None).await;
        crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
    }
}

fn checkin_page(app: &App) -> String {
    format!("/pairs/{}/checkin", app.pair1)
}

async fn the_check_in_form_shows_each_problem_beside_its_field_and_keeps_what_was_typed(app: App) {
    due_pair1(&app).await;
    let (cookie, csrf) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &checkin_page(&app), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("How has this experience impacted your view of the organization?"));
    assert!(page.html.contains("Do you feel your perspective is being heard?"));
    assert!(!page.html.contains("most valuable insight"), "the leader's questions are not the mentor's");
    assert!(!page.html.to_lowercase().contains("did you like"));

    let typed = "It is <b>flatter</b> than I thought";
    let posted = form(&[("csrf", &csrf), ("view_of_organization", typed), ("heard", "9"), ("heard_comment", "half")]);
    let page = send(&app, "POST", &checkin_page(&app), Some(&cookie), Some(&posted)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.html.contains("id=\"heard-error\"") && page.html.contains("is not a whole number from 1 to 5"));
    assert!(
        page.html.contains("It is &#60;b&#62;flatter&#60;/b&#62; than I thought")
            || page.html.contains("It is &lt;b&gt;flatter")
    );
    assert!(!page.html.contains("<b>flatter"), "user text is never markup");
    assert!(page.html.contains("value=\"half\""), "the line is kept");
    assert!(!page.html.contains("id=\"view_of_organization-error\""), "only the bad field is marked");

    let posted = form(&[("csrf", &csrf), ("view_of_organization", typed), ("heard", "4")]);
    let saved = send(&app, "POST", &checkin_page(&app), Some(&cookie), Some(&posted)).await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (StatusCode::SEE_OTHER, Some(&*format!("{}?saved=1", checkin_page(&app))))
    );
    let page = send(&app, "GET", &format!("{}?saved=1", checkin_page(&app)), Some(&cookie), None).await;
    assert!(
        page.html.contains("The check-in is saved.")
            && page.html.contains("id=\"heard-4\" name=\"heard\" value=\"4\" required checked"),
        "{}",
        page.html
    );

    for forged in
        [form(&[("view_of_organization", "forged"), ("heard", "1")]), form(&[("csrf", "0000"), ("heard", "1")])]
    {
        assert_eq!(
            send(&app, "POST", &checkin_page(&app), Some(&cookie), Some(&forged)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let token = app.login("m1@lab.test").await;
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&token), None).await;
    assert_eq!(value["answers"]["heard"], 4, "the forged posts changed nothing");
}

async fn the_insight_form_names_the_bad_field_keeps_what_was_typed_and_edits_the_shared_flag(app: App) {
    let sessions = due_pair1(&app).await;
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/pairs/{}/insights", app.pair1);
    let page = send(&app, "GET", &uri, Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<label for=\"theme\">") && page.html.contains("psychological safety"));
    assert!(page.html.contains(&format!("<option value=\"{}\">Session 1", sessions[0])), "held sessions are offered");
    assert!(!page.html.contains(&format!("<option value=\"{}\"", sessions[3])), "planned ones are not");

    let posted =
        form(&[("csrf", &csrf), ("kind", "action"), ("theme", "nonsense"), ("text", "Tried <i>reverse</i> stand-ups")]);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&posted)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"theme-error\"") && page.html.contains("is not a theme"), "{}", page.html);
    assert!(page.html.contains("&#60;i&#62;reverse") || page.html.contains("&lt;i&gt;reverse"), "kept, escaped");
    assert!(!page.html.contains("<i>reverse"));

    let posted = form(&[
        ("csrf", &csrf),
        ("kind", "action"),
        ("theme", "culture.safety"),
        ("text", "Tried reverse stand-ups"),
        ("session", &sessions[2].to_string()),
    ]);
    let saved = send(&app, "POST", &uri, Some(&cookie), Some(&posted)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let token = app.login("l1@lab.test").await;
    let (_, list) = app.call("GET", &format!("/api/v1/pairs/{}/insights", app.pair1), Some(&token), None).await;
    assert_eq!((list[0]["shared"].as_bool(), list[0]["session_number"].as_i64()), (Some(false), Some(3)));
    let id = list[0]["id"].as_i64().expect("id");

    let edit = send(&app, "GET", &format!("/insights/{id}"), Some(&cookie), None).await;
    assert!(
        edit.html.contains("<option value=\"culture.safety\" selected>")
            && !edit.html.contains("id=\"shared\" name=\"shared\" checked")
    );
    let posted = form(&[
        ("csrf", &csrf),
        ("kind", "action"),
        ("theme", "culture.safety"),
        ("text", "Tried reverse stand-ups"),
        ("shared", "on"),
    ]);
    assert_eq!(
        send(&app, "POST", &format!("/insights/{id}"), Some(&cookie), Some(&posted)).await.status,
        StatusCode::SEE_OTHER
    );
    let (_, one) = app.call("GET", &format!("/api/v1/insights/{id}"), Some(&token), None).await;
    assert_eq!((one["shared"].as_bool(), one.get("session")), (Some(true), None));

    let gone =
        send(&app, "POST", &format!("/insights/{id}/delete"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(app.call("GET", &format!("/api/v1/insights/{id}"), Some(&token), None).await.0, StatusCode::NOT_FOUND);
}

async fn the_sponsor_reads_the_programs_check_ins_and_records_one_held_in_person(app: App) {
    due_pair1(&app).await;
    let mentor = app.login("m1@lab.test").await;
    app.call("PUT", &me_uri(app.pair1), Some(&mentor), body(mentor_answers(2))).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let checkins = format!("/programs/{}/checkins", app.program);
    let page = send(&app, "GET", &checkins, Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<h1>Check-ins: A</h1>"), "titled by the program's name");
    // Opening the page reads nothing: the answer is counted, not shown, and the mentor may still revise it.
    assert!(!page.html.contains(MENTOR_VIEW) && page.html.contains("1 answered check-in has not been read yet"));
    let (status, value) = app.call("GET", &me_uri(app.pair1), Some(&mentor), None).await;
    assert_eq!((status, value["can_answer"].as_bool()), (StatusCode::OK, Some(true)), "{value}");
    let read = send(&app, "POST", &format!("{checkins}/read"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(read.status, StatusCode::SEE_OTHER, "{}", read.html);
    let page = send(&app, "GET", &checkins, Some(&cookie), None).await;
    assert!(page.html.contains(MENTOR_VIEW) && page.html.contains("mostly, in the lab"), "{}", page.html);
    assert!(!page.html.contains("id=\"read-checkins\""), "nothing left to read");
    let (_, value) = app.call("GET", &me_uri(app.pair1), Some(&mentor), None).await;
    assert_eq!(value["can_answer"].as_bool(), Some(false), "read answers are final: {value}");
    let record = format!("/pairs/{}/checkins/leader", app.pair1);
    assert!(page.html.contains(&format!("href=\"{record}\">record an in-person check-in")), "the leader's is due");
    assert!(
        !page.html.contains(&format!("href=\"/pairs/{}/checkins/mentor\">record", app.pair1)),
        "the mentor answered"
    );

    let form_page = send(&app, "GET", &record, Some(&cookie), None).await;
    assert!(
        form_page.html.contains("Check-in with Name L1")
            && form_page.html.contains("What is the most valuable insight")
    );
    let posted = form(&[("csrf", &csrf), ("insight", "Said in person"), ("change", "")]);
    let page = send(&app, "POST", &record, Some(&cookie), Some(&posted)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"change-error\"") && page.html.contains(">Said in person</textarea>"));
    let posted = form(&[("csrf", &csrf), ("insight", "Said in person"), ("change", "Will try the chat")]);
    assert_eq!(send(&app, "POST", &record, Some(&cookie), Some(&posted)).await.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", &format!("/programs/{}/checkins", app.program), Some(&cookie), None).await;
    assert!(page.html.contains("Said in person") && page.html.contains("(recorded by a sponsor)"));

    // The leader sees what was recorded with them, marked so, and cannot change it.
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &checkin_page(&app), Some(&leader), None).await;
    assert!(page.html.contains("recorded by a sponsor") && page.html.contains("Said in person"));
    assert!(!page.html.contains("id=\"checkin-form\""));
}

crate::backends!(
    every_check_in_and_insight_route_by_every_role,
    a_mentors_check_in_never_reaches_the_leader_and_the_leaders_never_the_mentor,
    a_partner_revises_their_check_in_until_a_sponsor_has_read_it,
    check_ins_fall_due_after_the_third_held_session_and_are_overdue_fourteen_days_later,
    a_sponsor_records_an_in_person_check_in_audited_without_its_text,
    a_sponsor_sees_shared_insight_texts_and_only_counts_of_the_others,
    the_leader_lists_edits_and_deletes_their_insights,
    bad_check_in_and_insight_bodies_get_4xx_json_naming_the_field,
    the_check_in_form_shows_each_problem_beside_its_field_and_keeps_what_was_typed,
    the_insight_form_names_the_bad_field_keeps_what_was_typed_and_edits_the_shared_flag,
    the_sponsor_reads_the_programs_check_ins_and_records_one_held_in_person,
);
