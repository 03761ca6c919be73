//! A seeded app for the web tests: two programs, pairs, accounts.
#![allow(dead_code)]
pub mod browser;
pub mod smtp;
pub mod wire;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use plab_app::vault::Vault;
use plab_app::{Store, accounts, programs};
use plab_domain::person::RawPerson;
use plab_domain::program::{ProgramSettings, Role};
use plab_store::testing::TestDb;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "lab-password-1";

pub struct App {
    pub router: axum::Router,
    /// The same app's state, to serve it on a real socket (`wire::Server`).
    pub state: plab_web::AppState,
    pub store: Store,
    pub program: i64,
    /// pair 1: leader L1 + mentor M1; pair 2: leader L2 + mentor M2 (same program).
    pub pair1: i64,
    pub pair2: i64,
    _db: TestDb,
}

fn person(id: &str, manager: &str, level: i32, dept: &str) -> plab_domain::person::Person {
    person_in_zone(id, manager, level, dept, "")
}

/// A directory entry `ID@lab.test` named `Name ID`, living in `zone` (empty: none given).
pub fn person_in_zone(id: &str, manager: &str, level: i32, dept: &str, zone: &str) -> plab_domain::person::Person {
    RawPerson {
        employee_id: id.into(),
        name: format!("Name {id}"),
        email: format!("{}@lab.test", id.to_lowercase()),
        department: dept.into(),
        manager_id: manager.into(),
        hire_date: "2015-01-01".into(),
        level: level.to_string(),
        timezone: zone.into(),
        ..RawPerson::default()
    }
    .parse()
    .expect("valid person")
}

/// The test programs' first day: the first Monday at least five weeks from
/// today, so that sessions are planned on it and can still be moved (dates
/// come from today, not from a year fixed in the tests).
pub fn program_start() -> plab_domain::Date {
    let mut day = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(35);
    while day.midnight_utc().weekday() != time::Weekday::Monday {
        day = day.plus_days(1);
    }
    day
}

pub async fn spawn_app(db: TestDb) -> App {
    let store = Store::connect(&db.url).await.expect("connect");
    let people = vec![
        person("CEO", "", 10, "Exec"),
        person("S", "CEO", 8, "People"),
        person("L1", "CEO", 8, "Sales"),
        person("L2", "CEO", 8, "Ops"),
        person("M1", "L2", 2, "Ops"),
        person("M2", "L1", 2, "Sales"),
        person("S2", "CEO", 8, "People"),
        person("L3", "CEO", 8, "Finance"),
        person("M3", "L1", 1, "Sales"),
    ];
    store.upsert_people(&people, &|_| {}).await.expect("people");
    let start = program_start().to_string();
    let a = programs::create(&store, "A", &start, ProgramSettings::default(), "test").await.expect("program A");
    let b = programs::create(&store, "B", &start, ProgramSettings::default(), "test").await.expect("program B");
    for (p, role, ids) in [
        (a, Role::Sponsor, vec!["S"]),
        (a, Role::Leader, vec!["L1", "L2"]),
        (a, Role::Mentor, vec!["M1", "M2"]),
        (b, Role::Sponsor, vec!["S2"]),
        (b, Role::Leader, vec!["L3"]),
        (b, Role::Mentor, vec!["M3"]),
    ] {
        let ids: Vec<String> = ids.into_iter().map(String::from).collect();
        programs::enroll(&store, p, role, &ids, None, "test").await.expect("enroll");
    }
    approve_pairs(&store, a, &[("L1", "M1"), ("L2", "M2")]).await;
    approve_pairs(&store, b, &[("L3", "M3")]).await;
    let hash = accounts::hash_password(PASSWORD).expect("hash");
    for who in ["s", "l1", "l2", "m1", "m2", "s2", "l3", "m3"] {
        accounts::upsert_with_hash(&store, &format!("{who}@lab.test"), &hash, false).await.expect("account");
    }
    accounts::upsert_with_hash(&store, "admin@ops.test", &hash, true).await.expect("admin");
    let pairs = store.pairs(a).await.expect("pairs");
    let state = plab_web::AppState::new(store.clone(), Arc::new(Vault::from_key([42; 32])));
    App {
        router: plab_web::router(state.clone()),
        state,
        store,
        program: a.0,
        pair1: pairs[0].id.0,
        pair2: pairs[1].id.0,
        _db: db,
    }
}

pub use plab_store::testing::approve_pairs;

/// An API authorization matrix: each row signs in as `who` (or stays
/// anonymous) and calls every route in order, expecting that column's status;
/// every refusal must be a JSON error.
pub async fn run_api_matrix<const N: usize>(
    app: &App,
    routes: &[(&str, String, Option<String>)],
    matrix: &[(Option<&str>, [StatusCode; N])],
) {
    api_matrix_refusals(app, routes, matrix).await;
}

/// `run_api_matrix`, returning every refusal's body, for a test that also
/// checks what no refusal may carry.
pub async fn api_matrix_refusals<const N: usize>(
    app: &App,
    routes: &[(&str, String, Option<String>)],
    matrix: &[(Option<&str>, [StatusCode; N])],
) -> Vec<Value> {
    assert_eq!(routes.len(), N, "one expected status per route");
    let mut refusals = Vec::new();
    for (who, expected) in matrix {
        let token = match who {
            Some(email) => Some(app.login(email).await),
            None => None,
        };
        for ((method, uri, body), want) in routes.iter().zip(expected) {
            let (status, value) = app.call(method, uri, token.as_deref(), body.clone()).await;
            assert_eq!(status, *want, "{who:?} {method} {uri}: {value}");
            if !status.is_success() {
                assert!(value["error"]["code"].is_string() && value["error"]["message"].is_string(), "{value}");
                refusals.push(value);
            }
        }
    }
    refusals
}

/// Whether a request's `uri` is one a route's path template matches (a
/// `{parameter}` stands for one segment; the query is not the path's).
pub fn matches_route(template: &str, uri: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    let (parts, segments): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    parts.len() == segments.len() && parts.iter().zip(&segments).all(|(p, s)| p.starts_with('{') || p == s)
}

/// An error answer: this status, and the JSON error shape.
pub fn assert_error_json(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "error JSON: {body}");
}

/// Both partners accept the lab rules; returns the pair's session ids.
pub async fn activate(app: &App, pair: i64, leader: &str, mentor: &str) -> Vec<i64> {
    for who in [leader, mentor] {
        let token = app.login(who).await;
        let (status, body) = app.call("POST", &format!("/api/v1/pairs/{pair}/charter"), Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let token = app.login(leader).await;
    let (_, sessions) = app.call("GET", &format!("/api/v1/pairs/{pair}/sessions"), Some(&token), None).await;
    sessions.as_array().expect("sessions").iter().map(|s| s["id"].as_i64().expect("id")).collect()
}

/// What the first three sessions of pair 1 (L1 and M1) record when held.
pub struct Held<'a> {
    pub homework: &'a str,
    /// The leader's pulse: listened, focused, shared_challenge.
    pub leader: [i64; 3],
    /// The mentor's pulse: led, candid, heard.
    pub mentor: [i64; 3],
    /// Whether the timer records a normal hour for each.
    pub timed: bool,
}

/// Activates pair 1 and holds its first three sessions (21, 14 and 7 days
/// ago) as `held` says; returns the pair's session ids.
pub async fn hold_first_three(app: &App, held: &Held<'_>) -> Vec<i64> {
    let ids = activate(app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (lt, mt) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    for (i, days_ago) in [21, 14, 7].into_iter().enumerate() {
        let at = time::OffsetDateTime::now_utc() - time::Duration::days(days_ago);
        app.store.reschedule_session(plab_domain::SessionId(ids[i]), at).await.expect("into the past");
        let hold = json!({"homework": held.homework, "previous_homework_done": i > 0}).to_string();
        let (status, body) =
            app.call("POST", &format!("/api/v1/sessions/{}/hold", ids[i]), Some(&lt), Some(hold)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if held.timed {
            for (segment, minutes) in
                [("Connect", 10), ("Mentor's Lab", 30), ("Mentee's Reflection", 15), ("Next Steps", 5)]
            {
                let body = json!({"segment": segment, "minutes": minutes}).to_string();
                app.call("POST", &format!("/api/v1/sessions/{}/segments", ids[i]), Some(&lt), Some(body)).await;
            }
        }
        let pulse = format!("/api/v1/sessions/{}/pulse", ids[i]);
        let [listened, focused, shared_challenge] = held.leader;
        let own = json!({"answers": {"listened": listened, "focused": focused, "shared_challenge": shared_challenge}});
        assert_eq!(app.call("PUT", &pulse, Some(&lt), Some(own.to_string())).await.0, StatusCode::OK);
        let [led, candid, heard] = held.mentor;
        let theirs = json!({"answers": {"led": led, "candid": candid, "heard": heard}});
        assert_eq!(app.call("PUT", &pulse, Some(&mt), Some(theirs.to_string())).await.0, StatusCode::OK);
    }
    ids
}

/// Moves a planned session into the past so that it can be held (the
/// services refuse to, as a partner would not hold a session next month).
pub async fn move_to_past(app: &App, session: i64) {
    let a_week_ago = time::OffsetDateTime::now_utc() - time::Duration::days(7);
    app.store.reschedule_session(plab_domain::SessionId(session), a_week_ago).await.expect("move");
}

impl App {
    /// The app's throw-away database (its URL, its folder on SQLite).
    pub fn db(&self) -> &TestDb {
        &self._db
    }

    /// A second handle on the app's database: another process or instance.
    pub async fn other_process(&self) -> Store {
        Store::connect(&self._db.url).await.expect("second connection")
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(body.map_or_else(Body::empty, Body::from)).expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    /// A password sign-in over the API: its status and answer.
    pub async fn try_login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        let body = json!({"email": email, "password": password}).to_string();
        self.call("POST", "/api/v1/auth/login", None, Some(body)).await
    }

    /// The path of the signed-in person's calendar feed (its secret included).
    pub async fn feed_path(&self, token: &str) -> String {
        let (_, me) = self.call("GET", "/api/v1/me", Some(token), None).await;
        me["calendar_url"].as_str().expect("calendar_url").trim_start_matches("http://localhost").to_owned()
    }

    pub async fn login(&self, email: &str) -> String {
        let (status, body) = self
            .call("POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": PASSWORD}).to_string()))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().expect("token").to_owned()
    }
}

/// Runs one test on a fresh app over `db`; without a database (PostgreSQL
/// not configured outside CI) it says so and passes.
pub fn run<Fut: Future<Output = ()>>(db: Option<TestDb>, test: impl FnOnce(App) -> Fut) {
    let Some(db) = db else { return };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async { test(spawn_app(db).await).await });
}
