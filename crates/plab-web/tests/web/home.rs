//! Each person's home says what to do next: a leader or mentor sees their
//! partner and whether they accepted the lab rules, the research question,
//! the next session, last time's homework and every pending action; a sponsor
//! sees each program by name with its progress and what needs attention.
//! Nothing of a pair reaches anyone outside it.
use crate::common::browser::{send, sign_in};
use crate::common::{App, activate, move_to_past};
use axum::http::StatusCode;
use plab_store::ProgramId;
use serde_json::json;

crate::backends!(
    a_partners_home_says_what_to_do_next_and_follows_the_pair,
    a_sponsors_home_names_each_program_with_what_needs_attention,
);

const QUESTION: &str = "Why do analysts in their first year skip our Friday demo, and what would make them present their own work there by March?";

async fn home_of(app: &App, email: &str) -> String {
    let (cookie, _) = sign_in(app, email).await;
    let page = send(app, "GET", "/home", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    page.html
}

async fn a_partners_home_says_what_to_do_next_and_follows_the_pair(app: App) {
    let home = home_of(&app, "l1@lab.test").await;
    assert!(home.contains("you and Name M1"), "the partner by name: {home}");
    assert!(home.contains("Name M1 has not accepted the lab rules yet."));
    assert!(home.contains("Read and accept the lab rules") && home.contains("Write your research question"));
    assert!(home.contains("sessions are planned once you both accept the lab rules"));

    plab_app::programs::set_question(&app.store, ProgramId(app.program), "L1", QUESTION).await.expect("question");
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let mentor_home = home_of(&app, "m1@lab.test").await;
    assert!(mentor_home.contains(&format!("<strong>Research question:</strong> {QUESTION}")), "the mentor sees it");
    assert!(mentor_home.contains("Name L1 has accepted the lab rules."));
    assert!(mentor_home.contains("<strong>Next session:</strong>"), "{mentor_home}");
    assert!(!mentor_home.contains("Read and accept the lab rules"), "done, so no longer waiting");
    // Where the lab happens, the mentor sees the question too; the sponsor never its wording.
    let (mentor_cookie, _) = sign_in(&app, "m1@lab.test").await;
    let pair_page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&mentor_cookie), None).await;
    assert!(pair_page.html.contains(&format!("<strong>Research question:</strong> {QUESTION}")));
    let session_page = send(&app, "GET", &format!("/sessions/{}", sessions[1]), Some(&mentor_cookie), None).await;
    let agenda_at = session_page.html.find("id=\"agenda\"").expect("agenda");
    let question_at = session_page.html.find(QUESTION).expect("the question on the session page");
    let rules_at = session_page.html.find("id=\"lab-rules\"").expect("the lab rules");
    assert!(question_at < agenda_at && agenda_at < rules_at, "question, then the timer, then the rules");
    let (sponsor_cookie, _) = sign_in(&app, "s@lab.test").await;
    let as_sponsor = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&sponsor_cookie), None).await;
    assert_eq!(as_sponsor.status, StatusCode::OK);
    assert!(!as_sponsor.html.contains(QUESTION), "the sponsor sees the pair, not the question's wording");

    // Session 1 is held with homework: both see it, and each is asked for their own pulse.
    move_to_past(&app, sessions[0]).await;
    let leader = app.login("l1@lab.test").await;
    let hold = json!({"homework": "Shadow the support queue for an hour", "previous_homework_done": false});
    let (status, body) = app
        .call("POST", &format!("/api/v1/sessions/{}/hold", sessions[0]), Some(&leader), Some(hold.to_string()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mentor_home = home_of(&app, "m1@lab.test").await;
    assert!(mentor_home.contains("<strong>Homework from last time:</strong> Shadow the support queue for an hour"));
    assert!(mentor_home.contains("Answer the pulse for session 1"));
    let mentor = app.login("m1@lab.test").await;
    let pulse = json!({"answers": {"led": 4, "candid": 4, "heard": 5}});
    let uri = format!("/api/v1/sessions/{}/pulse", sessions[0]);
    assert_eq!(app.call("PUT", &uri, Some(&mentor), Some(pulse.to_string())).await.0, StatusCode::OK);
    assert!(!home_of(&app, "m1@lab.test").await.contains("Answer the pulse for session 1"), "answered");
    assert!(home_of(&app, "l1@lab.test").await.contains("Answer the pulse for session 1"), "the leader's is their own");

    // Nothing of the pair reaches the other pair or the sponsor's home.
    for outsider in ["l2@lab.test", "s@lab.test"] {
        let home = home_of(&app, outsider).await;
        assert!(!home.contains(QUESTION) && !home.contains("Shadow the support queue"), "{outsider} sees pair 1");
    }
}

async fn a_sponsors_home_names_each_program_with_what_needs_attention(app: App) {
    let home = home_of(&app, "s@lab.test").await;
    let program = home.split("<section class=\"program-home\"").nth(1).expect("a program section");
    assert!(program.contains(">A</a></h3>"), "the program by name: {program}");
    let started = format!("Starts on {}", plab_domain::session::human_date(crate::common::program_start()));
    // The program starts in five weeks: it has not "Started".
    assert!(!program.contains("Started"), "{program}");
    assert!(program.contains(&started), "{program}");
    assert!(program.contains("2 pairs, 0 active"));
    assert!(program.contains("2 leaders have not written a research question yet."), "{program}");
    assert!(program.contains("2 pairs wait for both partners to accept the lab rules."), "{program}");
    assert!(!home.contains("program-home\" id=\"program-2\""), "program B is not theirs");
    activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let later = home_of(&app, "s@lab.test").await;
    assert!(later.contains("2 pairs, 1 active") && later.contains("1 pair waits for both partners"), "{later}");
    let leader_home = home_of(&app, "l1@lab.test").await;
    assert!(!leader_home.contains("class=\"program-home\""), "a leader sponsors nothing");
}
