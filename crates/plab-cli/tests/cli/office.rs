//! `plab office add|remove|list`: the operator names people to the program
//! office; an unknown or unnamed person exits 2 naming the field.
use crate::commands::Plab;
use plab_store::testing::TestDb;

crate::backends!(the_operator_names_and_removes_program_office_members_and_a_bad_id_exits_2);

const PEOPLE: &str = "employee_id,name,email,department,manager_id,hire_date,level\n\
                      CEO,Ada Boss,ada@acme.test,Exec,,2010-01-01,10\n\
                      HR1,Hana Reyes,hana@acme.test,People,CEO,2015-01-01,7\n";

fn the_operator_names_and_removes_program_office_members_and_a_bad_id_exits_2(db: TestDb) {
    let plab = Plab::new(db);
    let file = plab.file("people.csv", PEOPLE);
    plab.ok(&["import", "people", file.to_str().expect("path")]);
    plab.ok(&["office", "add", "--employee-id", "HR1"]);
    let listed = plab.json(&["office", "list", "--json"]);
    assert_eq!(listed[0]["employee_id"], "HR1", "{listed}");
    assert_eq!(listed[0]["name"], "Hana Reyes", "{listed}");
    assert!(plab.ok(&["office", "list"]).contains("HR1\tHana Reyes"));
    let unknown = plab.run(&["office", "add", "--employee-id", "NOBODY"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", String::from_utf8_lossy(&unknown.stderr));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("employee_id"));
    plab.ok(&["office", "remove", "--employee-id", "HR1"]);
    assert_eq!(plab.json(&["office", "list", "--json"]), serde_json::json!([]));
    let again = plab.run(&["office", "remove", "--employee-id", "HR1"]);
    assert_eq!(again.status.code(), Some(2), "{}", String::from_utf8_lossy(&again.stderr));
}
