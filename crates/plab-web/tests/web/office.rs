//! Commitments (issue 23, item 6) and the program office's lab report
//! (item 5): who may do and read what, the fields a refusal names, what the
//! mentor, the sponsor and the office see, and the group size everywhere.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, assert_error_json, run_api_matrix};
use axum::http::StatusCode;
use plab_domain::Date;
use plab_domain::program::Role;
use plab_store::ProgramId;
use serde_json::{Value, json};
use time::OffsetDateTime;

crate::backends!(
    commitment_routes_admit_the_leader_show_the_mentor_and_refuse_everyone_else,
    a_bad_commitment_is_refused_with_each_field_named_in_plain_words,
    the_mentor_reads_only_the_commitments_the_leader_shares,
    the_report_counts_commitments_made_kept_dropped_and_overdue_without_their_texts,
    a_closed_program_refuses_new_commitments_and_changes,
    a_refused_commitment_form_comes_back_with_its_input_and_the_error_beside_the_field,
    office_routes_admit_the_office_and_administrators_name_its_members,
    the_office_report_sets_programs_side_by_side_without_names_pairs_or_private_texts,
    a_sponsor_of_two_programs_sees_those_and_a_named_member_sees_every_program,
    a_leaders_commitments_are_in_their_export_gone_after_erasure_and_blanked_by_retention,
    an_insight_becomes_a_commitment_from_the_insight_log_and_stays_linked_to_it,
    an_administrator_names_and_removes_office_members_from_the_admin_page,
);

pub fn in_days(n: i64) -> String {
    Date::of_instant(OffsetDateTime::now_utc()).plus_days(n).to_string()
}

fn commitment(text: &str, due: &str, shared: bool) -> Option<String> {
    Some(json!({"text": text, "due_on": due, "shared": shared}).to_string())
}

/// L1 makes a commitment in pair 1; returns its id.
pub async fn commitment_of_l1(app: &App, text: &str, shared: bool) -> i64 {
    let l1 = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/commitments", app.pair1);
    let (status, body) = app.call("POST", &uri, Some(&l1), commitment(text, &in_days(30), shared)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("id")
}

async fn commitment_routes_admit_the_leader_show_the_mentor_and_refuse_everyone_else(app: App) {
    let id = commitment_of_l1(&app, "try the team channel", false).await;
    // S2 sponsors B and leads in A (without a pair): two roles in two programs.
    plab_app::programs::enroll(&app.store, ProgramId(app.program), Role::Leader, &["S2".to_owned()], None, "test")
        .await
        .expect("S2 leads in A");
    let pair = app.pair1;
    let routes = vec![
        ("GET", format!("/api/v1/pairs/{pair}/commitments"), None),
        ("POST", format!("/api/v1/pairs/{pair}/commitments"), commitment("ask the juniors first", &in_days(10), false)),
        ("PUT", format!("/api/v1/commitments/{id}"), Some(json!({"state": "kept"}).to_string())),
    ];
    use StatusCode as C;
    let (ok, created, forbidden, hidden) = (C::OK, C::CREATED, C::FORBIDDEN, C::NOT_FOUND);
    run_api_matrix(
        &app,
        &routes,
        &[
            (None, [C::UNAUTHORIZED; 3]),
            (Some("l1@lab.test"), [ok, created, ok]),
            (Some("m1@lab.test"), [ok, forbidden, forbidden]),
            (Some("l2@lab.test"), [hidden, hidden, hidden]),
            (Some("m2@lab.test"), [hidden, hidden, hidden]),
            (Some("s@lab.test"), [forbidden, forbidden, forbidden]),
            (Some("s2@lab.test"), [hidden, hidden, hidden]),
            (Some("m3@lab.test"), [hidden, hidden, hidden]),
            (Some("admin@ops.test"), [hidden, hidden, hidden]),
        ],
    )
    .await;
    // The leader leaves while their token still exists: nothing more.
    let l1 = app.login("l1@lab.test").await;
    let mut leaver = crate::common::person_in_zone("L1", "CEO", 8, "Sales", "");
    leaver.end_date = Some(Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in &routes {
        let (status, value) = app.call(method, uri, Some(&l1), body.clone()).await;
        assert!(status == C::UNAUTHORIZED || status == C::FORBIDDEN, "leaver: {method} {uri}: {status} {value}");
        assert!(!value.to_string().contains("team channel"), "{value}");
    }
}

/// The fields a refusal names: each line of its message starts with one.
fn fields_of(body: &Value) -> Vec<String> {
    let message = body["error"]["message"].as_str().unwrap_or_default();
    message.lines().filter_map(|l| l.split_once(": ").map(|(f, _)| f.to_owned())).collect()
}

async fn a_bad_commitment_is_refused_with_each_field_named_in_plain_words(app: App) {
    let l1 = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/commitments", app.pair1);
    let cases = [
        (commitment("", "15 Jan", false), vec!["text", "due_on"], "is not a date"),
        (commitment("x", &in_days(-1), false), vec!["due_on"], "is in the past"),
        (commitment("x", &in_days(400), false), vec!["due_on"], "more than a year ahead"),
        (
            Some(json!({"text": "x", "due_on": in_days(3), "insight": 999_999}).to_string()),
            vec!["insight"],
            "insight log",
        ),
    ];
    for (body, fields, words) in cases {
        let (status, value) = app.call("POST", &uri, Some(&l1), body).await;
        assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&value), fields, "{value}");
        assert!(value.to_string().contains(words), "{value}");
    }
    let id = commitment_of_l1(&app, "try it", false).await;
    let (status, value) = app
        .call("PUT", &format!("/api/v1/commitments/{id}"), Some(&l1), Some(json!({"state": "done"}).to_string()))
        .await;
    assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(value.to_string().contains("is not open, kept or dropped"), "{value}");
    let (status, value) = app.call("POST", &uri, Some(&l1), Some("{\"text\": 3".into())).await;
    assert!(status.is_client_error(), "a malformed body: {status} {value}");
    let (_, listed) = app.call("GET", &uri, Some(&l1), None).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "nothing refused was saved: {listed}");
}

async fn the_mentor_reads_only_the_commitments_the_leader_shares(app: App) {
    let private = commitment_of_l1(&app, "zqxprivate: stop the Friday demo", false).await;
    commitment_of_l1(&app, "zqxshared: try the team channel", true).await;
    let m1 = app.login("m1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/commitments", app.pair1);
    let (status, seen) = app.call("GET", &uri, Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(seen.to_string().contains("zqxshared") && !seen.to_string().contains("zqxprivate"), "{seen}");
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}/commitments", app.pair1), Some(&cookie), None).await;
    assert!(page.html.contains("zqxshared") && !page.html.contains("zqxprivate"), "{}", page.html);
    // Once shared, the mentor reads it; unshared again, no more.
    let l1 = app.login("l1@lab.test").await;
    let put = |shared: bool| Some(json!({"shared": shared}).to_string());
    app.call("PUT", &format!("/api/v1/commitments/{private}"), Some(&l1), put(true)).await;
    assert!(app.call("GET", &uri, Some(&m1), None).await.1.to_string().contains("zqxprivate"));
    app.call("PUT", &format!("/api/v1/commitments/{private}"), Some(&l1), put(false)).await;
    assert!(!app.call("GET", &uri, Some(&m1), None).await.1.to_string().contains("zqxprivate"));
}

async fn the_report_counts_commitments_made_kept_dropped_and_overdue_without_their_texts(app: App) {
    let l1 = app.login("l1@lab.test").await;
    let kept = commitment_of_l1(&app, "zqxkept", true).await;
    let dropped = commitment_of_l1(&app, "zqxdropped", false).await;
    commitment_of_l1(&app, "zqxopen", false).await;
    for (id, state) in [(kept, "kept"), (dropped, "dropped")] {
        let body = Some(json!({"state": state}).to_string());
        let (status, value) = app.call("PUT", &format!("/api/v1/commitments/{id}"), Some(&l1), body).await;
        assert_eq!((status, value["state"].as_str()), (StatusCode::OK, Some(state)), "{value}");
    }
    // One made long ago and left open: past its day.
    let old = plab_domain::commitment::NewCommitment {
        text: "zqxoverdue".into(),
        due_on: Date::parse("2020-01-15").expect("date"),
        shared: false,
    };
    let pair = plab_domain::PairId(app.pair1);
    app.store.add_commitment(pair, ProgramId(app.program), "L1", None, &old).await.expect("old");
    let s = app.login("s@lab.test").await;
    let (status, report) = app.call("GET", &format!("/api/v1/programs/{}/report", app.program), Some(&s), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["commitments"], json!({"made": 4, "open": 2, "kept": 1, "dropped": 1, "overdue": 1}));
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let csv = send(&app, "GET", &format!("/programs/{}/report.csv", app.program), Some(&cookie), None).await;
    assert!(csv.html.contains("commitments.kept,1,"), "{}", csv.html);
    let page = send(&app, "GET", &format!("/programs/{}", app.program), Some(&cookie), None).await;
    assert!(page.html.contains("<dd id=\"commitments-kept\">1</dd>"), "the report page counts them");
    assert!(page.html.contains("<dd id=\"commitments-overdue\">1</dd>"), "and the overdue one");
    for seen in [report.to_string(), csv.html, page.html] {
        assert!(!seen.contains("zqx"), "a commitment's text reached the sponsor");
    }
}

async fn a_closed_program_refuses_new_commitments_and_changes(app: App) {
    let id = commitment_of_l1(&app, "try it", false).await;
    let today = Date::of_instant(OffsetDateTime::now_utc());
    plab_app::retention::close_as_operator(&app.store, ProgramId(app.program), today, "test").await.expect("closed");
    let l1 = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/commitments", app.pair1);
    let (status, value) = app.call("POST", &uri, Some(&l1), commitment("more", &in_days(5), false)).await;
    assert_error_json(status, &value, StatusCode::CONFLICT);
    let body = Some(json!({"state": "kept"}).to_string());
    let (status, value) = app.call("PUT", &format!("/api/v1/commitments/{id}"), Some(&l1), body).await;
    assert_error_json(status, &value, StatusCode::CONFLICT);
}

async fn a_refused_commitment_form_comes_back_with_its_input_and_the_error_beside_the_field(app: App) {
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let uri = format!("/pairs/{}/commitments", app.pair1);
    let past = in_days(-3);
    let body = form(&[("csrf", &csrf), ("text", "zqxkeptinput"), ("due_on", &past), ("shared", "on")]);
    let refused = send(&app, "POST", &uri, Some(&cookie), Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("id=\"due_on-error\""), "{}", refused.html);
    assert!(refused.html.contains("is in the past"), "{}", refused.html);
    assert!(refused.html.contains("id=\"error-summary\""), "a summary on top");
    assert!(refused.html.contains("zqxkeptinput") && refused.html.contains(&past), "the input is kept");
    let ok = form(&[("csrf", &csrf), ("text", "try the channel"), ("due_on", &in_days(7))]);
    let made = send(&app, "POST", &uri, Some(&cookie), Some(&ok)).await;
    assert_eq!((made.status, made.location.as_deref()), (StatusCode::SEE_OTHER, Some(format!("{uri}#made").as_str())));
}

async fn office_routes_admit_the_office_and_administrators_name_its_members(app: App) {
    use StatusCode as C;
    let routes = vec![
        ("GET", "/api/v1/office/report".to_owned(), None),
        ("GET", "/api/v1/office/report.csv".to_owned(), None),
        ("GET", "/api/v1/admin/program-office".to_owned(), None),
        ("PUT", "/api/v1/admin/program-office/L3".to_owned(), None),
        ("DELETE", "/api/v1/admin/program-office/L3".to_owned(), None),
    ];
    let refused = [C::FORBIDDEN; 5];
    run_api_matrix(
        &app,
        &routes,
        &[
            (None, [C::UNAUTHORIZED; 5]),
            (Some("l1@lab.test"), refused),
            (Some("m1@lab.test"), refused),
            // A sponsor of one program is not the office.
            (Some("s@lab.test"), refused),
            (Some("s2@lab.test"), refused),
            (Some("admin@ops.test"), [C::FORBIDDEN, C::FORBIDDEN, C::OK, C::OK, C::OK]),
        ],
    )
    .await;
    // A sponsor of two programs is; and so is whoever the administrator names.
    plab_app::programs::enroll(&app.store, ProgramId(app.program), Role::Sponsor, &["S2".to_owned()], None, "test")
        .await
        .expect("S2 co-sponsors A");
    let admin = app.login("admin@ops.test").await;
    let (status, members) = app.call("PUT", "/api/v1/admin/program-office/M3", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(members[0]["employee_id"], "M3", "{members}");
    run_api_matrix(
        &app,
        &routes[..2],
        &[
            (Some("s2@lab.test"), [C::OK, C::OK]),
            (Some("m3@lab.test"), [C::OK, C::OK]),
            (Some("s@lab.test"), [C::FORBIDDEN; 2]),
        ],
    )
    .await;
    let (status, value) = app.call("PUT", "/api/v1/admin/program-office/NOBODY", Some(&admin), None).await;
    assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(value.to_string().contains("employee_id"), "{value}");
    let (status, _) = app.call("DELETE", "/api/v1/admin/program-office/M3", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, value) = app.call("DELETE", "/api/v1/admin/program-office/M3", Some(&admin), None).await;
    assert_error_json(status, &value, StatusCode::NOT_FOUND);
    let m3 = app.login("m3@lab.test").await;
    assert_eq!(app.call("GET", "/api/v1/office/report", Some(&m3), None).await.0, StatusCode::FORBIDDEN);
    // S2 (the office as sponsor of two programs) leaves with a token still live: nothing more.
    let s2 = app.login("s2@lab.test").await;
    let mut leaver = app.store.person("S2").await.expect("S2");
    leaver.end_date = Some(Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in &routes[..2] {
        let (status, value) = app.call(method, uri, Some(&s2), body.clone()).await;
        assert!(status == C::UNAUTHORIZED || status == C::FORBIDDEN, "leaver: {method} {uri}: {status} {value}");
        assert!(!value.to_string().contains("programs"), "{value}");
    }
}

/// Plants what the office must never read: a note, an unshared insight, an
/// unshared and a shared commitment; and one shared insight it may read.
async fn plant_canaries(app: &App) {
    let l1 = app.login("l1@lab.test").await;
    let pair = app.pair1;
    let note = Some(json!({"body": "zqxnote"}).to_string());
    assert_eq!(app.call("POST", &format!("/api/v1/pairs/{pair}/notes"), Some(&l1), note).await.0, StatusCode::CREATED);
    for (text, shared) in [("zqxunsharedinsight", false), ("Juniors read the intranet on their phones", true)] {
        let body = json!({"kind": "decision", "theme": "technology", "text": text, "shared": shared}).to_string();
        let (status, v) = app.call("POST", &format!("/api/v1/pairs/{pair}/insights"), Some(&l1), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    commitment_of_l1(app, "zqxcommitment", false).await;
    commitment_of_l1(app, "zqxsharedcommitment", true).await;
}

async fn the_office_report_sets_programs_side_by_side_without_names_pairs_or_private_texts(app: App) {
    plant_canaries(&app).await;
    plab_app::office::set_member_as_operator(&app.store, "S", true).await.expect("named");
    let s = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", "/api/v1/office/report", Some(&s), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let a = &r["programs"][0];
    assert_eq!((a["program"].as_i64(), a["pairs"].as_u64()), (Some(app.program), Some(2)), "{r}");
    assert_eq!(a["decisions_changed"], 2);
    assert_eq!(a["commitments"]["made"], 2);
    // Two pairs, group size 5: no average, no share of people, no silo cell.
    assert_eq!(a["heard_avg"], Value::Null);
    assert_eq!(a["leaders"], json!({"people": 2, "retained": null}));
    // Mentor outcomes by cohort, as the program's report has them: withheld below the group size.
    assert_eq!(a["mentor_outcomes"]["mentors"]["people"], 2, "{a}");
    assert_eq!(
        (&a["mentor_outcomes"]["mentors"]["promoted"], &a["mentor_outcomes"]["comparable"]["promoted"]),
        (&Value::Null, &Value::Null)
    );
    let silos = &r["silos"][0];
    assert!(
        silos["cells"]
            .as_array()
            .expect("rows")
            .iter()
            .flat_map(|row| row.as_array().expect("cells"))
            .all(Value::is_null),
        "{silos}"
    );
    assert_eq!(
        silos["leader_departments"],
        json!(["Other departments"]),
        "no department of fewer than 5 pairs is named"
    );
    let technology =
        r["themes"].as_array().expect("themes").iter().find(|t| t["theme"] == "technology").expect("tech").clone();
    assert_eq!((technology["insights"].as_u64(), technology["decisions_changed"].as_u64()), (Some(2), Some(2)));
    assert_eq!(r["shared_insights"][0]["text"], "Juniors read the intranet on their phones");

    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", "/office", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Juniors read the intranet on their phones"), "the shared insight is shown");
    assert!(
        page.html.contains("<svg") && page.html.contains("Sessions held per program: A 0, B 0."),
        "charts with a text alternative"
    );
    let csv = send(&app, "GET", "/office/report.csv", Some(&cookie), None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.html.starts_with("section,program,metric,value"), "{}", csv.html);
    let (_, api_csv) = app.call("GET", "/api/v1/office/report.csv", Some(&s), None).await;
    for (what, seen) in
        [("api", r.to_string()), ("page", page.html), ("csv", csv.html), ("api csv", api_csv.to_string())]
    {
        for canary in ["zqx", "Name L1", "Name M1", "Name L2", "l1@lab.test"] {
            assert!(!seen.contains(canary), "{canary} reached the office through the {what}");
        }
        assert!(!seen.contains(&format!("\"pair\":{}", app.pair1)), "no pair id in the {what}");
    }
}

async fn a_sponsor_of_two_programs_sees_those_and_a_named_member_sees_every_program(app: App) {
    let b = app.program + 1;
    let today = Date::of_instant(OffsetDateTime::now_utc());
    let c =
        plab_app::programs::create(&app.store, "C", &today.to_string(), Default::default(), "test").await.expect("C");
    plab_app::programs::enroll(&app.store, ProgramId(b), Role::Sponsor, &["S".to_owned()], None, "test")
        .await
        .expect("S sponsors B");
    let s = app.login("s@lab.test").await;
    let (_, r) = app.call("GET", "/api/v1/office/report", Some(&s), None).await;
    let ids: Vec<i64> =
        r["programs"].as_array().expect("programs").iter().filter_map(|p| p["program"].as_i64()).collect();
    assert_eq!(ids, [app.program, b], "{r}");
    plab_app::office::set_member_as_operator(&app.store, "S", true).await.expect("named");
    let (_, r) = app.call("GET", "/api/v1/office/report", Some(&s), None).await;
    let ids: Vec<i64> =
        r["programs"].as_array().expect("programs").iter().filter_map(|p| p["program"].as_i64()).collect();
    assert_eq!(ids, [app.program, b, c.0], "{r}");
}

async fn a_leaders_commitments_are_in_their_export_gone_after_erasure_and_blanked_by_retention(app: App) {
    commitment_of_l1(&app, "zqxexported", false).await;
    let l1 = app.login("l1@lab.test").await;
    let (_, export) = app.call("GET", "/api/v1/me/export", Some(&l1), None).await;
    assert_eq!(export["commitments"][0]["body"], "zqxexported", "{}", export["commitments"]);
    let m1 = app.login("m1@lab.test").await;
    let (_, theirs) = app.call("GET", "/api/v1/me/export", Some(&m1), None).await;
    assert_eq!(theirs["commitments"], json!([]), "the mentor's export holds none of the leader's");

    // Retention: the text goes, the count stays.
    let program = ProgramId(app.program);
    let closed = Date::parse("2020-01-01").expect("date");
    plab_app::retention::close_as_operator(&app.store, program, closed, "test").await.expect("closed");
    let done =
        plab_app::retention::run(&app.store, Date::of_instant(OffsetDateTime::now_utc()), false).await.expect("run");
    assert_eq!(done[0].destroyed["commitments"], 1, "{done:?}");
    let kept = app.store.commitments(plab_domain::PairId(app.pair1)).await.expect("commitments");
    assert_eq!((kept.len(), kept[0].text.as_str()), (1, ""));

    // Erasure deletes the leader's commitments.
    let record = plab_app::erasure::erase(&app.store, None, "cli:operator", "L1").await.expect("erase");
    assert_eq!(record.counts["commitments"], 1, "{:?}", record.counts);
    assert!(app.store.commitments(plab_domain::PairId(app.pair1)).await.expect("commitments").is_empty());
}

async fn an_insight_becomes_a_commitment_from_the_insight_log_and_stays_linked_to_it(app: App) {
    let l1 = app.login("l1@lab.test").await;
    let body = json!({"kind": "action", "theme": "technology", "text": "tried the chat"}).to_string();
    let (_, insight) = app.call("POST", &format!("/api/v1/pairs/{}/insights", app.pair1), Some(&l1), Some(body)).await;
    let id = insight["id"].as_i64().expect("id");
    let (cookie, csrf) = sign_in(&app, "l1@lab.test").await;
    let log = send(&app, "GET", &format!("/pairs/{}/insights", app.pair1), Some(&cookie), None).await;
    let link = format!("/pairs/{}/commitments?insight={id}", app.pair1);
    assert!(log.html.contains(&link), "{}", log.html);
    let page = send(&app, "GET", &link, Some(&cookie), None).await;
    assert!(page.html.contains(&format!("name=\"insight\" value=\"{id}\"")), "{}", page.html);
    let id_text = id.to_string();
    let made = form(&[
        ("csrf", &csrf),
        ("text", "try the chat at all-hands"),
        ("due_on", &in_days(14)),
        ("insight", &id_text),
    ]);
    let saved = send(&app, "POST", &format!("/pairs/{}/commitments", app.pair1), Some(&cookie), Some(&made)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let (_, listed) = app.call("GET", &format!("/api/v1/pairs/{}/commitments", app.pair1), Some(&l1), None).await;
    assert_eq!(listed[0]["insight"].as_i64(), Some(id), "{listed}");
}

async fn an_administrator_names_and_removes_office_members_from_the_admin_page(app: App) {
    let (cookie, csrf) = sign_in(&app, "admin@ops.test").await;
    let admin = send(&app, "GET", "/admin", Some(&cookie), None).await;
    assert!(admin.html.contains("href=\"/admin/program-office\""), "a section of the admin page leads there");
    let refused = send(
        &app,
        "POST",
        "/admin/program-office",
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("employee_id", "NOBODY")])),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"employee_id-error\"") && refused.html.contains("value=\"NOBODY\""),
        "{}",
        refused.html
    );
    let named = send(
        &app,
        "POST",
        "/admin/program-office",
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("employee_id", "S")])),
    )
    .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", "/admin/program-office", Some(&cookie), None).await;
    assert!(page.html.contains("data-member=\"S\""), "{}", page.html);
    let s = app.login("s@lab.test").await;
    assert_eq!(app.call("GET", "/api/v1/office/report", Some(&s), None).await.0, StatusCode::OK);
    let removed =
        send(&app, "POST", "/admin/program-office", Some(&cookie), Some(&form(&[("csrf", &csrf), ("remove", "S")])))
            .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.call("GET", "/api/v1/office/report", Some(&s), None).await.0, StatusCode::FORBIDDEN);
}
