//! One person, one role per program, and the group-size floor only the
//! operator changes, as `plab` users see them: exit 2 naming the person or
//! the field, nothing written, every change of the floor audited.
use crate::commands::Plab;
use plab_store::testing::TestDb;

crate::backends!(
    a_cli_enrolment_that_would_combine_roles_exits_2_and_enrols_nobody,
    only_the_operator_sets_the_group_size_floor_and_programs_stay_above_it,
);

/// A database with a small organisation imported.
fn with_org(db: TestDb) -> Plab {
    let plab = Plab::new(db);
    let org = plab.file(
        "org.csv",
        "employee_id,name,email,department,manager_id,hire_date,level\n\
             ceo,Cara Ceo,cara@acme.test,Executive,,2001-02-03,10\n\
             vp,Vic Vp,vic@acme.test,Operations,ceo,2004-05-06,8\n\
             pm,Pat Pm,pat@acme.test,Product,vp,2024-01-15,2\n",
    );
    plab.ok(&["import", "people", org.to_str().expect("path")]);
    plab
}

/// Runs a command that must be refused as bad input; returns its stderr.
fn refused(plab: &Plab, args: &[&str]) -> String {
    let out = plab.run(args);
    assert_eq!(out.status.code(), Some(2), "plab {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn a_cli_enrolment_that_would_combine_roles_exits_2_and_enrols_nobody(db: TestDb) {
    let plab = with_org(db);
    let id = plab.json(&["program", "create", "--name", "Spring cohort", "--starts", "2027-01-11", "--json"])["id"]
        .to_string();
    plab.ok(&["enroll", "--program", &id, "--role", "sponsor", "ceo"]);
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "vp"]);
    let err = refused(&plab, &["enroll", "--program", &id, "--role", "mentor", "pm", "ceo"]);
    assert!(
        err.contains("ceo (Cara Ceo) is already a sponsor in Spring cohort: one person takes one role per program"),
        "{err}"
    );
    let err = refused(&plab, &["enroll", "--program", &id, "--role", "sponsor", "vp"]);
    assert!(err.contains("vp (Vic Vp) is already a leader in Spring cohort"), "{err}");
    // pm was not enrolled as a mentor by the refused batch: as a leader now, fine.
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "pm"]);
    // The same role again is fine.
    plab.ok(&["enroll", "--program", &id, "--role", "sponsor", "ceo"]);
    let err = refused(&plab, &["pairing", "pin", "--program", &id, "vp", "ceo"]);
    assert!(err.contains("Cara Ceo is not a mentor in Spring cohort"), "by name: {err}");
}

fn only_the_operator_sets_the_group_size_floor_and_programs_stay_above_it(db: TestDb) {
    let plab = with_org(db);
    assert!(plab.ok(&["settings", "show"]).contains("group_size_floor = 5"));
    assert_eq!(plab.json(&["settings", "show", "--json"])["group_size_floor"], 5);
    for bad in ["1", "many"] {
        let err = refused(&plab, &["settings", "set", "group_size_floor", bad]);
        assert!(err.contains("group_size_floor"), "{err}");
    }
    assert!(plab.ok(&["settings", "set", "group_size_floor", "7"]).contains("group_size_floor = 7"));
    let shown = plab.json(&["settings", "show", "--json"]);
    assert_eq!(
        (shown["group_size_floor"].as_u64(), shown["program_defaults"]["min_group_size"].as_u64()),
        (Some(7), Some(7))
    );
    let log = plab.json(&["audit", "--json"]);
    let entry = log
        .as_array()
        .expect("log")
        .iter()
        .find(|e| e["action"] == "settings.group_size_floor")
        .expect("the floor's change is audited");
    assert!(entry["actor"].as_str().is_some_and(|a| a.starts_with("cli:")), "who: {entry}");
    assert!(entry["at"].is_string(), "when: {entry}");
    assert_eq!(entry["detail"], "group_size_floor: 5 -> 7", "old and new: {entry}");
    let low = plab.file("low.json", r#"{"min_group_size": 5}"#);
    let err = refused(
        &plab,
        &["program", "create", "--name", "Low", "--starts", "2027-01-11", "--settings", low.to_str().expect("path")],
    );
    assert!(err.contains("min_group_size") && err.contains("floor of 7"), "{err}");
    assert_eq!(plab.json(&["program", "list", "--json"]).as_array().map(Vec::len), Some(0), "nothing created");
    let err = refused(&plab, &["settings", "set", "program_defaults.min_group_size", "6"]);
    assert!(err.contains("program_defaults.min_group_size") && err.contains("floor of 7"), "{err}");
}
