//! `plab person export`: the operator's copy of a person's export is the
//! document the person downloads, and an unknown id writes nothing.
use crate::serve::{http, login, plab, start_with};
use plab_store::testing::TestDb;
use serde_json::{Value, json};

/// The document without what differs between two exports taken one after
/// the other: when it was taken, and the audit log (each export adds to it).
fn data(mut doc: Value) -> Value {
    let map = doc.as_object_mut().expect("an object");
    map.remove("exported_at");
    map.remove("audit");
    doc
}

fn the_operators_export_is_the_document_the_person_downloads(db: TestDb) {
    let dir = std::env::temp_dir().join(format!("plab_person_{}_{}", std::process::id(), db.url.len()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = plab(&db.url, &dir).args(["demo", "--people", "200", "--json"]).output().expect("demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
    let server = start_with(&db.url, &dir, &[]);
    let leader = summary["leaders"][0].as_str().expect("leader");
    let token = login(&server.addr, leader);
    let (_, me) = http(&server.addr, "GET", "/api/v1/me", Some(&token), None);
    let id = me["id"].as_str().expect("employee id").to_owned();
    let program = summary["program"].as_i64().expect("program");
    let (_, pairs) = http(&server.addr, "GET", &format!("/api/v1/programs/{program}/pairs"), Some(&token), None);
    let pair = pairs[0]["id"].as_i64().expect("the leader has a pair");
    let note = json!({"body": "canary-cli-note-5521"});
    let (status, _) = http(&server.addr, "POST", &format!("/api/v1/pairs/{pair}/notes"), Some(&token), Some(&note));
    assert_eq!(status, 201);

    let (status, api) = http(&server.addr, "GET", "/api/v1/me/export", Some(&token), None);
    assert_eq!(status, 200, "{api}");
    let file = dir.join("export.json");
    let out = plab(&db.url, &dir)
        .args(["person", "export", "--employee-id", &id, "--output"])
        .arg(&file)
        .output()
        .expect("person export");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert!(cli.to_string().contains("canary-cli-note-5521"), "the notes key opens the pair's notes: {cli}");
    assert_eq!(cli["person"]["employee_id"], id.as_str());
    // The person's own export came first and is in the document; the
    // operator's is recorded once the document is made, so it is not.
    let exports: Vec<&Value> =
        cli["audit"].as_array().expect("audit").iter().filter(|e| e["action"] == "person.export").collect();
    assert_eq!(exports.len(), 1, "{}", cli["audit"]);
    assert_eq!(exports[0]["detail"], "by the person, from their account");
    assert_eq!(data(cli), data(api));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the export holds notes in the clear: owner only");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

fn an_unknown_employee_id_exits_2_naming_it_and_writes_nothing(db: TestDb) {
    let dir = std::env::temp_dir().join(format!("plab_person_unknown_{}_{}", std::process::id(), db.url.len()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("nobody.json");
    let out = plab(&db.url, &dir)
        .args(["person", "export", "--employee-id", "NOBODY-42", "--output"])
        .arg(&file)
        .output()
        .expect("person export");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("NOBODY-42") && stderr.contains("--employee-id"), "{stderr}");
    assert!(!file.exists() && !dir.join("nobody.json.partial").exists(), "nothing written");
    let _ = std::fs::remove_dir_all(dir);
}

crate::backends!(
    the_operators_export_is_the_document_the_person_downloads,
    an_unknown_employee_id_exits_2_naming_it_and_writes_nothing,
);
