//! The fit check and "why you were paired" (issue 23): each partner answers
//! for themselves after the first held session; the sponsor sees only that a
//! pair needs a conversation, ends it and re-matches its people with the pool.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate, move_to_past, person_in_zone, run_api_matrix};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::program::Role;
use plab_store::ProgramId;
use serde_json::{Value, json};

crate::backends!(
    a_not_fit_answer_leads_the_sponsor_to_end_and_rematch_the_pair_with_the_pool_never_together_again,
    the_fit_answer_waits_for_the_first_held_session_and_names_the_field_at_fault,
    a_partner_never_sees_the_other_partners_fit_answer_and_the_sponsor_never_sees_who,
    only_the_pairs_partners_answer_the_fit_check_or_read_why_they_were_paired,
    each_partner_reads_why_they_were_paired_in_their_own_words_without_scores_or_other_names,
    a_refused_fit_form_comes_back_with_the_error_beside_its_field_and_the_input_kept,
    erasure_deletes_and_retention_destroys_the_fit_answers,
);

/// Activates pair 1 and holds its first session; returns the session ids.
async fn first_session_held(app: &App) -> Vec<i64> {
    let ids = activate(app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    move_to_past(app, ids[0]).await;
    let l1 = app.login("l1@lab.test").await;
    let hold = json!({"homework": null, "previous_homework_done": false}).to_string();
    let (status, body) = app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[0]), Some(&l1), Some(hold)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ids
}

fn fit_uri(pair: i64) -> String {
    format!("/api/v1/pairs/{pair}/fit")
}

async fn put_fit(app: &App, token: &str, pair: i64, body: Value) -> (StatusCode, Value) {
    app.call("PUT", &fit_uri(pair), Some(token), Some(body.to_string())).await
}

async fn sponsor_pairs(app: &App) -> Value {
    let s = app.login("s@lab.test").await;
    let (status, pairs) = app.call("GET", &format!("/api/v1/programs/{}/pairs", app.program), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{pairs}");
    pairs
}

fn fit_of(pairs: &Value, pair: i64) -> Value {
    pairs.as_array().expect("pairs").iter().find(|p| p["id"] == pair).expect("the pair")["fit"].clone()
}

async fn a_not_fit_answer_leads_the_sponsor_to_end_and_rematch_the_pair_with_the_pool_never_together_again(app: App) {
    let a = ProgramId(app.program);
    // The pool: a mentor and a leader waiting, besides the two people freed.
    app.store
        .upsert_people(
            &[person_in_zone("M4", "CEO", 1, "Legal", ""), person_in_zone("L4", "CEO", 8, "Finance", "")],
            &|_| {},
        )
        .await
        .expect("people");
    programs::enroll(&app.store, a, Role::Mentor, &["M4".to_owned()], None, "test").await.expect("M4 mentors");
    programs::enroll(&app.store, a, Role::Leader, &["L4".to_owned()], None, "test").await.expect("L4 leads");
    let question = "Why do buyers under 35 scroll past our TikTok campaigns, and what should we change next?";
    for leader in ["L1", "L4"] {
        programs::set_question(&app.store, a, leader, question).await.expect("question");
    }
    first_session_held(&app).await;
    assert_eq!(fit_of(&sponsor_pairs(&app).await, app.pair1), "clear", "nothing to talk about yet");

    let m1 = app.login("m1@lab.test").await;
    let comment = "My perspectives are about payroll, not TikTok";
    let (status, mine) = put_fit(&app, &m1, app.pair1, json!({"fit": "not_fit", "comment": comment})).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!((mine["fit"].as_str(), mine["comment"].as_str()), (Some("not_fit"), Some(comment)));

    // The sponsor: "check" on the pair, a count in the report, never who or what.
    let pairs = sponsor_pairs(&app).await;
    assert_eq!(fit_of(&pairs, app.pair1), "check");
    assert_eq!(fit_of(&pairs, app.pair2), "clear");
    let s = app.login("s@lab.test").await;
    let (_, report) = app.call("GET", &format!("/api/v1/programs/{}/report", a.0), Some(&s), None).await;
    assert_eq!(report["fit_checks"], 1, "{report}");
    // The program office reads the same count, and nothing of who or what.
    plab_app::office::set_member_as_operator(&app.store, "S", true).await.expect("named to the office");
    let (status, office) = app.call("GET", "/api/v1/office/report", Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{office}");
    let column = office["programs"].as_array().expect("programs").iter().find(|c| c["program"] == a.0).expect("A");
    assert_eq!(column["fit_checks"], 1, "{office}");
    assert!(!office.to_string().contains("payroll"), "{office}");
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    for page in [format!("/programs/{}/pairing", a.0), format!("/pairs/{}", app.pair1), format!("/programs/{}", a.0)] {
        let seen = send(&app, "GET", &page, Some(&cookie), None).await;
        assert_eq!(seen.status, StatusCode::OK, "{page}");
        assert!(
            seen.html.contains("needs a conversation about") || seen.html.contains("Needs a conversation about fit"),
            "{page}"
        );
        assert!(!seen.html.contains("payroll") && !seen.html.contains("not_fit"), "{page} shows what was said");
        assert!(!seen.html.contains("Name M1 said") && !seen.html.contains("mentor said"), "{page} shows who");
    }
    let pairing = send(&app, "GET", &format!("/programs/{}/pairing", a.0), Some(&cookie), None).await;
    let row = pairing.html.split(&format!("data-pair=\"{}\"", app.pair1)).nth(1).expect("the pair's row");
    let row = row.split("</tr>").next().unwrap_or_default();
    assert!(row.contains(&format!("id=\"fit-check-{}\"", app.pair1)) && row.contains("End this pair"), "{row}");
    for body in [report.to_string(), pairs.to_string()] {
        assert!(!body.contains("payroll") && !body.contains("not_fit"), "{body}");
    }

    // The sponsor ends the pair with a reason, then re-matches its people with the pool.
    let reason = "The mentor's perspectives do not meet the question";
    let ended = send(
        &app,
        "POST",
        &format!("/pairs/{}/end", app.pair1),
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("reason", reason)])),
    )
    .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.html);
    assert_eq!(fit_of(&sponsor_pairs(&app).await, app.pair1), "clear", "an ended pair needs no more conversation");
    let (status, run) = app.call("POST", &format!("/api/v1/pairs/{}/rematch", app.pair1), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let id = app.store.latest_proposal_id(a).await.expect("latest").expect("a proposal");
    let proposal = app.store.proposal(a, id).await.expect("proposal");
    let mentor_of = |leader: &str| proposal.pairs.iter().find(|p| p.leader == leader).map(|p| p.mentor.clone());
    assert_eq!(mentor_of("L1").as_deref(), Some("M4"), "L1 gets a new mentor: {:?}", proposal.pairs);
    assert_eq!(mentor_of("L4").as_deref(), Some("M1"), "M1 gets a new leader: {:?}", proposal.pairs);
    assert!(!proposal.pairs.iter().any(|p| p.leader == "L1" && p.mentor == "M1"), "never each other again");
    app.store.approve_proposal(a, id).await.expect("approve");
    let pairs = app.store.pairs(a).await.expect("pairs");
    assert!(pairs.iter().any(|p| p.is_open() && p.pair.leader == "L1" && p.pair.mentor == "M4"));
    assert!(pairs.iter().any(|p| p.is_open() && p.pair.leader == "L4" && p.pair.mentor == "M1"));
    assert!(!pairs.iter().any(|p| p.is_open() && p.pair.leader == "L1" && p.pair.mentor == "M1"));
    // The mentor's own answer stays theirs to read, and is closed to change.
    let (status, kept) = app.call("GET", &fit_uri(app.pair1), Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((kept["fit"].as_str(), kept["open"].as_bool()), (Some("not_fit"), Some(false)), "{kept}");
    let (status, _) = put_fit(&app, &m1, app.pair1, json!({"fit": "fit"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn the_fit_answer_waits_for_the_first_held_session_and_names_the_field_at_fault(app: App) {
    activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let l1 = app.login("l1@lab.test").await;
    let (status, refused) = put_fit(&app, &l1, app.pair1, json!({"fit": "fit"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap_or("").contains("after your first session"), "{refused}");
    let (_, before) = app.call("GET", &fit_uri(app.pair1), Some(&l1), None).await;
    assert_eq!((before["open"].as_bool(), before["fit"].clone()), (Some(false), Value::Null), "{before}");

    let ids = app.store.sessions(plab_domain::PairId(app.pair1)).await.expect("sessions");
    move_to_past(&app, ids[0].id.0).await;
    let hold = json!({"homework": null, "previous_homework_done": false}).to_string();
    let (status, _) = app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[0].id.0), Some(&l1), Some(hold)).await;
    assert_eq!(status, StatusCode::OK);
    for (body, field) in [
        (json!({"fit": "maybe"}), "fit"),
        (json!({}), "fit"),
        (json!({"fit": "fit", "comment": "x".repeat(501)}), "comment"),
    ] {
        let (status, refused) = put_fit(&app, &l1, app.pair1, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {refused}");
        assert!(refused["error"]["message"].as_str().unwrap_or("").starts_with(&format!("{field}: ")), "{refused}");
    }
    for bad in [json!({"fit": 3}).to_string(), json!({"fit": "fit", "who": "x"}).to_string(), "{not json".to_owned()] {
        let (status, refused) = app.call("PUT", &fit_uri(app.pair1), Some(&l1), Some(bad.clone())).await;
        assert!(status.is_client_error(), "{bad}: {status}");
        assert!(refused["error"]["code"].is_string(), "{refused}");
    }
    let (_, none) = app.call("GET", &fit_uri(app.pair1), Some(&l1), None).await;
    assert_eq!(none["fit"], Value::Null, "nothing was saved: {none}");
    // Answered, then changed: the newest answer is the one kept.
    assert_eq!(
        put_fit(&app, &l1, app.pair1, json!({"fit": "unsure", "comment": "early days"})).await.0,
        StatusCode::OK
    );
    let (status, changed) = put_fit(&app, &l1, app.pair1, json!({"fit": "fit"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((changed["fit"].as_str(), changed["comment"].clone()), (Some("fit"), Value::Null), "{changed}");
    // A closed program takes no new answer.
    let s = app.login("s@lab.test").await;
    let (status, closed) = app.call("POST", &format!("/api/v1/programs/{}/close", app.program), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(put_fit(&app, &l1, app.pair1, json!({"fit": "not_fit"})).await.0, StatusCode::CONFLICT);
}

async fn a_partner_never_sees_the_other_partners_fit_answer_and_the_sponsor_never_sees_who(app: App) {
    first_session_held(&app).await;
    let (l1, m1) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let secret = "Canary-fit-line-7731";
    assert_eq!(put_fit(&app, &m1, app.pair1, json!({"fit": "not_fit", "comment": secret})).await.0, StatusCode::OK);
    // The leader reads only their own (none yet), and nothing of the mentor's anywhere.
    let (_, own) = app.call("GET", &fit_uri(app.pair1), Some(&l1), None).await;
    assert_eq!(own["fit"], Value::Null, "{own}");
    for uri in [
        format!("/api/v1/pairs/{}", app.pair1),
        format!("/api/v1/programs/{}/pairs", app.program),
        format!("/api/v1/pairs/{}/why", app.pair1),
        "/api/v1/me/export".to_owned(),
    ] {
        let (_, body) = app.call("GET", &uri, Some(&l1), None).await;
        let text = body.to_string();
        assert!(!text.contains(secret) && !text.contains("not_fit") && !text.contains("\"check\""), "{uri}: {text}");
    }
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(
        !page.html.contains(secret)
            && !page.html.contains("id=\"fit-check\"")
            && !page.html.contains("Not a fit</strong>"),
        "the leader's page"
    );
    assert!(page.html.contains("id=\"fit-form\""), "the leader can answer for themselves");
    // The mentor's own export carries their answer and line.
    let (_, export) = app.call("GET", "/api/v1/me/export", Some(&m1), None).await;
    let answers = export["fit_answers"].as_array().expect("fit answers");
    assert_eq!(answers.len(), 1, "{export}");
    assert_eq!((answers[0]["answer"].as_str(), answers[0]["comment"].as_str()), (Some("not_fit"), Some(secret)));
    // The sponsor: "check", never the line or who.
    let s = app.login("s@lab.test").await;
    let (_, pair) = app.call("GET", &format!("/api/v1/pairs/{}", app.pair1), Some(&s), None).await;
    assert_eq!(pair["fit"], "check", "{pair}");
    let (_, rows) = app.call("GET", &format!("/api/v1/programs/{}/report/pairs", app.program), Some(&s), None).await;
    let text = rows.to_string();
    assert!(!text.contains(secret), "{text}");
    // The same "check" whichever partner said it: the leader alone answering not_fit reads the same.
    assert_eq!(put_fit(&app, &m1, app.pair1, json!({"fit": "fit"})).await.0, StatusCode::OK);
    assert_eq!(fit_of(&sponsor_pairs(&app).await, app.pair1), "clear", "one answer of fit reads as none");
    assert_eq!(put_fit(&app, &l1, app.pair1, json!({"fit": "not_fit"})).await.0, StatusCode::OK);
    assert_eq!(fit_of(&sponsor_pairs(&app).await, app.pair1), "check");
}

async fn only_the_pairs_partners_answer_the_fit_check_or_read_why_they_were_paired(app: App) {
    first_session_held(&app).await;
    // S2 sponsors program B and also leads (without a pair) in program A.
    plab_app::programs::enroll(&app.store, ProgramId(app.program), Role::Leader, &["S2".to_owned()], None, "test")
        .await
        .expect("S2 leads in A");
    let p = app.pair1;
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", format!("/api/v1/pairs/{p}/fit"), None),
        ("PUT", format!("/api/v1/pairs/{p}/fit"), Some(json!({"fit": "fit"}).to_string())),
        ("GET", format!("/api/v1/pairs/{p}/why"), None),
    ];
    use StatusCode as S;
    run_api_matrix(
        &app,
        &routes,
        &[
            (None, [S::UNAUTHORIZED; 3]),
            (Some("l1@lab.test"), [S::OK; 3]),
            (Some("m1@lab.test"), [S::OK; 3]),
            (Some("l2@lab.test"), [S::NOT_FOUND; 3]),
            (Some("m2@lab.test"), [S::NOT_FOUND; 3]),
            (Some("s@lab.test"), [S::FORBIDDEN; 3]),
            (Some("s2@lab.test"), [S::NOT_FOUND; 3]),
            (Some("m3@lab.test"), [S::NOT_FOUND; 3]),
            (Some("admin@ops.test"), [S::NOT_FOUND; 3]),
        ],
    )
    .await;
    // M1 leaves the organisation while their token still exists.
    let m1 = app.login("m1@lab.test").await;
    let mut leaver = person_in_zone("M1", "L2", 2, "Ops", "");
    leaver.end_date = Some(plab_domain::Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in &routes {
        let (status, value) = app.call(method, uri, Some(&m1), body.clone()).await;
        assert!(status == S::UNAUTHORIZED || status == S::FORBIDDEN, "leaver: {method} {uri}: {status} {value}");
        assert!(value["error"]["code"].is_string(), "{value}");
    }
    // The browser form alike: a sponsor may not answer for a partner.
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let tried =
        send(&app, "POST", &format!("/pairs/{p}/fit"), Some(&cookie), Some(&form(&[("csrf", &csrf), ("fit", "fit")])))
            .await;
    assert_eq!(tried.status, S::FORBIDDEN);
    let page = send(&app, "GET", &format!("/pairs/{p}"), Some(&cookie), None).await;
    assert!(!page.html.contains("id=\"why-paired\"") && !page.html.contains("id=\"fit-form\""), "not the sponsor's");
}

async fn each_partner_reads_why_they_were_paired_in_their_own_words_without_scores_or_other_names(app: App) {
    let (l1, m1) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let uri = format!("/api/v1/pairs/{}/why", app.pair1);
    let (status, leader) = app.call("GET", &uri, Some(&l1), None).await;
    assert_eq!(status, StatusCode::OK, "{leader}");
    let (_, mentor) = app.call("GET", &uri, Some(&m1), None).await;
    let stored = app.store.pair(plab_domain::PairId(app.pair1)).await.expect("pair");
    assert_eq!(leader["kind"].as_str(), Some(stored.pair.kind.as_str()));
    let (lr, mr) = (leader["reasons"].as_array().expect("reasons"), mentor["reasons"].as_array().expect("reasons"));
    assert!(!lr.is_empty() && !mr.is_empty(), "{leader} {mentor}");
    assert_ne!(lr, mr, "each reads from their own side");
    let score = format!("{}", stored.pair.score);
    for text in lr.iter().chain(mr).filter_map(Value::as_str) {
        assert!(!text.contains(&score) && !text.contains("score"), "{text}");
        for third in ["Name L2", "Name M2", "Name L3", "Name M3", "Name S", "L2", "M2"] {
            assert!(!text.contains(third), "{text} names {third}");
        }
    }
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"why-paired\""), "{}", page.html);
    let first = mr[0].as_str().expect("sentence").replace('\'', "&#39;");
    assert!(page.html.contains(&first), "the mentor's own sentences are on the page");
    assert!(page.html.contains("id=\"fit-not-yet\""), "the fit check waits for the first session");
}

async fn a_refused_fit_form_comes_back_with_the_error_beside_its_field_and_the_input_kept(app: App) {
    first_session_held(&app).await;
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/pairs/{}/fit", app.pair1);
    let long = "y".repeat(501);
    let refused =
        send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("fit", "unsure"), ("comment", &long)])))
            .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("id=\"error-summary\""), "a summary on top");
    assert!(
        refused.html.contains("id=\"comment-error\" class=\"error field-error\">Keep the line to 500"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains(&format!("value=\"{long}\"")), "the line is kept");
    assert!(refused.html.contains("value=\"unsure\" checked"), "the choice is kept");
    let none = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("comment", "hm")]))).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.html.contains("id=\"fit-error\""), "{}", none.html);
    let home = send(&app, "GET", "/home", Some(&cookie), None).await;
    assert!(home.html.contains("Say whether your pairing fits your research question"), "a step on the home");
    let saved = send(
        &app,
        "POST",
        &uri,
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("fit", "fit"), ("comment", "good start")])),
    )
    .await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await;
    assert!(!home.html.contains("Say whether your pairing fits"), "answered: no longer asked");
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&cookie), None).await;
    assert!(
        page.html.contains("id=\"fit-saved\"") && page.html.contains("A good fit") && page.html.contains("good start")
    );
}

async fn erasure_deletes_and_retention_destroys_the_fit_answers(app: App) {
    first_session_held(&app).await;
    let (l1, m1) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    assert_eq!(put_fit(&app, &l1, app.pair1, json!({"fit": "fit", "comment": "keep going"})).await.0, StatusCode::OK);
    assert_eq!(
        put_fit(&app, &m1, app.pair1, json!({"fit": "not_fit", "comment": "wrong topic"})).await.0,
        StatusCode::OK
    );
    let pair = plab_domain::PairId(app.pair1);
    // Erasing the mentor deletes their answer (and so the sponsor's "check"), never the leader's.
    let record = plab_app::erasure::erase(&app.store, None, "cli:operator", "M1").await.expect("erase");
    assert_eq!(record.counts.get("fit_answers"), Some(&1), "{:?}", record.counts);
    assert_eq!(app.store.own_fit_answer(pair, "M1").await.expect("read"), None);
    assert!(app.store.own_fit_answer(pair, "L1").await.expect("read").is_some());
    // Retention destroys what is left, comments included, when it falls due.
    let a = ProgramId(app.program);
    let closed_on = plab_domain::Date::parse("2030-03-01").expect("date");
    plab_app::retention::close_as_operator(&app.store, a, closed_on, "cli:test").await.expect("close");
    assert_eq!(app.store.private_counts(a).await.expect("counts")["fit_answers"], 1);
    let done = plab_app::retention::run(&app.store, closed_on.plus_days(365), false).await.expect("run");
    assert_eq!(done[0].destroyed.get("fit_answers"), Some(&1), "{done:?}");
    assert_eq!(app.store.own_fit_answer(pair, "L1").await.expect("read"), None);
}
