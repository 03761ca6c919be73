//! SCIM 2.0 provisioning at /scim/v2/: a User's whole life (create, read,
//! filter, page, replace, patch as Okta and Entra ID send it, deactivate,
//! delete), the import's checks as SCIM errors, and the bearer token: a SCIM
//! token only, stored hashed, revocable, and refused everywhere else.
use crate::common::App;
use crate::common::browser::{send, sign_in};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use plab_app::scim::{ENTERPRISE_SCHEMA, PATCH_SCHEMA, PERSON_SCHEMA, USER_SCHEMA};
use serde_json::{Value, json};
use tower::ServiceExt;

crate::backends!(
    a_user_is_created_read_replaced_patched_and_deleted_with_its_audit_trail,
    users_are_found_by_user_name_external_id_and_work_email_and_other_filters_are_refused,
    users_are_listed_a_page_at_a_time_and_a_huge_count_is_capped,
    patches_as_okta_and_entra_id_send_them_are_applied,
    deactivating_a_signed_in_person_ends_their_sign_ins_and_keeps_their_pair,
    a_deleted_user_answers_404_while_the_person_and_their_history_stay,
    a_manager_cycle_is_invalid_value_and_a_taken_email_is_uniqueness_and_nothing_is_written,
    the_employee_number_and_id_cannot_change_and_bad_bodies_are_400_never_500,
    a_revoked_scim_token_gets_401_with_a_scim_error_and_a_bearer_challenge,
    scim_tokens_are_stored_only_as_hashes,
    sessions_and_api_tokens_are_refused_at_scim_and_a_scim_token_everywhere_else,
    discovery_describes_users_and_the_extensions_and_groups_are_not_served,
    every_scim_route_by_every_role_opens_only_to_a_scim_token_and_is_never_cached,
);

/// The most Users one page holds (the `filter.maxResults` of the service provider configuration).
const MAX_PAGE: usize = 200;

pub(crate) async fn scim_token(app: &App) -> String {
    plab_app::scim::new_token(&app.store, "okta", "test").await.expect("token").1
}

/// A SCIM call: status, headers and the JSON answer.
pub(crate) async fn call(
    app: &App,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    call_as(app, method, uri, token.map(|t| ("authorization", format!("Bearer {t}"))), body).await
}

/// A SCIM call with this one credential header (a bearer token or a cookie), or none.
async fn call_as(
    app: &App,
    method: &str,
    uri: &str,
    credential: Option<(&str, String)>,
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some((name, value)) = credential {
        req = req.header(name, value);
    }
    if body.is_some() {
        req = req.header("content-type", "application/scim+json");
    }
    let req = req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string()))).expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("response");
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, headers, value)
}

pub(crate) fn user(id: &str, email: &str, manager: Option<&str>) -> Value {
    let mut enterprise = json!({ "employeeNumber": id, "department": "Research" });
    if let Some(m) = manager {
        enterprise["manager"] = json!({ "value": m });
    }
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA, PERSON_SCHEMA],
        "userName": email,
        "externalId": format!("ext-{id}"),
        "name": { "givenName": "Grace", "familyName": "Hopper" },
        "emails": [{ "value": email, "type": "work", "primary": true }],
        "title": "Rear admiral",
        "active": true,
        ENTERPRISE_SCHEMA: enterprise,
        PERSON_SCHEMA: { "level": 9, "hireDate": "2019-05-06", "perspectives": ["COBOL", "compilers"] },
    })
}

pub(crate) fn patch(ops: Value) -> Value {
    json!({ "schemas": [PATCH_SCHEMA], "Operations": ops })
}

/// A SCIM error with this status and scimType whose detail names `attribute`.
fn assert_scim_error(status: StatusCode, body: &Value, want: StatusCode, scim_type: Option<&str>, attribute: &str) {
    assert_eq!(status, want, "{body}");
    assert_eq!(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error", "{body}");
    assert_eq!(body["status"], want.as_u16().to_string(), "{body}");
    assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
    assert!(body["detail"].as_str().unwrap_or_default().contains(attribute), "names {attribute}: {body}");
}

async fn a_user_is_created_read_replaced_patched_and_deleted_with_its_audit_trail(app: App) {
    let t = scim_token(&app).await;
    let (status, headers, created) =
        call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "Grace@Lab.test", Some("L1")))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(headers["content-type"], "application/scim+json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["location"], "/scim/v2/Users/G1");
    assert_eq!(created["id"], "G1");
    assert_eq!(created["meta"]["resourceType"], "User");
    assert_eq!(created[ENTERPRISE_SCHEMA]["manager"]["value"], "L1");
    let person = app.store.person("G1").await.expect("in the directory");
    assert_eq!(
        (person.name.as_str(), person.email.as_str(), person.level.value()),
        ("Grace Hopper", "grace@lab.test", 9)
    );
    assert_eq!(person.perspectives, vec!["COBOL", "compilers"]);

    let (status, _, read) = call(&app, "GET", "/scim/v2/Users/G1", Some(&t), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created, "what was written reads back");

    let mut replaced = user("G1", "grace@lab.test", None);
    replaced["title"] = Value::Null;
    replaced[ENTERPRISE_SCHEMA]["department"] = json!("Navy");
    let (status, _, body) = call(&app, "PUT", "/scim/v2/Users/G1", Some(&t), Some(replaced)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("title").is_none() && body[ENTERPRISE_SCHEMA].get("manager").is_none(), "{body}");
    assert_eq!(app.store.person("G1").await.expect("person").department.as_str(), "Navy");

    let op = patch(json!([{ "op": "replace", "path": "title", "value": "Commodore" }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(op)).await;
    assert_eq!((status, body["title"].as_str()), (StatusCode::OK, Some("Commodore")), "{body}");

    let (status, _, _) = call(&app, "DELETE", "/scim/v2/Users/G1", Some(&t), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let actions: Vec<(String, String)> =
        app.store.audit_log(20).await.expect("audit").into_iter().map(|e| (e.actor, e.action)).rev().collect();
    let scim: Vec<&str> = actions.iter().filter(|(a, _)| a == "scim:okta").map(|(_, action)| action.as_str()).collect();
    assert_eq!(scim, ["scim.user.create", "scim.user.replace", "scim.user.patch", "scim.user.delete"]);
}

async fn users_are_found_by_user_name_external_id_and_work_email_and_other_filters_are_refused(app: App) {
    let t = scim_token(&app).await;
    let (status, _, _) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "grace@lab.test", None))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(found(&app, &t, "userName eq \"GRACE@lab.test\"").await, ["G1"], "userName ignores case");
    assert_eq!(found(&app, &t, "externalId eq \"ext-G1\"").await, ["G1"]);
    assert_eq!(found(&app, &t, "emails[type eq \"work\"].value eq \"grace@lab.test\"").await, ["G1"]);
    assert_eq!(found(&app, &t, "emails.value eq \"Grace@lab.test\"").await, ["G1"]);
    assert_eq!(found(&app, &t, "id eq \"G1\"").await, ["G1"]);
    // A person the import wrote is found by their e-mail as userName.
    assert_eq!(found(&app, &t, "userName eq \"l1@lab.test\"").await, ["L1"]);
    assert!(found(&app, &t, "userName eq \"x' OR '1'='1\"").await.is_empty(), "text is a bound value, never SQL");
    for bad in ["title eq \"x\"", "userName co \"g\"", "userName eq \"a\" or id eq \"b\"", "userName eq grace"] {
        let uri = format!("/scim/v2/Users?filter={}", urlencode(bad));
        let (status, _, body) = call(&app, "GET", &uri, Some(&t), None).await;
        assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidFilter"), "supported filters");
    }
}

/// The ids of the Users a filter finds.
async fn found(app: &App, token: &str, filter: &str) -> Vec<String> {
    let uri = format!("/scim/v2/Users?filter={}", urlencode(filter));
    let (status, _, body) = call(app, "GET", &uri, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{filter}: {body}");
    body["Resources"].as_array().expect("list").iter().map(|u| u["id"].as_str().unwrap_or("").to_owned()).collect()
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn users_are_listed_a_page_at_a_time_and_a_huge_count_is_capped(app: App) {
    let t = scim_token(&app).await;
    // More people than one page may hold, so that the cap is reached.
    let many: Vec<_> =
        (0..MAX_PAGE).map(|i| crate::common::person_in_zone(&format!("P{i:03}"), "CEO", 3, "Extra", "")).collect();
    app.store.upsert_people(&many, &|_| {}).await.expect("people");
    let total = app.store.people_count().await.expect("count");
    let (_, _, page) = call(&app, "GET", "/scim/v2/Users?startIndex=3&count=2", Some(&t), None).await;
    assert_eq!(
        (page["totalResults"].as_u64(), page["itemsPerPage"].as_u64(), page["startIndex"].as_u64()),
        (Some(total), Some(2), Some(3))
    );
    let ids = |p: &Value| p["Resources"].as_array().expect("list").iter().map(|u| u["id"].clone()).collect::<Vec<_>>();
    let (_, _, all) = call(&app, "GET", "/scim/v2/Users", Some(&t), None).await;
    assert_eq!(ids(&page), ids(&all)[2..4].to_vec(), "pages follow one order");
    let (_, _, counted) = call(&app, "GET", "/scim/v2/Users?count=0", Some(&t), None).await;
    assert_eq!((counted["totalResults"].as_u64(), counted["itemsPerPage"].as_u64()), (Some(total), Some(0)));
    let (status, _, huge) = call(&app, "GET", "/scim/v2/Users?count=100000000&startIndex=-5", Some(&t), None).await;
    assert_eq!((status, huge["startIndex"].as_u64()), (StatusCode::OK, Some(1)));
    let capped = (huge["itemsPerPage"].as_u64(), huge["Resources"].as_array().map(Vec::len));
    assert_eq!(capped, (Some(MAX_PAGE as u64), Some(MAX_PAGE)), "a huge count is cut to one page");
    let (status, _, body) = call(&app, "GET", "/scim/v2/Users?count=many", Some(&t), None).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "count");
    let (_, _, slim) = call(&app, "GET", "/scim/v2/Users?count=1&attributes=userName", Some(&t), None).await;
    let only = slim["Resources"][0].as_object().expect("user");
    assert!(only.contains_key("userName") && only.contains_key("id") && !only.contains_key("emails"), "{slim}");
}

async fn patches_as_okta_and_entra_id_send_them_are_applied(app: App) {
    let t = scim_token(&app).await;
    call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "grace@lab.test", None))).await;
    // Okta: a pathless replace.
    let okta = patch(json!([{ "op": "replace", "value": { "active": false, "title": "Retired" } }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(okta)).await;
    assert_eq!(
        (status, body["active"].as_bool(), body["title"].as_str()),
        (StatusCode::OK, Some(false), Some("Retired")),
        "{body}"
    );
    // Entra ID: capitalised ops, string booleans, URN-qualified paths, a bare manager id, unknown attributes.
    let entra = patch(json!([
        { "op": "Replace", "path": "active", "value": "True" },
        { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "g.hopper@lab.test" },
        { "op": "Add", "path": format!("{ENTERPRISE_SCHEMA}:manager"), "value": "L2" },
        { "op": "Replace", "path": format!("{ENTERPRISE_SCHEMA}:department"), "value": "Navy" },
        { "op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100" },
        { "op": "Replace", "path": "name.givenName", "value": "Amazing Grace" },
    ]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(entra)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["active"], true);
    let p = app.store.person("G1").await.expect("person");
    assert_eq!(
        (p.email.as_str(), p.department.as_str(), p.manager_id.as_ref().map(|m| m.as_str())),
        ("g.hopper@lab.test", "Navy", Some("L2"))
    );
    assert_eq!((p.name.as_str(), p.end_date), ("Amazing Grace Hopper", None));
    let remove = patch(json!([{ "op": "Remove", "path": format!("{ENTERPRISE_SCHEMA}:manager") }]));
    let (_, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(remove)).await;
    assert!(body[ENTERPRISE_SCHEMA].get("manager").is_none(), "{body}");
    let own = patch(json!([{ "op": "replace", "path": format!("{ENTERPRISE_SCHEMA}:manager.value"), "value": "G1" }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(own)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "manager.value");
}

async fn deactivating_a_signed_in_person_ends_their_sign_ins_and_keeps_their_pair(app: App) {
    let t = scim_token(&app).await;
    let (cookie, _) = sign_in(&app, "m1@lab.test").await;
    let api = app.login("m1@lab.test").await;
    assert_eq!(send(&app, "GET", "/home", Some(&cookie), None).await.status, StatusCode::OK);
    let off = patch(json!([{ "op": "replace", "path": "active", "value": false }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/M1", Some(&t), Some(off)).await;
    assert_eq!((status, body["active"].as_bool()), (StatusCode::OK, Some(false)), "{body}");
    assert_eq!(send(&app, "GET", "/home", Some(&cookie), None).await.status, StatusCode::SEE_OTHER, "the cookie ends");
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&api), None).await.0,
        StatusCode::UNAUTHORIZED,
        "so does the API token"
    );
    let login = json!({ "email": "m1@lab.test", "password": crate::common::PASSWORD }).to_string();
    assert_eq!(app.call("POST", "/api/v1/auth/login", None, Some(login)).await.0, StatusCode::FORBIDDEN, "disabled");
    let today = plab_app::sessions::today();
    assert_eq!(app.store.person("M1").await.expect("kept").end_date, Some(today), "leave date today");
    let pairs = app.store.pairs(plab_domain::ProgramId(app.program)).await.expect("pairs");
    assert!(pairs.iter().any(|p| p.id.0 == app.pair1), "the pair and its history stay");
    let audit = app.store.audit_log(5).await.expect("audit");
    assert!(
        audit.iter().any(|e| e.action == "scim.user.patch" && e.subject == "M1" && e.detail.starts_with("deactivated"))
    );
}

async fn a_deleted_user_answers_404_while_the_person_and_their_history_stay(app: App) {
    let t = scim_token(&app).await;
    let (cookie, _) = sign_in(&app, "m2@lab.test").await;
    let (status, _, _) = call(&app, "DELETE", "/scim/v2/Users/M2", Some(&t), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, body) = call(&app, "GET", "/scim/v2/Users/M2", Some(&t), None).await;
    assert_scim_error(status, &body, StatusCode::NOT_FOUND, None, "M2");
    let (status, _, body) = call(&app, "DELETE", "/scim/v2/Users/M2", Some(&t), None).await;
    assert_scim_error(status, &body, StatusCode::NOT_FOUND, None, "M2");
    let (_, _, listed) =
        call(&app, "GET", "/scim/v2/Users?filter=userName%20eq%20%22m2%40lab.test%22", Some(&t), None).await;
    assert_eq!(listed["totalResults"], 0, "{listed}");
    assert_eq!(send(&app, "GET", "/home", Some(&cookie), None).await.status, StatusCode::SEE_OTHER);
    assert!(app.store.person("M2").await.expect("row kept").end_date.is_some());
    let pairs = app.store.pairs(plab_domain::ProgramId(app.program)).await.expect("pairs");
    assert!(pairs.iter().any(|p| p.id.0 == app.pair2), "their pair stays");
    // Provisioned again under the same employeeNumber, they come back.
    let mut again = user("M2", "m2@lab.test", Some("L1"));
    again["active"] = json!(true);
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(again)).await;
    assert_eq!((status, body["active"].as_bool()), (StatusCode::CREATED, Some(true)), "{body}");
}

async fn a_manager_cycle_is_invalid_value_and_a_taken_email_is_uniqueness_and_nothing_is_written(app: App) {
    let t = scim_token(&app).await;
    let before = app.store.people_count().await.expect("count");
    // CEO -> ... -> L1; making L1 the CEO's manager closes a loop.
    let cycle =
        patch(json!([{ "op": "add", "path": format!("{ENTERPRISE_SCHEMA}:manager"), "value": { "value": "L1" } }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/CEO", Some(&t), Some(cycle)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "manager.value");
    assert!(app.store.person("CEO").await.expect("ceo").manager_id.is_none(), "nothing written");
    let (status, _, body) =
        call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "g@lab.test", Some("NOBODY")))).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "manager.value");
    // l1@lab.test is L1's directory e-mail and sign-in.
    let mut taken = user("G1", "l1@lab.test", None);
    taken["userName"] = json!("grace");
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(taken)).await;
    assert_scim_error(status, &body, StatusCode::CONFLICT, Some("uniqueness"), "emails");
    let (status, _, body) =
        call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("L2", "new@lab.test", None))).await;
    assert_scim_error(status, &body, StatusCode::CONFLICT, Some("uniqueness"), "employeeNumber");
    assert_eq!(app.store.people_count().await.expect("count"), before, "nothing half-written");
    // A sign-in e-mail stays its account's person's, as in the import: S2 cannot take S's.
    app.store.upsert_people(&[crate::common::person_in_zone("S", "CEO", 8, "People", "")], &|_| {}).await.expect("s");
    let mut s = user("S2", "s2@lab.test", Some("CEO"));
    s["emails"][0]["value"] = json!("s@lab.test");
    let (status, _, body) = call(&app, "PUT", "/scim/v2/Users/S2", Some(&t), Some(s)).await;
    assert_scim_error(status, &body, StatusCode::CONFLICT, Some("uniqueness"), "emails");
    // Another User's userName is taken too.
    call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "g@lab.test", None))).await;
    let mut clash = user("G2", "g2@lab.test", None);
    clash["userName"] = json!("G@LAB.TEST");
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(clash)).await;
    assert_scim_error(status, &body, StatusCode::CONFLICT, Some("uniqueness"), "userName");
}

async fn the_employee_number_and_id_cannot_change_and_bad_bodies_are_400_never_500(app: App) {
    let t = scim_token(&app).await;
    call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "g@lab.test", None))).await;
    let renumber =
        patch(json!([{ "op": "replace", "path": format!("{ENTERPRISE_SCHEMA}:employeeNumber"), "value": "G9" }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(renumber)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("mutability"), "employeeNumber");
    let mut other_id = user("G1", "g@lab.test", None);
    other_id["id"] = json!("G9");
    let (status, _, body) = call(&app, "PUT", "/scim/v2/Users/G1", Some(&t), Some(other_id)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("mutability"), "id");
    let mut with_id = user("G3", "g3@lab.test", None);
    with_id["id"] = json!("X");
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(with_id)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("mutability"), "id");
    let id_patch = patch(json!([{ "op": "replace", "path": "id", "value": "X" }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(id_patch)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("mutability"), "id");

    let raw = |body: &'static str| {
        Request::builder()
            .method("POST")
            .uri("/scim/v2/Users")
            .header("authorization", format!("Bearer {t}"))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request")
    };
    let resp = app.router.clone().oneshot(raw("{\"schemas\": [")).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let body: Value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidSyntax"), "JSON");
    let no_schema = json!({ "userName": "x@lab.test" });
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(no_schema)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidSyntax"), "schemas");
    let mut bad = user("G4", "not-an-email", None);
    bad[PERSON_SCHEMA]["level"] = json!(1000);
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(bad)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "level");
    let mut missing = user("G5", "g5@lab.test", None);
    missing[PERSON_SCHEMA].as_object_mut().expect("ext").remove("hireDate");
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", Some(&t), Some(missing)).await;
    assert_scim_error(status, &body, StatusCode::BAD_REQUEST, Some("invalidValue"), "hireDate");
    for body in [json!([]), json!({ "schemas": [PATCH_SCHEMA], "Operations": "x" }), json!({ "Operations": [] })] {
        let (status, _, answer) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(body)).await;
        assert_scim_error(status, &answer, StatusCode::BAD_REQUEST, Some("invalidSyntax"), "");
    }
    let (status, _, body) = call(&app, "GET", "/scim/v2/Users/NOBODY", Some(&t), None).await;
    assert_scim_error(status, &body, StatusCode::NOT_FOUND, None, "NOBODY");
}

async fn a_revoked_scim_token_gets_401_with_a_scim_error_and_a_bearer_challenge(app: App) {
    let (id, t) = plab_app::scim::new_token(&app.store, "entra", "test").await.expect("token");
    assert_eq!(call(&app, "GET", "/scim/v2/Users?count=1", Some(&t), None).await.0, StatusCode::OK);
    plab_app::scim::revoke_token(&app.store, id, "test").await.expect("revoke");
    let (status, headers, body) = call(&app, "GET", "/scim/v2/Users?count=1", Some(&t), None).await;
    assert_scim_error(status, &body, StatusCode::UNAUTHORIZED, None, "token");
    assert!(headers["www-authenticate"].to_str().expect("text").starts_with("Bearer"));
    let in_query = format!("/scim/v2/Users?access_token={t}");
    let live = scim_token(&app).await;
    let (status, _, body) = call(&app, "GET", &in_query.replace(&t, &live), None, None).await;
    assert_scim_error(status, &body, StatusCode::UNAUTHORIZED, None, "token");
    let listed = plab_app::scim::tokens(&app.store).await.expect("tokens");
    assert!(listed[0].revoked_at.is_some() && listed[1].last_used_at.is_none());
}

async fn scim_tokens_are_stored_only_as_hashes(app: App) {
    let t = scim_token(&app).await;
    assert!(t.len() >= 64, "long enough: {t}");
    call(&app, "GET", "/scim/v2/Users?count=1", Some(&t), None).await;
    let stored = plab_store::testing::scim_token_bytes(&app.store).await;
    let secret = t.trim_start_matches("plab_scim_");
    assert!(!stored.windows(secret.len()).any(|w| w == secret.as_bytes()), "the secret is not stored");
    assert!(!stored.windows(16).any(|w| w == &secret.as_bytes()[..16]), "nor a part of it");
    // The administrator's page lists the tokens in use by label, never the token.
    let (cookie, _) = sign_in(&app, "admin@ops.test").await;
    let admin = send(&app, "GET", "/admin", Some(&cookie), None).await;
    let table = admin.html.split("id=\"scim-tokens\"").nth(1).expect("the SCIM tokens");
    assert!(table.contains("<td>okta</td>"), "{table}");
    assert!(!admin.html.contains(secret), "the token is never shown again");
    assert!(admin.html.contains("SCIM tokens in use: 1"), "{}", admin.html);
}

async fn sessions_and_api_tokens_are_refused_at_scim_and_a_scim_token_everywhere_else(app: App) {
    let t = scim_token(&app).await;
    let mut refusals = Vec::new();
    for who in ["s@lab.test", "admin@ops.test"] {
        let api = app.login(who).await;
        let (status, headers, body) = call(&app, "GET", "/scim/v2/Users", Some(&api), None).await;
        assert_scim_error(status, &body, StatusCode::UNAUTHORIZED, None, "token");
        assert!(headers.contains_key("www-authenticate"));
        refusals.push(body);
        let (cookie, _) = sign_in(&app, who).await;
        let page = send(&app, "GET", "/scim/v2/Users/L1", Some(&cookie), None).await;
        let body = serde_json::from_str(&page.html).unwrap_or(Value::Null);
        assert_scim_error(page.status, &body, StatusCode::UNAUTHORIZED, None, "token");
        refusals.push(Value::String(page.html));
    }
    let (status, _, body) = call(&app, "POST", "/scim/v2/Users", None, Some(user("G1", "g@lab.test", None))).await;
    assert_scim_error(status, &body, StatusCode::UNAUTHORIZED, None, "token");
    refusals.push(body);
    assert!(app.store.person("G1").await.is_err(), "nothing written");
    let (status, body) = app.call("GET", "/api/v1/me", Some(&t), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = app.call("GET", &format!("/api/v1/pairs/{}", app.pair1), Some(&t), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let page = send(&app, "GET", "/home", Some(&format!("plab_session={t}")), None).await;
    assert_eq!(
        (page.status, page.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/?next=%2Fhome")),
        "nor as a page's cookie"
    );
    let text = refusals.iter().map(Value::to_string).collect::<String>();
    for private in ["lab.test", "Name ", "L1\"", "Sales"] {
        assert!(!text.contains(private), "a refusal says nothing of anyone ({private}): {text}");
    }
}

async fn discovery_describes_users_and_the_extensions_and_groups_are_not_served(app: App) {
    let t = scim_token(&app).await;
    let (status, headers, config) = call(&app, "GET", "/scim/v2/ServiceProviderConfig", Some(&t), None).await;
    assert_eq!((status, headers["cache-control"].to_str().expect("text")), (StatusCode::OK, "no-store"));
    assert_eq!(
        (config["patch"]["supported"].as_bool(), config["sort"]["supported"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(config["filter"]["maxResults"], 200);
    let (_, _, types) = call(&app, "GET", "/scim/v2/ResourceTypes", Some(&t), None).await;
    assert_eq!(types["totalResults"], 1);
    assert_eq!(types["Resources"][0]["schemaExtensions"][1]["schema"], PERSON_SCHEMA);
    let (_, _, schemas) = call(&app, "GET", "/scim/v2/Schemas", Some(&t), None).await;
    let ids: Vec<&str> =
        schemas["Resources"].as_array().expect("list").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, [USER_SCHEMA, ENTERPRISE_SCHEMA, PERSON_SCHEMA]);
    let (status, _, one) = call(&app, "GET", &format!("/scim/v2/Schemas/{PERSON_SCHEMA}"), Some(&t), None).await;
    assert_eq!((status, one["attributes"][0]["name"].as_str()), (StatusCode::OK, Some("level")));
    for uri in ["/scim/v2/Groups", "/scim/v2/Groups/1", "/scim/v2/no-such-thing"] {
        let (status, _, body) = call(&app, "GET", uri, Some(&t), None).await;
        assert_scim_error(status, &body, StatusCode::NOT_FOUND, None, "");
    }
    let (status, _, body) = call(&app, "POST", "/scim/v2/ServiceProviderConfig", Some(&t), Some(json!({}))).await;
    assert_scim_error(status, &body, StatusCode::METHOD_NOT_ALLOWED, None, "method");
}

/// Every SCIM route, for the sponsor, an administrator, the person the record
/// is (L1, a partner of pair 1), the other pair's partners and an anonymous
/// caller, each with their API token and with their browser session: 401 with
/// a SCIM error that says nothing of anyone, nothing written; the SCIM token
/// gets each route's own answer. Every answer is no-store.
async fn every_scim_route_by_every_role_opens_only_to_a_scim_token_and_is_never_cached(app: App) {
    let t = scim_token(&app).await;
    let put = user("L1", "l1@lab.test", None);
    let off = patch(json!([{ "op": "replace", "value": { "active": false } }]));
    let search = json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": 1 });
    let routes: [(&str, &str, Option<Value>, StatusCode); 16] = [
        ("GET", "/scim/v2/ServiceProviderConfig", None, StatusCode::OK),
        ("GET", "/scim/v2/ResourceTypes", None, StatusCode::OK),
        ("GET", "/scim/v2/ResourceTypes/User", None, StatusCode::OK),
        ("GET", "/scim/v2/Schemas", None, StatusCode::OK),
        ("GET", &format!("/scim/v2/Schemas/{USER_SCHEMA}"), None, StatusCode::OK),
        ("GET", "/scim/v2/Users", None, StatusCode::OK),
        ("POST", "/scim/v2/Users/.search", Some(search.clone()), StatusCode::OK),
        ("POST", "/scim/v2/.search", Some(search), StatusCode::OK),
        ("GET", "/scim/v2/Users/L1", None, StatusCode::OK),
        ("POST", "/scim/v2/Users", Some(user("G1", "g1@lab.test", Some("L1"))), StatusCode::CREATED),
        ("PUT", "/scim/v2/Users/L1", Some(put), StatusCode::OK),
        ("PATCH", "/scim/v2/Users/M2", Some(off), StatusCode::OK),
        ("DELETE", "/scim/v2/Users/M3", None, StatusCode::NO_CONTENT),
        ("GET", "/scim/v2/Groups", None, StatusCode::NOT_FOUND),
        ("GET", "/scim/v2/Groups/some-group", None, StatusCode::NOT_FOUND),
        ("POST", "/scim/v2/Bulk", Some(json!({})), StatusCode::NOT_IMPLEMENTED),
    ];
    let before = app.store.all_people().await.expect("people");
    let mut refusals = String::new();
    for who in ["s@lab.test", "admin@ops.test", "l1@lab.test", "m1@lab.test", "l2@lab.test", "m2@lab.test", ""] {
        let mut credentials = vec![None];
        if !who.is_empty() {
            let (cookie, _) = sign_in(&app, who).await;
            credentials =
                vec![Some(("authorization", format!("Bearer {}", app.login(who).await))), Some(("cookie", cookie))];
        }
        for credential in credentials {
            for (method, uri, body, _) in &routes {
                let (status, headers, answer) = call_as(&app, method, uri, credential.clone(), body.clone()).await;
                assert_scim_error(status, &answer, StatusCode::UNAUTHORIZED, None, "token");
                assert_eq!(headers["cache-control"], "no-store", "{method} {uri}");
                assert!(headers.contains_key("www-authenticate"), "{method} {uri}");
                refusals.push_str(&answer.to_string());
            }
        }
    }
    for private in ["lab.test", "Name ", "Sales", "Ops"] {
        assert!(!refusals.contains(private), "a refusal says nothing of anyone ({private})");
    }
    assert_eq!(app.store.all_people().await.expect("people"), before, "nothing written by a refused call");
    for (method, uri, body, expected) in routes {
        let (status, headers, answer) = call(&app, method, uri, Some(&t), body).await;
        assert_eq!(status, expected, "{method} {uri}: {answer}");
        assert_eq!(headers["cache-control"], "no-store", "{method} {uri}");
    }
}
