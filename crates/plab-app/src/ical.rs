//! iCalendar text (RFC 5545) as the feed and the invitations carry it. What
//! people typed (names, the research question, homework) reaches a calendar
//! through this module only: TEXT values are escaped, parameter values
//! quoted, every line ends in CRLF and is folded at 75 octets.
//!
//! We write the text ourselves rather than with the `icalendar` crate: it
//! escapes TEXT but leaves a carriage return as it is (a strict parser
//! rejects the feed, a lenient one starts a new line there: an injected
//! property or event), and it writes a parameter value that starts and ends
//! with `"` unquoted and unchecked (a display name could add parameters).
//! Property and component names are `&'static str`: only ours, never data.

/// A calendar being written, one content line at a time.
#[derive(Debug, Default)]
pub(crate) struct Ics {
    out: String,
}

impl Ics {
    pub fn new() -> Ics {
        Ics::default()
    }

    /// `BEGIN:VCALENDAR`, `BEGIN:VEVENT`…
    pub fn begin(&mut self, component: &'static str) -> &mut Self {
        self.line(&format!("BEGIN:{component}"))
    }

    pub fn end(&mut self, component: &'static str) -> &mut Self {
        self.line(&format!("END:{component}"))
    }

    /// A property of type TEXT: `SUMMARY`, `DESCRIPTION`, `UID`, `STATUS`…
    pub fn text(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.line(&format!("{name}:{}", text(value)))
    }

    /// A property whose value the product formats itself and which is not
    /// TEXT: a date-time, an integer. Control characters are dropped all the same.
    pub fn value(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.line(&format!("{name}:{}", without_controls(value)))
    }

    /// A property with parameters, e.g. `ATTENDEE;CN="Ada Lovelace":mailto:ada@example.org`.
    pub fn with_params(&mut self, name: &'static str, params: &[(&'static str, &str)], value: &str) -> &mut Self {
        let mut line = name.to_owned();
        for (key, v) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(v));
        }
        line.push(':');
        line.push_str(&without_controls(value));
        self.line(&line)
    }

    /// The calendar's text (the writer is left empty).
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    fn line(&mut self, line: &str) -> &mut Self {
        fold_into(&mut self.out, line);
        self
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, `;` and `,` escaped; every
/// line break (CRLF, a lone CR, LF) becomes `\n`; other control characters
/// except the tab are dropped.
pub(crate) fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (RFC 5545 §3.2): a plain token (`INDIVIDUAL`,
/// `REQ-PARTICIPANT`) as it is, anything else between DQUOTEs. A DQUOTE
/// cannot appear inside one, so it becomes `'` (RFC 6868's `^'` would keep
/// it, but calendars that do not read RFC 6868 would show `^'` in a name);
/// control characters are dropped.
pub(crate) fn param_value(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return value.to_owned();
    }
    let inner: String = value.chars().filter(|c| !c.is_control()).map(|c| if c == '"' { '\'' } else { c }).collect();
    format!("\"{inner}\"")
}

fn without_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// Writes `line` folded (RFC 5545 §3.1): at most 75 octets per line, each
/// continuation starting with a space, never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let (mut rest, mut room) = (line, LIMIT);
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// A strict reader for tests: any bare CR or LF, any line over 75 octets,
/// any escape RFC 5545 does not define fails.
#[cfg(test)]
pub(crate) mod strict {
    /// One unfolded content line.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Line {
        pub name: String,
        pub params: Vec<(String, String)>,
        pub value: String,
    }

    pub fn read(ics: &str) -> Vec<Line> {
        let body = ics.strip_suffix("\r\n").expect("the last line ends in CRLF");
        let mut lines: Vec<String> = Vec::new();
        for physical in body.split("\r\n") {
            assert!(!physical.contains(['\r', '\n']), "a bare CR or LF in {physical:?}");
            assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
            match physical.strip_prefix(' ') {
                Some(more) => lines.last_mut().expect("a line to continue").push_str(more),
                None => lines.push(physical.to_owned()),
            }
        }
        lines.iter().map(|l| parse(l)).collect()
    }

    fn parse(line: &str) -> Line {
        let name_end = line.find([';', ':']).unwrap_or_else(|| panic!("no value in {line:?}"));
        let name = &line[..name_end];
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{line:?}");
        let mut rest = &line[name_end..];
        let mut params = Vec::new();
        while let Some(after) = rest.strip_prefix(';') {
            let (key, after) = after.split_once('=').unwrap_or_else(|| panic!("a parameter without '=' in {line:?}"));
            let (value, after) = match after.strip_prefix('"') {
                Some(quoted) => {
                    let close = quoted.find('"').unwrap_or_else(|| panic!("an unclosed quote in {line:?}"));
                    (&quoted[..close], &quoted[close + 1..])
                }
                None => {
                    let end = after.find([';', ':', ',', '"']).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            params.push((key.to_owned(), value.to_owned()));
            rest = after;
        }
        let value = rest.strip_prefix(':').unwrap_or_else(|| panic!("no ':' after the parameters in {line:?}"));
        Line { name: name.to_owned(), params, value: value.to_owned() }
    }

    /// A TEXT value unescaped; an undefined escape fails.
    pub fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                assert!(c != ';' && c != ',', "an unescaped {c:?} in TEXT {value:?}");
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("an undefined escape \\{other:?} in {value:?}"),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_what_rfc_5545_reserves_and_every_line_break_becomes_one_newline() {
        assert_eq!(text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(text("one\rtwo\r\nthree\nfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(text("\r\n\r"), r"\n\n", "CRLF is one break, the lone CR another");
        assert_eq!(text("bell\u{7} nul\u{0} del\u{7f} tab\t"), "bell nul del tab\t");
        assert_eq!(strict::unescape(&text("x\\n\r\n;,\\")), "x\\n\n;,\\");
    }

    #[test]
    fn a_parameter_value_is_quoted_and_cannot_close_its_quotes() {
        assert_eq!(param_value("REQ-PARTICIPANT"), "REQ-PARTICIPANT");
        assert_eq!(param_value("Ada Lovelace"), "\"Ada Lovelace\"");
        assert_eq!(param_value("\"Evil\" ;ROLE=CHAIR:x"), "\"'Evil' ;ROLE=CHAIR:x\"");
        assert_eq!(param_value("\"x\";ROLE=CHAIR;X=\"y\""), "\"'x';ROLE=CHAIR;X='y'\"");
        assert_eq!(param_value("two\r\nlines"), "\"twolines\"");
        assert_eq!(param_value(""), "\"\"");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_and_unfold_to_the_same() {
        let summary = format!("{}ü€😀 end", "x".repeat(72)).repeat(5);
        let mut ics = Ics::new();
        ics.text("SUMMARY", &summary).with_params("ATTENDEE", &[("CN", &"ü".repeat(100))], "mailto:a@b.c");
        let written = ics.finish();
        let lines = strict::read(&written);
        assert_eq!(lines[0].value, summary);
        assert_eq!(lines[1].params, [("CN".to_owned(), "ü".repeat(100))]);
        assert!(written.split("\r\n").count() > 8, "{written}");
    }
}
