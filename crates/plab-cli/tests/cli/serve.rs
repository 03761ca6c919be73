//! `plab serve` as a process: sign-in over HTTP, and two instances on one
//! database behaving as one (all state lives in the database).
use plab_store::testing::TestDb;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    /// The rest of the server's stderr: its logs.
    stderr: std::io::Lines<BufReader<std::process::ChildStderr>>,
}

impl Server {
    /// Stops the server and returns everything it logged after starting.
    fn logs(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr.by_ref().map_while(Result::ok).collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `plab` on `db` from `dir`, with the test's notes key and none of the
/// mail settings of the shell that runs the tests.
pub(crate) fn plab(db: &str, dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_plab"));
    c.env("PLAB_DATABASE_URL", db).env("PLAB_NOTES_KEY", KEY).current_dir(dir);
    for name in ["PLAB_SMTP_URL", "PLAB_MAIL_FROM", "PLAB_PUBLIC_URL", "PLAB_MAIL_RETRY_SECONDS"] {
        c.env_remove(name);
    }
    c
}

fn start(db: &str, dir: &std::path::Path) -> Server {
    start_with(db, dir, &[])
}

/// `plab serve` on a free port with `env` added, once it says it is serving.
pub(crate) fn start_with(db: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let mut child = plab(db, dir)
        .envs(env.iter().copied())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn plab serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("plab serve exited early").expect("read stderr");
        if let Some(rest) = line.strip_prefix("serving on http://") {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    Server { child, addr, stderr: lines }
}

/// A minimal HTTP/1.1 client: enough to talk to our own server in a test.
pub(crate) fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status: u16 = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    let payload = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(payload).unwrap_or(Value::Null))
}

pub(crate) fn login(addr: &str, email: &str) -> String {
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": email, "password": "perspective-lab-demo"})),
    );
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().expect("token").to_owned()
}

fn demo(db: &str, dir: &std::path::Path) -> Value {
    let out = plab(db, dir).args(["demo", "--people", "200", "--json"]).output().expect("demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn two_instances_share_sign_ins_pairs_and_notes(db: TestDb) {
    let dir = std::env::temp_dir().join(format!("plab_serve_{}_{}", std::process::id(), db.url.len()));
    std::fs::create_dir_all(&dir).expect("dir");
    let summary = demo(&db.url, &dir);
    let (a, b) = (start(&db.url, &dir), start(&db.url, &dir));
    let leader = summary["leaders"][0].as_str().expect("leader");
    let token = login(&a.addr, leader);
    // A token issued by one instance works on the other.
    let (status, me) = http(&b.addr, "GET", "/api/v1/me", Some(&token), None);
    assert_eq!(status, 200, "{me}");
    let program = summary["program"].as_i64().expect("program");
    let (_, pairs) = http(&b.addr, "GET", &format!("/api/v1/programs/{program}/pairs"), Some(&token), None);
    let pair = pairs[0]["id"].as_i64().expect("the leader has a pair");
    let mentor = pairs[0]["mentor"]["email"].as_str().expect("mentor").to_owned();
    // A note written through one instance is read, decrypted, through the other.
    let (status, _) = http(
        &a.addr,
        "POST",
        &format!("/api/v1/pairs/{pair}/notes"),
        Some(&token),
        Some(&json!({"body": "our Friday demo"})),
    );
    assert_eq!(status, 201);
    let (status, notes) =
        http(&b.addr, "GET", &format!("/api/v1/pairs/{pair}/notes"), Some(&login(&b.addr, &mentor)), None);
    assert_eq!((status, notes[0]["body"].as_str()), (200, Some("our Friday demo")));
    // And the sponsor, on either instance, cannot read it.
    let sponsor = login(&b.addr, summary["sponsor"].as_str().expect("sponsor"));
    for addr in [&a.addr, &b.addr] {
        let (status, refused) = http(addr, "GET", &format!("/api/v1/pairs/{pair}/notes"), Some(&sponsor), None);
        assert_eq!(status, 403);
        assert!(!refused.to_string().contains("Friday demo"), "the refusal carries no note: {refused}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_instances_on_one_sqlite_database_behave_as_one() {
    two_instances_share_sign_ins_pairs_and_notes(TestDb::sqlite());
}

#[test]
#[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
fn two_instances_on_one_postgres_database_behave_as_one() {
    if let Some(db) = TestDb::postgres() {
        two_instances_share_sign_ins_pairs_and_notes(db);
    }
}

#[test]
fn set_password_reads_stdin_and_enables_sign_in() {
    let db = TestDb::sqlite();
    let dir = db.dir().expect("sqlite dir").to_path_buf();
    let mut child = plab(&db.url, &dir)
        .args(["user", "set-password", "--email", "Ops@Example.com", "--admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"a long admin password\n").expect("write");
    assert!(child.wait().expect("wait").success());
    let server = start(&db.url, &dir);
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "ops@example.com", "password": "a long admin password"})),
    );
    assert_eq!(status, 200, "{body}");
    let (status, me) = http(&server.addr, "GET", "/api/v1/me", body["token"].as_str(), None);
    assert_eq!((status, me["is_admin"].as_bool()), (200, Some(true)));
    let out = plab(&db.url, &dir)
        .args(["user", "set-password", "--email", "x@example.com"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "an empty password is refused");
}

#[test]
fn the_server_logs_one_line_per_request_and_never_a_password_note_or_secret_path() {
    let db = TestDb::sqlite();
    let dir = db.dir().expect("sqlite dir").to_path_buf();
    let summary = demo(&db.url, &dir);
    let server = start(&db.url, &dir);
    let leader = summary["leaders"][0].as_str().expect("leader");
    let token = login(&server.addr, leader);
    let (_, me) = http(&server.addr, "GET", "/api/v1/me", Some(&token), None);
    let program = summary["program"].as_i64().expect("program");
    let (_, pairs) = http(&server.addr, "GET", &format!("/api/v1/programs/{program}/pairs"), Some(&token), None);
    let pair = pairs[0]["id"].as_i64().expect("pair");
    let note = json!({"body": "a candid remark about the VP that must stay in the lab"});
    assert_eq!(http(&server.addr, "POST", &format!("/api/v1/pairs/{pair}/notes"), Some(&token), Some(&note)).0, 201);
    let calendar = me["calendar_url"].as_str().expect("calendar url");
    let calendar_path = &calendar[calendar.find("/calendar/").expect("path")..];
    assert_eq!(http(&server.addr, "GET", calendar_path, None, None).0, 200);
    let logs = server.logs();
    assert!(logs.contains("route=\"/api/v1/auth/login\"") && logs.contains("status=200"), "{logs}");
    assert!(logs.contains("route=\"/api/v1/pairs/{pair}/notes\"") && logs.contains("status=201"), "{logs}");
    assert!(logs.contains("method=POST") && logs.contains("ms="), "{logs}");
    for secret in ["perspective-lab-demo", "candid remark", &token, calendar_path] {
        assert!(!logs.contains(secret), "the logs carry '{secret}': {logs}");
    }
}
