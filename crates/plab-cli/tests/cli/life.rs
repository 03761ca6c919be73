//! `plab program show`, `plab program close-out` and `plab program next-cohort`
//! (CONTRACT.md, "A program's life"): the state in words and JSON, the
//! close-out once, the next cohort's id, and exit 2 with plain words on bad input.
use crate::commands::Plab;
use plab_store::testing::TestDb;

crate::backends!(
    a_program_is_shown_closed_out_and_its_next_cohort_started_from_the_command_line,
    life_commands_refuse_bad_input_with_exit_2_naming_it,
);

fn a_program_is_shown_closed_out_and_its_next_cohort_started_from_the_command_line(db: TestDb) {
    let plab = Plab::new(db);
    let created = plab.json(&["program", "create", "--name", "Spring", "--starts", "2029-01-08", "--json"]);
    let program = created["id"].to_string();
    let shown = plab.json(&["program", "show", "--program", &program, "--json"]);
    assert_eq!((shown["state"].as_str(), shown["kind"].as_str()), (Some("draft"), Some("standard")), "{shown}");
    assert!(plab.ok(&["program", "show", "--program", &program]).contains("state: draft"));
    // A draft has nothing to close out, nor a next cohort to start.
    let early = plab.run(&["program", "close-out", "--program", &program]);
    assert_eq!(early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&early.stderr).contains("only while the program is running"));
    let early =
        plab.run(&["program", "next-cohort", "--program", &program, "--name", "Summer", "--starts-on", "2029-06-01"]);
    assert_eq!(early.status.code(), Some(2));
    plab.ok(&["program", "close", "--program", &program]);
    let started = plab.json(&[
        "program",
        "next-cohort",
        "--program",
        &program,
        "--name",
        "Summer",
        "--starts-on",
        "2029-06-01",
        "--json",
    ]);
    let next = started["id"].to_string();
    let shown = plab.json(&["program", "show", "--program", &next, "--json"]);
    assert_eq!(shown["previous_program"].to_string(), program, "{shown}");
    assert_eq!(shown["name"], "Summer");
    let phase = plab.ok(&[
        "program",
        "next-cohort",
        "--program",
        &program,
        "--name",
        "Swap",
        "--starts-on",
        "2029-06-01",
        "--reciprocal",
    ]);
    assert!(phase.starts_with("started program "), "{phase}");
}

fn life_commands_refuse_bad_input_with_exit_2_naming_it(db: TestDb) {
    let plab = Plab::new(db);
    let created = plab.json(&["program", "create", "--name", "Spring", "--starts", "2029-01-08", "--json"]);
    let program = created["id"].to_string();
    plab.ok(&["program", "close", "--program", &program]);
    for (args, says) in [
        (vec!["program", "show", "--program", "spring"], "spring"),
        (vec!["program", "show", "--program", "999"], "999"),
        (vec!["program", "close-out", "--program", "999"], "999"),
        (vec!["program", "next-cohort", "--program", &program, "--name", "N", "--starts-on", "soon"], "starts_on"),
        (vec!["program", "next-cohort", "--program", &program, "--name", " ", "--starts-on", "2029-06-01"], "name"),
    ] {
        let out = plab.run(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}
