//! `plab person erase` as an operator's script sees it: without `--yes`
//! nothing happens (exit 2, saying what would go); with it the JSON deletion
//! record; again, zero counts and exit 0; an unknown id exit 2 naming it.
use crate::commands::Plab;
use plab_store::testing::TestDb;

crate::backends!(
    erasing_from_the_cli_asks_for_yes_prints_the_record_and_is_idempotent,
    the_operator_lists_the_administrators_pending_requests,
);

const CANARY: &str = "Wombat5512";
const PEOPLE: &str = "employee_id,name,email,department,manager_id,hire_date,level,title,perspectives\n\
ceo,Cara Ceo,cara@acme.test,Executive,,2001-02-03,10,CEO,\n\
vp,Vic Vp,vic@acme.test,Operations,ceo,2004-05-06,8,VP Operations,\n\
pm,Pat Pm,pat@acme.test,Product,vp,2024-01-15,2,Project manager,agile workflows;AI tools\n";

fn seeded(db: TestDb) -> (Plab, String) {
    let plab = Plab::new(db);
    let f = plab.file("org.csv", PEOPLE);
    plab.ok(&["import", "people", f.to_str().expect("path")]);
    let created = plab.json(&["program", "create", "--name", "Spring", "--starts", "2027-01-11", "--json"]);
    let id = created["id"].as_i64().expect("id").to_string();
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "vp"]);
    let question = format!("Why do new analysts skip our {CANARY} demo on Fridays?");
    plab.ok(&["question", "set", "--program", &id, "--leader", "vp", &question]);
    (plab, id)
}

fn erasing_from_the_cli_asks_for_yes_prints_the_record_and_is_idempotent(db: TestDb) {
    let (plab, program) = seeded(db);
    let asked = plab.run(&["person", "erase", "--employee-id", "vp"]);
    assert_eq!(asked.status.code(), Some(2));
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(said.contains("--yes") && said.contains("questions 1") && said.contains("nothing was erased"), "{said}");
    assert!(plab.ok(&["export", "people"]).contains("Vic Vp"), "nothing erased without --yes");

    let record = plab.json(&["person", "erase", "--employee-id", "vp", "--yes", "--json"]);
    assert_eq!(record["employee_id"], "vp");
    assert!(record["erased_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{record}");
    assert_eq!((record["counts"]["questions"].as_u64(), record["counts"]["person"].as_u64()), (Some(1), Some(1)));
    let people = plab.ok(&["export", "people"]);
    assert!(!people.contains("Vic Vp") && !people.contains("vic@acme.test"), "{people}");
    assert!(people.contains("Erased person"), "{people}");
    let history = plab.json(&["question", "history", "--program", &program, "--leader", "vp", "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(0), "{history}");

    let again = plab.json(&["person", "erase", "--employee-id", "vp", "--yes", "--json"]);
    let counts = again["counts"].as_object().expect("counts");
    assert!(!counts.is_empty() && counts.values().all(|n| n == 0), "{again}");

    let unknown = plab.run(&["person", "erase", "--employee-id", "nobody", "--yes"]);
    assert_eq!(unknown.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(said.contains("--employee-id nobody"), "{said}");
}

fn the_operator_lists_the_administrators_pending_requests(db: TestDb) {
    let (plab, _) = seeded(db);
    assert!(plab.ok(&["person", "requests"]).contains("No erasure requests are waiting"));
    let listed = plab.json(&["person", "erase", "--requests", "--json"]);
    assert_eq!(listed, serde_json::json!([]));
}
