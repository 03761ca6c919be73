//! A program's life from its sponsor's pages: the state in words and the
//! next step on the program page, beginning the close-out (each participant
//! gets a notice), its counts, closing, and starting the next cohort (a
//! reciprocal phase) from the form, whose refusals keep the input.
use crate::common::browser::{Page, csrf_in, form, send, sign_in};
use crate::common::{App, program_start};
use axum::http::StatusCode;
use plab_app::mail;
use plab_domain::ProgramId;
use plab_domain::life::ProgramKind;
use serde_json::json;

crate::backends!(
    the_sponsor_begins_the_close_out_sees_its_counts_closes_and_starts_a_reciprocal_phase_from_the_pages,
    a_refused_next_cohort_form_keeps_its_input_with_each_problem_beside_its_field,
);

async fn get(app: &App, cookie: &str, uri: &str) -> Page {
    let page = send(app, "GET", uri, Some(cookie), None).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.html);
    page
}

/// The text inside the element with this id (up to its closing tag).
fn inside<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = &start[start.find('>').map_or(0, |i| i + 1)..];
    &start[..start.find("</").unwrap_or(start.len())]
}

async fn the_sponsor_begins_the_close_out_sees_its_counts_closes_and_starts_a_reciprocal_phase_from_the_pages(
    app: App,
) {
    let app = crate::mail::with_post(app, crate::mail::post_to(9));
    let a = app.program;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let program = get(&app, &cookie, &format!("/programs/{a}")).await;
    assert!(program.html.contains("state-running\">Running</strong>: Pairs meet"), "{}", program.html);
    assert!(program.html.contains(&format!("href=\"/programs/{a}/close-out\"")), "the next step is offered");
    assert!(program.html.contains(&format!("href=\"/programs/{a}/next-cohort\"")));

    // The confirmation says what the close-out does, then begins it.
    let confirm = get(&app, &cookie, &format!("/programs/{a}/close-out")).await;
    assert!(confirm.html.contains("No new sessions are planned"), "{}", confirm.html);
    assert!(confirm.html.contains("gets a short notice by mail"));
    let begun =
        send(&app, "POST", &format!("/programs/{a}/close-out"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(
        (begun.status, begun.location.as_deref()),
        (StatusCode::SEE_OTHER, Some(format!("/programs/{a}?done=close-out#life").as_str())),
        "{}",
        begun.html
    );
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert_eq!(status.outbox.pending, 4, "a notice to L1, L2, M1 and M2, not the sponsor");
    let program = get(&app, &cookie, &format!("/programs/{a}?done=close-out")).await;
    assert!(program.html.contains("state-closing\">Closing</strong>"), "{}", program.html);
    assert!(program.html.contains("id=\"life-notice\""), "the page says what was done");
    assert!(!program.html.contains("id=\"begin-close-out\""), "begun once");
    assert!(program.html.contains(&format!("href=\"/programs/{a}/close\"")), "closing is the next step");
    assert_eq!(inside(&program.html, "close-out-participants"), "4");
    assert_eq!(inside(&program.html, "close-out-exit-answers"), "0");
    // Beginning again: the page says why not, and a second post is a conflict.
    let again = get(&app, &cookie, &format!("/programs/{a}/close-out")).await;
    assert!(again.html.contains("id=\"close-out-not-now\""), "{}", again.html);
    let twice =
        send(&app, "POST", &format!("/programs/{a}/close-out"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Answers come in; the sponsor sees counts, never who or what.
    for (who, choice) in [("l1@lab.test", "either_role"), ("m1@lab.test", "as_mentor")] {
        let token = app.login(who).await;
        let body = json!({"choice": choice, "comment": format!("{who} says so")}).to_string();
        let (status, answer) =
            app.call("PUT", &format!("/api/v1/programs/{a}/me/exit"), Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let l1 = app.login("l1@lab.test").await;
    let answers =
        json!({"answers": {"digital_fluency": 4, "empathy_employees": 4, "empathy_customers": 3}}).to_string();
    let (status, body) =
        app.call("PUT", &format!("/api/v1/programs/{a}/me/self-assessment/closing"), Some(&l1), Some(answers)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let program = get(&app, &cookie, &format!("/programs/{a}")).await;
    assert_eq!(inside(&program.html, "close-out-exit-answers"), "2");
    assert_eq!(inside(&program.html, "close-out-self-assessments"), "1");
    assert!(program.html.contains("id=\"close-out-split-withheld\""), "2 answers are fewer than the group size");
    assert!(!program.html.contains("says so"), "no comment reaches the sponsor");

    // Closing, then the next cohort: a reciprocal phase of the pair that wants to continue.
    let closed =
        send(&app, "POST", &format!("/programs/{a}/close"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.html);
    let program = get(&app, &cookie, &format!("/programs/{a}")).await;
    assert!(program.html.contains("state-closed\">Closed</strong>"), "{}", program.html);
    assert!(program.html.contains(&format!("href=\"/programs/{a}/next-cohort\"")));
    let next = get(&app, &cookie, &format!("/programs/{a}/next-cohort")).await;
    for id in ["L1", "M1"] {
        assert!(
            next.html.contains(&format!("name=\"enrol\" value=\"{id}\" checked")),
            "{id} preselected: {}",
            next.html
        );
    }
    assert!(!next.html.contains("value=\"M2\""), "only those who want to continue are proposed");
    assert!(next.html.contains("id=\"reciprocal-hint\""), "the reciprocal phase is explained");
    let starts = program_start().plus_days(90).to_string();
    let csrf = csrf_in(&next.html);
    let fields = form(&[
        ("csrf", &csrf),
        ("name", "A, reciprocal phase"),
        ("starts_on", &starts),
        ("reciprocal", "yes"),
        ("enrol", "L1"),
        ("enrol", "M1"),
    ]);
    let started = send(&app, "POST", &format!("/programs/{a}/next-cohort"), Some(&cookie), Some(&fields)).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.html);
    let to = started.location.expect("to the new program");
    let n: i64 = to.trim_start_matches("/programs/").parse().expect("the new program's page");
    assert_ne!(n, a);
    let made = app.store.program(ProgramId(n)).await.expect("the new program");
    assert_eq!((made.kind, made.previous_program), (ProgramKind::Reciprocal, Some(ProgramId(a))));
    let pairs: Vec<(String, String)> = app
        .store
        .pairs(ProgramId(n))
        .await
        .expect("pairs")
        .into_iter()
        .map(|p| (p.pair.leader, p.pair.mentor))
        .collect();
    assert_eq!(pairs, [("L1".to_owned(), "M1".to_owned())], "only the pair with both partners ticked");
    let page = get(&app, &cookie, &to).await;
    assert!(page.html.contains("the reciprocal phase of"), "{}", page.html);
    assert!(page.html.contains("A, reciprocal phase"));
}

async fn a_refused_next_cohort_form_keeps_its_input_with_each_problem_beside_its_field(app: App) {
    let a = app.program;
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let next = get(&app, &cookie, &format!("/programs/{a}/next-cohort")).await;
    assert!(next.html.contains("id=\"no-candidates\""), "nobody answered yet: {}", next.html);
    let csrf = csrf_in(&next.html);
    let before = app.store.programs().await.expect("programs").len();
    // A blank name, a day that is not one, and the sponsor ticked as a participant.
    let fields = form(&[("csrf", &csrf), ("name", " "), ("starts_on", "soon"), ("reciprocal", "yes"), ("enrol", "S")]);
    let refused = send(&app, "POST", &format!("/programs/{a}/next-cohort"), Some(&cookie), Some(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("id=\"error-summary\""), "a summary on top");
    assert!(refused.html.contains("href=\"#name\""), "the summary links to the field");
    assert!(!inside(&refused.html, "name-error").is_empty(), "{}", refused.html);
    assert!(inside(&refused.html, "starts_on-error").contains("is not a day"), "{}", refused.html);
    let enrol = inside(&refused.html, "enrol-error");
    assert!(enrol.contains("S (") && enrol.contains("one role per program"), "the person is named: {enrol}");
    assert!(refused.html.contains("name=\"starts_on\" type=\"date\" value=\"soon\""), "input kept");
    assert!(refused.html.contains("value=\"yes\" checked"), "the reciprocal box stays ticked");
    assert!(refused.html.contains("name=\"csrf\""), "the form still carries its token");
    assert_eq!(app.store.programs().await.expect("programs").len(), before, "nothing opened");
}
