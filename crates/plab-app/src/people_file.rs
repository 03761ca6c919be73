//! A people file as HR systems and spreadsheets export it: its text encoding
//! (UTF-8, or one named with `--encoding`, e.g. `windows-1252`), its line
//! endings (LF, CRLF or CR, read alike so that line numbers are right), its
//! delimiter (comma, semicolon or tab, told by the header line), and its
//! header names (ours, the usual HR export names, or `--map 'HEADER=column'`).
use crate::Problem;
use crate::people::COLUMNS;
use serde::Serialize;
use std::collections::BTreeMap;

/// How to read a file, beyond what is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// A WHATWG encoding label (`utf-8`, `windows-1252`, `latin1`, `utf-16le`…); UTF-8 without it.
    pub encoding: Option<String>,
    /// `HEADER=column` pairs: the file's header for one of our columns.
    pub map: Vec<String>,
}

/// What was detected, for the import summary and the upload page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFormat {
    /// The encoding the text was read in, e.g. `UTF-8`, `windows-1252`.
    pub encoding: String,
    /// `comma`, `semicolon` or `tab`.
    pub delimiter: &'static str,
    /// `LF`, `CRLF`, `CR`, `mixed` or `none` (a single line).
    pub line_endings: &'static str,
    /// Each of our columns the file has, and the header it was read from.
    pub columns: BTreeMap<&'static str, String>,
}

impl FileFormat {
    /// One sentence: `semicolon-separated, windows-1252, CRLF line endings; email from "Work Email", …`.
    pub fn describe(&self) -> String {
        let renamed: Vec<String> = COLUMNS
            .iter()
            .filter_map(|c| {
                self.columns.get(c).filter(|h| normalize(h) != normalize(c)).map(|h| format!("{c} from \"{h}\""))
            })
            .collect();
        let mut text = format!("{}-separated, {}, {} line endings", self.delimiter, self.encoding, self.line_endings);
        if !renamed.is_empty() {
            text.push_str("; ");
            text.push_str(&renamed.join(", "));
        }
        text
    }
}

/// The text of a file, decoded, with line endings made `\n`, and its delimiter.
pub(crate) struct Prepared {
    pub text: String,
    pub delimiter: u8,
    pub format: FileFormat,
}

pub(crate) fn prepare(source: &str, bytes: &[u8], options: &ReadOptions) -> Result<Prepared, Vec<Problem>> {
    let (text, encoding) = decode(source, bytes, options.encoding.as_deref())?;
    let (text, line_endings) = unify_line_endings(&text);
    let header = text.lines().next().unwrap_or("");
    let (delimiter, name) = detect_delimiter(header);
    Ok(Prepared {
        text,
        delimiter,
        format: FileFormat { encoding, delimiter: name, line_endings, columns: BTreeMap::new() },
    })
}

fn decode(source: &str, bytes: &[u8], label: Option<&str>) -> Result<(String, String), Vec<Problem>> {
    let at = |line: usize| format!("{source}:{line}");
    let encoding = match label.map(str::trim).filter(|l| !l.is_empty()) {
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            vec![
                Problem::new(format!(
                    "'{label}' is not a text encoding we know; use utf-8, windows-1252, iso-8859-15 or utf-16le"
                ))
                .field("encoding"),
            ]
        })?,
        // A byte-order mark names the encoding; without one, UTF-8.
        None => encoding_rs::Encoding::for_bom(bytes).map_or(encoding_rs::UTF_8, |(e, _)| e),
    };
    let (bom_encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, len)) if e == encoding => (e, &bytes[len..]),
        _ => (encoding, bytes),
    };
    if let Some(text) = bom_encoding.decode_without_bom_handling_and_without_replacement(body) {
        return Ok((text.into_owned(), bom_encoding.name().to_owned()));
    }
    // Name the first line that does not decode, and how to fix it.
    let valid_up_to = match std::str::from_utf8(body) {
        Err(e) if bom_encoding == encoding_rs::UTF_8 => e.valid_up_to(),
        _ => 0,
    };
    let line = body[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    let byte = body.get(valid_up_to).map_or(String::new(), |b| format!(" (byte 0x{b:02X})"));
    let fix = if bom_encoding == encoding_rs::UTF_8 {
        "the file is not UTF-8: if it comes from Excel or an HR system on Windows, import it with \
         --encoding windows-1252 (in the browser, choose Windows-1252), or save it as \"CSV UTF-8\""
            .to_owned()
    } else {
        format!("the file is not valid {} text: check the encoding it was saved in", bom_encoding.name())
    };
    Err(vec![Problem::new(format!("cannot be read{byte}: {fix}")).at(at(line))])
}

/// CRLF and lone CR become LF, so that every line is counted once; quoted
/// fields that span lines keep their line breaks (as LF).
fn unify_line_endings(text: &str) -> (String, &'static str) {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    let kind = match (crlf > 0, cr > 0, lf > 0) {
        (false, false, false) => "none",
        (true, false, false) => "CRLF",
        (false, true, false) => "CR",
        (false, false, true) => "LF",
        _ => "mixed",
    };
    if crlf == 0 && cr == 0 {
        return (text.to_owned(), kind);
    }
    (text.replace("\r\n", "\n").replace('\r', "\n"), kind)
}

/// The delimiter the header line uses most, outside quotes: comma, semicolon or tab.
fn detect_delimiter(header: &str) -> (u8, &'static str) {
    let mut counts = [(b',', "comma", 0usize), (b';', "semicolon", 0), (b'\t', "tab", 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
            c.2 += 1;
        }
    }
    // Ties go to the comma, then the semicolon.
    let best = counts.iter().fold(counts[0], |best, c| if c.2 > best.2 { *c } else { best });
    (best.0, best.1)
}

/// A header as compared: lower case, letters and digits only (`Work E-mail` → `workemail`).
fn normalize(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The header names HR exports use for each of our columns, after ours
/// (compared as `normalize` does). docs/interfaces.md lists them.
pub const ALIASES: [(&str, &[&str]); 12] = [
    (
        "employee_id",
        &[
            "employeenumber",
            "employeeno",
            "empid",
            "empno",
            "workerid",
            "personid",
            "personnelnumber",
            "staffid",
            "staffnumber",
            "id",
        ],
    ),
    ("name", &["fullname", "employeename", "displayname", "preferredname", "legalname", "workername"]),
    (
        "email",
        &[
            "workemail",
            "emailaddress",
            "workemailaddress",
            "businessemail",
            "primaryemail",
            "emailwork",
            "companyemail",
            "mail",
        ],
    ),
    ("department", &["dept", "departmentname", "team", "division", "orgunit", "businessunit", "function"]),
    (
        "manager_id",
        &[
            "manageremployeeid",
            "manageremployeenumber",
            "managernumber",
            "managerno",
            "supervisorid",
            "supervisoremployeeid",
            "reportsto",
            "reportstoid",
            "reportstoemployeeid",
            "linemanagerid",
        ],
    ),
    (
        "hire_date",
        &[
            "startdate",
            "dateofhire",
            "datehired",
            "originalhiredate",
            "joindate",
            "joiningdate",
            "dateofjoining",
            "employmentstartdate",
        ],
    ),
    ("level", &["joblevel", "grade", "jobgrade", "paygrade", "band", "careerlevel", "managementlevel"]),
    ("title", &["jobtitle", "position", "positiontitle", "businesstitle", "designation"]),
    ("location", &["worklocation", "office", "officelocation", "site", "city"]),
    ("timezone", &["tz", "timezonename"]),
    ("perspectives", &["skills", "interests", "expertise", "topics"]),
    ("end_date", &["terminationdate", "leavedate", "lastday", "exitdate", "lastworkingday", "separationdate"]),
];

/// Headers that give a name in two parts, when the file has no name column.
const FIRST_NAMES: [&str; 4] = ["firstname", "givenname", "legalfirstname", "preferredfirstname"];
const LAST_NAMES: [&str; 4] = ["lastname", "surname", "familyname", "legallastname"];

/// Where each column is read from.
#[derive(Debug)]
pub(crate) struct Columns {
    pub index: [Option<usize>; 12],
    /// A name made of first and last name columns.
    pub name_parts: Option<(usize, usize)>,
}

/// Maps the file's headers to our columns: `--map` first, then our names,
/// then the aliases; every problem is named with the header line.
pub(crate) fn map_columns(
    source: &str,
    headers: &[&str],
    options: &ReadOptions,
    format: &mut FileFormat,
) -> Result<Columns, Vec<Problem>> {
    let at = format!("{source}:1");
    let mut problems = Vec::new();
    let mut index: [Option<usize>; 12] = [None; 12];
    let mut used = vec![false; headers.len()];
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    for rule in &options.map {
        let Some((header, column)) = rule.rsplit_once('=') else {
            problems.push(Problem::new(format!("'{rule}' is not HEADER=column")).field("map"));
            continue;
        };
        let (header, column) = (header.trim(), column.trim().to_ascii_lowercase());
        let Some(col) = COLUMNS.iter().position(|c| *c == column) else {
            problems.push(
                Problem::new(format!("'{column}' is not one of our columns: {}", COLUMNS.join(", "))).field("map"),
            );
            continue;
        };
        match headers.iter().position(|h| h.trim().eq_ignore_ascii_case(header)) {
            Some(pos) => {
                index[col] = Some(pos);
                used[pos] = true;
            }
            None => {
                let hint = closest(headers, &used, header).map_or(String::new(), |h| format!("; the closest is '{h}'"));
                problems.push(Problem::new(format!("the file has no header '{header}'{hint}")).field("map"));
            }
        }
    }
    for (col, column) in COLUMNS.iter().enumerate() {
        if index[col].is_some() {
            continue;
        }
        let ours = normalize(column);
        let found =
            normalized.iter().enumerate().filter(|(p, n)| !used[*p] && **n == ours).map(|(p, _)| p).collect::<Vec<_>>();
        if found.len() > 1 {
            problems.push(Problem::new(format!("column '{column}' appears twice")).at(at.clone()));
            continue;
        }
        let pos = found.first().copied().or_else(|| {
            ALIASES[col]
                .1
                .iter()
                .find_map(|alias| normalized.iter().enumerate().position(|(p, n)| !used[p] && n == alias))
        });
        if let Some(pos) = pos {
            index[col] = Some(pos);
            used[pos] = true;
        }
    }
    let find = |names: &[&str], used: &[bool]| {
        names.iter().find_map(|n| normalized.iter().enumerate().position(|(p, h)| !used[p] && h == n))
    };
    let name_parts = match (index[1], find(&FIRST_NAMES, &used), find(&LAST_NAMES, &used)) {
        (None, Some(first), Some(last)) => Some((first, last)),
        _ => None,
    };
    for (col, column) in COLUMNS.iter().enumerate().take(crate::people::REQUIRED) {
        if index[col].is_none() && !(col == 1 && name_parts.is_some()) {
            let hint = match closest(headers, &used, column) {
                Some(h) => {
                    format!("; the closest header in the file is '{h}': if it holds {column}, use --map '{h}={column}'")
                }
                None => format!("; name the header that holds it with --map 'HEADER={column}'"),
            };
            problems.push(Problem::new(format!("missing required column {column}{hint}")).at(at.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (col, column) in COLUMNS.iter().enumerate() {
        if let Some(pos) = index[col] {
            format.columns.insert(column, headers[pos].trim().to_owned());
        }
    }
    if let Some((first, last)) = name_parts {
        format.columns.insert("name", format!("{} + {}", headers[first].trim(), headers[last].trim()));
    }
    Ok(Columns { index, name_parts })
}

/// The unused header most like `wanted`, if any is close.
fn closest<'h>(headers: &[&'h str], used: &[bool], wanted: &str) -> Option<&'h str> {
    let wanted = normalize(wanted);
    headers
        .iter()
        .enumerate()
        .filter(|(p, h)| !used[*p] && !h.trim().is_empty())
        .map(|(_, h)| (strsim::normalized_levenshtein(&normalize(h), &wanted), h.trim()))
        .filter(|(similarity, _)| *similarity >= 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_the_header_uses_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c").1, "comma");
        assert_eq!(detect_delimiter("a;b;c").1, "semicolon");
        assert_eq!(detect_delimiter("a\tb\tc").1, "tab");
        assert_eq!(detect_delimiter("\"Name, full\";Email;Dept").1, "semicolon");
        assert_eq!(detect_delimiter("single").1, "comma");
    }

    #[test]
    fn every_line_ending_becomes_one_line_break() {
        assert_eq!(unify_line_endings("a\r\nb\r\n"), ("a\nb\n".to_owned(), "CRLF"));
        assert_eq!(unify_line_endings("a\rb\r"), ("a\nb\n".to_owned(), "CR"));
        assert_eq!(unify_line_endings("a\nb\n"), ("a\nb\n".to_owned(), "LF"));
        assert_eq!(unify_line_endings("a\r\nb\n").1, "mixed");
    }

    #[test]
    fn windows_1252_is_read_when_named_and_explained_when_not() {
        let bytes = b"name\nRen\xe9e\n";
        let e = decode("f.csv", bytes, None).expect_err("not UTF-8");
        assert_eq!(e[0].at.as_deref(), Some("f.csv:2"));
        assert!(e[0].message.contains("--encoding windows-1252"), "{}", e[0].message);
        let (text, name) = decode("f.csv", bytes, Some("windows-1252")).expect("decoded");
        assert_eq!((text.as_str(), name.as_str()), ("name\nRenée\n", "windows-1252"));
        assert_eq!(decode("f.csv", b"x", Some("klingon")).expect_err("unknown")[0].field.as_deref(), Some("encoding"));
        let (text, name) = decode("f.csv", b"\xef\xbb\xbfname\n", None).expect("a UTF-8 BOM");
        assert_eq!((text.as_str(), name.as_str()), ("name\n", "UTF-8"));
    }

    #[test]
    fn hr_export_headers_are_read_and_an_unknown_required_one_names_the_closest() {
        let headers =
            ["Employee ID", "First Name", "Last Name", "Work Email", "Dept", "Manager ID", "Hire Date", "Job Level"];
        let mut format =
            FileFormat { encoding: "UTF-8".into(), delimiter: "comma", line_endings: "LF", columns: BTreeMap::new() };
        let cols = map_columns("f.csv", &headers, &ReadOptions::default(), &mut format).expect("mapped");
        assert_eq!(cols.index[2], Some(3));
        assert_eq!(cols.name_parts, Some((1, 2)));
        assert_eq!(format.columns["email"], "Work Email");
        assert!(format.describe().contains("email from \"Work Email\""), "{}", format.describe());
        let odd = ["Employee ID", "Full Name", "E-mail Addr", "Dept", "Manager ID", "Hire Date", "Job Level"];
        let e = map_columns("f.csv", &odd, &ReadOptions::default(), &mut format.clone()).expect_err("no email");
        assert!(
            e[0].message.contains("missing required column email; the closest header in the file is 'E-mail Addr'"),
            "{}",
            e[0].message
        );
        let mapped = ReadOptions { map: vec!["E-mail Addr=email".into()], ..ReadOptions::default() };
        assert!(map_columns("f.csv", &odd, &mapped, &mut format.clone()).is_ok());
        let wrong = ReadOptions { map: vec!["Mail=emial".into()], ..ReadOptions::default() };
        let e = map_columns("f.csv", &odd, &wrong, &mut format.clone()).expect_err("unknown column");
        assert_eq!(e[0].field.as_deref(), Some("map"));
    }
}
