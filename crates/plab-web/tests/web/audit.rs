//! The audit log as administrators and sponsors read it: filtered over the
//! API and in the browser, downloaded, and checked as a chain; a sponsor
//! sees only what was done to their own program, never what a participant did.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, run_api_matrix};
use axum::http::StatusCode;
use serde_json::Value;

crate::backends!(
    an_administrator_follows_and_filters_the_audit_log_over_the_api,
    a_refused_filter_names_its_field_over_the_api_and_beside_the_field_on_the_page,
    only_administrators_read_the_log_and_only_a_programs_sponsors_its_activity,
    a_sponsor_reads_what_was_done_to_their_program_and_never_what_a_participant_did,
    checking_the_chain_in_the_browser_says_whole_then_names_the_changed_entry,
    the_download_keeps_the_filter_and_no_cell_runs_as_a_formula,
    a_person_holding_two_roles_and_a_leaver_get_nothing_more_from_the_data_life_routes,
);

fn actions(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|e| e["action"].as_str().expect("action").to_owned()).collect()
}

async fn an_administrator_follows_and_filters_the_audit_log_over_the_api(app: App) {
    let admin = app.login("admin@ops.test").await;
    let get = async |query: &str| {
        let (status, body) = app.call("GET", &format!("/api/v1/admin/audit{query}"), Some(&admin), None).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        body
    };
    let all = get("").await;
    let ids: Vec<i64> = all.as_array().expect("list").iter().map(|e| e["id"].as_i64().expect("id")).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let first = &all.as_array().expect("list")[0];
    for field in ["id", "at", "actor", "action", "subject"] {
        assert!(!first[field].is_null(), "{field} in {first}");
    }
    assert_eq!(actions(&get("?action=program.create").await), ["program.create", "program.create"]);
    assert!(actions(&get("?action=program.").await).iter().all(|a| a.starts_with("program.")));
    assert_eq!(actions(&get("?actor=TEST&action=program.create").await).len(), 2, "the actor in any case");
    assert!(get("?actor=someone-else").await.as_array().expect("list").is_empty());
    // A script follows the log: after an id, oldest first, `limit` at a time.
    let oldest = *ids.last().expect("entries");
    let page = get(&format!("?after={}&limit=2", oldest - 1)).await;
    let followed: Vec<i64> = page.as_array().expect("list").iter().map(|e| e["id"].as_i64().expect("id")).collect();
    assert_eq!(followed.len(), 2);
    assert_eq!(followed[0], oldest);
    assert!(followed[1] > followed[0]);
    assert!(get("?from=2999-01-01").await.as_array().expect("list").is_empty());
    assert_eq!(get("?to=2999-01-01").await.as_array().expect("list").len(), ids.len());
    let today = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).to_string();
    assert_eq!(get(&format!("?from={today}")).await.as_array().expect("list").len(), ids.len());
}

async fn a_refused_filter_names_its_field_over_the_api_and_beside_the_field_on_the_page(app: App) {
    let admin = app.login("admin@ops.test").await;
    for (query, field) in [("?from=yesterday", "from"), ("?limit=5000", "limit"), ("?after=-4", "after")] {
        let (status, body) = app.call("GET", &format!("/api/v1/admin/audit{query}"), Some(&admin), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.to_string().contains(field), "{query}: {body}");
    }
    let (status, body) = app.call("GET", "/api/v1/admin/audit?actr=x", Some(&admin), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown parameter is named: {body}");
    assert!(body.to_string().contains("actr"), "{body}");
    let (cookie, _) = sign_in(&app, "admin@ops.test").await;
    let page = send(&app, "GET", "/admin/audit?from=soon&action=pairing.", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("The filter needs a change"), "{}", page.html);
    assert!(
        page.html.contains("id=\"from-error\"") && page.html.contains("you entered &#39;soon&#39;"),
        "{}",
        page.html
    );
    assert!(page.html.contains("value=\"soon\"") && page.html.contains("value=\"pairing.\""), "input kept");
}

async fn only_administrators_read_the_log_and_only_a_programs_sponsors_its_activity(app: App) {
    let p = app.program;
    let routes = [
        ("GET", "/api/v1/admin/audit".to_owned(), None),
        ("GET", "/api/v1/admin/audit?action=pairing.".to_owned(), None),
        ("GET", format!("/api/v1/programs/{p}/audit"), None),
        ("GET", "/api/v1/programs/9999/audit".to_owned(), None),
    ];
    let (ok, forbidden, hidden) = (StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND);
    run_api_matrix(
        &app,
        &routes,
        &[
            (Some("s@lab.test"), [forbidden, forbidden, ok, hidden]),
            (Some("l1@lab.test"), [forbidden, forbidden, forbidden, hidden]),
            (Some("m1@lab.test"), [forbidden, forbidden, forbidden, hidden]),
            (Some("s2@lab.test"), [forbidden, forbidden, hidden, hidden]),
            (Some("admin@ops.test"), [ok, ok, hidden, hidden]),
            (None, [StatusCode::UNAUTHORIZED; 4]),
        ],
    )
    .await;
}

async fn a_sponsor_reads_what_was_done_to_their_program_and_never_what_a_participant_did(app: App) {
    let (p, pair) = (app.program, app.pair1);
    app.store.audit("s@lab.test", "pair.end", &format!("pair {pair}"), "they agreed to stop").await.expect("audit");
    app.store.audit("l1@lab.test", "checkin.record", &format!("pair {pair}"), "leader").await.expect("audit");
    app.store.audit("l1@lab.test", "session.missed", "session 1", &format!("pair {pair}")).await.expect("audit");
    let sponsor = app.login("s@lab.test").await;
    let (status, body) = app.call("GET", &format!("/api/v1/programs/{p}/audit"), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seen = actions(&body);
    assert_eq!(seen.first().map(String::as_str), Some("pair.end"), "{seen:?}");
    assert!(seen.contains(&"program.create".to_owned()) && seen.contains(&"program.enroll".to_owned()), "{seen:?}");
    assert!(!seen.iter().any(|a| a == "checkin.record" || a == "session.missed"), "{seen:?}");
    let text = body.to_string();
    assert!(!text.contains("l1@lab.test"), "no participant's action: {text}");
    assert!(body.as_array().expect("list").iter().all(|e| e["subject"] != format!("program {}", p + 1)), "{text}");
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{p}/activity"), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("they agreed to stop") && !page.html.contains("checkin.record"), "{}", page.html);
    let program = send(&app, "GET", &format!("/programs/{p}"), Some(&cookie), None).await;
    assert!(program.html.contains(&format!("href=\"/programs/{p}/activity\"")), "the program page links to it");
}

async fn checking_the_chain_in_the_browser_says_whole_then_names_the_changed_entry(app: App) {
    let (cookie, csrf) = sign_in(&app, "admin@ops.test").await;
    let admin = send(&app, "GET", "/admin", Some(&cookie), None).await;
    assert!(admin.html.contains("href=\"/admin/audit\""), "the administration page links to the log");
    let whole = send(&app, "POST", "/admin/audit/verify", Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert!(whole.html.contains("The log is whole"), "{}", whole.html);
    plab_store::testing::tamper(&app.store, "UPDATE audit_log SET detail = 'nothing' WHERE action = 'program.enroll'")
        .await;
    let id = app
        .store
        .audit_log(100)
        .await
        .expect("log")
        .iter()
        .rev()
        .find(|e| e.action == "program.enroll")
        .expect("one")
        .id;
    let broken = send(&app, "POST", "/admin/audit/verify", Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert!(broken.html.contains(&format!("entry {id} was changed after it was written")), "{}", broken.html);
}

async fn the_download_keeps_the_filter_and_no_cell_runs_as_a_formula(app: App) {
    app.store.audit("=cmd|' /C calc'!A0", "settings.update", "instance", "+1").await.expect("audit");
    let (cookie, _) = sign_in(&app, "admin@ops.test").await;
    let page = send(&app, "GET", "/admin/audit?action=settings.", Some(&cookie), None).await;
    assert!(page.html.contains("href=\"/admin/audit.csv?action=settings.\""), "{}", page.html);
    let csv = send(&app, "GET", "/admin/audit.csv?action=settings.", Some(&cookie), None).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.html.lines().collect();
    assert_eq!(lines.len(), 2, "the header and the one entry that matches: {lines:?}");
    assert!(lines[1].contains("'=cmd") && lines[1].contains("'+1"), "{}", lines[1]);
}

/// The routes issue 22 added, as the one-sided matrices above do not cover
/// them: someone who sponsors one program and leads in another, and a leaver.
async fn a_person_holding_two_roles_and_a_leaver_get_nothing_more_from_the_data_life_routes(app: App) {
    let p = app.program;
    let ids = vec!["S2".to_owned()];
    plab_app::programs::enroll(
        &app.store,
        plab_store::ProgramId(p),
        plab_domain::program::Role::Leader,
        &ids,
        None,
        "test",
    )
    .await
    .expect("S2 leads in A while sponsoring B");
    let request = Some(serde_json::json!({"employee_id": "M3", "reason": "asked by the person"}).to_string());
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", format!("/api/v1/programs/{p}/audit"), None),
        ("POST", format!("/api/v1/programs/{p}/close"), None),
        ("GET", "/api/v1/admin/audit".into(), None),
        ("GET", "/api/v1/admin/erasure-requests".into(), None),
        ("POST", "/api/v1/admin/erasure-requests".into(), request),
    ];
    let s2 = app.login("s2@lab.test").await;
    for (method, uri, body) in &routes {
        let (status, value) = app.call(method, uri, Some(&s2), body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "two roles: {method} {uri}: {value}");
    }
    let (status, export) = app.call("GET", "/api/v1/me/export", Some(&s2), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(export["person"]["employee_id"], "S2");
    let (cookie, _) = sign_in(&app, "s2@lab.test").await;
    for page in
        [format!("/programs/{p}/activity"), format!("/programs/{p}/activity.csv"), format!("/programs/{p}/close")]
    {
        let seen = send(&app, "GET", &page, Some(&cookie), None).await;
        assert_eq!(seen.status, StatusCode::FORBIDDEN, "two roles: {page}");
    }
    // L2 leaves the organisation while signed in: every route, their own export included, is closed.
    let l2 = app.login("l2@lab.test").await;
    let mut leaver = crate::common::person_in_zone("L2", "CEO", 8, "Ops", "");
    leaver.end_date = Some(plab_domain::Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in routes.iter().chain([&("GET", "/api/v1/me/export".to_owned(), None)]) {
        let (status, value) = app.call(method, uri, Some(&l2), body.clone()).await;
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
            "leaver: {method} {uri}: {status} {value}"
        );
        assert!(!value.to_string().contains("L2"), "nothing of theirs comes back: {value}");
    }
}
