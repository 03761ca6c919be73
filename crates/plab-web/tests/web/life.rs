//! A program's life: draft → enrolling → running → closing (the exit
//! question, the closing self-assessment, counts for the sponsor) → closed
//! (the report frozen, nothing new written) → the next cohort with the people
//! who want to continue, and the reciprocal phase of the former pairs.
use crate::common::{App, activate, assert_error_json, program_start, run_api_matrix};
use axum::http::StatusCode;
use plab_app::mail;
use plab_domain::ProgramId;
use plab_domain::program::Role;
use serde_json::{Value, json};

crate::backends!(
    a_programs_whole_life_from_draft_to_its_next_cohort_and_reciprocal_phase,
    the_close_out_mails_each_participant_a_notice_with_nothing_private,
    exit_answers_are_refused_with_the_field_named_and_outside_the_close_out,
    the_next_cohort_refuses_a_second_role_someone_outside_the_program_and_a_running_start,
    who_reads_and_changes_a_programs_life_through_the_api,
);

fn day_after(days: i64) -> String {
    program_start().plus_days(days).to_string()
}

async fn state_of(app: &App, token: &str, program: i64) -> Value {
    let (status, body) = app.call("GET", &format!("/api/v1/programs/{program}"), Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn put_exit(app: &App, who: &str, choice: &str) -> (StatusCode, Value) {
    let token = app.login(who).await;
    let body = json!({"choice": choice, "comment": format!("{who} says so")}).to_string();
    app.call("PUT", &format!("/api/v1/programs/{}/me/exit", app.program), Some(&token), Some(body)).await
}

async fn a_programs_whole_life_from_draft_to_its_next_cohort_and_reciprocal_phase(app: App) {
    let s = app.login("s@lab.test").await;
    // Draft: opened, only its sponsor in it.
    let open = json!({"name": "C", "starts_on": day_after(0)}).to_string();
    let (status, opened) = app.call("POST", "/api/v1/programs", Some(&s), Some(open)).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let c = opened["id"].as_i64().expect("id");
    let shown = state_of(&app, &s, c).await;
    assert_eq!((shown["state"].as_str(), shown["kind"].as_str()), (Some("draft"), Some("standard")), "{shown}");
    // Enrolling: participants, no pair yet.
    let enrol = json!({"role": "leader", "employee_ids": ["L3"]}).to_string();
    let (status, body) = app.call("POST", &format!("/api/v1/programs/{c}/enrolments"), Some(&s), Some(enrol)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(state_of(&app, &s, c).await["state"], "enrolling");
    // Running: program A has approved pairs.
    let a = app.program;
    assert_eq!(state_of(&app, &s, a).await["state"], "running");

    // Closing: pair 1 is active with sessions; pair 2 accepts its rules only after.
    activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (status, closing) = app.call("POST", &format!("/api/v1/programs/{a}/close-out"), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{closing}");
    let today = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).to_string();
    assert_eq!((closing["state"].as_str(), closing["closing_on"].as_str()), (Some("closing"), Some(today.as_str())));
    let later = activate(&app, app.pair2, "l2@lab.test", "m2@lab.test").await;
    assert!(later.is_empty(), "no new sessions are planned in the close-out: {later:?}");
    let l1 = app.login("l1@lab.test").await;
    let (_, sessions) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&l1), None).await;
    let first = sessions[0]["id"].as_i64().expect("session");
    let (status, moved) = app
        .call(
            "POST",
            &format!("/api/v1/sessions/{first}/reschedule"),
            Some(&l1),
            Some(json!({"starts_at": format!("{}T10:00:00Z", day_after(3))}).to_string()),
        )
        .await;
    assert_error_json(status, &moved, StatusCode::CONFLICT);
    assert!(moved["error"]["message"].as_str().unwrap_or_default().contains("no longer planned"), "{moved}");
    // Each participant answers the exit question; L1 also the closing self-assessment.
    for (who, choice) in [
        ("m1@lab.test", "as_mentor"),
        ("l1@lab.test", "either_role"),
        ("l2@lab.test", "not_now"),
        ("m2@lab.test", "as_leader"),
    ] {
        let (status, mine) = put_exit(&app, who, choice).await;
        assert_eq!(status, StatusCode::OK, "{who}: {mine}");
        assert_eq!(mine["choice"], choice);
    }
    let answers =
        json!({"answers": {"digital_fluency": 4, "empathy_employees": 4, "empathy_customers": 3}}).to_string();
    let (status, body) =
        app.call("PUT", &format!("/api/v1/programs/{a}/me/self-assessment/closing"), Some(&l1), Some(answers)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The sponsor sees counts, never who answered what; below the group size (5) no split.
    let (status, progress) = app.call("GET", &format!("/api/v1/programs/{a}/close-out"), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(
        (&progress["participants"], &progress["exit_answers"], &progress["closing_self_assessments"]),
        (&json!(4), &json!(4), &json!(1)),
        "{progress}"
    );
    assert_eq!(progress["exit_choices"], Value::Null, "4 answers are fewer than the group size");
    for secret in ["L1", "M1", "says so"] {
        assert!(!progress.to_string().contains(secret), "{secret} in {progress}");
    }

    // Closed: the report is frozen at close and served from then on; nothing new is written.
    let (_, before) = app.call("GET", &format!("/api/v1/programs/{a}/report"), Some(&s), None).await;
    let (status, closed) = app.call("POST", &format!("/api/v1/programs/{a}/close"), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["state"], "closed");
    assert_eq!(state_of(&app, &l1, a).await["state"], "closed");
    let frozen = app.store.final_report(ProgramId(a)).await.expect("read").expect("the report is kept at close");
    let frozen: Value = serde_json::from_str(&frozen).expect("json");
    let (_, after) = app.call("GET", &format!("/api/v1/programs/{a}/report"), Some(&s), None).await;
    assert_eq!(after["pairs"], frozen["pairs"], "served from the frozen report");
    assert_eq!(before["pairs"], after["pairs"]);
    // Listed apart on the sponsor's home page.
    let (cookie, _) = crate::common::browser::sign_in(&app, "s@lab.test").await;
    let home = crate::common::browser::send(&app, "GET", "/home", Some(&cookie), None).await;
    let past = home.html.split("id=\"past-programs\"").nth(1).unwrap_or_default();
    assert!(past.contains(&format!("href=\"/programs/{a}\"")), "{}", home.html);
    let (status, late) = put_exit(&app, "m1@lab.test", "not_now").await;
    assert_error_json(status, &late, StatusCode::CONFLICT);
    let (status, note) = app
        .call("POST", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&l1), Some(json!({"body": "x"}).to_string()))
        .await;
    assert_error_json(status, &note, StatusCode::CONFLICT);

    // The next cohort proposes the mentor who wants to continue and the
    // leader who asked to (M2 asked to lead: not proposed as a mentor).
    let (status, proposed) = app.call("GET", &format!("/api/v1/programs/{a}/next-cohort"), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{proposed}");
    let ids: Vec<(&str, &str)> = proposed
        .as_array()
        .expect("list")
        .iter()
        .map(|p| (p["id"].as_str().unwrap_or_default(), p["role"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(ids, [("L1", "leader"), ("M1", "mentor")]);
    let next = json!({"name": "A, second cohort", "starts_on": day_after(90)}).to_string();
    let (status, started) = app.call("POST", &format!("/api/v1/programs/{a}/next-cohort"), Some(&s), Some(next)).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let n = started["id"].as_i64().expect("id");
    let shown = state_of(&app, &s, n).await;
    assert_eq!(
        (shown["previous_program"].as_i64(), shown["kind"].as_str(), shown["state"].as_str()),
        (Some(a), Some("standard"), Some("enrolling")),
        "{shown}"
    );
    let enrolled: Vec<(String, Role)> = app
        .store
        .enrolments(ProgramId(n))
        .await
        .expect("enrolments")
        .into_iter()
        .map(|e| (e.employee_id, e.role))
        .collect();
    assert_eq!(
        enrolled,
        [("L1".to_owned(), Role::Leader), ("M1".to_owned(), Role::Mentor), ("S".to_owned(), Role::Sponsor)]
    );
    let (source, copy) =
        (app.store.program(ProgramId(a)).await.expect("a"), app.store.program(ProgramId(n)).await.expect("n"));
    assert_eq!(copy.settings, source.settings, "settings copied");

    // The reciprocal phase: the same two people, three sessions, roles kept.
    let phase = json!({"name": "A, reciprocal phase", "starts_on": day_after(90), "reciprocal": true}).to_string();
    let (status, started) = app.call("POST", &format!("/api/v1/programs/{a}/next-cohort"), Some(&s), Some(phase)).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let r = started["id"].as_i64().expect("id");
    let shown = state_of(&app, &l1, r).await;
    assert_eq!((shown["kind"].as_str(), shown["state"].as_str()), (Some("reciprocal"), Some("running")), "{shown}");
    let pairs: Vec<(String, String)> = app
        .store
        .pairs(ProgramId(r))
        .await
        .expect("pairs")
        .into_iter()
        .map(|p| (p.pair.leader, p.pair.mentor))
        .collect();
    assert_eq!(pairs, [("L1".to_owned(), "M1".to_owned()), ("L2".to_owned(), "M2".to_owned())]);
    assert_eq!(app.store.program(ProgramId(r)).await.expect("r").settings.sessions, 3);
    let again = app.store.pairs(ProgramId(r)).await.expect("pairs")[0].id.0;
    let sessions = activate(&app, again, "l1@lab.test", "m1@lab.test").await;
    assert_eq!(sessions.len(), 3, "the phase's own number of sessions");
    let (cookie, _) = crate::common::browser::sign_in(&app, "l1@lab.test").await;
    let page =
        crate::common::browser::send(&app, "GET", &format!("/sessions/{}", sessions[0]), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("s Lab</strong> · 30 min · led by leader"), "{}", page.html);
    assert!(page.html.contains("The junior asks and listens"), "the reciprocal agenda's words");
    // The pair page says who mentors whom in this phase; a standard pair's page does not.
    let pair_page = crate::common::browser::send(&app, "GET", &format!("/pairs/{again}"), Some(&cookie), None).await;
    assert!(pair_page.html.contains("id=\"reciprocal-phase\""), "{}", pair_page.html);
    assert!(pair_page.html.contains("Mentor in this phase (the former Lead Learner)"), "{}", pair_page.html);
    let standard =
        crate::common::browser::send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(!standard.html.contains("reciprocal-phase"), "{}", standard.html);
}

async fn the_close_out_mails_each_participant_a_notice_with_nothing_private(app: App) {
    let app = crate::mail::with_post(app, crate::mail::post_to(9));
    let s = app.login("s@lab.test").await;
    let (status, body) = app.call("POST", &format!("/api/v1/programs/{}/close-out", app.program), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert_eq!(status.outbox.pending, 4, "L1, L2, M1 and M2, not the sponsor");
    // Once: beginning again is a conflict and mails nobody.
    let (status, again) =
        app.call("POST", &format!("/api/v1/programs/{}/close-out", app.program), Some(&s), None).await;
    assert_error_json(status, &again, StatusCode::CONFLICT);
    assert_eq!(mail::status(&app.store, &app.state.post).await.expect("status").outbox.pending, 4);
}

async fn exit_answers_are_refused_with_the_field_named_and_outside_the_close_out(app: App) {
    // Before the close-out: 409 in plain words.
    let (status, early) = put_exit(&app, "m1@lab.test", "as_mentor").await;
    assert_error_json(status, &early, StatusCode::CONFLICT);
    assert!(early["error"]["message"].as_str().unwrap_or_default().contains("close-out"), "{early}");
    let s = app.login("s@lab.test").await;
    app.call("POST", &format!("/api/v1/programs/{}/close-out", app.program), Some(&s), None).await;
    let m1 = app.login("m1@lab.test").await;
    let uri = format!("/api/v1/programs/{}/me/exit", app.program);
    for (body, field) in [
        (json!({"choice": "maybe"}), "choice"),
        (json!({"choice": "as_mentor", "comment": "x".repeat(501)}), "comment"),
    ] {
        let (status, refused) = app.call("PUT", &uri, Some(&m1), Some(body.to_string())).await;
        assert_error_json(status, &refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.to_string().contains(field), "{field}: {refused}");
    }
    let (status, mine) = app.call("GET", &uri, Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!((mine["choice"].clone(), mine["open"].clone()), (Value::Null, json!(true)), "nothing kept");
    assert_eq!(mine["options"].as_array().map(Vec::len), Some(4));
}

async fn the_next_cohort_refuses_a_second_role_someone_outside_the_program_and_a_running_start(app: App) {
    let s = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/next-cohort", app.program);
    let before = app.store.programs().await.expect("programs").len();
    for (body, named) in [
        (json!({"name": "N", "starts_on": day_after(60), "enrol": ["S", "L1"]}), "S"),
        (json!({"name": "N", "starts_on": day_after(60), "enrol": ["L3"]}), "L3"),
        (json!({"name": "", "starts_on": "soon"}), "starts_on"),
    ] {
        let (status, refused) = app.call("POST", &uri, Some(&s), Some(body.to_string())).await;
        assert_error_json(status, &refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.to_string().contains(named), "{named}: {refused}");
    }
    assert_eq!(app.store.programs().await.expect("programs").len(), before, "nothing opened");
    // From a program still enrolling: 409.
    let open = json!({"name": "D", "starts_on": day_after(0)}).to_string();
    let (_, opened) = app.call("POST", "/api/v1/programs", Some(&s), Some(open)).await;
    let d = opened["id"].as_i64().expect("id");
    let body = json!({"name": "E", "starts_on": day_after(60)}).to_string();
    let (status, refused) = app.call("POST", &format!("/api/v1/programs/{d}/next-cohort"), Some(&s), Some(body)).await;
    assert_error_json(status, &refused, StatusCode::CONFLICT);
    // With an explicit list: exactly those, in the roles they held.
    let body = json!({"name": "N", "starts_on": day_after(60), "enrol": ["M2"]}).to_string();
    let (status, started) = app.call("POST", &uri, Some(&s), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let n = ProgramId(started["id"].as_i64().expect("id"));
    let roles: Vec<(String, Role)> =
        app.store.enrolments(n).await.expect("enrolled").into_iter().map(|e| (e.employee_id, e.role)).collect();
    assert_eq!(roles, [("M2".to_owned(), Role::Mentor), ("S".to_owned(), Role::Sponsor)]);
}

/// Every new route, for anonymous, leader, mentor, the pair's partner (M1 of
/// L1), another pair's partner (M2), the sponsor of the program, the sponsor
/// of another program, an administrator, a person holding two roles in
/// different programs (S2 sponsors B and leads in A), and a leaver whose
/// token still exists (L2).
async fn who_reads_and_changes_a_programs_life_through_the_api(app: App) {
    let a = app.program;
    let ids = vec!["S2".to_owned()];
    plab_app::programs::enroll(&app.store, ProgramId(a), Role::Leader, &ids, None, "test")
        .await
        .expect("S2 leads in A while sponsoring B");
    let s = app.login("s@lab.test").await;
    app.call("POST", &format!("/api/v1/programs/{a}/close-out"), Some(&s), None).await;
    let exit = Some(json!({"choice": "not_now"}).to_string());
    let next = Some(json!({"name": "Next", "starts_on": day_after(60), "enrol": []}).to_string());
    let routes = [
        ("GET", format!("/api/v1/programs/{a}"), None),
        ("GET", format!("/api/v1/programs/{a}/close-out"), None),
        ("GET", format!("/api/v1/programs/{a}/me/exit"), None),
        ("PUT", format!("/api/v1/programs/{a}/me/exit"), exit),
        ("GET", format!("/api/v1/programs/{a}/next-cohort"), None),
        ("POST", format!("/api/v1/programs/{a}/next-cohort"), next),
        ("POST", format!("/api/v1/programs/{a}/close-out"), None),
    ];
    use StatusCode as C;
    #[rustfmt::skip]
    let matrix = [
        (None,                    [C::UNAUTHORIZED, C::UNAUTHORIZED, C::UNAUTHORIZED, C::UNAUTHORIZED, C::UNAUTHORIZED, C::UNAUTHORIZED, C::UNAUTHORIZED]),
        (Some("l1@lab.test"),     [C::OK, C::FORBIDDEN, C::OK, C::OK, C::FORBIDDEN, C::FORBIDDEN, C::FORBIDDEN]),
        (Some("m1@lab.test"),     [C::OK, C::FORBIDDEN, C::OK, C::OK, C::FORBIDDEN, C::FORBIDDEN, C::FORBIDDEN]),
        (Some("m2@lab.test"),     [C::OK, C::FORBIDDEN, C::OK, C::OK, C::FORBIDDEN, C::FORBIDDEN, C::FORBIDDEN]),
        (Some("s2@lab.test"),     [C::OK, C::FORBIDDEN, C::OK, C::OK, C::FORBIDDEN, C::FORBIDDEN, C::FORBIDDEN]),
        (Some("m3@lab.test"),     [C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND]),
        (Some("admin@ops.test"),  [C::OK, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND, C::NOT_FOUND]),
        (Some("s@lab.test"),      [C::OK, C::OK, C::FORBIDDEN, C::FORBIDDEN, C::OK, C::CREATED, C::CONFLICT]),
    ];
    run_api_matrix(&app, &routes, &matrix).await;
    // Another program's sponsor (S2 of B) is on B's side only: B's routes answer.
    let s2 = app.login("s2@lab.test").await;
    let (status, body) = app.call("GET", &format!("/api/v1/programs/{}/close-out", a + 1), Some(&s2), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // L2 leaves while signed in: every route is closed to them.
    let l2 = app.login("l2@lab.test").await;
    let mut leaver = crate::common::person_in_zone("L2", "CEO", 8, "Ops", "");
    leaver.end_date = Some(plab_domain::Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in &routes {
        let (status, value) = app.call(method, uri, Some(&l2), body.clone()).await;
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
            "leaver: {method} {uri}: {status} {value}"
        );
    }
}
