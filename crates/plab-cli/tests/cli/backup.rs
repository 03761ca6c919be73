//! `plab backup`, `plab backup verify` and `plab restore`: a copy taken while
//! the data is written restores to exactly what it counts, on either backend
//! and across them; a file cut short, edited or encrypted for someone else is
//! refused; the notes key is never inside; a restore writes into an empty
//! database only, and only with the key that opens the notes.
use crate::commands::Plab;
use plab_store::testing::TestDb;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

fn status(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A demo organisation with a running program whose homework is sealed under
/// `notes.key`, plus a few notes of one pair.
fn demo(db: TestDb) -> (Plab, PathBuf) {
    let plab = Plab::new(db);
    plab.ok(&["notes", "new-key", "notes.key"]);
    plab.ok(&["demo", "--people", "120", "--notes-key", "notes.key", "--json"]);
    let key = plab.dir.join("notes.key");
    (plab, key)
}

fn rows(summary: &Value) -> Vec<(String, u64)> {
    summary["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| (t["table"].as_str().expect("name").to_owned(), t["rows"].as_u64().expect("rows")))
        .collect()
}

fn count(summary: &Value, table: &str) -> u64 {
    rows(summary).into_iter().find(|(t, _)| t == table).map_or(0, |(_, n)| n)
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs `plab ARGS` against the database at `url` from `plab`'s folder.
fn run_on(plab: &Plab, url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plab"));
    cmd.args(args).env("PLAB_DATABASE_URL", url).env_remove("PLAB_NOTES_KEY").current_dir(&plab.dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run plab")
}

/// What a database holds, as a fresh backup of it counts it (tables with rows only).
fn counts_of(plab: &Plab, url: &str, name: &str) -> Vec<(String, u64)> {
    let file = plab.dir.join(name);
    let out = run_on(plab, url, &["backup", "--to", arg(&file), "--json"], &[]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
    rows(&summary).into_iter().filter(|(_, n)| *n > 0).collect()
}

/// True when no table of the database at `url` holds a row (rows the
/// migrations put there aside), or it holds no tables at all.
fn empty(url: &str) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let store = plab_app::Store::connect_unmigrated(url).await.expect("connect");
        let first = store.first_table_with_rows().await.expect("tables");
        store.close().await;
        first.is_none()
    })
}

/// True when a writer's write went in; false when SQLite said another writer
/// held the database (writers contend with each other, never with the backup,
/// which only reads); any other error fails the test.
fn busy<E: std::fmt::Display>(result: Result<(), E>) -> bool {
    match result {
        Ok(()) => true,
        Err(e) if e.to_string().contains("database is locked") => false,
        Err(e) => panic!("a writer failed: {e}"),
    }
}

/// Writers adding notes, pulse answers and people to the database at `url`
/// until told to stop; returns how many writes each made.
fn spawn_writers(url: &str, key: &Path, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    let (url, key) = (url.to_owned(), key.to_owned());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
        rt.block_on(async move {
            let store = plab_app::Store::connect(&url).await.expect("connect");
            let vault = plab_app::vault::Vault::from_file(&key).expect("key");
            let program = store.programs().await.expect("programs")[0].id;
            let pair =
                store.pairs(program).await.expect("pairs").into_iter().find(|p| p.is_open()).expect("an open pair");
            let sessions = store.sessions(pair.id).await.expect("sessions");
            let written = Arc::new(AtomicU64::new(0));
            let notes = {
                let (store, stop, written) = (store.clone(), stop.clone(), written.clone());
                let leader = pair.pair.leader.clone();
                tokio::spawn(async move {
                    let actor = crate::commands::partner(&leader);
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        let note = format!("note written during {i}");
                        if busy(plab_app::lab::add_note(&store, &vault, &actor, pair.id, &note).await.map(|_| ())) {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            };
            let pulses = {
                let (store, stop, written) = (store.clone(), stop.clone(), written.clone());
                let leader = pair.pair.leader.clone();
                tokio::spawn(async move {
                    let mut i = 0u64;
                    while !stop.load(Ordering::Relaxed) && !sessions.is_empty() {
                        let session = sessions[(i as usize) % sessions.len()].id;
                        let item = format!("item{}", i % 5);
                        let saved = store.save_pulse(session, &leader, "leader", &[(item.as_str(), 4)]).await;
                        if busy(saved) {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                        i += 1;
                    }
                })
            };
            let people = {
                let (stop, written) = (stop.clone(), written.clone());
                tokio::task::spawn_blocking(move || {
                    static RUN: AtomicU64 = AtomicU64::new(0);
                    let run = RUN.fetch_add(1, Ordering::Relaxed);
                    let dir = std::env::temp_dir().join(format!("plab_backup_writers_{}_{run}", std::process::id()));
                    std::fs::create_dir_all(&dir).expect("dir");
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        let file = dir.join(format!("new{i}.csv"));
                        std::fs::write(
                            &file,
                            format!(
                                "employee_id,name,email,department,manager_id,hire_date,level,title,perspectives\n\
                                 new{i},New Person {i},new{i}@acme.test,Product,,2025-01-06,2,Analyst,\n"
                            ),
                        )
                        .expect("csv");
                        let out = std::process::Command::new(env!("CARGO_BIN_EXE_plab"))
                            .args(["import", "people", file.to_str().expect("path")])
                            .env("PLAB_DATABASE_URL", &url)
                            .output()
                            .expect("import");
                        let said = String::from_utf8_lossy(&out.stderr);
                        assert!(out.status.success() || said.contains("database is locked"), "import: {said}");
                        if out.status.success() {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    let _ = std::fs::remove_dir_all(dir);
                })
            };
            for task in [notes, pulses] {
                task.await.expect("writer");
            }
            people.await.expect("people writer");
            store.close().await;
            written.load(Ordering::Relaxed)
        })
    })
}

/// A backup taken while notes, pulses and people are written restores into
/// `target` with exactly the counts of its trailer and every note readable.
fn a_backup_taken_during_writes_restores_to_its_counts(source: TestDb, target: TestDb) {
    let (plab, key) = demo(source);
    let url = plab.db.url.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let writers = spawn_writers(&url, &key, stop.clone());
    std::thread::sleep(std::time::Duration::from_millis(300));
    let file = plab.dir.join("during.plab");
    let made = plab.json(&["backup", "--to", arg(&file), "--json"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    assert!(writers.join().expect("writers") > 0, "the writers wrote");
    assert!(!plab.dir.join("during.plab.partial").exists(), "no .partial is left once it is complete");

    let key_id = plab_app::vault::Vault::from_file(&key).expect("key").key_id().to_owned();
    assert_eq!(made["note_key_ids"], serde_json::json!([key_id]));
    let checked = plab.json(&["backup", "verify", arg(&file), "--json"]);
    assert_eq!(rows(&checked), rows(&made));

    let restored =
        run_on(&plab, &target.url, &["restore", "--from", arg(&file), "--notes-key", arg(&key), "--json"], &[]);
    assert_eq!(status(&restored), 0, "{}", stderr(&restored));
    let restored: Value = serde_json::from_slice(&restored.stdout).expect("json");
    assert_eq!(rows(&restored), rows(&made));
    assert!(count(&made, "notes") > 0 && count(&made, "people") >= 120);
    assert_eq!(restored["notes_opened"].as_u64(), Some(count(&made, "notes")), "every note opened with the key");

    // What the restored database holds, counted afresh, is the trailer's.
    let again = counts_of(&plab, &target.url, "again.plab");
    let expected: Vec<(String, u64)> = rows(&made).into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(again, expected);
    // …the server's own check accepts the key (the restore opened every note:
    // `notes_opened` above), and the audit log's chain came across whole.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let store = plab_app::Store::connect(&target.url).await.expect("connect");
        plab_app::vault::open_for(&store, &plab.dir.join("notes.key")).await.expect("the key fits");
        let chain = store.verify_audit_chain().await.expect("verify");
        assert!(chain.entries > 0 && chain.problem.is_none(), "{chain:?}");
        store.close().await;
    });
}

fn a_backup_during_writes_restores_to_its_counts_on_one_backend(db: TestDb) {
    let target = match db.dir() {
        Some(_) => TestDb::sqlite(),
        None => TestDb::postgres().expect("postgres"),
    };
    a_backup_taken_during_writes_restores_to_its_counts(db, target);
}

#[test]
#[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
fn an_sqlite_backup_taken_during_writes_restores_into_postgresql() {
    let Some(target) = TestDb::postgres() else { return };
    a_backup_taken_during_writes_restores_to_its_counts(TestDb::sqlite(), target);
}

#[test]
#[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
fn a_postgresql_backup_restores_into_sqlite() {
    let Some(source) = TestDb::postgres() else { return };
    a_backup_taken_during_writes_restores_to_its_counts(source, TestDb::sqlite());
}

fn a_backup_cut_short_or_left_partial_is_refused_and_the_target_stays_empty(db: TestDb) {
    let (plab, key) = demo(db);
    let good = plab.dir.join("good.plab");
    plab.ok(&["backup", "--to", arg(&good)]);
    let bytes = std::fs::read(&good).expect("read");
    let half = plab.dir.join("half.plab");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).expect("write");
    let partial = plab.dir.join("left.plab.partial");
    std::fs::write(&partial, &bytes[..bytes.len() / 3]).expect("write");
    // An edited row: one digit of a count changed, the file otherwise whole.
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let edited = plab.dir.join("edited.plab");
    let at = text.find("\n[").expect("a row") + 2;
    let mut changed = text.clone().into_bytes();
    changed[at] = if changed[at] == b'9' { b'8' } else { b'9' };
    std::fs::write(&edited, changed).expect("write");

    let target = TestDb::sqlite();
    for (file, says) in [
        (&half, "truncated"),
        (&partial, "did not finish"),
        (&plab.dir.join("left.plab"), "did not finish"),
        (&edited, "changed"),
    ] {
        let verify = plab.run(&["backup", "verify", arg(file)]);
        assert_eq!(status(&verify), 2, "verify {}", file.display());
        assert!(stderr(&verify).contains(says), "verify {}: {}", file.display(), stderr(&verify));
        let restore = run_on(&plab, &target.url, &["restore", "--from", arg(file), "--notes-key", arg(&key)], &[]);
        assert_eq!(status(&restore), 2, "restore {}: {}", file.display(), stderr(&restore));
        assert!(stderr(&restore).contains(says), "restore {}: {}", file.display(), stderr(&restore));
        assert!(empty(&target.url), "nothing was written from {}", file.display());
    }
    assert_eq!(status(&plab.run(&["backup", "verify", arg(&good)])), 0);
}

fn a_restore_into_a_database_with_data_is_refused_and_writes_nothing(db: TestDb) {
    let (plab, key) = demo(db);
    let file = plab.dir.join("b.plab");
    plab.ok(&["backup", "--to", arg(&file)]);
    let target = TestDb::sqlite();
    let f = plab.file("one.csv", "employee_id,name,email,department,manager_id,hire_date,level,title,perspectives\nx1,Xena Ex,x1@acme.test,Sales,,2020-01-01,3,Rep,\n");
    assert_eq!(status(&run_on(&plab, &target.url, &["import", "people", arg(&f)], &[])), 0);
    let before = counts_of(&plab, &target.url, "before.plab");
    let out = run_on(&plab, &target.url, &["restore", "--from", arg(&file), "--notes-key", arg(&key)], &[]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert_eq!(counts_of(&plab, &target.url, "after.plab"), before, "nothing was written");
    // Into the source itself, too.
    let out = plab.run(&["restore", "--from", arg(&file), "--notes-key", arg(&key)]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
}

#[allow(deprecated)] // X25519, the recipients operators have today
fn an_encrypted_backup_opens_only_with_its_identity_and_holds_no_plaintext_or_key(db: TestDb) {
    use age::secrecy::ExposeSecret;
    let (plab, key) = demo(db);
    let identity = age::x25519::Identity::generate();
    let id_file = plab.file("backup.identity", &format!("{}\n", identity.to_string().expose_secret()));
    let other = age::x25519::Identity::generate();
    let other_file = plab.file("other.identity", &format!("{}\n", other.to_string().expose_secret()));
    let file = plab.dir.join("sealed.plab");
    let made = plab.json(&["backup", "--to", arg(&file), "--recipient", &identity.to_public().to_string(), "--json"]);
    assert_eq!(made["encrypted"], true);
    let bytes = std::fs::read(&file).expect("read");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    let plain = plab.dir.join("plain.plab");
    plab.ok(&["backup", "--to", arg(&plain)]);
    let plain_text = std::fs::read_to_string(&plain).expect("plain");
    for needle in ["\"people\"", "\"notes\"", "\"table\"", "plab-backup"] {
        assert!(plain_text.contains(needle), "the plain backup holds {needle}");
        assert!(!contains(&bytes, needle.as_bytes()), "the encrypted one does not: {needle}");
    }
    assert_key_absent(&bytes, &key);

    let no_identity = plab.run(&["backup", "verify", arg(&file)]);
    assert_eq!(status(&no_identity), 2);
    assert!(stderr(&no_identity).contains("--identity"), "{}", stderr(&no_identity));
    let wrong = plab.run(&["backup", "verify", arg(&file), "--identity", arg(&other_file)]);
    assert_eq!(status(&wrong), 2);
    assert!(stderr(&wrong).contains("other.identity"), "{}", stderr(&wrong));
    let checked = plab.json(&["backup", "verify", arg(&file), "--identity", arg(&id_file), "--json"]);
    assert_eq!(rows(&checked), rows(&made));

    let target = TestDb::sqlite();
    let refused = run_on(&plab, &target.url, &["restore", "--from", arg(&file), "--notes-key", arg(&key)], &[]);
    assert_eq!(status(&refused), 2, "{}", stderr(&refused));
    assert!(empty(&target.url));
    let out = run_on(
        &plab,
        &target.url,
        &["restore", "--from", arg(&file), "--identity", arg(&id_file), "--notes-key", arg(&key), "--json"],
        &[],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let restored: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rows(&restored), rows(&made));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The key file's hex text (either case), its 32 raw bytes and their base64
/// are nowhere in `bytes`.
fn assert_key_absent(bytes: &[u8], key: &Path) {
    use base64::Engine as _;
    let hex = std::fs::read_to_string(key).expect("key").trim().to_owned();
    let raw: Vec<u8> =
        (0..32).map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).expect("hex")).collect::<Vec<_>>();
    assert!(!contains(bytes, hex.to_lowercase().as_bytes()), "the key's hex");
    assert!(!contains(bytes, hex.to_uppercase().as_bytes()), "the key's hex");
    assert!(!contains(bytes, &raw), "the key's bytes");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    assert!(!contains(bytes, &b64.as_bytes()[..40]), "the key in base64");
}

fn the_notes_key_is_never_in_a_backup(db: TestDb) {
    let (plab, key) = demo(db);
    let file = plab.dir.join("b.plab");
    // Even when the key is in the environment of the backup run.
    let hex = std::fs::read_to_string(&key).expect("key").trim().to_owned();
    let out = run_on(&plab, &plab.db.url, &["backup", "--to", arg(&file)], &[("PLAB_NOTES_KEY", &hex)]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(&file).expect("read");
    assert!(contains(&bytes, b"\"notes\""), "the notes are in it, sealed");
    assert_key_absent(&bytes, &key);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let key_id = plab_app::vault::Vault::from_file(&key).expect("key").key_id().to_owned();
    assert!(stdout.contains(&key_id), "the summary names the key id needed: {stdout}");
    assert!(!stdout.contains(&hex), "never the key");
}

fn a_restore_with_a_notes_key_that_does_not_open_the_notes_is_refused_naming_both_key_ids(db: TestDb) {
    let (plab, key) = demo(db);
    let file = plab.dir.join("b.plab");
    plab.ok(&["backup", "--to", arg(&file)]);
    plab.ok(&["notes", "new-key", "other.key"]);
    let other = plab.dir.join("other.key");
    let (needed, given) = (
        plab_app::vault::Vault::from_file(&key).expect("key").key_id().to_owned(),
        plab_app::vault::Vault::from_file(&other).expect("key").key_id().to_owned(),
    );
    let target = TestDb::sqlite();
    let out = run_on(&plab, &target.url, &["restore", "--from", arg(&file), "--notes-key", arg(&other)], &[]);
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains(&needed) && stderr(&out).contains(&given), "{}", stderr(&out));
    assert!(empty(&target.url), "nothing was written");
    let missing = run_on(&plab, &target.url, &["restore", "--from", arg(&file), "--notes-key", "gone.key"], &[]);
    assert_eq!(status(&missing), 1, "{}", stderr(&missing));
    assert!(stderr(&missing).contains(&needed), "{}", stderr(&missing));
    assert!(empty(&target.url), "nothing was written");
}

crate::backends!(
    a_backup_during_writes_restores_to_its_counts_on_one_backend,
    a_backup_cut_short_or_left_partial_is_refused_and_the_target_stays_empty,
    a_restore_into_a_database_with_data_is_refused_and_writes_nothing,
    an_encrypted_backup_opens_only_with_its_identity_and_holds_no_plaintext_or_key,
    the_notes_key_is_never_in_a_backup,
    a_restore_with_a_notes_key_that_does_not_open_the_notes_is_refused_naming_both_key_ids,
);

/// The README's recipe for large PostgreSQL instances: `pg_dump
/// --format=custom` and `pg_restore` into a fresh database give a database
/// that `plab backup` counts the same as the original.
#[test]
#[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
fn the_readme_pg_dump_recipe_restores_a_database_with_the_same_counts() {
    let Some(source) = TestDb::postgres() else { return };
    let on_path =
        |tool: &str| std::process::Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !on_path("pg_dump") || !on_path("pg_restore") {
        assert!(std::env::var_os("CI").is_none(), "pg_dump and pg_restore must be on PATH under CI");
        eprintln!("skipped: pg_dump or pg_restore is not on PATH");
        return;
    }
    let (plab, _key) = demo(source);
    let target = TestDb::postgres().expect("postgres");
    let dump = plab.dir.join("plab.dump");
    let out = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file", arg(&dump), &plab.db.url])
        .output()
        .expect("pg_dump");
    assert!(out.status.success(), "pg_dump: {}", stderr(&out));
    let out = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname", &target.url, arg(&dump)])
        .output()
        .expect("pg_restore");
    assert!(out.status.success(), "pg_restore: {}", stderr(&out));
    let original = counts_of(&plab, &plab.db.url, "original.plab");
    assert!(original.iter().any(|(t, n)| t == "notes" && *n > 0), "{original:?}");
    assert_eq!(counts_of(&plab, &target.url, "restored.plab"), original);
}
