//! The `plab` binary as users' scripts see it (docs/interfaces.md): exit codes, JSON on
//! stdout, errors naming file, line and field, and nothing written on bad input.
//! Database tests run on SQLite, and on PostgreSQL when PLAB_TEST_POSTGRES_URL is set.
use plab_store::testing::TestDb;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) struct Plab {
    pub(crate) db: TestDb,
    pub(crate) dir: PathBuf,
}

impl Plab {
    pub(crate) fn new(db: TestDb) -> Plab {
        let dir = std::env::temp_dir().join(format!("plab_cli_{}_{}", std::process::id(), fastrand_name()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Plab { db, dir }
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_plab"))
            .args(args)
            .env("PLAB_DATABASE_URL", &self.db.url)
            .current_dir(&self.dir)
            .output()
            .expect("run plab")
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "plab {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub(crate) fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("exactly one JSON document on stdout")
    }

    pub(crate) fn file(&self, name: &str, body: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, body).expect("write file");
        p
    }

    fn export(&self) -> String {
        self.ok(&["export", "people"])
    }
}

impl Drop for Plab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn fastrand_name() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn status(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const HEADER: &str = "employee_id,name,email,department,manager_id,hire_date,level,title,perspectives\n";
const ORG: &str = "ceo,Cara Ceo,cara@acme.test,Executive,,2001-02-03,10,CEO,\n\
vp,Vic Vp,vic@acme.test,Operations,ceo,2004-05-06,8,VP Operations,\n\
pm,Pat Pm,pat@acme.test,Product,vp,2024-01-15,2,Project manager,agile workflows;AI tools\n";

fn seeded(db: TestDb) -> Plab {
    let plab = Plab::new(db);
    let f = plab.file("org.csv", &format!("{HEADER}{ORG}"));
    plab.ok(&["import", "people", f.to_str().expect("path")]);
    plab
}

#[test]
fn check_goal_json_follows_the_contract() {
    let plab = Plab::new(TestDb::sqlite());
    let weak = plab.json(&["check-goal", "--json", "I want to learn about Gen Z."]);
    assert_eq!(weak["strength"], "weak");
    let score = weak["score"].as_u64().expect("score");
    assert!(score <= 100);
    assert!(weak["themes"].is_array());
    let finding = &weak["findings"][0];
    for key in ["code", "message", "suggestion"] {
        assert!(finding[key].as_str().is_some_and(|s| !s.is_empty()), "finding.{key}");
    }
    let strong = plab.json(&[
        "check-goal",
        "--json",
        "My hypothesis is that our current communication channels aren't effective for our hybrid, early-career employees, and I want to understand why.",
    ]);
    assert_eq!(strong["strength"], "strong");
}

#[test]
fn check_goal_with_empty_text_exits_2() {
    let plab = Plab::new(TestDb::sqlite());
    let out = plab.run(&["check-goal", "  "]);
    assert_eq!(status(&out), 2);
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_command_or_database_scheme_exits_2() {
    let plab = Plab::new(TestDb::sqlite());
    assert_eq!(status(&plab.run(&["frobnicate"])), 2);
    assert_eq!(status(&plab.run(&["--db", "mysql://x/y", "program", "list"])), 2);
}

fn export_then_import_round_trips(db: TestDb) {
    let plab = seeded(db);
    let first = plab.export();
    assert!(first.starts_with("employee_id,name,email,department,manager_id,hire_date,level"));
    let f = plab.file("again.csv", &first);
    let summary = plab.json(&["import", "people", f.to_str().expect("path"), "--json"]);
    assert_eq!((summary["inserted"].as_u64(), summary["updated"].as_u64()), (Some(0), Some(3)));
    assert_eq!(plab.export(), first);
    let out = plab.dir.join("out.csv");
    plab.ok(&["export", "people", "--output", out.to_str().expect("path")]);
    assert_eq!(std::fs::read_to_string(out).expect("read"), first);
}

fn people_named_like_formulas_are_exported_as_text_and_re_imported_the_same(db: TestDb) {
    let plab = seeded(db);
    let body = "\"=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",=Ann,ann@acme.test,-Sales,vp,2020-01-01,3,-5,@home;+1\n\
                '=b,'=Bea,bea@acme.test,Sales,vp,2020-01-01,3,'plain,'\n";
    let f = plab.file("formulas.csv", &format!("{HEADER}{body}"));
    plab.ok(&["import", "people", f.to_str().expect("path")]);
    let first = plab.export();
    for cell in first.lines().flat_map(|l| l.split(',')) {
        assert!(
            !cell.trim_start_matches('"').starts_with(['=', '+', '-', '@']),
            "{cell:?} runs as a formula:\n{first}"
        );
    }
    assert!(first.contains(",'-5,"), "a title that looks like a negative number is text:\n{first}");
    let again = plab.file("again.csv", &first);
    let summary = plab.json(&["import", "people", again.to_str().expect("path"), "--json"]);
    assert_eq!((summary["inserted"].as_u64(), summary["updated"].as_u64()), (Some(0), Some(5)));
    assert_eq!(plab.export(), first, "the export re-imports to the same data");
    // The file's '=b and '=Bea were read as =b and =Bea, and are written back
    // with one ' again; a ' before plain text is the value's own.
    assert!(first.lines().any(|l| l == "'=b,'=Bea,bea@acme.test,Sales,vp,2020-01-01,3,'plain,,,',"), "{first}");
}

fn a_title_of_100000_characters_is_refused_with_its_line_and_nothing_written(db: TestDb) {
    let plab = seeded(db);
    let long = "t".repeat(100_000);
    assert_rejected(
        &plab,
        &format!("nn,Nia New,nia@acme.test,Sales,vp,2020-01-01,3,{long},\n"),
        &["people.csv:2: title: keep it to 200 characters or fewer (this one has 100000)"],
    );
}

fn assert_rejected(plab: &Plab, body: &str, expected: &[&str]) {
    let before = plab.export();
    let f = plab.file("people.csv", &format!("{HEADER}{body}"));
    let out = plab.run(&["import", "people", f.to_str().expect("path")]);
    assert_eq!(status(&out), 2, "stderr: {}", stderr(&out));
    let err = stderr(&out);
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert_eq!(plab.export(), before, "nothing may be written");
}

fn each_import_rejection_names_its_line_and_writes_nothing(db: TestDb) {
    let plab = seeded(db);
    let ok = "n1,New One,n1@acme.test,Sales,vp,2020-01-01,3,,\n";
    assert_rejected(&plab, &format!("{ok}n2,Two,not-an-email,Sales,vp,2020-01-01,3,,\n"), &["people.csv:3: email:"]);
    assert_rejected(
        &plab,
        &format!("{ok}n2,Two,n2@acme.test,Sales,vp,2020-13-01,3,,\n"),
        &["people.csv:3: hire_date:"],
    );
    assert_rejected(
        &plab,
        &format!("{ok}n2,Two,n2@acme.test,Sales,vp,2020-01-01,senior,,\n"),
        &["people.csv:3: level:"],
    );
    assert_rejected(
        &plab,
        &format!("{ok}n1,Again,n9@acme.test,Sales,vp,2020-01-01,3,,\n"),
        &["people.csv:3: employee_id: duplicate employee_id 'n1'"],
    );
    assert_rejected(
        &plab,
        &format!("{ok}n2,Two,N1@acme.test,Sales,vp,2020-01-01,3,,\n"),
        &["people.csv:3: email: duplicate email"],
    );
    assert_rejected(
        &plab,
        &format!("{ok}n2,Two,pat@acme.test,Sales,vp,2020-01-01,3,,\n"),
        &["already belongs to employee 'pm'"],
    );
    assert_rejected(
        &plab,
        &format!("{ok}n2,Two,n2@acme.test,Sales,ghost,2020-01-01,3,,\n"),
        &["people.csv:3: manager_id: 'ghost'"],
    );
    // An update that makes the VP report to their own report closes a cycle.
    assert_rejected(
        &plab,
        &format!("{ok}vp,Vic Vp,vic@acme.test,Operations,pm,2004-05-06,8,,\n"),
        &["people.csv:3: manager_id: reporting cycle pm -> vp -> pm"],
    );
    assert_rejected(&plab, "n1,One\n", &["people.csv:2: has 2 fields but the header has 9"]);
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let plab = seeded(TestDb::sqlite());
    assert_rejected(
        &plab,
        "a,A,bad,Sales,vp,2020-01-01,3,,\nb,B,b@acme.test,Sales,vp,someday,3,,\nc,C,c@acme.test,,vp,2020-01-01,x,,\n",
        &["people.csv:2: email:", "people.csv:3: hire_date:", "people.csv:4: department:", "people.csv:4: level:"],
    );
}

fn big_csv(path: &Path, n: usize) {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    w.write_all(HEADER.as_bytes()).expect("write");
    for i in 0..n {
        let manager = if i == 0 { "ceo".to_owned() } else { format!("b{}", (i - 1) / 8) };
        writeln!(w, "b{i},Person {i},b{i}@big.test,Sales,{manager},2019-01-01,3,,").expect("write");
    }
}

fn an_import_failing_on_its_last_row_leaves_the_database_as_before(db: TestDb) {
    let plab = seeded(db);
    let before = plab.export();
    let path = plab.dir.join("big.csv");
    big_csv(&path, 5_000);
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("last,Last,pat@acme.test,Sales,ceo,2019-01-01,3,,\n");
    std::fs::write(&path, text).expect("write");
    let out = plab.run(&["import", "people", path.to_str().expect("path")]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("big.csv:5002: email:"), "{}", stderr(&out));
    assert_eq!(plab.export(), before);
}

fn an_import_killed_half_way_leaves_all_or_nothing(db: TestDb) {
    use std::io::BufRead;
    let plab = seeded(db);
    let before = plab.export();
    let path = plab.dir.join("big.csv");
    big_csv(&path, 20_000);
    // The import says on stderr each batch it has written inside its one
    // transaction; the kill lands right after such a line, so it always
    // interrupts a write in progress.
    for kill_after in [1, 10, 30] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plab"))
            .args(["import", "people", path.to_str().expect("path")])
            .env("PLAB_DATABASE_URL", &plab.db.url)
            .current_dir(&plab.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        let stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
        let mut batches = 0;
        for line in stderr.lines() {
            let line = line.expect("stderr line");
            if line.starts_with("importing: ") && line.ends_with("not yet committed") {
                batches += 1;
                if batches == kill_after {
                    child.kill().expect("kill");
                    break;
                }
            }
        }
        assert_eq!(batches, kill_after, "the import announced {batches} batches before it ended");
        let _ = child.wait();
        let now = plab.export();
        assert_eq!(now, before, "an import killed after {kill_after} written batches left a trace");
    }
    plab.ok(&["import", "people", path.to_str().expect("path")]);
    assert_eq!(plab.export().lines().count() - 1, 20_003, "the same file imports whole when not killed");
}

fn programs_enrolment_and_questions_work_from_the_cli(db: TestDb) {
    let plab = seeded(db);
    let settings = plab.file(
        "settings.json",
        r#"{"sessions": 8, "checkin_after": 4, "adjacent_departments": [["Sales", "Customer Support"]]}"#,
    );
    let created = plab.json(&[
        "program",
        "create",
        "--name",
        "Spring",
        "--starts",
        "2027-01-11",
        "--settings",
        settings.to_str().expect("path"),
        "--json",
    ]);
    let id = created["id"].as_i64().expect("id").to_string();
    let list = plab.json(&["program", "list", "--json"]);
    assert_eq!(list[0]["settings"]["sessions"], 8);
    assert_eq!(list[0]["settings"]["cadence_days"], 14);
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "vp"]);
    plab.ok(&["enroll", "--program", &id, "--role", "mentor", "--capacity", "2", "pm"]);
    let saved =
        plab.json(&["question", "set", "--program", &id, "--leader", "vp", "--json", "I want to be better at tech."]);
    assert_eq!((saved["version"].as_u64(), saved["assessment"]["strength"].as_str()), (Some(1), Some("weak")));
    let saved = plab.json(&[
        "question",
        "set",
        "--program",
        &id,
        "--leader",
        "vp",
        "--json",
        "Why do new analysts skip our Friday demo?",
    ]);
    assert_eq!(saved["version"], 2);
    let history = plab.json(&["question", "history", "--program", &id, "--leader", "vp", "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    let current = plab.json(&["question", "list", "--program", &id, "--json"]);
    assert_eq!(current[0]["strength"], "strong");
}

#[test]
fn bad_program_input_exits_2_naming_the_field() {
    let plab = seeded(TestDb::sqlite());
    let out = plab.run(&["program", "create", "--name", "X", "--starts", "soon"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("starts_on"), "{}", stderr(&out));
    let settings = plab.file("s.json", "{\"checkin_after\": 9,\n \"bogus\": 1}");
    let out = plab.run(&[
        "program",
        "create",
        "--name",
        "X",
        "--starts",
        "2027-01-01",
        "--settings",
        settings.to_str().expect("path"),
    ]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("s.json:2"), "{}", stderr(&out));
    let out = plab.run(&["enroll", "--program", "1", "--role", "leader", "vp"]);
    assert_eq!(status(&out), 2, "unknown program");
    let out = plab.run(&["question", "set", "--program", "abc", "--leader", "vp", "Why?"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("program"));
}

fn the_demo_names_whom_to_sign_in_as_its_administrator_too(db: TestDb) {
    let plab = Plab::new(db);
    let said = plab.ok(&["demo", "--people", "200"]);
    assert!(said.contains("sponsor: ") && said.contains("administrator: admin@"), "{said}");
}

fn demo_is_deterministic_for_a_seed(db: TestDb) {
    let a = Plab::new(db);
    let b = Plab::new(TestDb::sqlite());
    let first = a.json(&["demo", "--people", "400", "--seed", "42", "--json"]);
    let second = b.json(&["demo", "--people", "400", "--seed", "42", "--json"]);
    assert_eq!(first["leaders"], second["leaders"]);
    assert_eq!(first["mentors"], second["mentors"]);
    assert_eq!(a.export(), b.export());
    let leaders = first["leaders"].as_array().expect("leaders").len();
    assert_eq!(leaders, 20, "about 5% of people lead");
    assert!(first["sponsor"].as_str().is_some_and(|s| s.contains('@')));
    let questions = a.json(&["question", "list", "--program", &first["program"].to_string(), "--json"]);
    let strengths: std::collections::HashSet<_> =
        questions.as_array().expect("list").iter().map(|q| q["strength"].as_str().unwrap_or("").to_owned()).collect();
    assert!(strengths.contains("weak") && strengths.contains("strong"), "mixed strengths: {strengths:?}");
}

const MATCH_INPUT: &str = r#"{
  "people": [
    {"id": "ceo", "manager": null, "department": "Executive", "hire_date": "2000-01-01", "level": 10, "perspectives": []},
    {"id": "vp", "manager": "ceo", "department": "Operations", "hire_date": "2003-01-01", "level": 8, "perspectives": []},
    {"id": "sales", "manager": "ceo", "department": "Sales", "hire_date": "2010-01-01", "level": 8, "perspectives": []},
    {"id": "ops1", "manager": "sales", "department": "Operations", "hire_date": "2024-03-01", "level": 2, "perspectives": ["AI tools"]},
    {"id": "pm", "manager": "vp", "department": "Product", "hire_date": "2024-06-01", "level": 2, "perspectives": ["agile workflows"]},
    {"id": "cs", "manager": "vp", "department": "Customer Support", "hire_date": "2024-02-01", "level": 1, "perspectives": ["customer support tickets"]}
  ],
  "leaders": [{"id": "vp", "question": "How could agile workflows change our operations planning?"},
              {"id": "sales", "question": "Why do customers open support tickets after buying?"}],
  "mentors": [{"id": "ops1"}, {"id": "pm"}, {"id": "cs", "capacity": 1}],
  "adjacent_departments": [["Sales", "Customer Support"]]
}"#;

#[test]
fn match_from_a_file_needs_no_database_and_follows_the_contract() {
    let plab = Plab::new(TestDb::sqlite());
    let input = plab.file("match.json", MATCH_INPUT);
    let out = plab.json(&["match", "--input", input.to_str().expect("path"), "--json"]);
    let pairs = out["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 2);
    for p in pairs {
        let (l, m) = (p["leader"].as_str().unwrap_or(""), p["mentor"].as_str().unwrap_or(""));
        assert!(!(l == "vp" && m != "ops1"), "pm and cs report to the VP");
        assert!(!(l == "sales" && m == "ops1"), "ops1 reports to Sales");
        assert!(["topic", "tension", "strategic"].contains(&p["kind"].as_str().expect("kind")));
        assert!(p["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    }
    let sales = pairs.iter().find(|p| p["leader"] == "sales").expect("sales is paired");
    assert_eq!((sales["mentor"].as_str(), sales["kind"].as_str()), (Some("cs"), Some("strategic")));
    assert!(out["total_score"].is_number() && out["solve_ms"].is_number());
    assert_eq!(out["unmatched"].as_array().map(Vec::len), Some(0));
    assert!(!plab.dir.join("plab.db").exists(), "match --input must not touch a database");
}

#[test]
fn match_input_errors_exit_2_naming_the_cause() {
    let plab = Plab::new(TestDb::sqlite());
    let cases: [(&str, String, &str); 4] = [
        ("malformed.json", "{\"people\": [".to_owned(), "malformed.json:1:"),
        ("unknown.json", MATCH_INPUT.replace(r#"{"id": "pm"}"#, r#"{"id": "ghost"}"#), "ghost"),
        (
            "pin.json",
            MATCH_INPUT.replace(r#""adjacent_departments""#, r#""pinned": [["vp", "pm"]], "adjacent_departments""#),
            "pm",
        ),
        (
            "typo.json",
            MATCH_INPUT.replace(r#""adjacent_departments""#, r#""forbiden": [], "adjacent_departments""#),
            "forbiden",
        ),
    ];
    for (name, body, expected) in cases {
        let f = plab.file(name, &body);
        let out = plab.run(&["match", "--input", f.to_str().expect("path"), "--json"]);
        assert_eq!(status(&out), 2, "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{name}: expected {expected:?} in {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

fn a_sponsor_pins_forbids_reruns_and_approves_pairs(db: TestDb) {
    let plab = Plab::new(db);
    // The demo's program is already paired: open a second program with the same
    // people, so that the first program's pairs count as earlier pairs.
    let demo = plab.json(&["demo", "--people", "300", "--seed", "3", "--json"]);
    let earlier = plab.json(&["pairing", "list", "--program", &demo["program"].to_string(), "--json"]);
    let earlier: Vec<(String, String)> = earlier
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| (p["leader"].as_str().unwrap_or("").to_owned(), p["mentor"].as_str().unwrap_or("").to_owned()))
        .collect();
    let created = plab.json(&["program", "create", "--name", "Second cohort", "--starts", "2027-06-07", "--json"]);
    let program = created["id"].to_string();
    let leaders: Vec<&str> = earlier.iter().map(|(l, _)| l.as_str()).collect();
    let mentors: Vec<&str> = earlier.iter().map(|(_, m)| m.as_str()).collect();
    plab.ok(&[&["enroll", "--program", &program, "--role", "leader"][..], &leaders].concat());
    plab.ok(&[&["enroll", "--program", &program, "--role", "mentor"][..], &mentors].concat());
    for l in &leaders {
        plab.ok(&[
            "question",
            "set",
            "--program",
            &program,
            "--leader",
            l,
            "Why do new analysts skip our Friday demo?",
        ]);
    }
    let first = plab.json(&["match", "--program", &program, "--json"]);
    let pairs = first["pairs"].as_array().expect("pairs").clone();
    assert!(pairs.len() >= 10, "most leaders are paired: {}", pairs.len());
    let (l0, m0) =
        (pairs[0]["leader"].as_str().expect("l").to_owned(), pairs[0]["mentor"].as_str().expect("m").to_owned());
    // Forbid the first proposed pair, and pin another leader to the first
    // mentor: the first such pin the hard rules allow.
    plab.ok(&["pairing", "forbid", "--program", &program, &l0, &m0]);
    let mut l1 = None;
    for p in &pairs[1..] {
        let leader = p["leader"].as_str().expect("l").to_owned();
        // A pin the hard rules cannot keep is refused when made, naming both people.
        let pin = plab.run(&["pairing", "pin", "--program", &program, &leader, &m0]);
        if status(&pin) == 0 {
            let dry = plab.run(&["match", "--program", &program, "--dry-run", "--json"]);
            assert_eq!(status(&dry), 0, "a pin that was accepted can be kept: {}", stderr(&dry));
            let dry: Value = serde_json::from_slice(&dry.stdout).expect("json");
            assert!(dry["proposal"].is_null(), "a dry run stores nothing");
            l1 = Some(leader);
            break;
        }
        assert_eq!(status(&pin), 2, "an impossible pin is the user's mistake");
        assert!(!stderr(&pin).contains("cannot pin leader"), "{}", stderr(&pin));
    }
    let l1 = l1.expect("some leader can be pinned to the first mentor");
    let second = plab.json(&["match", "--program", &program, "--json"]);
    let find = |out: &Value, leader: &str| {
        out["pairs"]
            .as_array()
            .expect("pairs")
            .iter()
            .find(|p| p["leader"] == leader)
            .map(|p| p["mentor"].as_str().unwrap_or("").to_owned())
    };
    assert_ne!(find(&second, &l0).as_deref(), Some(m0.as_str()), "forbidden pair proposed");
    assert_eq!(find(&second, &l1).as_deref(), Some(m0.as_str()), "pinned pair missing");
    let approved = plab.json(&["pairing", "approve", "--program", &program, "--json"]);
    assert_eq!(approved["proposal"], second["proposal"]);
    let list = plab.json(&["pairing", "list", "--program", &program, "--json"]);
    assert_eq!(list.as_array().map(Vec::len), second["pairs"].as_array().map(Vec::len));
    assert!(list.as_array().expect("list").iter().all(|p| p["status"] == "forming"));
    // The first proposal was superseded: approving it now is refused.
    let out = plab.run(&["pairing", "approve", "--program", &program, "--proposal", &first["proposal"].to_string()]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    // Paired leaders are not proposed again: the run pairs only the leaders
    // still waiting, and says so when none is.
    let again = plab.run(&["match", "--program", &program, "--json"]);
    let waiting: Vec<&str> = leaders.iter().copied().filter(|l| find(&second, l).is_none()).collect();
    if waiting.is_empty() {
        assert_eq!(status(&again), 2, "{}", stderr(&again));
        assert!(stderr(&again).contains("no leader is waiting for a pair"), "{}", stderr(&again));
    } else {
        assert_eq!(status(&again), 0, "{}", stderr(&again));
        let again: Value = serde_json::from_slice(&again.stdout).expect("json");
        for p in again["pairs"].as_array().expect("pairs") {
            let leader = p["leader"].as_str().unwrap_or("");
            assert!(waiting.contains(&leader), "{leader} was paired already");
        }
    }
}

#[test]
fn a_run_that_can_pair_no_one_says_why_and_stores_nothing() {
    let plab = seeded(TestDb::sqlite());
    let created = plab.json(&["program", "create", "--name", "Solo", "--starts", "2027-01-11", "--json"]);
    let id = created["id"].to_string();
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "ceo"]);
    plab.ok(&["enroll", "--program", &id, "--role", "mentor", "pm"]);
    plab.ok(&["question", "set", "--program", &id, "--leader", "ceo", "Why do new analysts skip our Friday demo?"]);
    let out = plab.run(&["match", "--program", &id, "--json"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("no pair can be proposed for Cara Ceo"), "by name: {}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = plab.run(&["pairing", "approve", "--program", &id]);
    assert_eq!(status(&out), 2, "no proposal was stored");
}

#[test]
fn sponsor_and_admin_actions_are_audited_without_content() {
    let plab = seeded(TestDb::sqlite());
    let created = plab.json(&["program", "create", "--name", "Audited", "--starts", "2027-01-11", "--json"]);
    let id = created["id"].to_string();
    plab.ok(&["enroll", "--program", &id, "--role", "leader", "vp"]);
    plab.ok(&["enroll", "--program", &id, "--role", "mentor", "pm"]);
    plab.ok(&["pairing", "forbid", "--program", &id, "vp", "pm"]);
    plab.ok(&["pairing", "clear", "--program", &id, "vp", "pm"]);
    let log = plab.json(&["audit", "--json"]);
    let actions: Vec<&str> = log.as_array().expect("log").iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert_eq!(
        actions,
        ["pairing.clear", "pairing.forbid", "program.enroll", "program.enroll", "program.create", "people.import"]
    );
    assert!(log[0]["actor"].as_str().is_some_and(|a| a.starts_with("cli:")));
    assert!(log[0]["at"].is_string());
}

fn settings_are_shown_and_set_by_field_and_bad_ones_exit_2(db: TestDb) {
    let plab = Plab::new(db);
    let shown = plab.json(&["settings", "show", "--json"]);
    assert_eq!(
        (shown["instance_name"].as_str(), shown["session_hours"].as_u64()),
        (Some("Perspective Lab"), Some(168))
    );
    assert!(plab.ok(&["settings", "show"]).contains("program_defaults.sessions = 6"));
    plab.ok(&["settings", "set", "instance_name", "Acme Lab"]);
    plab.ok(&["settings", "set", "program_defaults.adjacent_departments", r#"[["Sales", "Customer Support"]]"#]);
    let shown = plab.json(&["settings", "show", "--json"]);
    assert_eq!(shown["instance_name"], "Acme Lab");
    assert_eq!(shown["program_defaults"]["adjacent_departments"][0][1], "Customer Support");
    for (field, value, named) in [
        ("session_hours", "0", "session_hours"),
        ("session_hours", "soon", "session_hours"),
        ("program_defaults.checkin_after", "9", "program_defaults.checkin_after"),
        ("colour", "blue", "colour"),
    ] {
        let out = plab.run(&["settings", "set", field, value]);
        assert_eq!(status(&out), 2, "{field} {value}");
        assert!(stderr(&out).contains(named), "{}", stderr(&out));
    }
    assert_eq!(plab.json(&["settings", "show", "--json"]), shown, "nothing changed");
    let log = plab.json(&["audit", "--json"]);
    assert_eq!(log[0]["action"], "settings.update");
    assert_eq!(log[0]["detail"], "changed: program_defaults.adjacent_departments");
}

fn a_program_created_without_settings_gets_the_administrators_defaults(db: TestDb) {
    let plab = seeded(db);
    plab.ok(&["settings", "set", "program_defaults.sessions", "9"]);
    plab.ok(&["settings", "set", "program_defaults.cadence_days", "21"]);
    plab.ok(&["program", "create", "--name", "Defaults", "--starts", "2027-01-11"]);
    let own = plab.file("own.json", r#"{"sessions": 4}"#);
    plab.ok(&[
        "program",
        "create",
        "--name",
        "Own",
        "--starts",
        "2027-01-11",
        "--settings",
        own.to_str().expect("path"),
    ]);
    let list = plab.json(&["program", "list", "--json"]);
    assert_eq!(
        (list[0]["settings"]["sessions"].as_u64(), list[0]["settings"]["cadence_days"].as_u64()),
        (Some(9), Some(21))
    );
    assert_eq!(
        (list[1]["settings"]["sessions"].as_u64(), list[1]["settings"]["cadence_days"].as_u64()),
        (Some(4), Some(14))
    );
}

/// A program with one pair (vp leads, pm mentors), and notes written through the
/// lab service under `key`; returns the pair's id.
async fn pair_with_notes(url: &str, key: &Path, notes: &[(&str, &str)]) -> i64 {
    use plab_app::{Store, lab, programs, vault::Vault};
    let store = Store::connect(url).await.expect("connect");
    let program = match store.programs().await.expect("programs").first() {
        Some(p) => p.id,
        None => {
            let id =
                programs::create(&store, "Notes", "2027-01-11", Default::default(), "test").await.expect("program");
            programs::enroll(&store, id, plab_domain::program::Role::Leader, &["vp".into()], None, "test")
                .await
                .expect("leader");
            programs::enroll(&store, id, plab_domain::program::Role::Mentor, &["pm".into()], None, "test")
                .await
                .expect("mentor");
            plab_store::testing::approve_pairs(&store, id, &[("vp", "pm")]).await;
            id
        }
    };
    let pair = store.pairs(program).await.expect("pairs")[0].id;
    let vault = Vault::from_file(key).expect("key");
    for (author, body) in notes {
        lab::add_note(&store, &vault, &partner(author), pair, body).await.expect("note");
    }
    store.close().await;
    pair.0
}

pub(crate) fn partner(employee_id: &str) -> plab_app::accounts::Actor {
    plab_app::accounts::Actor {
        account_id: 0,
        email: format!("{employee_id}@acme.test"),
        employee_id: Some(employee_id.to_owned()),
        is_admin: false,
        calendar_generation: 0,
        reset_notice: None,
        seen: None,
        timezone: None,
    }
}

/// The pair's notes as the leader reads them with `key`, and the rows as stored.
async fn read_notes(url: &str, key: &Path, pair: i64) -> (Result<Vec<String>, String>, Vec<plab_store::SealedNote>) {
    let store = plab_app::Store::connect(url).await.expect("connect");
    let vault = plab_app::vault::Vault::from_file(key).expect("key");
    let pair = plab_domain::PairId(pair);
    let read = plab_app::lab::notes(&store, &vault, &partner("vp"), pair).await;
    let rows = store.notes(pair).await.expect("rows");
    store.close().await;
    (read.map(|n| n.into_iter().map(|n| n.body).collect()).map_err(|e| e.to_string()), rows)
}

fn notes_move_to_a_new_key_all_at_once_and_a_rerun_changes_nothing(db: TestDb) {
    let plab = seeded(db);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    for name in ["a.key", "b.key", "c.key"] {
        plab.ok(&["notes", "new-key", name]);
    }
    let key = |name: &str| plab.dir.join(name);
    let a_text = std::fs::read_to_string(key("a.key")).expect("a.key");
    let again = plab.run(&["notes", "new-key", "a.key"]);
    assert_eq!(status(&again), 2);
    assert!(stderr(&again).contains("a.key"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(key("a.key")).expect("a.key"), a_text, "never overwritten");
    let url = plab.db.url.clone();
    let written = [("vp", "first, candid"), ("pm", "second"), ("vp", "third")];
    let pair = rt.block_on(pair_with_notes(&url, &key("a.key"), &written));
    let (_, under_a) = rt.block_on(read_notes(&url, &key("a.key"), pair));

    let wrong = plab.run(&["notes", "rekey", "--old-key", "c.key", "--new-key", "b.key"]);
    assert_eq!(status(&wrong), 2);
    assert!(stderr(&wrong).contains(&format!("note {}", under_a[0].id)), "{}", stderr(&wrong));
    assert_eq!(rt.block_on(read_notes(&url, &key("a.key"), pair)).1, under_a, "nothing changed");

    let done = plab.json(&["notes", "rekey", "--old-key", "a.key", "--new-key", "b.key", "--json"]);
    assert_eq!((done["resealed"].as_u64(), done["skipped"].as_u64()), (Some(3), Some(0)));
    let (with_b, under_b) = rt.block_on(read_notes(&url, &key("b.key"), pair));
    assert_eq!(with_b.expect("B opens every note"), ["first, candid", "second", "third"]);
    assert!(rt.block_on(read_notes(&url, &key("a.key"), pair)).0.is_err(), "A no longer opens them");

    let rerun = plab.json(&["notes", "rekey", "--old-key", "a.key", "--new-key", "b.key", "--json"]);
    assert_eq!((rerun["resealed"].as_u64(), rerun["skipped"].as_u64()), (Some(0), Some(3)));
    assert_eq!(rt.block_on(read_notes(&url, &key("b.key"), pair)).1, under_b, "a rerun rewrites nothing");

    // A server still on A wrote one more, and one note is under a third key:
    // the run stops at that one and the A note it had already moved goes back.
    rt.block_on(pair_with_notes(&url, &key("a.key"), &[("vp", "late")]));
    rt.block_on(pair_with_notes(&url, &key("c.key"), &[("pm", "stray")]));
    let (_, before) = rt.block_on(read_notes(&url, &key("b.key"), pair));
    let stray = plab.run(&["notes", "rekey", "--old-key", "a.key", "--new-key", "b.key"]);
    assert_eq!(status(&stray), 2);
    assert!(stderr(&stray).contains(&format!("note {}", before[4].id)), "{}", stderr(&stray));
    assert_eq!(rt.block_on(read_notes(&url, &key("b.key"), pair)).1, before, "all or nothing");

    let missing = plab.run(&["notes", "rekey", "--old-key", "gone.key", "--new-key", "b.key"]);
    assert_eq!(status(&missing), 2);
    assert!(stderr(&missing).contains("gone.key"), "{}", stderr(&missing));
    let log = plab.json(&["audit", "--json"]);
    let rekeys: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|e| e["action"] == "notes.rekey")
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert_eq!(rekeys, ["0 re-encrypted, 3 already under the new key", "3 re-encrypted, 0 already under the new key"]);
}

/// Starts `plab ARGS` (a `serve`) with `env` and reads its standard error until
/// it is listening or has exited. Returns the exit status (None: it was serving,
/// and has been stopped) and what it wrote.
fn serve_outcome(plab: &Plab, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plab"))
        .args(args)
        .env("PLAB_DATABASE_URL", &plab.db.url)
        .envs(env.iter().copied())
        .current_dir(&plab.dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn plab");
    let mut said = String::new();
    for line in std::io::BufReader::new(child.stderr.take().expect("stderr")).lines() {
        let line = line.expect("read stderr");
        said.push_str(&line);
        said.push('\n');
        if line.starts_with("serving on http://") {
            let _ = child.kill();
            let _ = child.wait();
            return (None, said);
        }
    }
    (child.wait().expect("wait").code(), said)
}

fn key_id(path: &Path) -> String {
    plab_app::vault::Vault::from_file(path).expect("key").key_id().to_owned()
}

fn a_notes_key_the_stored_notes_are_not_sealed_under_stops_the_start_with_exit_2(db: TestDb) {
    let plab = seeded(db);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    plab.ok(&["notes", "new-key", "a.key"]);
    plab.ok(&["notes", "new-key", "b.key"]);
    let (a, b) = (plab.dir.join("a.key"), plab.dir.join("b.key"));
    let a_id = key_id(&a);
    rt.block_on(pair_with_notes(&plab.db.url, &a, &[("vp", "sealed under A")]));
    let default_key = plab.dir.join("plab-notes.key");
    let serve = ["serve", "--addr", "127.0.0.1:0"];

    // Started from a directory without the key file.
    let (code, said) = serve_outcome(&plab, &serve, &[]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("plab-notes.key") && said.contains(&a_id), "{said}");
    assert!(!default_key.exists(), "no key file is made while notes are sealed under another");

    // Started with another key, from a file or from the environment.
    let (code, said) = serve_outcome(&plab, &[&serve[..], &["--notes-key", "b.key"]].concat(), &[]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("b.key") && said.contains(&a_id) && said.contains(&key_id(&b)), "{said}");
    let b_hex = std::fs::read_to_string(&b).expect("b.key");
    let (code, said) = serve_outcome(&plab, &serve, &[("PLAB_NOTES_KEY", b_hex.trim())]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("PLAB_NOTES_KEY") && said.contains(&a_id), "{said}");

    // The demo seals homework: it is held to the same key.
    let demo = plab.run(&["demo", "--people", "200", "--notes-key", "b.key"]);
    assert_eq!(status(&demo), 2, "{}", stderr(&demo));
    assert!(stderr(&demo).contains(&a_id), "{}", stderr(&demo));
    let demo = plab.run(&["demo", "--people", "200"]);
    assert_eq!(status(&demo), 2, "{}", stderr(&demo));
    assert!(!default_key.exists(), "no key file is made while notes are sealed under another");

    let (code, said) = serve_outcome(&plab, &[&serve[..], &["--notes-key", "a.key"]].concat(), &[]);
    assert_eq!(code, None, "the key that sealed the notes starts the server: {said}");
}

fn a_database_without_sealed_notes_gets_a_fresh_notes_key_file_at_start(db: TestDb) {
    let plab = seeded(db);
    let key = plab.dir.join("plab-notes.key");
    let (code, said) = serve_outcome(&plab, &["serve", "--addr", "127.0.0.1:0"], &[]);
    assert_eq!(code, None, "{said}");
    assert!(key.exists(), "a fresh key file beside the server");
    let first = std::fs::read_to_string(&key).expect("key");
    let (code, said) = serve_outcome(&plab, &["serve", "--addr", "127.0.0.1:0"], &[]);
    assert_eq!(code, None, "{said}");
    assert_eq!(std::fs::read_to_string(&key).expect("key"), first, "reused, never replaced");
}

fn single_sign_on_settings_that_cannot_work_stop_the_start_with_exit_2(db: TestDb) {
    let plab = seeded(db);
    let serve = ["serve", "--addr", "127.0.0.1:0"];
    let all = [
        ("PLAB_OIDC_ISSUER", "http://127.0.0.1:9/issuer"),
        ("PLAB_OIDC_CLIENT_ID", "plab"),
        ("PLAB_OIDC_CLIENT_SECRET", "s3cret"),
    ];
    for (env, named) in [
        (&all[..1], "PLAB_OIDC_CLIENT_ID"),
        (&all[..2], "PLAB_OIDC_CLIENT_SECRET"),
        (&all[..], "PLAB_PUBLIC_URL"),
        (&[all[0], all[1], all[2], ("PLAB_PUBLIC_URL", "lab.example.org")][..], "PLAB_PUBLIC_URL"),
        (
            &[("PLAB_OIDC_ISSUER", "not a url"), all[1], all[2], ("PLAB_PUBLIC_URL", "http://x.test")][..],
            "PLAB_OIDC_ISSUER",
        ),
        (&[("PLAB_PASSWORD_SIGN_IN", "nobody")][..], "PLAB_PASSWORD_SIGN_IN"),
    ] {
        let (code, said) = serve_outcome(&plab, &serve, env);
        assert_eq!(code, Some(2), "{env:?}: {said}");
        assert!(said.contains(named), "{env:?} names {named}: {said}");
        assert!(!said.contains("s3cret"), "the secret is never echoed: {said}");
    }
    // Complete settings start the server; the provider is asked only when someone signs in.
    let complete =
        [&all[..], &[("PLAB_PUBLIC_URL", "http://lab.example.test"), ("PLAB_PASSWORD_SIGN_IN", "admins")]].concat();
    let (code, said) = serve_outcome(&plab, &serve, &complete);
    assert_eq!(code, None, "{said}");
    assert!(said.contains("single sign-on on: http://127.0.0.1:9/issuer"), "{said}");
}

/// `plab user set-password --email EMAIL`, the password on standard input.
fn set_password(plab: &Plab, email: &str, password: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plab"))
        .args(["user", "set-password", "--email", email])
        .env("PLAB_DATABASE_URL", &plab.db.url)
        .current_dir(&plab.dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run plab");
    child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("password");
    assert!(child.wait().expect("plab user set-password").success());
}

fn a_sign_in_email_changes_only_by_its_own_audited_command_and_an_import_cannot_take_it(db: TestDb) {
    let plab = seeded(db);
    set_password(&plab, "vic@acme.test", "vic's own password");
    let link = plab.ok(&["user", "link", "--email", "vic@acme.test", "--base-url", "https://lab.acme.test"]);
    assert!(link.trim().starts_with("https://lab.acme.test/set-password/"), "{link}");
    plab.ok(&["user", "set-email", "--email", "vic@acme.test", "--to", "victor@acme.test"]);
    let unknown = plab.run(&["user", "set-email", "--email", "nobody@acme.test", "--to", "x@acme.test"]);
    assert_eq!(status(&unknown), 2, "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("nobody@acme.test"));
    set_password(&plab, "pat@acme.test", "pat's own password");
    let taken = plab.run(&["user", "set-email", "--email", "pat@acme.test", "--to", "victor@acme.test"]);
    assert_eq!(status(&taken), 2, "{}", stderr(&taken));
    // The directory may change Vic's e-mail, but no one else may take Vic's sign-in.
    let f = plab
        .file("take.csv", &format!("{HEADER}pm,Pat Pm,victor@acme.test,Product,vp,2024-01-15,2,Project manager,\n"));
    let out = plab.run(&["import", "people", f.to_str().expect("path")]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("take.csv:2: email:") && stderr(&out).contains("'vp'"), "{}", stderr(&out));
    assert!(plab.export().contains("pat@acme.test"), "nothing written");
    let audit = plab.json(&["audit", "--json"]);
    let actions: Vec<&str> = audit.as_array().expect("entries").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"account.change_sign_in_email") && actions.contains(&"account.password_link"),
        "{actions:?}"
    );
    // Disable and enable: audited; an unknown account exits 2 naming it.
    plab.ok(&["user", "disable", "--email", "victor@acme.test"]);
    let listed = plab.json(&["audit", "--json"]);
    assert!(listed.as_array().expect("entries").iter().any(|e| e["action"] == "account.disable"));
    plab.ok(&["user", "enable", "--email", "victor@acme.test"]);
    let unknown = plab.run(&["user", "disable", "--email", "nobody@acme.test"]);
    assert_eq!(status(&unknown), 2, "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("nobody@acme.test"));
}

crate::backends!(
    a_scim_token_is_shown_once_listed_without_its_secret_and_revoked_at_once,
    the_ceo_of_a_2000_person_demo_is_paired_once_the_chain_rule_reaches_two_levels,
    people_files_as_hr_systems_export_them_import_with_their_format_named,
    export_then_import_round_trips,
    people_named_like_formulas_are_exported_as_text_and_re_imported_the_same,
    a_title_of_100000_characters_is_refused_with_its_line_and_nothing_written,
    each_import_rejection_names_its_line_and_writes_nothing,
    an_import_failing_on_its_last_row_leaves_the_database_as_before,
    an_import_killed_half_way_leaves_all_or_nothing,
    programs_enrolment_and_questions_work_from_the_cli,
    demo_is_deterministic_for_a_seed,
    the_demo_names_whom_to_sign_in_as_its_administrator_too,
    a_sponsor_pins_forbids_reruns_and_approves_pairs,
    settings_are_shown_and_set_by_field_and_bad_ones_exit_2,
    a_program_created_without_settings_gets_the_administrators_defaults,
    notes_move_to_a_new_key_all_at_once_and_a_rerun_changes_nothing,
    a_notes_key_the_stored_notes_are_not_sealed_under_stops_the_start_with_exit_2,
    a_database_without_sealed_notes_gets_a_fresh_notes_key_file_at_start,
    single_sign_on_settings_that_cannot_work_stop_the_start_with_exit_2,
    a_sign_in_email_changes_only_by_its_own_audited_command_and_an_import_cannot_take_it,
    audit_verify_exits_0_on_a_whole_log_and_1_naming_the_entry_changed,
);

fn the_ceo_of_a_2000_person_demo_is_paired_once_the_chain_rule_reaches_two_levels(db: TestDb) {
    let plab = Plab::new(db);
    plab.json(&["demo", "--people", "2000", "--seed", "7", "--json"]);
    // The CEO (no manager) leads; twenty people at level 1 mentor.
    let export = plab.export();
    let rows: Vec<Vec<&str>> = export.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let ceo = rows.iter().find(|r| r[4].is_empty()).expect("the CEO")[0].to_owned();
    let juniors: Vec<&str> = rows.iter().filter(|r| r[6] == "1").take(20).map(|r| r[0]).collect();
    let mut programs = Vec::new();
    for (name, settings) in [("Whole chain", "{}"), ("Two levels", r#"{"reporting_chain_levels": 2}"#)] {
        let file = plab.file(&format!("{}.json", name.replace(' ', "_")), settings);
        let created = plab.json(&[
            "program",
            "create",
            "--name",
            name,
            "--starts",
            "2027-06-07",
            "--settings",
            file.to_str().expect("path"),
            "--json",
        ]);
        let program = created["id"].to_string();
        plab.ok(&["enroll", "--program", &program, "--role", "leader", &ceo]);
        plab.ok(&[&["enroll", "--program", &program, "--role", "mentor"][..], &juniors].concat());
        plab.ok(&[
            "question",
            "set",
            "--program",
            &program,
            "--leader",
            &ceo,
            "What do people who joined this year see in our customer journey that my team no longer notices?",
        ]);
        programs.push(program);
    }
    let whole = plab.json(&["match", "--program", &programs[0], "--dry-run", "--json"]);
    assert_eq!(whole["unmatched"], serde_json::json!([ceo]), "{whole}");
    let why = whole["unmatched_reasons"][&ceo].as_str().expect("a reason for the CEO");
    assert!(why.contains("in their reporting chain") && why.contains("reporting_chain_levels to 2"), "{why}");
    let two = plab.json(&["match", "--program", &programs[1], "--dry-run", "--json"]);
    assert_eq!(two["pairs"].as_array().map(Vec::len), Some(1), "{two}");
    assert_eq!(two["pairs"][0]["leader"], ceo.as_str());
    assert_eq!(two["unmatched_reasons"], serde_json::json!({}));
}

fn people_files_as_hr_systems_export_them_import_with_their_format_named(db: TestDb) {
    let plab = Plab::new(db);
    // Excel in much of Europe: semicolons, CRLF, Windows-1252, HR header names, first and last name apart.
    let mut file =
        b"Employee ID;First Name;Last Name;Work Email;Department;Manager ID;Hire Date;Job Level;Personal Nr\r\n"
            .to_vec();
    file.extend_from_slice(b"ceo;Ren\xe9e;Durand;renee@acme.test;Direction;;2001-02-03;10;1\r\n");
    file.extend_from_slice(b"vp;Jos\xe9;Garc\xeda;jose@acme.test;Ventes;ceo;2004-05-06;8;2\r\n");
    let path = plab.dir.join("hr.csv");
    std::fs::write(&path, &file).expect("write");
    let path = path.to_str().expect("path");
    let out = plab.run(&["import", "people", path]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("hr.csv:2: cannot be read (byte 0xE9)") && said.contains("--encoding windows-1252"),
        "{said}"
    );
    assert!(plab.export().lines().count() == 1, "nothing written");
    let dry = plab.json(&["import", "people", path, "--encoding", "windows-1252", "--dry-run", "--json"]);
    assert_eq!((dry["written"].as_bool(), dry["inserted"].as_u64()), (Some(false), Some(2)), "{dry}");
    assert!(plab.export().lines().count() == 1, "a dry run writes nothing");
    let done = plab.json(&["import", "people", path, "--encoding", "windows-1252", "--json"]);
    assert_eq!(done["format"]["delimiter"], "semicolon");
    assert_eq!(done["format"]["line_endings"], "CRLF");
    assert_eq!(done["format"]["encoding"], "windows-1252");
    assert_eq!(done["format"]["columns"]["email"], "Work Email");
    assert_eq!(done["format"]["columns"]["name"], "First Name + Last Name");
    assert!(plab.export().contains("José García"), "{}", plab.export());

    // A header no alias knows: --map names it; without it, the closest header is suggested.
    let odd = "Personal Nr\tFull Name\tE-mail Addr\tDept\tReports To\tStart Date\tGrade\nhire\tHal Hire\thal@acme.test\tVentes\tvp\t2024-01-15\t2\n";
    let odd_path = plab.file("odd.tsv", odd);
    let odd_path = odd_path.to_str().expect("path");
    let out = plab.run(&["import", "people", odd_path]);
    assert_eq!(status(&out), 2);
    let said = stderr(&out);
    assert!(
        said.contains("missing required column employee_id")
            && said.contains("missing required column email; the closest header in the file is 'E-mail Addr'"),
        "{said}"
    );
    let mapped = plab.json(&[
        "import",
        "people",
        odd_path,
        "--map",
        "Personal Nr=employee_id",
        "--map",
        "E-mail Addr=email",
        "--json",
    ]);
    assert_eq!(
        (mapped["inserted"].as_u64(), mapped["format"]["delimiter"].as_str()),
        (Some(1), Some("tab")),
        "{mapped}"
    );
    let out = plab.run(&["import", "people", odd_path, "--map", "Nope=email"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("the file has no header 'Nope'"), "{}", stderr(&out));

    // Line numbers with old Mac endings (CR) and a bad level on the third line.
    let cr = "employee_id,name,email,department,manager_id,hire_date,level\rx1,X One,x1@acme.test,Ops,ceo,2020-01-01,3\rx2,X Two,x2@acme.test,Ops,ceo,2020-01-01,high\r";
    let cr_path = plab.file("cr.csv", cr);
    let out = plab.run(&["import", "people", cr_path.to_str().expect("path")]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("cr.csv:3"), "{}", stderr(&out));
}

fn a_scim_token_is_shown_once_listed_without_its_secret_and_revoked_at_once(db: TestDb) {
    let plab = Plab::new(db);
    let made = plab.json(&["scim", "token", "new", "--label", "Okta production", "--json"]);
    let (id, secret) = (made["id"].to_string(), made["token"].as_str().expect("token").to_owned());
    assert!(secret.starts_with("plab_scim_") && secret.len() >= 64, "{secret}");
    let listed = plab.ok(&["scim", "token", "list", "--json"]);
    assert!(!listed.contains(&secret[10..]), "the list never shows the token: {listed}");
    let listed: Value = serde_json::from_str(&listed).expect("json");
    assert_eq!((listed[0]["label"].as_str(), listed[0]["revoked_at"].is_null()), (Some("Okta production"), true));
    assert!(plab.ok(&["scim", "token", "list"]).contains("Okta production"));
    plab.ok(&["scim", "token", "revoke", &id]);
    assert!(plab.json(&["scim", "token", "list", "--json"])[0]["revoked_at"].is_string());
    for bad in [
        vec!["scim", "token", "revoke", &id],
        vec!["scim", "token", "revoke", "999"],
        vec!["scim", "token", "revoke", "one"],
        vec!["scim", "token", "new", "--label", " "],
    ] {
        let out = plab.run(&bad);
        assert_eq!(status(&out), 2, "{bad:?}: {}", stderr(&out));
    }
    let log = plab.json(&["audit", "--json"]);
    let actions: Vec<&str> = log.as_array().expect("log").iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert_eq!(actions, ["scim.token.revoke", "scim.token.new"]);
    assert!(!log.to_string().contains(&secret[10..]), "nor does the audit log");
}

fn audit_verify_exits_0_on_a_whole_log_and_1_naming_the_entry_changed(db: TestDb) {
    let plab = Plab::new(db);
    let people = plab.file("people.csv", &format!("{HEADER}{ORG}"));
    plab.ok(&["import", "people", people.to_str().expect("path")]);
    plab.ok(&["settings", "set", "instance_name", "Lab"]);
    let whole = plab.json(&["audit", "verify", "--json"]);
    assert_eq!(
        (&whole["ok"], &whole["entries"], &whole["problem"]),
        (&serde_json::json!(true), &serde_json::json!(2), &Value::Null),
        "{whole}"
    );
    assert!(plab.ok(&["audit", "verify"]).contains("The audit log is whole: 2 entries"));
    // Filters: by action prefix, and a bad date names its flag and exits 2.
    let settings = plab.json(&["audit", "--action", "settings.", "--json"]);
    assert_eq!(settings.as_array().map(Vec::len), Some(1), "{settings}");
    let bad = plab.run(&["audit", "--from", "soon"]);
    assert_eq!(status(&bad), 2);
    assert!(stderr(&bad).contains("from") && stderr(&bad).contains("YYYY-MM-DD"), "{}", stderr(&bad));
    // Someone with the database edits the import's entry.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let id = rt.block_on(async {
        let store = plab_store::Store::connect(&plab.db.url).await.expect("connect");
        plab_store::testing::tamper(&store, "UPDATE audit_log SET detail = 'nothing' WHERE action = 'people.import'")
            .await;
        store.audit_log(10).await.expect("log").iter().find(|e| e.action == "people.import").expect("entry").id
    });
    let broken = plab.run(&["audit", "verify", "--json"]);
    assert_eq!(status(&broken), 1);
    let report: Value = serde_json::from_slice(&broken.stdout).expect("one JSON document");
    assert_eq!(report["problem"], serde_json::json!({"id": id, "kind": "changed"}), "{report}");
    let said = plab.run(&["audit", "verify"]);
    assert_eq!(status(&said), 1);
    assert!(stderr(&said).contains(&format!("entry {id} was changed")), "{}", stderr(&said));
}
