//! `plab program close` and `plab retention run` as an operator's scheduler
//! sees them (CONTRACT.md, "The data's life"): the day they act on is
//! `--as-of`, a dry run counts without destroying, a second run finds nothing.
use crate::commands::Plab;
use plab_store::testing::TestDb;
use serde_json::json;

crate::backends!(
    retention_runs_on_the_day_the_closed_programs_retention_ends_and_only_once,
    closing_and_running_refuse_bad_input_with_exit_2_naming_it,
);

fn retention_runs_on_the_day_the_closed_programs_retention_ends_and_only_once(db: TestDb) {
    let plab = Plab::new(db);
    let settings = plab.file("settings.json", r#"{"retention_days": 30}"#);
    let created = plab.json(&[
        "program",
        "create",
        "--name",
        "Kept 30 days",
        "--starts",
        "2029-01-08",
        "--settings",
        settings.to_str().expect("path"),
        "--json",
    ]);
    let program = created["id"].to_string();
    let _running = plab.json(&["program", "create", "--name", "Still running", "--starts", "2029-01-08", "--json"]);
    let closed = plab.json(&["program", "close", "--program", &program, "--as-of", "2030-01-01", "--json"]);
    assert_eq!(
        (closed["closed_on"].as_str(), closed["destroyed_on"].as_str()),
        (Some("2030-01-01"), Some("2030-01-31"))
    );
    // The day before: nothing is due.
    assert_eq!(plab.json(&["retention", "run", "--as-of", "2030-01-30", "--json"]), json!({"programs": []}));
    // A dry run on the day counts, and destroys nothing: the real run reports the same.
    let dry = plab.json(&["retention", "run", "--as-of", "2030-01-31", "--dry-run", "--json"]);
    let programs = dry["programs"].as_array().expect("programs");
    assert_eq!(programs.len(), 1, "{dry}");
    assert_eq!(programs[0]["program"], created["id"]);
    for kind in ["notes", "homework", "pulse_answers", "checkins", "self_assessments", "insights"] {
        assert!(programs[0]["destroyed"][kind].is_i64(), "{kind} in {dry}");
    }
    let real = plab.json(&["retention", "run", "--as-of", "2030-01-31", "--json"]);
    assert_eq!(real, dry);
    // Nothing more, ever: not the same day, not later; the running program is never touched.
    assert_eq!(plab.json(&["retention", "run", "--as-of", "2030-01-31", "--json"]), json!({"programs": []}));
    assert_eq!(plab.json(&["retention", "run", "--as-of", "2040-01-01", "--json"]), json!({"programs": []}));
    let audit = plab.json(&["audit", "--json"]);
    let actions: Vec<&str> = audit.as_array().expect("audit").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "retention.destroy").count(), 1, "{audit}");
    assert_eq!(actions.iter().filter(|a| **a == "program.close").count(), 1, "{audit}");
    assert!(plab.ok(&["retention", "run"]).contains("nothing is due"), "today, in words");
}

fn closing_and_running_refuse_bad_input_with_exit_2_naming_it(db: TestDb) {
    let plab = Plab::new(db);
    let created = plab.json(&["program", "create", "--name", "Spring", "--starts", "2029-01-08", "--json"]);
    let program = created["id"].to_string();
    for (args, says) in [
        (vec!["retention", "run", "--as-of", "2030-13-01"], "--as-of"),
        (vec!["program", "close", "--program", &program, "--as-of", "first of May"], "--as-of"),
        (vec!["program", "close", "--program", "999"], "999"),
        (vec!["program", "close", "--program", "spring"], "spring"),
    ] {
        let out = plab.run(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    plab.ok(&["program", "close", "--program", &program, "--as-of", "2030-01-01"]);
    let again = plab.run(&["program", "close", "--program", &program]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already closed on 2030-01-01"));
}
