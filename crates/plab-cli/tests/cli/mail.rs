//! E-mail as `plab serve` sends it, to a real SMTP server on loopback
//! (`mailin-embedded`), read back with `mail-parser`: two processes on one
//! database send each invitation once; mail waits while the SMTP server is
//! down and goes out when it is back; `plab mail status` says whether mail is
//! on and refuses bad mail settings.
use crate::serve::{Server, http, login, plab, start_with};
use plab_store::testing::TestDb;
use plab_store::testing::smtp::{Mail, Sink, free_port};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

crate::backends!(
    two_serve_processes_on_one_database_deliver_each_invitation_once,
    mail_waits_while_the_smtp_server_is_down_and_goes_out_when_it_comes_up,
    mail_status_says_when_mail_is_off_and_a_bad_smtp_url_is_refused,
);

const LEADER: &str = "vic@acme.test";
const MENTOR: &str = "ana@acme.test";
/// The sign-in password `serve::login` uses.
const PASSWORD: &str = "perspective-lab-demo";
const SESSIONS: usize = 3;

/// A folder for the files of one test, removed at its end.
struct Folder(PathBuf);

impl Folder {
    fn new() -> Folder {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!("plab_cli_mail_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let dir = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One message as the SMTP server received it: envelope recipients and data.
fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Asks `check` every 100 ms until it answers, for at most `within`.
fn poll<T>(what: &str, within: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(done) = check() {
            return done;
        }
        assert!(started.elapsed() < within, "waited {within:?} for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `plab ARGS` on `db`, with `env` as its only mail settings.
fn run(db: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    plab(db, dir).args(args).envs(env.iter().copied()).output().expect("run plab")
}

fn ok(db: &str, dir: &Path, args: &[&str]) -> String {
    let out = run(db, dir, args, &[]);
    assert!(out.status.success(), "plab {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn mail_status(db: &str, dir: &Path, env: &[(&str, &str)]) -> Value {
    let out = run(db, dir, &["mail", "status", "--json"], env);
    assert!(out.status.success(), "plab mail status: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

/// The settings `plab serve` needs to deliver mail through `smtp_url`.
fn mail_on(smtp_url: &str, retry_seconds: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("PLAB_SMTP_URL", smtp_url.to_owned()),
        ("PLAB_MAIL_FROM", "Perspective Lab <lab@acme.test>".to_owned()),
        ("PLAB_PUBLIC_URL", "https://lab.acme.test".to_owned()),
        ("PLAB_MAIL_RETRY_SECONDS", retry_seconds.to_owned()),
    ]
}

fn as_refs<'a>(env: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A program of `SESSIONS` sessions starting in four weeks, with one approved
/// pair (leader Vic, mentor Ana) that has not accepted the lab rules yet, and
/// both partners able to sign in. Returns the pair's id.
fn forming_pair(db: &str, dir: &Path) -> i64 {
    let people = "employee_id,name,email,department,manager_id,hire_date,level,title,perspectives\n\
        ceo,Cara Ceo,cara@acme.test,Executive,,2001-02-03,10,CEO,\n\
        vp,Vic Vp,vic@acme.test,Operations,ceo,2004-05-06,8,VP Operations,\n\
        an,Ana Analyst,ana@acme.test,Product,ceo,2024-01-15,2,Analyst,\n";
    std::fs::write(dir.join("org.csv"), people).expect("org.csv");
    std::fs::write(dir.join("settings.json"), format!("{{\"sessions\": {SESSIONS}}}")).expect("settings");
    ok(db, dir, &["import", "people", "org.csv"]);
    let starts = (time::OffsetDateTime::now_utc().date() + time::Duration::days(28)).to_string();
    let created: Value = serde_json::from_str(&ok(
        db,
        dir,
        &["program", "create", "--name", "Mail", "--starts", &starts, "--settings", "settings.json", "--json"],
    ))
    .expect("json");
    let program = created["id"].to_string();
    ok(db, dir, &["enroll", "--program", &program, "--role", "leader", "vp"]);
    ok(db, dir, &["enroll", "--program", &program, "--role", "mentor", "an"]);
    ok(db, dir, &["question", "set", "--program", &program, "--leader", "vp", "Why do new analysts skip our demo?"]);
    ok(db, dir, &["match", "--program", &program]);
    ok(db, dir, &["pairing", "approve", "--program", &program]);
    for email in [LEADER, MENTOR] {
        let mut child = plab(db, dir)
            .args(["user", "set-password", "--email", email])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn");
        child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
        assert!(child.wait().expect("set-password").success());
    }
    let pairs: Value =
        serde_json::from_str(&ok(db, dir, &["pairing", "list", "--program", &program, "--json"])).expect("json");
    assert_eq!(pairs[0]["status"], "forming", "{pairs}");
    pairs[0]["id"].as_i64().expect("pair id")
}

/// The leader accepts the lab rules on `leaders_server`, the mentor on
/// `mentors_server`; returns how many sessions the now active pair has.
fn make_active(leaders_server: &Server, mentors_server: &Server, pair: i64) -> usize {
    let charter = format!("/api/v1/pairs/{pair}/charter");
    let mut last = Value::Null;
    for (server, who) in [(leaders_server, LEADER), (mentors_server, MENTOR)] {
        let token = login(&server.addr, who);
        let (status, body) = http(&server.addr, "POST", &charter, Some(&token), None);
        assert_eq!(status, 200, "{who} accepts the lab rules: {body}");
        last = body;
    }
    assert_eq!(last["status"], "active", "{last}");
    let token = login(&mentors_server.addr, MENTOR);
    let (status, sessions) =
        http(&mentors_server.addr, "GET", &format!("/api/v1/pairs/{pair}/sessions"), Some(&token), None);
    assert_eq!(status, 200, "{sessions}");
    let planned = sessions.as_array().expect("sessions").len();
    assert_eq!(planned, SESSIONS, "the program's sessions are planned: {sessions}");
    planned
}

/// Each message went to one partner, is a distinct message, and carries an
/// iMIP invitation; each partner got one per session.
fn assert_one_invitation_per_session_and_partner(mails: &[Mail], sessions: usize) {
    assert_eq!(mails.len(), sessions * 2, "{mails:#?}");
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert!(!ids.contains(""), "every message has a Message-ID: {mails:#?}");
    assert_eq!(ids.len(), mails.len(), "a message arrived twice: {mails:#?}");
    for m in mails {
        assert!(m.to == [LEADER] || m.to == [MENTOR], "sent to {:?}", m.to);
        let request =
            m.calendar.as_ref().is_some_and(|(method, text)| method == "REQUEST" && text.contains("METHOD:REQUEST"));
        assert!(request, "no iMIP request in {}", m.message_id);
    }
    for partner in [LEADER, MENTOR] {
        assert_eq!(mails.iter().filter(|m| m.to == [partner]).count(), sessions, "{partner}'s invitations");
    }
}

fn count(status: &Value, field: &str) -> u64 {
    status[field].as_u64().unwrap_or_else(|| panic!("{field} in {status}"))
}

fn two_serve_processes_on_one_database_deliver_each_invitation_once(db: TestDb) {
    let dir = Folder::new();
    let pair = forming_pair(&db.url, &dir.0);
    let sink = Sink::start(free_port());
    let env = mail_on(&sink.url(), "1");
    let (a, b) = (start_with(&db.url, &dir.0, &as_refs(&env)), start_with(&db.url, &dir.0, &as_refs(&env)));
    let sessions = make_active(&a, &b, pair);
    let expected = sessions * 2;
    poll("every invitation at the SMTP server", Duration::from_secs(20), || (sink.count() >= expected).then_some(()));
    // Each server delivers every 2 s: two more rounds of both would have sent
    // anything twice by now.
    std::thread::sleep(Duration::from_secs(4));
    assert_one_invitation_per_session_and_partner(&sink.parsed(), sessions);
    let status = mail_status(&db.url, &dir.0, &as_refs(&env));
    assert_eq!(status["configured"], true, "{status}");
    assert_eq!(
        (count(&status, "sent"), count(&status, "pending"), count(&status, "sending"), count(&status, "failed")),
        (expected as u64, 0, 0, 0),
        "{status}"
    );
}

fn mail_waits_while_the_smtp_server_is_down_and_goes_out_when_it_comes_up(db: TestDb) {
    let dir = Folder::new();
    let pair = forming_pair(&db.url, &dir.0);
    let port = free_port();
    let env = mail_on(&smtp_url(port), "1");
    let server = start_with(&db.url, &dir.0, &as_refs(&env));
    let sessions = make_active(&server, &server, pair);
    let expected = sessions * 2;
    let waiting = poll("the connection error in plab mail status", Duration::from_secs(20), || {
        let s = mail_status(&db.url, &dir.0, &as_refs(&env));
        let errors = s["recent_errors"].as_array().is_some_and(|e| !e.is_empty());
        (count(&s, "pending") > 0 && errors).then_some(s)
    });
    assert_eq!((count(&waiting, "sent"), count(&waiting, "failed")), (0, 0), "nothing failed for good: {waiting}");
    for e in waiting["recent_errors"].as_array().expect("errors") {
        assert!(e["recipient"] == LEADER || e["recipient"] == MENTOR, "{e}");
        assert!(e["attempts"].as_u64().is_some_and(|n| n >= 1), "{e}");
        assert!(e["error"].as_str().is_some_and(|t| !t.is_empty()), "{e}");
        assert_ne!(e["status"], "failed", "{e}");
    }
    let sink = Sink::start(port);
    let done = poll("every invitation sent once the SMTP server is up", Duration::from_secs(20), || {
        if sink.count() < expected {
            return None;
        }
        let s = mail_status(&db.url, &dir.0, &as_refs(&env));
        (count(&s, "pending") == 0 && count(&s, "sending") == 0).then_some(s)
    });
    assert_eq!((count(&done, "sent"), count(&done, "failed")), (expected as u64, 0), "{done}");
    assert_one_invitation_per_session_and_partner(&sink.parsed(), sessions);
}

fn mail_status_says_when_mail_is_off_and_a_bad_smtp_url_is_refused(db: TestDb) {
    let dir = Folder::new();
    let out = run(&db.url, &dir.0, &["mail", "status"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("off"), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let off = mail_status(&db.url, &dir.0, &[]);
    assert_eq!(off["configured"], false, "{off}");
    let on = mail_status(
        &db.url,
        &dir.0,
        &[("PLAB_SMTP_URL", "smtp://127.0.0.1:2525"), ("PLAB_MAIL_FROM", "lab@acme.test")],
    );
    assert_eq!(on["configured"], true, "{on}");
    for (env, named) in [
        (&[("PLAB_SMTP_URL", "http://x"), ("PLAB_MAIL_FROM", "lab@acme.test")][..], "PLAB_SMTP_URL"),
        (&[("PLAB_SMTP_URL", "smtp://127.0.0.1:2525")][..], "PLAB_MAIL_FROM"),
    ] {
        let out = run(&db.url, &dir.0, &["mail", "status"], env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{env:?}: {stderr}");
        assert!(stderr.contains(named), "{env:?} names {named}: {stderr}");
        assert!(out.stdout.is_empty(), "{env:?}: nothing on stdout");
    }
}
