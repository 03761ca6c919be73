//! The JSON API's guarantees: who may see what (an authorization matrix over
//! every route, role and ownership), notes encrypted at rest, and 4xx JSON for
//! every malformed request. Runs on SQLite, and on PostgreSQL when configured.

use crate::common::App;
use crate::common::{PASSWORD, assert_error_json};
use axum::http::StatusCode;
use serde_json::json;

async fn authorization_matrix_over_every_pair_route(app: App) {
    let (p, own, other) = (app.program, app.pair1, app.pair2);
    let note = || Some(json!({"body": "a candid observation"}).to_string());
    let due = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(30).to_string();
    let commitment = json!({"text": "I will try the team channel", "due_on": due, "shared": false}).to_string();
    // (actor, route, method, body, expected)
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", format!("/api/v1/programs/{p}/pairs"), None),
        ("GET", format!("/api/v1/pairs/{own}"), None),
        ("GET", format!("/api/v1/pairs/{own}/notes"), None),
        ("POST", format!("/api/v1/pairs/{own}/notes"), note()),
        ("GET", format!("/api/v1/pairs/{own}/charter"), None),
        ("POST", format!("/api/v1/pairs/{own}/charter"), None),
        ("GET", format!("/api/v1/pairs/{other}/notes"), None),
        ("POST", format!("/api/v1/pairs/{other}/notes"), note()),
        ("GET", format!("/api/v1/pairs/{own}/sessions"), None),
        ("GET", format!("/api/v1/pairs/{own}/checkins/me"), None),
        ("PUT", format!("/api/v1/pairs/{own}/checkins/me"), Some(json!({"insight": "a", "change": "b"}).to_string())),
        (
            "PUT",
            format!("/api/v1/pairs/{own}/checkins/mentor"),
            Some(json!({"view_of_organization": "a", "heard": 4}).to_string()),
        ),
        ("GET", format!("/api/v1/pairs/{own}/insights"), None),
        (
            "POST",
            format!("/api/v1/pairs/{own}/insights"),
            Some(json!({"kind": "action", "theme": "technology", "text": "tried the chat"}).to_string()),
        ),
        // A blank reason and a pair that has not ended: the sponsor passes and the rules refuse, nothing changes.
        ("POST", format!("/api/v1/pairs/{own}/end"), Some(json!({"reason": " "}).to_string())),
        ("POST", format!("/api/v1/pairs/{own}/rematch"), None),
        // The fit check opens after the first held session: the partners pass and the rules refuse.
        ("GET", format!("/api/v1/pairs/{own}/fit"), None),
        ("PUT", format!("/api/v1/pairs/{own}/fit"), Some(json!({"fit": "fit"}).to_string())),
        ("GET", format!("/api/v1/pairs/{own}/why"), None),
        ("GET", format!("/api/v1/pairs/{own}/commitments"), None),
        ("POST", format!("/api/v1/pairs/{own}/commitments"), Some(commitment)),
    ];
    // Every pair route the OpenAPI document (built from the routers) lists is a column.
    let (_, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        if !(path.starts_with("/api/v1/pairs/") || path == "/api/v1/programs/{program}/pairs") {
            continue;
        }
        for method in methods.as_object().expect("methods").keys() {
            let method = method.to_uppercase();
            let tried = routes.iter().any(|(m, uri, _)| *m == method && crate::common::matches_route(path, uri));
            assert!(tried, "{method} {path} is a pair route the matrix does not try");
        }
    }
    use StatusCode as C;
    let (ok, created, forbidden, unauth, hidden) = (C::OK, C::CREATED, C::FORBIDDEN, C::UNAUTHORIZED, C::NOT_FOUND);
    let (no_reason, not_ended) = (C::UNPROCESSABLE_ENTITY, C::CONFLICT);
    // Let through, then refused by the rules: the check-in opens after the pair's third session.
    let not_yet = C::CONFLICT;
    // Columns follow `routes`. "own" is pair 1 (L1 + M1). A pair or program the
    // caller may not see at all is 404, exactly like a missing id; 403 only where
    // the caller sees the pair but may not act (a sponsor and the notes).
    // Insights are the leader's own; the sponsor records a check-in, each partner answers their own.
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 21])> = vec![
        (Some("l1@lab.test"), [ok, ok, ok, created, ok, ok, hidden, hidden, ok, ok, not_yet, forbidden, ok, created, forbidden, forbidden,
                               ok, not_yet, ok, ok, created]),
        (Some("m1@lab.test"), [ok, ok, ok, created, ok, ok, hidden, hidden, ok, ok, not_yet, forbidden, forbidden, forbidden, forbidden, forbidden,
                               ok, not_yet, ok, ok, forbidden]),
        (Some("s@lab.test"), [ok, ok, forbidden, forbidden, ok, forbidden, forbidden, forbidden,
                              ok, forbidden, forbidden, not_yet, forbidden, forbidden, no_reason, not_ended,
                              forbidden, forbidden, forbidden, forbidden, forbidden]),
        (Some("l2@lab.test"), [ok, hidden, hidden, hidden, hidden, hidden, ok, created, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden,
                               hidden, hidden, hidden, hidden, hidden]),
        (Some("s2@lab.test"), [hidden; 21]),
        (Some("m3@lab.test"), [hidden; 21]),
        (Some("admin@ops.test"), [hidden; 21]),
        (None, [unauth; 21]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
}

async fn sponsors_see_every_pair_and_partners_only_their_own(app: App) {
    let uri = format!("/api/v1/programs/{}/pairs", app.program);
    let (_, all) = app.call("GET", &uri, Some(&app.login("s@lab.test").await), None).await;
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    let first = &all[0];
    for key in ["id", "status", "kind", "score"] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    for key in ["id", "name", "email"] {
        assert!(first["leader"][key].is_string() && first["mentor"][key].is_string());
    }
    let (_, mine) = app.call("GET", &uri, Some(&app.login("m2@lab.test").await), None).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["mentor"]["id"], "M2");
    let (status, _) = app.call("GET", "/api/v1/programs/999/pairs", Some(&app.login("s@lab.test").await), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn sponsor_cannot_read_pair_notes_and_notes_are_encrypted_at_rest(app: App) {
    let leader = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/notes", app.pair1);
    let secret = "I am struggling with our Friday demo <script>alert(1)</script>";
    let (status, created) = app.call("POST", &uri, Some(&leader), Some(json!({"body": secret}).to_string())).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(created["id"].is_i64());
    let (_, notes) = app.call("GET", &uri, Some(&app.login("m1@lab.test").await), None).await;
    assert_eq!((notes[0]["author"].as_str(), notes[0]["body"].as_str()), (Some("L1"), Some(secret)));
    assert!(notes[0]["created_at"].is_string());
    let (status, body) = app.call("GET", &uri, Some(&app.login("s@lab.test").await), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.to_string().contains("struggling"));
    let stored = app.store.notes(plab_domain::PairId(app.pair1)).await.expect("notes");
    assert!(!stored[0].ciphertext.windows(10).any(|w| w == b"struggling"), "plaintext at rest");
    let audit = app.store.audit_log(1000).await.expect("audit");
    assert!(audit.iter().all(|e| !format!("{e:?}").contains("struggling")), "note content in the audit log");
}

async fn the_pair_is_forming_until_both_accept_the_lab_rules(app: App) {
    let uri = format!("/api/v1/pairs/{}/charter", app.pair1);
    let (_, first) = app.call("POST", &uri, Some(&app.login("l1@lab.test").await), None).await;
    assert_eq!(first["status"], "forming");
    let (_, again) = app.call("POST", &uri, Some(&app.login("l1@lab.test").await), None).await;
    assert_eq!(again["status"], "forming", "one partner twice is still one");
    let (_, both) = app.call("POST", &uri, Some(&app.login("m1@lab.test").await), None).await;
    assert_eq!(both["status"], "active");
    assert_eq!(both["accepted_by"], json!(["L1", "M1"]));
}

async fn me_lists_memberships_and_a_working_calendar_url(app: App) {
    let token = app.login("L1@LAB.test").await;
    let (status, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((me["id"].as_str(), me["email"].as_str()), (Some("L1"), Some("l1@lab.test")));
    assert_eq!(me["memberships"], json!([{"program": app.program, "role": "leader", "name": "A"}]));
    let url = me["calendar_url"].as_str().expect("calendar_url");
    let path = url.strip_prefix("http://localhost").expect("an absolute URL");
    let (status, body) = app.call("GET", path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_str().is_some_and(|b| b.starts_with("BEGIN:VCALENDAR\r\n") && b.ends_with("END:VCALENDAR\r\n")));
    let (status, _) = app.call("GET", "/calendar/not-a-secret.ics", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn wrong_passwords_and_bad_tokens_get_401(app: App) {
    let wrong = Some(json!({"email": "l1@lab.test", "password": "nope-nope"}).to_string());
    let (status, body) = app.call("POST", "/api/v1/auth/login", None, wrong).await;
    assert_error_json(status, &body, StatusCode::UNAUTHORIZED);
    let unknown = Some(json!({"email": "ghost@lab.test", "password": PASSWORD}).to_string());
    assert_eq!(app.call("POST", "/api/v1/auth/login", None, unknown).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call("GET", "/api/v1/me", Some("forged"), None).await.0, StatusCode::UNAUTHORIZED);
}

async fn malformed_and_oversized_bodies_get_4xx_json_never_500(app: App) {
    let token = app.login("l1@lab.test").await;
    let uri = format!("/api/v1/pairs/{}/notes", app.pair1);
    let cases = [
        Some("{\"body\": ".to_owned()),
        Some("[1, 2]".to_owned()),
        Some("{\"text\": \"x\"}".to_owned()),
        Some("{\"body\": 5}".to_owned()),
        Some(json!({"body": "   "}).to_string()),
        Some(json!({"body": "y".repeat(plab_app::lab::MAX_NOTE_CHARS + 1)}).to_string()),
        None,
    ];
    use StatusCode as C;
    let wanted = [C::BAD_REQUEST, C::UNPROCESSABLE_ENTITY, C::UNPROCESSABLE_ENTITY, C::UNPROCESSABLE_ENTITY]
        .into_iter()
        .chain([C::UNPROCESSABLE_ENTITY, C::UNPROCESSABLE_ENTITY, C::UNSUPPORTED_MEDIA_TYPE]);
    for (body, want) in cases.into_iter().zip(wanted) {
        let (status, value) = app.call("POST", &uri, Some(&token), body.clone()).await;
        assert_eq!(status, want, "for {:?}", body.map(|b| b.chars().take(40).collect::<String>()));
        assert!(value["error"]["code"].is_string(), "{value}");
    }
    // Over the body limit: 413 before the note's own length rule could answer 422.
    let huge = json!({"body": "x".repeat(plab_web::MAX_BODY_BYTES + 10)}).to_string();
    let (status, value) = app.call("POST", &uri, Some(&token), Some(huge)).await;
    assert_error_json(status, &value, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, value) = app.call("GET", "/api/v1/pairs/abc/notes", Some(&token), None).await;
    assert_error_json(status, &value, StatusCode::NOT_FOUND);
    let (status, value) = app.call("GET", "/api/v1/nowhere", Some(&token), None).await;
    assert_error_json(status, &value, StatusCode::NOT_FOUND);
    let (status, value) = app.call("DELETE", &uri, Some(&token), None).await;
    assert_error_json(status, &value, StatusCode::METHOD_NOT_ALLOWED);
}

/// The document is built from the routers that serve (utoipa-axum), so a
/// route cannot be served undocumented; this checks that what is documented
/// answers, and that every path parameter is described.
async fn the_openapi_document_describes_every_route_and_its_parameters(app: App) {
    let (status, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    let operations: usize = paths.values().map(|p| p.as_object().map_or(0, |o| o.len())).sum();
    assert!(operations >= 26, "only {operations} operations: {:?}", paths.keys().collect::<Vec<_>>());
    // Every operation of the JSON API has its own id, so generated clients get one method each
    // (SCIM's catch-all Bulk and Groups routes are issue 24's).
    let mut ids = std::collections::BTreeMap::new();
    for (path, methods) in paths.iter().filter(|(p, _)| p.starts_with("/api/v1/")) {
        for (method, operation) in methods.as_object().expect("methods") {
            let id = operation["operationId"].as_str().expect("an operation id").to_owned();
            if let Some(before) = ids.insert(id.clone(), format!("{method} {path}")) {
                panic!("operation id {id} names both {before} and {method} {path}");
            }
        }
    }
    for (path, methods) in paths {
        for (method, operation) in methods.as_object().expect("methods") {
            for param in path.split('{').skip(1).filter_map(|rest| rest.split('}').next()) {
                let described = operation["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == param && p["in"] == "path"));
                assert!(described, "{method} {path}: parameter {param} is not described");
            }
            // Served: a documented route never falls through to "no such route".
            let uri = path.replace(['{', '}'], "");
            let (status, body) = app.call(&method.to_uppercase(), &uri, None, None).await;
            assert!(
                !(status == StatusCode::NOT_FOUND && body.to_string().contains("no such route")),
                "{method} {path}"
            );
        }
    }
    // SCIM is in the same document, under its own token's security scheme.
    for (route, methods) in [
        ("/scim/v2/Users", &["get", "post"][..]),
        ("/scim/v2/Users/{id}", &["get", "put", "patch", "delete"][..]),
        ("/scim/v2/Users/.search", &["post"][..]),
        ("/scim/v2/ServiceProviderConfig", &["get"][..]),
        ("/scim/v2/Schemas/{id}", &["get"][..]),
    ] {
        for method in methods {
            let security = &paths[route][method]["security"][0];
            assert!(security.get("scim").is_some(), "{method} {route}: {security}");
        }
    }
    assert!(doc["components"]["securitySchemes"]["scim"].is_object());
    for route in ["/api/v1/auth/logout", "/api/v1/me/password", "/api/v1/me/calendar-secret", "/healthz"] {
        assert!(paths.contains_key(route), "{route}");
    }
    assert_eq!(app.call("GET", "/healthz", None, None).await.0, StatusCode::OK);
}

async fn repeated_wrong_passwords_lock_the_email_for_a_while(app: App) {
    let wrong = Some(json!({"email": "m2@lab.test", "password": "not-the-password"}).to_string());
    for _ in 0..plab_app::accounts::MAX_FAILURES {
        assert_eq!(app.call("POST", "/api/v1/auth/login", None, wrong.clone()).await.0, StatusCode::UNAUTHORIZED);
    }
    let right = Some(json!({"email": "m2@lab.test", "password": PASSWORD}).to_string());
    let (status, body) = app.call("POST", "/api/v1/auth/login", None, right).await;
    assert_error_json(status, &body, StatusCode::TOO_MANY_REQUESTS);
    // Other accounts are not affected.
    app.login("m1@lab.test").await;
}

async fn an_admin_reads_and_replaces_the_instance_settings(app: App) {
    let admin = app.login("admin@ops.test").await;
    let (status, settings) = app.call("GET", "/api/v1/admin/settings", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(
        (settings["instance_name"].as_str(), settings["session_hours"].as_u64()),
        (Some("Perspective Lab"), Some(168))
    );
    assert_eq!(settings["program_defaults"]["sessions"], 6);
    let new = json!({"instance_name": " Acme Lab ", "session_hours": 12, "program_defaults": {"sessions": 8, "checkin_after": 4}});
    let (status, saved) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(new.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["instance_name"], "Acme Lab");
    let (_, read) = app.call("GET", "/api/v1/admin/settings", Some(&admin), None).await;
    assert_eq!((read["session_hours"].as_u64(), read["program_defaults"]["sessions"].as_u64()), (Some(12), Some(8)));
    let audit = app.store.audit_log(1).await.expect("audit");
    assert_eq!((audit[0].action.as_str(), audit[0].actor.as_str()), ("settings.update", "admin@ops.test"));
    assert!(audit[0].detail.contains("instance_name") && audit[0].detail.contains("program_defaults.sessions"));
    assert!(!audit[0].detail.contains("Acme"), "values stay out of the audit log: {}", audit[0].detail);
}

async fn only_administrators_may_touch_the_settings(app: App) {
    let body = Some(json!({"instance_name": "Taken over", "session_hours": 1, "program_defaults": {}}).to_string());
    for who in ["s@lab.test", "l1@lab.test"] {
        let token = app.login(who).await;
        let (status, value) = app.call("GET", "/api/v1/admin/settings", Some(&token), None).await;
        assert_error_json(status, &value, StatusCode::FORBIDDEN);
        let (status, value) = app.call("PUT", "/api/v1/admin/settings", Some(&token), body.clone()).await;
        assert_error_json(status, &value, StatusCode::FORBIDDEN);
    }
    let (status, value) = app.call("GET", "/api/v1/admin/settings", None, None).await;
    assert_error_json(status, &value, StatusCode::UNAUTHORIZED);
    let (status, value) = app.call("PUT", "/api/v1/admin/settings", None, body).await;
    assert_error_json(status, &value, StatusCode::UNAUTHORIZED);
    assert_eq!(app.store.instance_settings().await.expect("settings").instance_name, "Perspective Lab");
}

async fn bad_settings_bodies_get_4xx_json_naming_the_field_and_change_nothing(app: App) {
    let admin = app.login("admin@ops.test").await;
    let cases = [
        "{\"instance_name\": ".to_owned(),
        json!({"instance_name": "X"}).to_string(),
        json!({"instance_name": "X", "session_hours": 1, "program_defaults": {}, "theme": "dark"}).to_string(),
        json!({"instance_name": "X", "session_hours": "many", "program_defaults": {}}).to_string(),
    ];
    let wanted = [StatusCode::BAD_REQUEST].into_iter().chain([StatusCode::UNPROCESSABLE_ENTITY; 3]);
    for (body, want) in cases.into_iter().zip(wanted) {
        let (status, value) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(body.clone())).await;
        assert_eq!(status, want, "for {body}");
        assert!(value["error"]["code"].is_string(), "{value}");
    }
    let invalid = json!({"instance_name": "", "session_hours": 0, "program_defaults": {"sessions": 0}});
    let (status, value) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(invalid.to_string())).await;
    assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
    let message = value["error"]["message"].as_str().unwrap_or_default();
    for field in ["instance_name", "session_hours", "program_defaults.sessions"] {
        assert!(message.contains(field), "{field} in {message}");
    }
    assert_eq!(app.store.instance_settings().await.expect("settings"), Default::default());
}

async fn every_account_route_needs_a_token_and_acts_on_ones_own_account_only(app: App) {
    let password = Some(json!({"current": PASSWORD, "new": "another password 3"}).to_string());
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("GET", "/api/v1/me".into(), None),
        ("POST", "/api/v1/me/calendar-secret".into(), None),
        ("DELETE", "/api/v1/me/reset-notice".into(), None),
        ("PUT", "/api/v1/me/timezone".into(), Some(json!({"timezone": "Europe/Berlin"}).to_string())),
        ("PUT", "/api/v1/me/mail".into(), Some(json!({"reminders": false, "digests": false}).to_string())),
        ("POST", "/api/v1/me/password".into(), password),
        ("POST", "/api/v1/auth/logout".into(), None),
    ];
    use StatusCode as C;
    let done = [C::OK, C::OK, C::NO_CONTENT, C::OK, C::OK, C::NO_CONTENT, C::NO_CONTENT];
    let matrix: Vec<(Option<&str>, [C; 7])> = vec![
        (Some("l1@lab.test"), done),
        (Some("s@lab.test"), done),
        (Some("admin@ops.test"), done),
        (None, [C::UNAUTHORIZED; 7]),
    ];
    crate::common::run_api_matrix(&app, &routes, &matrix).await;
    // Each changed only their own password and zone: the others still sign in with theirs, in UTC.
    let (status, _) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "m1@lab.test", "password": PASSWORD}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let m1 = app.login("m1@lab.test").await;
    assert_eq!(app.call("GET", "/api/v1/me", Some(&m1), None).await.1["timezone"], "UTC");
    let (status, _) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "l1@lab.test", "password": PASSWORD}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Sign out everywhere: each role ends only their own account's tokens.
    let (status, value) = app.call("POST", "/api/v1/auth/logout-everywhere", None, None).await;
    assert_error_json(status, &value, StatusCode::UNAUTHORIZED);
    let bystander = app.login("m2@lab.test").await;
    // (l1, s and admin changed their passwords in the matrix above.)
    for who in ["s2@lab.test", "m3@lab.test", "m1@lab.test", "l2@lab.test"] {
        let (first, second) = (app.login(who).await, app.login(who).await);
        let (status, _) = app.call("POST", "/api/v1/auth/logout-everywhere", Some(&first), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{who}");
        for token in [&first, &second] {
            let (status, value) = app.call("GET", "/api/v1/me", Some(token), None).await;
            assert_error_json(status, &value, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(app.call("GET", "/api/v1/me", Some(&bystander), None).await.0, StatusCode::OK, "others stay signed in");
}

/// The ids of a pair list answer, in the order given.
fn pair_ids(list: &serde_json::Value) -> Vec<i64> {
    list.as_array().expect("a JSON array").iter().map(|p| p["id"].as_i64().expect("an id")).collect()
}

/// Walks `uri` with `?limit=1&after=…` until an empty page; every page must be 200.
async fn walk_pages_of_one(app: &App, uri: &str, token: &str) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let (status, page) = app.call("GET", &format!("{uri}?limit=1&after={after}"), Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        match pair_ids(&page)[..] {
            [] => return seen,
            [id] => {
                seen.push(id);
                after = id;
            }
            _ => panic!("more than the limit: {page}"),
        }
        assert!(seen.len() <= 100, "the walk does not end: {seen:?}");
    }
}

async fn pages_of_one_walk_the_whole_pair_list_in_id_order_without_repeats(app: App) {
    // Program A's pairs 3 to 5 come after program B's pair: its ids have gaps.
    let a = plab_domain::ProgramId(app.program);
    crate::common::approve_pairs(&app.store, a, &[("L3", "M3"), ("CEO", "M1"), ("S2", "M2")]).await;
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/pairs", app.program);
    let (_, all) = app.call("GET", &uri, Some(&sponsor), None).await;
    let whole = pair_ids(&all);
    assert_eq!(whole.len(), 5, "{all}");
    assert!(whole.windows(2).all(|w| w[0] < w[1]), "id order: {whole:?}");
    assert_eq!(walk_pages_of_one(&app, &uri, &sponsor).await, whole);
    // A bigger page is the same list cut at the same places.
    let (_, first) = app.call("GET", &format!("{uri}?limit=3"), Some(&sponsor), None).await;
    assert_eq!(pair_ids(&first), whole[..3]);
    let (_, rest) = app.call("GET", &format!("{uri}?limit=3&after={}", whole[2]), Some(&sponsor), None).await;
    assert_eq!(pair_ids(&rest), whole[3..]);
    assert_eq!(first[0], all[0], "a page shows each pair as the whole list does");
}

async fn a_page_after_the_last_pair_is_empty(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/pairs", app.program);
    let last = app.pair1.max(app.pair2);
    for query in [format!("after={last}"), format!("after={}&limit=5", last + 1000), format!("after={}", i64::MAX)] {
        let (status, page) = app.call("GET", &format!("{uri}?{query}"), Some(&sponsor), None).await;
        assert_eq!((status, page), (StatusCode::OK, json!([])), "?{query}");
    }
}

async fn a_leaders_pages_only_ever_show_their_own_pair(app: App) {
    let a = plab_domain::ProgramId(app.program);
    crate::common::approve_pairs(&app.store, a, &[("L3", "M3")]).await;
    let uri = format!("/api/v1/programs/{}/pairs", app.program);
    for (who, own) in [("l1@lab.test", app.pair1), ("m2@lab.test", app.pair2)] {
        let token = app.login(who).await;
        assert_eq!(walk_pages_of_one(&app, &uri, &token).await, [own], "{who}");
        for query in ["limit=1000", "after=-5&limit=2"] {
            let (_, page) = app.call("GET", &format!("{uri}?{query}"), Some(&token), None).await;
            assert_eq!(pair_ids(&page), [own], "{who} ?{query}");
        }
    }
    // Outsiders still do not see the program, whatever they page.
    let (status, body) = app.call("GET", &format!("{uri}?limit=1"), Some(&app.login("s2@lab.test").await), None).await;
    assert_error_json(status, &body, StatusCode::NOT_FOUND);
}

async fn bad_paging_parameters_are_4xx_json_naming_the_parameter(app: App) {
    let sponsor = app.login("s@lab.test").await;
    let uri = format!("/api/v1/programs/{}/pairs", app.program);
    let max = plab_app::lab::MAX_PAGE_LIMIT;
    for (query, named) in [
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("limit=", "limit"),
        ("limit=2.5", "limit"),
        (&format!("limit={}", max + 1) as &str, "limit"),
        ("after=last", "after"),
        ("limit=0&after=x", "after"),
    ] {
        let (status, body) = app.call("GET", &format!("{uri}?{query}"), Some(&sponsor), None).await;
        assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "?{query}: {message}");
    }
    // A parameter given twice is the query's fault, still a JSON error.
    let (status, body) = app.call("GET", &format!("{uri}?limit=1&limit=2"), Some(&sponsor), None).await;
    assert_error_json(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app.call("GET", &format!("{uri}?limit={max}"), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "the maximum itself is a valid limit: {body}");
    // The document describes both parameters, with the same maximum.
    let (_, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    let params = &doc["paths"]["/api/v1/programs/{program}/pairs"]["get"]["parameters"];
    let param = |name: &str| {
        params.as_array().and_then(|ps| ps.iter().find(|p| p["name"] == name && p["in"] == "query")).cloned()
    };
    assert_eq!(param("limit").map(|p| p["schema"]["maximum"].clone()), Some(json!(max)), "{params}");
    assert!(param("after").is_some(), "{params}");
}

crate::backends!(
    authorization_matrix_over_every_pair_route,
    sponsors_see_every_pair_and_partners_only_their_own,
    sponsor_cannot_read_pair_notes_and_notes_are_encrypted_at_rest,
    the_pair_is_forming_until_both_accept_the_lab_rules,
    me_lists_memberships_and_a_working_calendar_url,
    wrong_passwords_and_bad_tokens_get_401,
    malformed_and_oversized_bodies_get_4xx_json_never_500,
    the_openapi_document_describes_every_route_and_its_parameters,
    repeated_wrong_passwords_lock_the_email_for_a_while,
    an_admin_reads_and_replaces_the_instance_settings,
    only_administrators_may_touch_the_settings,
    bad_settings_bodies_get_4xx_json_naming_the_field_and_change_nothing,
    every_account_route_needs_a_token_and_acts_on_ones_own_account_only,
    pages_of_one_walk_the_whole_pair_list_in_id_order_without_repeats,
    a_page_after_the_last_pair_is_empty,
    a_leaders_pages_only_ever_show_their_own_pair,
    bad_paging_parameters_are_4xx_json_naming_the_parameter,
);
