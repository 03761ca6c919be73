//! A program set up in the browser alone: a sponsor opens it (and becomes its
//! sponsor), finds people by name, department or level, enrols leaders,
//! mentors and co-sponsors, and sees how far each one is; refused forms show
//! every error by its field and keep what was typed; nothing half-written.
use crate::common::App;
use crate::common::browser::{form, send, sign_in};
use axum::http::StatusCode;
use serde_json::{Value, json};

crate::backends!(
    a_sponsor_opens_a_program_in_the_browser_and_becomes_its_sponsor,
    a_refused_program_form_shows_every_error_by_its_field_and_keeps_the_input,
    people_are_found_by_name_department_or_level_and_enrolled_with_their_progress,
    an_enrolment_naming_someone_on_the_other_side_or_unknown_enrols_nobody,
    a_co_sponsor_enrolled_by_a_sponsor_sees_the_program,
    a_forged_program_form_opens_nothing,
    a_program_is_opened_and_enrolled_over_the_api_by_its_sponsor,
    the_setup_api_names_every_bad_field_and_writes_nothing,
    every_setup_route_by_every_role,
    an_administrator_outside_the_directory_names_the_first_sponsor,
    a_sponsor_pairs_by_name_hears_why_a_leader_is_left_out_and_approves,
);

fn program_form(csrf: &str, name: &str, starts_on: &str, sessions: &str, cadence: &str) -> String {
    form(&[
        ("csrf", csrf),
        ("name", name),
        ("starts_on", starts_on),
        ("sessions", sessions),
        ("cadence_days", cadence),
        ("session_minutes", "60"),
        ("checkin_after", "3"),
        ("min_group_size", "5"),
        ("default_mentor_capacity", "1"),
    ])
}

async fn programs_of(app: &App, email: &str) -> Vec<(i64, String)> {
    let token = app.login(email).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    me["memberships"]
        .as_array()
        .expect("memberships")
        .iter()
        .map(|m: &Value| (m["program"].as_i64().expect("program"), m["role"].as_str().expect("role").to_owned()))
        .collect()
}

async fn a_sponsor_opens_a_program_in_the_browser_and_becomes_its_sponsor(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&cookie), None).await;
    assert!(home.html.contains("href=\"/programs/new\""), "a sponsor's home offers to open a program");
    let blank = send(&app, "GET", "/programs/new", Some(&cookie), None).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.html.contains("id=\"sessions\" name=\"sessions\" type=\"number\" value=\"6\""), "defaults filled in");
    assert!(blank.html.contains("every two weeks"), "each setting says what it changes");
    let body = program_form(&csrf, "Autumn cohort", "2031-09-01", "8", "14");
    let opened = send(&app, "POST", "/programs/new", Some(&cookie), Some(&body)).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.html);
    let location = opened.location.expect("to the new program's people");
    let id: i64 = location
        .strip_prefix("/programs/")
        .and_then(|r| r.split('/').next())
        .and_then(|n| n.parse().ok())
        .expect("program id in the location");
    assert!(programs_of(&app, "s@lab.test").await.contains(&(id, "sponsor".to_owned())));
    let people = send(&app, "GET", &location, Some(&cookie), None).await;
    assert!(people.html.contains("Autumn cohort") && people.html.contains("you are its sponsor"), "{}", people.html);
    assert!(people.html.contains("<tr data-person=\"S\">"), "the opener is on the roster");
    let settings = app.store.program(plab_store::ProgramId(id)).await.expect("program").settings;
    assert_eq!((settings.sessions, settings.cadence_days), (8, 14));
}

async fn a_refused_program_form_shows_every_error_by_its_field_and_keeps_the_input(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let before = app.store.programs().await.expect("programs").len();
    let body = program_form(&csrf, "", "2031-02-30", "six", "200");
    let refused = send(&app, "POST", "/programs/new", Some(&cookie), Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "starts_on", "sessions", "cadence_days"] {
        assert!(refused.html.contains(&format!("id=\"{field}-error\"")), "{field} has its error: {}", refused.html);
        assert!(refused.html.contains(&format!("aria-describedby=\"{field}-help {field}-error\"")));
    }
    assert!(refused.html.contains("value=\"six\"") && refused.html.contains("value=\"200\""), "input kept");
    assert!(refused.html.contains("value=\"2031-02-30\""));
    assert!(!refused.html.contains("id=\"session_minutes-error\""), "a good field has no error");
    assert_eq!(app.store.programs().await.expect("programs").len(), before, "nothing opened");
}

async fn people_are_found_by_name_department_or_level_and_enrolled_with_their_progress(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let page = |q: &str| format!("/programs/{}/people?{q}", app.program);
    let sales = send(&app, "GET", &page("q=SALES"), Some(&cookie), None).await;
    for id in ["L1", "M2", "M3"] {
        assert!(sales.html.contains(&format!("id=\"person-{id}\"")), "{id} works in Sales: {}", sales.html);
    }
    assert!(!sales.html.contains("id=\"person-L2\""), "L2 works in Ops");
    let by_name = send(&app, "GET", &page("q=name+m3"), Some(&cookie), None).await;
    assert!(by_name.html.contains("id=\"person-M3\"") && !by_name.html.contains("id=\"person-M2\""));
    let level_one = send(&app, "GET", &page("level=1"), Some(&cookie), None).await;
    assert!(level_one.html.contains("id=\"person-M3\"") && !level_one.html.contains("id=\"person-M1\""));
    let bad_level = send(&app, "GET", &page("level=high"), Some(&cookie), None).await;
    assert!(
        bad_level.html.contains("id=\"level-error\">&#39;high&#39; is not a level")
            && bad_level.html.contains("value=\"high\" aria-invalid=\"true\" aria-describedby=\"level-error\""),
        "{}",
        bad_level.html
    );
    let none = send(&app, "GET", &page("q=nobody-like-this"), Some(&cookie), None).await;
    assert!(none.html.contains("id=\"nobody-found\""));

    let body = form(&[("csrf", &csrf), ("role", "mentor"), ("person", "M3"), ("capacity", "2"), ("q", "sales")]);
    let enrolled = send(&app, "POST", &format!("/programs/{}/people", app.program), Some(&cookie), Some(&body)).await;
    assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.html);
    let roster = send(&app, "GET", enrolled.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(roster.html.contains("Enrolled 1 person as a mentor."), "{}", roster.html);
    let row = |html: &str, id: &str| -> String {
        html.split(&format!("<tr data-person=\"{id}\">"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .expect("row")
            .to_owned()
    };
    assert!(row(&roster.html, "M3").contains("mentor (2)"));
    let l1 = row(&roster.html, "L1");
    assert!(l1.contains("<td class=\"signed-in\">not yet (has a password)</td>"), "never signed in: {l1}");
    assert!(l1.contains("<td class=\"question\">not yet</td>") && l1.contains("<td class=\"rules\">not yet</td>"));
    crate::common::activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let later = send(&app, "GET", &page(""), Some(&cookie), None).await;
    let l1 = row(&later.html, "L1");
    assert!(l1.contains("<td class=\"rules\">yes</td>"), "rules accepted shows");
    assert!(l1.contains("<td class=\"signed-in\">last ") && l1.contains(" (UTC)</td>"), "signed in, and when: {l1}");
}

async fn an_enrolment_naming_someone_on_the_other_side_or_unknown_enrols_nobody(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/people", app.program);
    let body = form(&[("csrf", &csrf), ("role", "mentor"), ("person", "L1"), ("person", "M3"), ("person", "X99")]);
    let refused = send(&app, "POST", &uri, Some(&cookie), Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("L1 (Name L1) is already a leader in A"), "{}", refused.html);
    assert!(refused.html.contains("X99") && refused.html.contains("nobody in the directory"), "{}", refused.html);
    assert!(!refused.html.contains("<tr data-person=\"M3\">"), "M3 was not enrolled either");
    let nobody = form(&[("csrf", &csrf), ("role", "leader")]);
    let empty = send(&app, "POST", &uri, Some(&cookie), Some(&nobody)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html.contains("choose at least one person"));
}

async fn a_co_sponsor_enrolled_by_a_sponsor_sees_the_program(app: App) {
    let (other, _) = sign_in(&app, "s2@lab.test").await;
    let dashboard = format!("/programs/{}", app.program);
    assert_eq!(send(&app, "GET", &dashboard, Some(&other), None).await.status, StatusCode::NOT_FOUND);
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let body = form(&[("csrf", &csrf), ("role", "sponsor"), ("person", "S2")]);
    let uri = format!("/programs/{}/people", app.program);
    assert_eq!(send(&app, "POST", &uri, Some(&cookie), Some(&body)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&app, "GET", &dashboard, Some(&other), None).await.status, StatusCode::OK);
    let audit = app.store.audit_log(10).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "program.enroll" && e.detail.contains("sponsor: S2")), "audited");
}

async fn a_forged_program_form_opens_nothing(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let before = app.store.programs().await.expect("programs").len();
    let body = program_form("forged", "Autumn cohort", "2031-09-01", "6", "14");
    assert_eq!(send(&app, "POST", "/programs/new", Some(&cookie), Some(&body)).await.status, StatusCode::FORBIDDEN);
    let enrol = form(&[("csrf", "forged"), ("role", "sponsor"), ("person", "S2")]);
    let uri = format!("/programs/{}/people", app.program);
    assert_eq!(send(&app, "POST", &uri, Some(&cookie), Some(&enrol)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.programs().await.expect("programs").len(), before);
    assert!(!programs_of(&app, "s2@lab.test").await.iter().any(|(p, _)| *p == app.program));
}

async fn a_program_is_opened_and_enrolled_over_the_api_by_its_sponsor(app: App) {
    let token = app.login("s@lab.test").await;
    let body = json!({"name": "Autumn cohort", "starts_on": "2031-09-01", "settings": {"sessions": 8}});
    let (status, opened) = app.call("POST", "/api/v1/programs", Some(&token), Some(body.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let id = opened["id"].as_i64().expect("id");
    let settings = app.store.program(plab_store::ProgramId(id)).await.expect("program").settings;
    assert_eq!((settings.sessions, settings.cadence_days), (8, 14), "a key left out takes the default");
    let enrol = json!({"role": "mentor", "employee_ids": ["M3", "M2"], "capacity": 2});
    let uri = format!("/api/v1/programs/{id}/enrolments");
    let (status, count) = app.call("POST", &uri, Some(&token), Some(enrol.to_string())).await;
    assert_eq!((status, count), (StatusCode::OK, json!({"enrolled": 2})));
    let (_, roster) = app.call("GET", &uri, Some(&token), None).await;
    let roles: Vec<(&str, &str, u64)> = roster
        .as_array()
        .expect("roster")
        .iter()
        .map(|e| {
            (e["id"].as_str().unwrap_or(""), e["role"].as_str().unwrap_or(""), e["capacity"].as_u64().unwrap_or(0))
        })
        .collect();
    assert!(roles.contains(&("M3", "mentor", 2)) && roles.contains(&("M2", "mentor", 2)), "{roster}");
    assert!(roles.iter().any(|(id, role, _)| *id == "S" && *role == "sponsor"), "the opener sponsors it: {roster}");
    let (_, found) = app.call("GET", &format!("/api/v1/programs/{id}/people?q=sales"), Some(&token), None).await;
    let m3 = found.as_array().expect("found").iter().find(|p| p["id"] == "M3").expect("M3 works in Sales");
    assert_eq!(m3["roles"], json!(["mentor"]), "{found}");
}

async fn the_setup_api_names_every_bad_field_and_writes_nothing(app: App) {
    let token = app.login("s@lab.test").await;
    let before = app.store.programs().await.expect("programs").len();
    let bad = json!({"name": "", "starts_on": "2031-02-30", "settings": {"sessions": 0}});
    let (status, body) = app.call("POST", "/api/v1/programs", Some(&token), Some(bad.to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["error"]["message"].as_str().unwrap_or_default();
    for field in ["name", "starts_on", "sessions"] {
        assert!(message.contains(field), "{field} is named: {message}");
    }
    let unknown = json!({"name": "X", "starts_on": "2031-09-01", "colour": "red"});
    let (status, body) = app.call("POST", "/api/v1/programs", Some(&token), Some(unknown.to_string())).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && body["error"]["message"].as_str().unwrap_or("").contains("colour"),
        "{status} {body}"
    );
    assert_eq!(app.store.programs().await.expect("programs").len(), before, "nothing opened");
    let uri = format!("/api/v1/programs/{}/enrolments", app.program);
    let other_side = json!({"role": "mentor", "employee_ids": ["L1", "M3"]});
    let (status, body) = app.call("POST", &uri, Some(&token), Some(other_side.to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("L1"), "{body}");
    let (_, roster) = app.call("GET", &uri, Some(&token), None).await;
    assert!(!roster.as_array().expect("roster").iter().any(|e| e["id"] == "M3"), "nobody enrolled: {roster}");
    let bad_role = json!({"role": "boss", "employee_ids": ["M3"]});
    let (status, body) = app.call("POST", &uri, Some(&token), Some(bad_role.to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) =
        app.call("GET", &format!("/api/v1/programs/{}/people?level=high", app.program), Some(&token), None).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn every_setup_route_by_every_role(app: App) {
    let p = app.program;
    let open = json!({"name": "Matrix cohort", "starts_on": "2031-09-01"}).to_string();
    let enrol = json!({"role": "mentor", "employee_ids": ["CEO"]}).to_string();
    let routes = [
        ("POST", "/api/v1/programs".to_owned(), Some(open)),
        ("GET", format!("/api/v1/programs/{p}/people?q=name"), None),
        ("GET", format!("/api/v1/programs/{p}/enrolments"), None),
        ("POST", format!("/api/v1/programs/{p}/enrolments"), Some(enrol)),
    ];
    use StatusCode as C;
    let (no, hidden, anon) = (C::FORBIDDEN, C::NOT_FOUND, C::UNAUTHORIZED);
    // A leader or mentor of the program sees it but may not set it up (403);
    // another program's sponsor may open programs but not see this one (404);
    // an administrator outside the directory must name a sponsor (422).
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 4])> = vec![
        (Some("l1@lab.test"),    [no,         no,     no,     no]),
        (Some("m1@lab.test"),    [no,         no,     no,     no]),
        (Some("s2@lab.test"),    [C::CREATED, hidden, hidden, hidden]),
        (Some("m3@lab.test"),    [no,         hidden, hidden, hidden]),
        (Some("admin@ops.test"), [C::UNPROCESSABLE_ENTITY, hidden, hidden, hidden]),
        (None,                   [anon; 4]),
        (Some("s@lab.test"),     [C::CREATED, C::OK,  C::OK,  C::OK]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
}

async fn an_administrator_outside_the_directory_names_the_first_sponsor(app: App) {
    let token = app.login("admin@ops.test").await;
    let body = json!({"name": "Leadership lab", "starts_on": "2031-09-01", "sponsor": "s2@lab.test"});
    let (status, opened) = app.call("POST", "/api/v1/programs", Some(&token), Some(body.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let id = opened["id"].as_i64().expect("id");
    assert!(programs_of(&app, "s2@lab.test").await.contains(&(id, "sponsor".to_owned())));
    let (status, _) = app.call("GET", &format!("/api/v1/programs/{id}/enrolments"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the administrator does not see inside the program");
    let nobody = json!({"name": "Orphan", "starts_on": "2031-09-01", "sponsor": "nobody@lab.test"});
    let (status, body) = app.call("POST", "/api/v1/programs", Some(&token), Some(nobody.to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.store.programs().await.expect("programs").iter().any(|p| p.name.as_str() == "Orphan"));
}

const STRONG: &str = "Why do analysts in their first year skip our Friday demo, and what would make them present their own work there by March?";
const WEAK: &str = "Tell me about young people.";

async fn a_sponsor_pairs_by_name_hears_why_a_leader_is_left_out_and_approves(app: App) {
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let opened = send(
        &app,
        "POST",
        "/programs/new",
        Some(&cookie),
        Some(&program_form(&csrf, "Pairs by name", "2031-09-01", "6", "14")),
    )
    .await;
    let people = opened.location.expect("opened");
    let program: i64 = people.split('/').nth(2).and_then(|n| n.parse().ok()).expect("id");
    let enrol = |role: &str, ids: &[&str]| {
        let mut fields = vec![("csrf", csrf.as_str()), ("role", role)];
        fields.extend(ids.iter().map(|id| ("person", *id)));
        form(&fields)
    };
    let uri = format!("/programs/{program}/people");
    for (role, ids) in [("leader", &["L1", "L2", "S2"][..]), ("mentor", &["M1", "M3"][..])] {
        let done = send(&app, "POST", &uri, Some(&cookie), Some(&enrol(role, ids))).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    }
    let id = plab_store::ProgramId(program);
    for (leader, text) in [("L1", STRONG), ("L2", STRONG), ("S2", WEAK)] {
        plab_app::programs::set_question(&app.store, id, leader, text).await.expect("question");
    }
    let pairing = format!("/programs/{program}/pairing");
    let run = send(&app, "POST", &format!("{pairing}/run"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.html);
    let review = send(&app, "GET", &pairing, Some(&cookie), None).await;
    assert_eq!(review.status, StatusCode::OK);
    let rows = review.html.matches("<tr class=\"proposed\"").count();
    assert_eq!(rows, 2, "two mentors, one place each: {}", review.html);
    assert!(
        review.html.contains("<td data-label=\"Mentor\">Name M1<br>")
            || review.html.contains("<td data-label=\"Mentor\">Name M3<br>"),
        "mentors by name"
    );
    assert!(!review.html.contains("<td>M1</td>") && !review.html.contains("<td>L1</td>"), "never a bare id");
    // L1 was M1's leader in the other program and manages M3: told so, by name, in a sentence.
    let unmatched = review.html.split("<ul id=\"unmatched\">").nth(1).expect("a leader is left out");
    assert!(
        unmatched.contains(
            "<li data-leader=\"L1\"><strong>Name L1</strong>: No enrolled mentor may take this leader: \
             1 is in their reporting chain, 1 is forbidden or was their mentor before."
        ),
        "{unmatched}"
    );
    assert!(review.html.contains("data-leader=\"S2\" data-mentor"), "S2 is paired");
    assert!(review.html.contains("Weak research question"), "S2's weak question is flagged");
    // Ask to sharpen: a to-do with the coach's suggestions on S2's home, until a new version is saved.
    let ask = form(&[("csrf", &csrf), ("leader", "S2")]);
    let asked = send(&app, "POST", &format!("{pairing}/sharpen"), Some(&cookie), Some(&ask)).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let notice = send(&app, "GET", asked.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(notice.html.contains("id=\"notice\""), "the action says what it did");
    let (s2, _) = sign_in(&app, "s2@lab.test").await;
    let s2_home = send(&app, "GET", "/home", Some(&s2), None).await.html;
    let ask_text = s2_home.split("<li class=\"sharpen-ask\">").nth(1).expect("the ask on S2's home");
    assert!(ask_text.contains("Your sponsor asks you to sharpen your research question for Pairs by name."));
    let suggestion =
        plab_domain::coach::assess(WEAK).findings.first().map(|f| f.suggestion.clone()).unwrap_or_default();
    assert!(
        !suggestion.is_empty() && ask_text.contains(&suggestion.replace('\'', "&#39;")),
        "with the coach's suggestions: {ask_text}"
    );
    plab_app::programs::set_question(&app.store, id, "S2", STRONG).await.expect("a sharper question");
    assert!(!send(&app, "GET", "/home", Some(&s2), None).await.html.contains("sharpen-ask"), "asked and answered");
    let not_a_leader = form(&[("csrf", &csrf), ("leader", "M1")]);
    let refused = send(&app, "POST", &format!("{pairing}/sharpen"), Some(&cookie), Some(&not_a_leader)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(review.html.contains("<option value=\"Name M3\">"), "pin and forbid by name, listed once per page");
    let s2_row = review.html.split("data-leader=\"S2\" data-mentor=\"").nth(1).expect("S2's row");
    let swap =
        s2_row.split("class=\"change-row\"").nth(1).and_then(|r| r.split("</form>").next()).expect("a swap per row");
    assert!(
        swap.contains("list=\"mentor-names\"") && !swap.contains("<option"),
        "a mentor by name, no list per row: {swap}"
    );
    // Never this pair, then run again: the engine keeps to it.
    let first = review.html.split("<tr class=\"proposed\" data-leader=\"").nth(1).expect("a row");
    let (leader, rest) = first.split_once('"').expect("leader");
    let mentor = rest.split("data-mentor=\"").nth(1).and_then(|r| r.split('"').next()).expect("mentor");
    let never = form(&[("csrf", &csrf), ("leader", leader), ("mentor", mentor), ("rule", "forbid")]);
    assert_eq!(
        send(&app, "POST", &format!("{pairing}/rule"), Some(&cookie), Some(&never)).await.status,
        StatusCode::SEE_OTHER
    );
    send(&app, "POST", &format!("{pairing}/run"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    let again = send(&app, "GET", &pairing, Some(&cookie), None).await;
    assert!(
        !again.html.contains(&format!("data-leader=\"{leader}\" data-mentor=\"{mentor}\"")),
        "the forbidden pair is gone"
    );
    let proposed = again.html.matches("<tr class=\"proposed\"").count();
    assert!(proposed >= 1, "{}", again.html);
    let proposal =
        again.html.split("name=\"proposal\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("proposal");
    // Approve a selection: only the first ticked pair; the others wait.
    let first_leader = again
        .html
        .split("name=\"leader\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a tick box per pair")
        .to_owned();
    let nothing = form(&[("csrf", &csrf), ("proposal", proposal), ("selection", "1")]);
    let refused = send(&app, "POST", &format!("{pairing}/approve"), Some(&cookie), Some(&nothing)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("choose at least one pair"), "{}", refused.html);
    let proposed = 1;
    let approve = form(&[("csrf", &csrf), ("proposal", proposal), ("selection", "1"), ("leader", &first_leader)]);
    assert_eq!(
        send(&app, "POST", &format!("{pairing}/approve"), Some(&cookie), Some(&approve)).await.status,
        StatusCode::SEE_OTHER
    );
    let pairs = app.store.pairs(id).await.expect("pairs");
    assert_eq!(pairs.len(), proposed, "the approved pairs start");
    assert!(pairs.iter().all(|p| p.status == plab_domain::pair::PairStatus::Forming));
    // Nobody left can be paired: the page says why, with its forms, instead of a bare error page.
    let empty = send(&app, "POST", &format!("{pairing}/run"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.html.contains("id=\"pairing-problems\"")
            && (empty.html.contains("no leader is waiting") || empty.html.contains("no pair can be proposed")),
        "{}",
        empty.html
    );
    assert!(empty.html.contains("id=\"run-pairing\""), "the page keeps its forms");
}
