//! One form pattern: a refused form comes back as its own page with the input
//! kept, each problem beside its field and a summary at the top, in plain
//! words; a refusal that is no form's leads back to the page it came from;
//! a new participant's home greets them and lists their first steps in order.
use crate::common::browser::{form, send, send_with, sign_in};
use crate::common::{App, PASSWORD};
use axum::http::StatusCode;
use plab_domain::person::RawPerson;
use plab_domain::program::Role;

crate::backends!(
    a_blank_research_question_comes_back_with_the_error_beside_it_and_the_text_kept,
    saving_a_research_question_confirms_it_and_says_what_happens_next,
    the_new_program_form_names_every_problem_at_once_in_plain_words_including_the_co_sponsor,
    a_refusal_outside_a_form_leads_back_to_the_page_it_came_from,
    a_new_leaders_home_welcomes_them_and_lists_their_first_steps_in_order,
    a_partial_pulse_comes_back_with_each_missing_answer_marked_and_the_given_ones_kept,
    the_dashboard_dates_its_program_in_words_and_knows_it_has_not_started,
);

/// No Rust ranges, type names or raw status names reach a reader.
fn assert_plain(html: &str) {
    for developer in ["..=", "Unprocessable", "is not a whole number", "u32", "i64", "Conflict<"] {
        assert!(!html.contains(developer), "'{developer}' in {html}");
    }
}

async fn a_blank_research_question_comes_back_with_the_error_beside_it_and_the_text_kept(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/programs/{}/question", app.program);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("text", "   ")]))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(
        page.html.contains("id=\"error-summary\"") && page.html.contains("<a href=\"#question\">"),
        "{}",
        page.html
    );
    assert!(page.html.contains("id=\"question-error\"") && page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("is required: write your research question"), "{}", page.html);
    assert!(page.html.contains("Your research question for A"), "the page names its program");
    assert_plain(&page.html);

    // Too long: refused, and the whole text is still in the box to shorten.
    let long = "Why ".repeat(300);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("text", &long)]))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!(">{long}</textarea>")), "the typed text is kept");
    let history = app.store.question_history(plab_store::ProgramId(app.program), "L1").await.expect("history");
    assert!(history.is_empty(), "nothing refused was saved: {history:?}");
}

async fn saving_a_research_question_confirms_it_and_says_what_happens_next(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/programs/{}/question", app.program);
    let text = "Why do our newest analysts skip the Friday demo, and what would make it worth their hour?";
    let saved = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("text", text)]))).await;
    assert_eq!((saved.status, saved.location.as_deref()), (StatusCode::SEE_OTHER, Some(&*format!("{uri}?saved=1"))));
    let page = send(&app, "GET", &format!("{uri}?saved=1"), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"saved\"") && page.html.contains("Saved as version 1."), "{}", page.html);
    assert!(page.html.contains("What happens next"));
    let plain = send(&app, "GET", &uri, Some(&cookie), None).await;
    assert!(!plain.html.contains("id=\"saved\""), "the confirmation shows once, after saving");
}

async fn the_new_program_form_names_every_problem_at_once_in_plain_words_including_the_co_sponsor(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Autumn cohort"),
        ("starts_on", "2027-02-30"),
        ("sessions", "-3"),
        ("cadence_days", "0"),
        ("session_minutes", "60"),
        ("checkin_after", "3"),
        ("min_group_size", "5"),
        ("default_mentor_capacity", "1"),
        ("sponsor", "nobody@nowhere.test"),
    ];
    let page = send(&app, "POST", "/programs/new", Some(&cookie), Some(&form(&fields))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    for field in ["sessions", "cadence_days", "starts_on", "sponsor"] {
        assert!(page.html.contains(&format!("id=\"{field}-error\"")), "{field} is marked on the first submit");
        assert!(page.html.contains(&format!("<a href=\"#{field}\">")), "the summary links to {field}");
    }
    assert!(!page.html.contains("id=\"name-error\""), "only the wrong fields are marked");
    assert!(page.html.contains("enter a whole number such as 14 (you entered &#39;-3&#39;)"), "{}", page.html);
    assert!(page.html.contains("must be between 1 and 90 (you entered 0)"));
    assert!(page.html.contains("nobody in the directory is &#39;nobody@nowhere.test&#39;"));
    assert!(page.html.contains("value=\"Autumn cohort\"") && page.html.contains("value=\"nobody@nowhere.test\""));
    assert!(page.html.contains("class=\"error field-error\""), "errors are styled as errors");
    assert_plain(&page.html);
    let programs = app.store.programs().await.expect("programs");
    assert!(programs.iter().all(|p| p.name != "Autumn cohort"), "nothing was opened");
}

async fn a_refusal_outside_a_form_leads_back_to_the_page_it_came_from(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    // A sponsor may not answer a partner's check-in: refused, with a way back to where they were.
    let from = format!("/programs/{}", app.program);
    let page = send_with(
        &app,
        "POST",
        &format!("/pairs/{}/checkin", app.pair1),
        Some(&cookie),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "lab.example"),
            ("referer", &format!("http://lab.example{from}")),
        ],
        Some(form(&[("csrf", &csrf), ("insight", "x"), ("change", "y")])),
    )
    .await;
    assert!(page.status.is_client_error(), "{}", page.status);
    assert!(page.html.contains(&format!("id=\"go-back\" href=\"{from}\"")), "{}", page.html);
    assert!(
        page.html.contains("<h1>This is not open to you</h1>")
            || page.html.contains("<h1>We could not find that page</h1>")
    );
    // Another site's address is never offered as the way back.
    let page = send_with(
        &app,
        "POST",
        &format!("/pairs/{}/checkin", app.pair1),
        Some(&cookie),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "lab.example"),
            ("referer", "http://evil.example/phish"),
        ],
        Some(form(&[("csrf", &csrf), ("insight", "x"), ("change", "y")])),
    )
    .await;
    assert!(!page.html.contains("evil.example") && !page.html.contains("id=\"go-back\""), "{}", page.html);
}

async fn a_new_leaders_home_welcomes_them_and_lists_their_first_steps_in_order(app: App) {
    let newcomer = RawPerson {
        employee_id: "L9".into(),
        name: "Name L9".into(),
        email: "l9@lab.test".into(),
        department: "Legal".into(),
        manager_id: "CEO".into(),
        hire_date: "2010-01-01".into(),
        level: "8".into(),
        ..RawPerson::default()
    }
    .parse()
    .expect("person");
    app.store.upsert_people(&[newcomer], &|_| {}).await.expect("people");
    let program = plab_store::ProgramId(app.program);
    plab_app::programs::enroll(&app.store, program, Role::Leader, &["L9".to_owned()], None, "test")
        .await
        .expect("enrol");
    let hash = plab_app::accounts::hash_password(PASSWORD).expect("hash");
    plab_app::accounts::upsert_with_hash(&app.store, "l9@lab.test", &hash, false).await.expect("account");

    let (cookie, csrf) = sign_in(&app, "l9@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await.html;
    assert!(home.contains("Welcome to A") && home.contains("Lead Learner"), "{home}");
    let list = home.split("class=\"checklist\"").nth(1).expect("a checklist").split("</ol>").next().expect("list");
    let first = format!(
        "<li class=\"current\"><a href=\"/programs/{}/question\">Write your research question</a>",
        app.program
    );
    assert!(list.contains(&first), "step 1 is current and linked: {list}");
    assert_eq!(list.matches("<li class=\"ahead\">").count(), 5, "the rest wait, unlinked: {list}");
    assert!(home.contains("0 of 6 done"));

    let text = "Why do our newest analysts skip the Friday demo, and what would make it worth their hour?";
    let uri = format!("/programs/{}/question", app.program);
    send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("text", text)]))).await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await.html;
    assert!(!home.contains("Welcome to A") && home.contains("Your next steps in A"), "{home}");
    assert!(home.contains("1 of 6 done") && home.contains("<li class=\"current\"><span>Be paired"), "{home}");

    // A leader whose pair is running sees the steps they have not done, nothing of anyone else's.
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await.html;
    assert!(home.contains("Your next steps in A") && !home.contains("Welcome to A"), "{home}");
    assert!(home.contains("<li class=\"done\"><span>Be paired"), "{home}");
}

async fn a_partial_pulse_comes_back_with_each_missing_answer_marked_and_the_given_ones_kept(app: App) {
    let sessions = crate::common::activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let at = time::OffsetDateTime::now_utc() - time::Duration::days(2);
    app.store.reschedule_session(plab_domain::SessionId(sessions[0]), at).await.expect("into the past");
    let token = app.login("l1@lab.test").await;
    let (status, body) =
        app.call("POST", &format!("/api/v1/sessions/{}/hold", sessions[0]), Some(&token), Some("{}".into())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/sessions/{}/pulse", sessions[0]);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("listened", "4")]))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.html.contains("id=\"focused-error\"") && page.html.contains("id=\"shared_challenge-error\""));
    assert!(!page.html.contains("id=\"listened-error\""), "the given answer is not marked");
    assert!(page.html.contains("id=\"listened-4\" name=\"listened\" value=\"4\" required checked"), "kept");
    assert!(page.html.contains("choose an answer from 1 to 5") && page.html.contains("id=\"error-summary\""));
    assert_plain(&page.html);
    let (_, mine) = app.call("GET", &format!("/api/v1/sessions/{}/pulse", sessions[0]), Some(&token), None).await;
    assert!(!mine.to_string().contains("\"listened\":4"), "nothing was saved: {mine}");
}

async fn the_dashboard_dates_its_program_in_words_and_knows_it_has_not_started(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}", app.program), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = crate::common::program_start();
    let line = format!("Starts on {} · ", plab_domain::session::human_date(start));
    assert!(page.html.contains(&line), "{}", page.html);
    assert!(!page.html.contains(&format!("from {start}")), "no ISO date beside the words");
}
