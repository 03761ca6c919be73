//! Importing and exporting the organisation's people as CSV (docs/interfaces.md).
//! An import is all or nothing: every problem is listed with its line, and
//! nothing is written unless the whole file is valid.
use crate::people_file::{FileFormat, Prepared, ReadOptions};
use crate::{AppError, Problem};
use plab_domain::org::{OrgProblem, check_org_chart};
use plab_domain::person::{Person, RawPerson};
use plab_store::{ImportSummary, Store};
use std::collections::HashMap;
use std::io::{Read, Write};

pub const COLUMNS: [&str; 12] = [
    "employee_id",
    "name",
    "email",
    "department",
    "manager_id",
    "hire_date",
    "level",
    "title",
    "location",
    "timezone",
    "perspectives",
    "end_date",
];
pub(crate) const REQUIRED: usize = 7;

/// Listing thousands of problems helps no one; the first ones show the pattern.
const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProgress {
    Parsed(usize),
    Written { done: usize, total: usize },
}

/// A person and the line of the file they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub person: Person,
}

/// Reads and validates a people CSV on its own (no database), UTF-8 with our headers or their aliases.
pub fn parse_csv<R: Read>(source: &str, reader: R) -> Result<Vec<Row>, Vec<Problem>> {
    let parsed = parse_csv_lenient(source, reader, &ReadOptions::default())?;
    if parsed.problems.is_empty() { Ok(parsed.rows) } else { Err(parsed.problems) }
}

/// A file read as far as it goes: the valid rows, the problems of the others,
/// and the employee ids those others named (so that their reports are not
/// also flagged as having an unknown manager).
struct Parsed {
    rows: Vec<Row>,
    problems: Vec<Problem>,
    invalid_ids: Vec<String>,
    format: FileFormat,
}

fn parse_csv_lenient<R: Read>(source: &str, mut reader: R, options: &ReadOptions) -> Result<Parsed, Vec<Problem>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| vec![Problem::new(format!("cannot read the file: {e}")).at(source.to_owned())])?;
    let Prepared { text, delimiter, mut format } = crate::people_file::prepare(source, &bytes, options)?;
    drop(bytes);
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).delimiter(delimiter).from_reader(text.as_bytes());
    let headers = csv
        .headers()
        .map_err(|e| vec![Problem::new(format!("cannot read the header: {e}")).at(format!("{source}:1"))])?
        .clone();
    let header_names: Vec<&str> = headers.iter().collect();
    let columns = crate::people_file::map_columns(source, &header_names, options, &mut format)?;
    let index = columns.index;
    let (mut rows, mut problems, mut invalid_ids) = (Vec::new(), Vec::new(), Vec::new());
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                problems.push(Problem::new(csv_error_message(&e)).at(format!("{source}:{line}")));
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        // `restore` undoes the export's guard against spreadsheet formulas.
        let cell = |i: usize| crate::csv_cell::restore(record.get(i).unwrap_or(""));
        let get = |col: usize| index[col].map(cell).unwrap_or("").to_owned();
        let name = match columns.name_parts {
            Some((first, last)) => {
                let part = |i: usize| cell(i).trim();
                format!("{} {}", part(first), part(last)).trim().to_owned()
            }
            None => get(1),
        };
        let raw = RawPerson {
            employee_id: get(0),
            name,
            email: get(2),
            department: get(3),
            manager_id: get(4),
            hire_date: get(5),
            level: get(6),
            title: get(7),
            location: get(8),
            timezone: get(9),
            perspectives: get(10),
            end_date: get(11),
        };
        match raw.parse() {
            Ok(person) => rows.push(Row { line, person }),
            Err(errs) => {
                if !raw.employee_id.trim().is_empty() {
                    invalid_ids.push(raw.employee_id.trim().to_owned());
                }
                problems.extend(errs.into_iter().map(|e| Problem::from(e).at(format!("{source}:{line}"))))
            }
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::new("the file has a header but no people").at(source.to_owned()));
    }
    Ok(Parsed { rows, problems, invalid_ids, format })
}

fn csv_error_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text".to_owned(),
        _ => e.to_string(),
    }
}

/// Checks the file against itself and the people already stored: duplicate
/// ids and e-mails, unknown managers and reporting cycles.
pub fn check_against_directory(
    source: &str,
    rows: &[Row],
    existing: &[(String, Option<String>, String)],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let at = |line: u64| format!("{source}:{line}");
    let mut line_of: HashMap<&str, u64> = HashMap::with_capacity(rows.len());
    for r in rows {
        let id = r.person.employee_id.as_str();
        if let Some(first) = line_of.insert(id, r.line) {
            line_of.insert(id, first);
            problems.push(
                Problem::new(format!("duplicate employee_id '{id}' (first on line {first})"))
                    .field("employee_id")
                    .at(at(r.line)),
            );
        }
    }
    // E-mails as they will be after the import: the file's, plus those of
    // stored people the file does not touch.
    let mut email_owner: HashMap<&str, (&str, Option<u64>)> = existing
        .iter()
        .filter(|(id, _, _)| !line_of.contains_key(id.as_str()))
        .map(|(id, _, email)| (email.as_str(), (id.as_str(), None)))
        .collect();
    for r in rows {
        let (id, email) = (r.person.employee_id.as_str(), r.person.email.as_str());
        match email_owner.get(email) {
            Some((other, _)) if *other == id => {}
            Some((other, Some(line))) => problems.push(
                Problem::new(format!("duplicate email '{email}' (also '{other}' on line {line})"))
                    .field("email")
                    .at(at(r.line)),
            ),
            Some((other, None)) => problems.push(
                Problem::new(format!("email '{email}' already belongs to employee '{other}'"))
                    .field("email")
                    .at(at(r.line)),
            ),
            None => {
                email_owner.insert(email, (id, Some(r.line)));
            }
        }
    }
    let mut edges: HashMap<&str, Option<&str>> =
        existing.iter().map(|(id, m, _)| (id.as_str(), m.as_deref())).collect();
    for r in rows {
        edges.insert(r.person.employee_id.as_str(), r.person.manager_id.as_ref().map(|m| m.as_str()));
    }
    for problem in check_org_chart(edges) {
        let line = match &problem {
            OrgProblem::UnknownManager { employee, .. } => line_of.get(employee.as_str()).copied(),
            OrgProblem::Cycle { members } => members.iter().filter_map(|m| line_of.get(m.as_str()).copied()).min(),
        };
        let p = Problem::new(problem.to_string().trim_start_matches("manager_id: ").to_owned()).field("manager_id");
        problems.push(match line {
            Some(l) => p.at(at(l)),
            None => p.at(source.to_owned()),
        });
    }
    problems
}

/// An account belongs to its person for good: an import may change anyone's
/// directory e-mail, but never give a person the e-mail another person's
/// account signs in with (that would make the directory say one person is
/// another). Each such row is a problem naming its line.
pub fn check_sign_ins(source: &str, rows: &[Row], bound: &[(String, String)]) -> Vec<Problem> {
    let owner: HashMap<&str, &str> = bound.iter().map(|(email, id)| (email.as_str(), id.as_str())).collect();
    rows.iter()
        .filter_map(|r| {
            let (id, email) = (r.person.employee_id.as_str(), r.person.email.as_str());
            let other = owner.get(email).filter(|other| **other != id)?;
            Some(
                Problem::new(format!(
                    "email '{email}' is the sign-in of employee '{other}''s account; an import never moves an account to another person"
                ))
                .field("email")
                .at(format!("{source}:{}", r.line)),
            )
        })
        .collect()
}

/// What an import did, and the file's format as it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub summary: ImportSummary,
    pub format: FileFormat,
    /// False when only checked (`write: false`): nothing was written.
    pub written: bool,
}

/// Validates the whole file, then (with `write`) upserts everyone in one transaction.
pub async fn import<R: Read>(
    store: &Store,
    source: &str,
    reader: R,
    options: &ReadOptions,
    write: bool,
    progress: &(dyn Fn(ImportProgress) + Sync),
    by: &str,
) -> Result<Imported, AppError> {
    let Parsed { rows, mut problems, invalid_ids, format } =
        parse_csv_lenient(source, reader, options).map_err(truncate)?;
    progress(ImportProgress::Parsed(rows.len()));
    let mut existing = store.directory_keys().await?;
    // Rows that failed still exist as far as their reports' manager_id goes.
    existing.extend(invalid_ids.into_iter().map(|id| (id.clone(), None, format!("\u{0}invalid:{id}"))));
    problems.extend(check_against_directory(source, &rows, &existing));
    problems.extend(check_sign_ins(source, &rows, &store.bound_sign_ins().await?));
    if !problems.is_empty() {
        problems
            .sort_by_key(|p| p.at.as_deref().and_then(|a| a.rsplit(':').next()).and_then(|l| l.parse::<u64>().ok()));
        return Err(truncate(problems));
    }
    let people: Vec<Person> = rows.into_iter().map(|r| r.person).collect();
    if !write {
        let stored: std::collections::HashSet<&str> = existing.iter().map(|(id, ..)| id.as_str()).collect();
        let updated = people.iter().filter(|p| stored.contains(p.employee_id.as_str())).count() as u64;
        let summary = ImportSummary { inserted: people.len() as u64 - updated, updated };
        return Ok(Imported { summary, format, written: false });
    }
    let total = people.len();
    let summary = store.upsert_people(&people, &|done| progress(ImportProgress::Written { done, total })).await?;
    let detail = format!("{} new, {} updated ({})", summary.inserted, summary.updated, format.describe());
    store.audit(by, "people.import", source, &detail).await?;
    Ok(Imported { summary, format, written: true })
}

fn truncate(mut problems: Vec<Problem>) -> AppError {
    let n = problems.len();
    if n > MAX_PROBLEMS {
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::new(format!("… and {} more problems", n - MAX_PROBLEMS)));
    }
    AppError::Invalid(problems)
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes every person in the import format; returns how many.
pub async fn export<W: Write>(store: &Store, writer: W) -> Result<usize, ExportError> {
    let people = store.all_people().await.map_err(AppError::from)?;
    write_csv(&people, writer).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => ExportError::Write(io),
        other => ExportError::Write(std::io::Error::other(format!("{other:?}"))),
    })?;
    Ok(people.len())
}

pub fn write_csv<W: Write>(people: &[Person], writer: W) -> Result<(), csv::Error> {
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(COLUMNS)?;
    for p in people {
        let r = p.to_raw();
        // Every cell, not only the free text: the others (dates, a level of
        // 0 to 100) never start a formula, so nothing changes for them, and a
        // column added later cannot be forgotten.
        let cells = [
            &r.employee_id,
            &r.name,
            &r.email,
            &r.department,
            &r.manager_id,
            &r.hire_date,
            &r.level,
            &r.title,
            &r.location,
            &r.timezone,
            &r.perspectives,
            &r.end_date,
        ];
        csv.write_record(cells.map(|c| crate::csv_cell::neutralise(c)).iter().map(|c| c.as_bytes()))?;
    }
    csv.flush()?;
    Ok(())
}

/// Who may load the organisation's people: an administrator or a sponsor of any program.
pub async fn import_as<R: Read>(
    store: &Store,
    actor: &crate::accounts::Actor,
    source: &str,
    reader: R,
    options: &ReadOptions,
    write: bool,
) -> Result<Imported, AppError> {
    crate::access::importer(store, actor).await?;
    import(store, source, reader, options, write, &|_| {}, &actor.email).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "employee_id,name,email,department,manager_id,hire_date,level\n";

    fn parse(body: &str) -> Result<Vec<Row>, Vec<Problem>> {
        parse_csv("people.csv", format!("{HEADER}{body}").as_bytes())
    }

    fn problems(body: &str) -> Vec<String> {
        match parse(body) {
            Ok(rows) => check_against_directory("people.csv", &rows, &[]).iter().map(ToString::to_string).collect(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn an_import_giving_one_person_anothers_sign_in_email_is_refused_with_its_line() {
        let rows = parse("S,Sam,l@x.io,People,,2010-01-01,8\nL,Lee,s@x.io,Sales,,2010-01-01,8\n").expect("valid");
        let bound = vec![("l@x.io".to_owned(), "L".to_owned()), ("s@x.io".to_owned(), "S".to_owned())];
        let found: Vec<String> = check_sign_ins("people.csv", &rows, &bound).iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("people.csv:2: email: email 'l@x.io' is the sign-in of employee 'L'"),
            "{found:?}"
        );
        // A person keeping or changing their own e-mail is fine.
        let own = parse("L,Lee,l@x.io,Sales,,2010-01-01,8\nS,Sam,new@x.io,People,,2010-01-01,8\n").expect("valid");
        assert!(check_sign_ins("people.csv", &own, &bound).is_empty());
    }

    #[test]
    fn headers_are_case_insensitive_in_any_order_and_extra_columns_are_ignored() {
        let csv =
            "Level,EMAIL,Name,notes,employee_id,Department,hire_date,manager_id\n7,a@x.io,Ann,hi,A,Ops,2010-01-01,\n";
        let rows = parse_csv("p.csv", csv.as_bytes()).expect("valid");
        assert_eq!(rows[0].person.level.value(), 7);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_time_zone_must_be_one_the_tz_database_knows_and_is_named_with_its_line() {
        let csv = "employee_id,name,email,department,manager_id,hire_date,level,timezone\n\
                   A,Ann,a@x.io,Ops,,2010-01-01,7,Europe/Berlin\n\
                   B,Bo,b@x.io,Ops,A,2011-01-01,3,Mars/Olympus\n";
        let problems: Vec<String> = match parse_csv("p.csv", csv.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("p.csv:3: timezone: 'Mars/Olympus' is not a time zone we know"),
            "{problems:?}"
        );
        let good = "employee_id,name,email,department,manager_id,hire_date,level,timezone\nA,Ann,a@x.io,Ops,,2010-01-01,7,America/New_York\n";
        let rows = parse_csv("p.csv", good.as_bytes()).expect("valid");
        assert_eq!(rows[0].person.timezone.as_deref(), Some("America/New_York"));
    }

    /// A bad level on the fourth data line: line 5 of the file, however lines end.
    fn line_of_bad_level(body: &str) -> String {
        let errs = parse_csv("p.csv", body.as_bytes()).expect_err("a bad level");
        errs[0].at.clone().expect("where")
    }

    #[test]
    fn line_numbers_are_right_for_lf_crlf_and_cr_endings_and_quoted_fields_that_span_lines() {
        let rows = [
            "A,Ann,a@x.io,Ops,,2010-01-01,7",
            "B,Bo,b@x.io,Ops,A,2011-01-01,5",
            "C,Cy,c@x.io,Ops,A,2012-01-01,5",
            "D,Di,d@x.io,Ops,A,2013-01-01,high",
        ];
        for ending in ["\n", "\r\n", "\r"] {
            let body = format!("{}{ending}{}{ending}", HEADER.trim_end(), rows.join(ending));
            assert_eq!(line_of_bad_level(&body), "p.csv:5", "{ending:?}");
        }
        // A quoted title over two lines pushes the bad row one line down.
        let header = "employee_id,name,email,department,manager_id,hire_date,level,title\r\n";
        let body = format!(
            "{header}A,Ann,a@x.io,Ops,,2010-01-01,7,\"Head of\r\nOps\"\r\nB,Bo,b@x.io,Ops,A,2011-01-01,high,x\r\n"
        );
        assert_eq!(line_of_bad_level(&body), "p.csv:4");
    }

    #[test]
    fn a_semicolon_export_with_hr_headers_in_windows_1252_reads_once_the_encoding_is_named() {
        let file = b"Employee ID;First Name;Last Name;Work Email;Dept;Manager ID;Hire Date;Job Level\r\n\
E1;Ren\xe9e;Durand;renee@x.io;Ventes;;2010-01-01;7\r\n";
        let e = parse_csv("p.csv", &file[..]).expect_err("not UTF-8");
        assert!(e[0].to_string().starts_with("p.csv:2: cannot be read (byte 0xE9)"), "{}", e[0]);
        let options = ReadOptions { encoding: Some("windows-1252".into()), map: Vec::new() };
        let parsed = parse_csv_lenient("p.csv", &file[..], &options).expect("read");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.rows[0].person.name.as_str(), "Renée Durand");
        assert_eq!((parsed.format.delimiter, parsed.format.line_endings), ("semicolon", "CRLF"));
        assert_eq!(parsed.format.encoding, "windows-1252");
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let errs = parse_csv("p.csv", "employee_id,name\nA,Ann\n".as_bytes()).expect_err("invalid");
        let said: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 5, "{said:?}");
        assert_eq!(
            said[0],
            "p.csv:1: missing required column email; name the header that holds it with --map 'HEADER=email'"
        );
    }

    #[test]
    fn a_bad_field_is_reported_with_its_line_and_field() {
        let errs = problems("A,Ann,a@x.io,Ops,,2010-01-01,7\nB,Bob,bob,Ops,A,2011-01-01,3\n");
        assert_eq!(errs, vec!["people.csv:3: email: 'bob' has no '@'"]);
    }

    #[test]
    fn a_short_row_is_reported_with_its_line() {
        let errs = problems("A,Ann,a@x.io,Ops,,2010-01-01,7\nB,Bob\n");
        assert_eq!(errs, vec!["people.csv:3: has 2 fields but the header has 7"]);
    }

    #[test]
    fn duplicate_ids_and_emails_name_both_lines() {
        let errs =
            problems("A,Ann,a@x.io,Ops,,2010-01-01,7\nA,Al,al@x.io,Ops,,2010-01-01,7\nC,Cy,A@X.io,Ops,,2010-01-01,7\n");
        assert_eq!(
            errs,
            vec![
                "people.csv:3: employee_id: duplicate employee_id 'A' (first on line 2)",
                "people.csv:4: email: duplicate email 'a@x.io' (also 'A' on line 2)",
            ]
        );
    }

    #[test]
    fn an_unknown_manager_is_reported_on_the_reports_line() {
        let errs = problems("A,Ann,a@x.io,Ops,,2010-01-01,7\nB,Bob,b@x.io,Ops,Z,2010-01-01,3\n");
        assert_eq!(errs, vec!["people.csv:3: manager_id: 'Z' of employee 'B' is not a known employee_id"]);
    }

    #[test]
    fn a_manager_cycle_is_reported_with_its_members() {
        let errs = problems("A,Ann,a@x.io,Ops,B,2010-01-01,7\nB,Bob,b@x.io,Ops,A,2010-01-01,3\n");
        assert_eq!(errs, vec!["people.csv:2: manager_id: reporting cycle A -> B -> A"]);
    }

    #[test]
    fn managers_already_stored_are_known() {
        let rows = parse("B,Bob,b@x.io,Ops,A,2010-01-01,3\n").expect("valid");
        let existing = vec![("A".to_owned(), None, "a@x.io".to_owned())];
        assert!(check_against_directory("people.csv", &rows, &existing).is_empty());
    }

    #[test]
    fn an_email_of_another_stored_person_is_rejected() {
        let rows = parse("B,Bob,a@x.io,Ops,,2010-01-01,3\n").expect("valid");
        let existing = vec![("A".to_owned(), None, "a@x.io".to_owned())];
        let errs: Vec<String> =
            check_against_directory("people.csv", &rows, &existing).iter().map(ToString::to_string).collect();
        assert_eq!(errs, vec!["people.csv:2: email: email 'a@x.io' already belongs to employee 'A'"]);
    }

    #[test]
    fn export_writes_the_import_format() {
        let rows = parse("A,\"Ann, Jr.\",a@x.io,Ops,,2010-01-01,7\n").expect("valid");
        let mut out = Vec::new();
        write_csv(&[rows[0].person.clone()], &mut out).expect("write");
        let back = parse_csv("back.csv", out.as_slice()).expect("re-import");
        assert_eq!(back[0].person, rows[0].person);
    }

    #[test]
    fn people_whose_text_starts_like_a_formula_are_exported_as_text_and_re_imported_the_same() {
        let person = |[employee_id, name, department, manager_id, title, location, perspectives]: [&str; 7]| {
            RawPerson {
                employee_id: employee_id.into(),
                name: name.into(),
                email: format!("{}@x.io", employee_id.trim_start_matches('=').to_lowercase()),
                department: department.into(),
                manager_id: manager_id.into(),
                hire_date: "2010-01-01".into(),
                level: "7".into(),
                title: title.into(),
                location: location.into(),
                perspectives: perspectives.into(),
                ..RawPerson::default()
            }
            .parse()
            .expect("valid")
        };
        let people = vec![
            person(["=E1", "=HYPERLINK(\"http://evil.test\",\"x\")", "-Ops", "", "-5", "@home", "+1;'=2;'plain"]),
            person(["E2", "-Dash 'Quoted'", "Ops", "=E1", "'-x", "'=x", "'"]),
        ];
        let mut out = Vec::new();
        write_csv(&people, &mut out).expect("write");
        let text = String::from_utf8(out.clone()).expect("UTF-8");
        for record in csv::Reader::from_reader(text.as_bytes()).records() {
            for cell in record.expect("a record").iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} would run as a formula: {text}");
            }
        }
        assert!(text.contains(",'-5,"), "a title that looks like a negative number is text: {text}");
        let back: Vec<Person> =
            parse_csv("back.csv", out.as_slice()).expect("re-import").into_iter().map(|r| r.person).collect();
        assert_eq!(back, people);
    }
}
