//! People and rosters at scale: the people search counts and pages, "select
//! all N matching" enrols a whole search, the roster counts and pages,
//! unenrolling is refused with the reason beside the person while they are
//! in a pair; and the administrators' accounts are searched and paged, with
//! each action's result shown beside its row.
use crate::common::App;
use crate::common::browser::{form, send, sign_in};
use axum::http::StatusCode;
use plab_domain::person::RawPerson;
use serde_json::json;

crate::backends!(
    the_people_search_says_how_many_match_and_pages_through_them,
    select_all_matching_enrols_the_whole_search_and_leaves_out_people_already_here,
    the_roster_counts_everyone_and_pages,
    unenrolling_someone_in_a_pair_is_refused_with_the_reason_beside_them,
    a_sponsor_unenrols_someone_without_a_pair_and_it_is_audited,
    only_the_programs_sponsors_unenrol,
    a_refused_enrolment_keeps_the_choices_and_shows_the_error_beside_its_field,
    administrators_page_through_accounts_and_see_each_result_beside_its_row,
);

/// `n` people of the Guild department, `G001`…, levels 1 to 3.
async fn guild(app: &App, n: usize) {
    let people: Vec<_> = (1..=n)
        .map(|i| {
            RawPerson {
                employee_id: format!("G{i:03}"),
                name: format!("Guild Member {i:03}"),
                email: format!("g{i:03}@lab.test"),
                department: "Guild".into(),
                manager_id: "CEO".into(),
                hire_date: "2020-01-01".into(),
                level: (1 + i % 3).to_string(),
                ..RawPerson::default()
            }
            .parse()
            .expect("valid")
        })
        .collect();
    app.store.upsert_people(&people, &|_| {}).await.expect("people");
}

fn people_uri(app: &App, query: &str) -> String {
    format!("/programs/{}/people?{query}", app.program)
}

fn row(html: &str, id: &str) -> String {
    html.split(&format!("<tr data-person=\"{id}\">"))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_default()
        .to_owned()
}

async fn the_people_search_says_how_many_match_and_pages_through_them(app: App) {
    guild(&app, 120).await;
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let first = send(&app, "GET", &people_uri(&app, "q=guild"), Some(&cookie), None).await;
    assert!(first.html.contains("120 people match; page 1 of 3."), "{}", first.html);
    assert_eq!(first.html.matches("name=\"person\" value=\"G").count(), 50);
    assert!(first.html.contains("rel=\"next\""), "a way to the next page");
    let last = send(&app, "GET", &people_uri(&app, "q=guild&page=3"), Some(&cookie), None).await;
    assert_eq!(last.html.matches("name=\"person\" value=\"G").count(), 20, "the last 20");
    assert!(last.html.contains("value=\"G120\"") && !last.html.contains("value=\"G001\""));
    let beyond = send(&app, "GET", &people_uri(&app, "q=guild&page=99"), Some(&cookie), None).await;
    assert!(beyond.html.contains("page 3 of 3"), "past the end is the last page");
    let level = send(&app, "GET", &people_uri(&app, "q=guild&level=2"), Some(&cookie), None).await;
    assert!(level.html.contains("40 people match."), "{}", level.html);
    let token = app.login("s@lab.test").await;
    let api = format!("/api/v1/programs/{}/people?q=guild&page=3", app.program);
    let (status, found) = app.call("GET", &api, Some(&token), None).await;
    assert_eq!((status, found.as_array().map(Vec::len)), (StatusCode::OK, Some(20)));
}

async fn select_all_matching_enrols_the_whole_search_and_leaves_out_people_already_here(app: App) {
    guild(&app, 75).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/people", app.program);
    let mentors = form(&[("csrf", &csrf), ("role", "mentor"), ("person", "G001"), ("q", "guild")]);
    assert_eq!(send(&app, "POST", &uri, Some(&cookie), Some(&mentors)).await.status, StatusCode::SEE_OTHER);
    let all = form(&[("csrf", &csrf), ("role", "leader"), ("all_matching", "1"), ("q", "guild")]);
    let done = send(&app, "POST", &uri, Some(&cookie), Some(&all)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = send(&app, "GET", done.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(page.html.contains("Enrolled 74 people as leaders."), "G001 mentors already: {}", page.html);
    let roster = app.store.roster(plab_store::ProgramId(app.program)).await.expect("roster");
    let leaders = roster.iter().filter(|e| e.employee_id.starts_with('G') && e.role.as_str() == "leader").count();
    assert_eq!(leaders, 74);
    let again = send(&app, "POST", &uri, Some(&cookie), Some(&all)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.html.contains("everyone who matches is already enrolled"), "{}", again.html);
    assert!(again.html.contains("id=\"all-matching\" name=\"all_matching\" value=\"1\" checked"), "kept");
}

async fn the_roster_counts_everyone_and_pages(app: App) {
    guild(&app, 60).await;
    let token = app.login("s@lab.test").await;
    let ids: Vec<String> = (1..=60).map(|i| format!("G{i:03}")).collect();
    let body = json!({"role": "leader", "employee_ids": ids}).to_string();
    let (status, _) =
        app.call("POST", &format!("/api/v1/programs/{}/enrolments", app.program), Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let first = send(&app, "GET", &people_uri(&app, ""), Some(&cookie), None).await;
    assert!(first.html.contains("65 enrolled: sponsors 1 · leaders 62 · mentors 2; page 1 of 2."), "{}", first.html);
    assert_eq!(first.html.matches("<tr data-person=").count(), 50);
    let second = send(&app, "GET", &people_uri(&app, "roster_page=2"), Some(&cookie), None).await;
    assert_eq!(second.html.matches("<tr data-person=").count(), 15);
    assert!(second.html.contains("<tr data-person=\"M2\">"), "mentors come last");
}

async fn unenrolling_someone_in_a_pair_is_refused_with_the_reason_beside_them(app: App) {
    crate::common::activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/people/unenrol", app.program);
    let refused = send(
        &app,
        "POST",
        &uri,
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("person", "L1"), ("roster_page", "1")])),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let l1 = row(&refused.html, "L1");
    assert!(
        l1.contains("id=\"enrolled-L1-error\" class=\"error field-error\">Name L1 is in an active pair with Name M1: end that pair first"),
        "{l1}"
    );
    assert!(l1.contains("aria-describedby=\"enrolled-L1-error\">Unenrol</button>"), "{l1}");
    assert!(refused.html.contains("id=\"problems\""), "a summary at the top too");
    // L2 and M2's pair has not started yet: still a pair.
    let token = app.login("s@lab.test").await;
    let (status, body) =
        app.call("DELETE", &format!("/api/v1/programs/{}/enrolments/M2", app.program), Some(&token), None).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("about to start with Name L2"), "{body}");
    let roster = app.store.roster(plab_store::ProgramId(app.program)).await.expect("roster");
    assert!(roster.iter().any(|e| e.employee_id == "L1") && roster.iter().any(|e| e.employee_id == "M2"));
}

async fn a_sponsor_unenrols_someone_without_a_pair_and_it_is_audited(app: App) {
    guild(&app, 1).await;
    let token = app.login("s@lab.test").await;
    let body = json!({"role": "mentor", "employee_ids": ["G001"]}).to_string();
    app.call("POST", &format!("/api/v1/programs/{}/enrolments", app.program), Some(&token), Some(body)).await;
    let program = plab_store::ProgramId(app.program);
    app.store.set_pair_rule(program, "L1", "G001", plab_store::PairRule::Forbid).await.expect("rule");
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let before = send(&app, "GET", &people_uri(&app, ""), Some(&cookie), None).await;
    let g = row(&before.html, "G001");
    assert!(g.contains("class=\"danger\" aria-label=\"Unenrol Guild Member 001\">Unenrol</button>"), "{g}");
    assert!(!row(&before.html, "S").contains(">Unenrol<"), "not offered on one's own row");
    let uri = format!("/programs/{}/people/unenrol", app.program);
    let done = send(&app, "POST", &uri, Some(&cookie), Some(&form(&[("csrf", &csrf), ("person", "G001")]))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = send(&app, "GET", done.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(page.html.contains("Taken out of the program."), "{}", page.html);
    assert!(row(&page.html, "G001").is_empty());
    let rules = app.store.pair_rules(plab_store::ProgramId(app.program), plab_store::PairRule::Forbid).await;
    assert!(!rules.expect("rules").iter().any(|(_, m)| m == "G001"), "the rules naming them went too");
    let audit = app.store.audit_log(20).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "program.unenrol" && e.detail == "G001 (mentor)"), "audited");
    // Oneself: refused, in words.
    let (status, body) =
        app.call("DELETE", &format!("/api/v1/programs/{}/enrolments/S", app.program), Some(&token), None).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
}

async fn only_the_programs_sponsors_unenrol(app: App) {
    guild(&app, 1).await;
    let sponsor = app.login("s@lab.test").await;
    let body = json!({"role": "mentor", "employee_ids": ["G001"]}).to_string();
    app.call("POST", &format!("/api/v1/programs/{}/enrolments", app.program), Some(&sponsor), Some(body)).await;
    let uri = format!("/api/v1/programs/{}/enrolments/G001", app.program);
    for (who, want) in [
        ("s2@lab.test", StatusCode::NOT_FOUND),
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let token = app.login(who).await;
        let (status, body) = app.call("DELETE", &uri, Some(&token), None).await;
        crate::common::assert_error_json(status, &body, want);
    }
    let (other, csrf) = sign_in(&app, "s2@lab.test").await;
    let page = format!("/programs/{}/people/unenrol", app.program);
    let attempt = send(&app, "POST", &page, Some(&other), Some(&form(&[("csrf", &csrf), ("person", "G001")]))).await;
    assert_eq!(attempt.status, StatusCode::NOT_FOUND);
    let roster = app.store.roster(plab_store::ProgramId(app.program)).await.expect("roster");
    assert!(roster.iter().any(|e| e.employee_id == "G001"), "still enrolled");
    assert_eq!(app.call("DELETE", &uri, Some(&sponsor), None).await.0, StatusCode::NO_CONTENT);
}

async fn a_refused_enrolment_keeps_the_choices_and_shows_the_error_beside_its_field(app: App) {
    guild(&app, 3).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/people", app.program);
    let body = form(&[("csrf", &csrf), ("role", "mentor"), ("person", "G002"), ("capacity", "0"), ("q", "guild")]);
    let refused = send(&app, "POST", &uri, Some(&cookie), Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = &refused.html;
    assert!(
        html.contains("value=\"0\" aria-invalid=\"true\" aria-describedby=\"capacity-error\"")
            && html.contains("<p id=\"capacity-error\" class=\"error field-error\">a mentor takes 1 to 10 leaders"),
        "{html}"
    );
    assert!(html.contains("value=\"G002\" id=\"person-G002\" aria-label=\"Choose Guild Member 002\" checked"), "kept");
    assert!(html.contains("name=\"role\" value=\"mentor\" checked"), "the role kept");
    assert!(!html.contains("0 is outside"), "no Rust ranges");
}

async fn administrators_page_through_accounts_and_see_each_result_beside_its_row(app: App) {
    guild(&app, 60).await;
    for i in 1..=60 {
        app.store.open_account(&format!("g{i:03}@lab.test"), &format!("G{i:03}")).await.expect("account");
    }
    let (admin, csrf) = sign_in(&app, "admin@ops.test").await;
    let first = send(&app, "GET", "/admin", Some(&admin), None).await;
    assert!(first.html.contains("69 accounts; page 1 of 2, 50 a page."), "{}", first.html);
    let found = send(&app, "GET", "/admin?q=guild+member+05", Some(&admin), None).await;
    assert!(found.html.contains("10 accounts match “guild member 05”."), "by name: {}", found.html);
    let by_id = send(&app, "GET", "/admin?q=g060", Some(&admin), None).await;
    assert!(by_id.html.contains("1 account matches “g060”."), "{}", by_id.html);
    // Page 2: l1@… to s2@… (the g… accounts fill most of page 1).
    let second = send(&app, "GET", "/admin?page=2", Some(&admin), None).await;
    let l1 = second.html.split("<tr data-email=\"l1@lab.test\">").nth(1).expect("on page 2").to_owned();
    let l1 = l1.split("</tr>").next().unwrap_or_default();
    assert!(!l1.contains("Create a set-password link"), "no link offered for an account with a password: {l1}");
    let id = l1.split("id=\"account-").nth(1).and_then(|r| r.split('"').next()).expect("anchor").to_owned();
    let disable = form(&[("csrf", &csrf), ("email", "l1@lab.test"), ("action", "disable"), ("id", &id), ("page", "2")]);
    let done = send(&app, "POST", "/admin/accounts", Some(&admin), Some(&disable)).await;
    let back = done.location.expect("back");
    assert!(back.starts_with("/admin?q=&page=2&") && back.ends_with(&format!("#account-{id}")), "{back}");
    let page = send(&app, "GET", &back, Some(&admin), None).await;
    let row = page.html.split("<tr data-email=\"l1@lab.test\">").nth(1).and_then(|r| r.split("</tr>").next());
    assert!(row.expect("row").contains("l1@lab.test is disabled"), "said beside the row");
    // A newcomer's onboarding link appears beside their row, on their page.
    let g = send(&app, "GET", "/admin?q=g007", Some(&admin), None).await;
    assert!(g.html.contains("aria-label=\"Create a set-password link for g007@lab.test\""), "{}", g.html);
    let asked = form(&[("csrf", &csrf), ("email", "g007@lab.test"), ("q", "g007"), ("page", "1")]);
    let issued = send(&app, "POST", "/admin/links", Some(&admin), Some(&asked)).await;
    let row = issued.html.split("<tr data-email=\"g007@lab.test\">").nth(1).and_then(|r| r.split("</tr>").next());
    assert!(row.expect("row").contains("<code id=\"password-link\">"), "{}", issued.html);
    assert!(issued.html.contains("value=\"g007\""), "the search is kept");
    // Refused in place: the last administrator cannot be disabled, said beside the row.
    let me = send(&app, "GET", "/admin?q=admin%40ops", Some(&admin), None).await;
    assert!(!me.html.contains("aria-label=\"Disable admin@ops.test\""), "no Disable on one's own row");
}
