//! People as the organisation describes them, parsed from raw fields into
//! validated types ("parse, don't validate").
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A problem with one field of one person record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError { field, message: message.into() }
    }

    /// A value over its field's limit, said so that whoever fixes the source
    /// data knows by how much (the value itself is not repeated: it is long).
    fn too_long(field: &'static str, max: usize, chars: usize) -> Self {
        FieldError::new(field, format!("keep it to {max} characters or fewer (this one has {chars})"))
    }
}

/// The most characters each free-text field of a person may hold. Every way
/// a person comes in (the CSV import, SCIM, the pages) parses it with
/// `RawPerson::parse`, so these are the limits everywhere.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_LOCATION_CHARS: usize = 200;
/// The longest IANA zone name is 32 characters; 64 leaves room.
pub const MAX_TIMEZONE_CHARS: usize = 64;
pub const MAX_EMAIL_CHARS: usize = 254;
/// One perspective, and all of a person's together (separators included).
pub const MAX_PERSPECTIVE_CHARS: usize = 500;
pub const MAX_PERSPECTIVES_CHARS: usize = 2_000;

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                let s = raw.trim();
                if s.is_empty() {
                    return Err(FieldError::new($field, "is empty"));
                }
                let chars = s.chars().count();
                if chars > $max {
                    return Err(FieldError::too_long($field, $max, chars));
                }
                if s.chars().any(char::is_control) {
                    return Err(FieldError::new($field, "contains control characters"));
                }
                Ok($name(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_newtype!(
    /// The organisation's own identifier for a person; the key of an import.
    EmployeeId, "employee_id", 64
);
text_newtype!(PersonName, "name", 200);
text_newtype!(Department, "department", 120);

/// An e-mail address, lower-cased so that uniqueness ignores case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let s = raw.trim();
        let bad = |why: &str| Err(FieldError::new("email", format!("'{s}' {why}")));
        if s.is_empty() {
            return Err(FieldError::new("email", "is empty"));
        }
        let chars = s.chars().count();
        if chars > MAX_EMAIL_CHARS {
            return Err(FieldError::too_long("email", MAX_EMAIL_CHARS, chars));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("contains spaces");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return bad("has no '@'");
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return bad("is not of the form name@domain");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return bad("has no valid domain");
        }
        Ok(Email(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Seniority: higher is more senior. Mentors sit below their leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(i32);

impl Level {
    pub const MIN: i32 = 0;
    pub const MAX: i32 = 100;

    pub fn parse(raw: &str) -> Result<Level, FieldError> {
        let s = raw.trim();
        let n: i32 = s.parse().map_err(|_| FieldError::new("level", crate::words::whole_number(s, 3)))?;
        Level::new(n)
    }

    pub fn new(n: i32) -> Result<Level, FieldError> {
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(FieldError::new("level", crate::words::between(n, Self::MIN, Self::MAX)));
        }
        Ok(Level(n))
    }

    pub fn value(self) -> i32 {
        self.0
    }
}

/// Splits a `;`-separated perspectives field into trimmed, non-empty entries.
pub fn parse_perspectives(raw: &str) -> Vec<String> {
    raw.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `parse_perspectives` within the limits: each entry, and the whole field.
fn bounded_perspectives(raw: &str) -> Result<Vec<String>, Vec<FieldError>> {
    const FIELD: &str = "perspectives";
    let total = raw.trim().chars().count();
    if total > MAX_PERSPECTIVES_CHARS {
        return Err(vec![FieldError::new(
            FIELD,
            format!("keep them to {MAX_PERSPECTIVES_CHARS} characters in all (these have {total})"),
        )]);
    }
    let entries = parse_perspectives(raw);
    let errors: Vec<FieldError> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let (n, chars) = (i + 1, entry.chars().count());
            (chars > MAX_PERSPECTIVE_CHARS).then(|| {
                FieldError::new(
                    FIELD,
                    format!("perspective {n}: keep each to {MAX_PERSPECTIVE_CHARS} characters or fewer (this one has {chars})"),
                )
            })
        })
        .collect();
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// One person of the organisation, fully validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub employee_id: EmployeeId,
    pub name: PersonName,
    pub email: Email,
    pub department: Department,
    pub manager_id: Option<EmployeeId>,
    pub hire_date: Date,
    pub level: Level,
    pub title: Option<String>,
    pub location: Option<String>,
    pub timezone: Option<String>,
    pub perspectives: Vec<String>,
    pub end_date: Option<Date>,
}

/// A person as raw text fields, e.g. one CSV row, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawPerson {
    pub employee_id: String,
    pub name: String,
    pub email: String,
    pub department: String,
    pub manager_id: String,
    pub hire_date: String,
    pub level: String,
    pub title: String,
    pub location: String,
    pub timezone: String,
    pub perspectives: String,
    pub end_date: String,
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// An optional text field: empty is none, longer than `max` an error. (A
/// line break stays allowed: HR files quote multi-line titles and addresses.)
fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let chars = s.chars().count();
    if chars > max {
        return Err(FieldError::too_long(field, max, chars));
    }
    Ok(Some(s.to_owned()))
}

impl RawPerson {
    /// Validates every field and returns all problems, not just the first.
    pub fn parse(&self) -> Result<Person, Vec<FieldError>> {
        let mut errors = Vec::new();
        let employee_id = keep(&mut errors, EmployeeId::parse(&self.employee_id));
        let name = keep(&mut errors, PersonName::parse(&self.name));
        let email = keep(&mut errors, Email::parse(&self.email));
        let department = keep(&mut errors, Department::parse(&self.department));
        let manager_id = match self.manager_id.trim() {
            "" => Some(None),
            m => keep(&mut errors, EmployeeId::parse(m).map(Some)),
        };
        let hire_date =
            keep(&mut errors, Date::parse(&self.hire_date).map_err(|e| FieldError::new("hire_date", e.to_string())));
        let level = keep(&mut errors, Level::parse(&self.level));
        let title = keep(&mut errors, optional_text("title", &self.title, MAX_TITLE_CHARS));
        let location = keep(&mut errors, optional_text("location", &self.location, MAX_LOCATION_CHARS));
        // Bounded before the zone is looked up, whose error repeats the value.
        let timezone = keep(&mut errors, optional_text("timezone", &self.timezone, MAX_TIMEZONE_CHARS));
        // Kept as the tz database spells it (`america/new_york` becomes `America/New_York`).
        let timezone = match timezone {
            Some(Some(zone)) => keep(&mut errors, crate::zone::Zone::parse(&zone)).map(|z| Some(z.name().to_owned())),
            other => other,
        };
        let perspectives = bounded_perspectives(&self.perspectives).map_err(|e| errors.extend(e)).ok();
        let end_date = match self.end_date.trim() {
            "" => Some(None),
            d => keep(&mut errors, Date::parse(d).map(Some).map_err(|e| FieldError::new("end_date", e.to_string()))),
        };
        if let (Some(id), Some(Some(m))) = (&employee_id, &manager_id)
            && id == m
        {
            errors.push(FieldError::new("manager_id", "a person cannot be their own manager"));
        }
        if let (Some(h), Some(Some(e))) = (hire_date, end_date)
            && e < h
        {
            errors.push(FieldError::new("end_date", format!("{e} is before hire_date {h}")));
        }
        let free_text = (title, location, timezone, perspectives);
        match (employee_id, name, email, department, manager_id, hire_date, level, end_date, free_text) {
            (
                Some(employee_id),
                Some(name),
                Some(email),
                Some(department),
                Some(manager_id),
                Some(hire_date),
                Some(level),
                Some(end_date),
                (Some(title), Some(location), Some(timezone), Some(perspectives)),
            ) if errors.is_empty() => Ok(Person {
                employee_id,
                name,
                email,
                department,
                manager_id,
                hire_date,
                level,
                title,
                location,
                timezone,
                perspectives,
                end_date,
            }),
            _ => Err(errors),
        }
    }
}

impl Person {
    pub fn to_raw(&self) -> RawPerson {
        RawPerson {
            employee_id: self.employee_id.to_string(),
            name: self.name.to_string(),
            email: self.email.to_string(),
            department: self.department.to_string(),
            manager_id: self.manager_id.as_ref().map(ToString::to_string).unwrap_or_default(),
            hire_date: self.hire_date.to_string(),
            level: self.level.value().to_string(),
            title: self.title.clone().unwrap_or_default(),
            location: self.location.clone().unwrap_or_default(),
            timezone: self.timezone.clone().unwrap_or_default(),
            perspectives: self.perspectives.join(";"),
            end_date: self.end_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawPerson {
        RawPerson {
            employee_id: "E1".into(),
            name: "Ada Lovelace".into(),
            email: "Ada@Example.com".into(),
            department: "Engineering".into(),
            manager_id: "".into(),
            hire_date: "2015-04-01".into(),
            level: "7".into(),
            perspectives: "AI tools; TikTok ;".into(),
            ..RawPerson::default()
        }
    }

    #[test]
    fn a_valid_record_parses_and_round_trips() {
        let p = raw().parse().expect("valid");
        assert_eq!(p.email.as_str(), "ada@example.com");
        assert_eq!(p.perspectives, vec!["AI tools", "TikTok"]);
        assert_eq!(p.to_raw().parse().expect("valid"), p);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let r = RawPerson { email: "nope".into(), hire_date: "01/02/2020".into(), level: "senior".into(), ..raw() };
        let errs = r.parse().expect_err("invalid");
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["email", "hire_date", "level"]);
    }

    #[test]
    fn a_person_cannot_manage_themselves() {
        let r = RawPerson { manager_id: "E1".into(), ..raw() };
        let errs = r.parse().expect_err("invalid");
        assert_eq!(errs[0].field, "manager_id");
    }

    #[test]
    fn leaving_before_joining_is_rejected() {
        let r = RawPerson { end_date: "2010-01-01".into(), ..raw() };
        assert_eq!(r.parse().expect_err("invalid")[0].field, "end_date");
    }

    #[test]
    fn empty_required_fields_are_named() {
        let r = RawPerson { name: "  ".into(), department: "".into(), ..raw() };
        let fields: Vec<_> = r.parse().expect_err("invalid").iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "department"]);
    }

    #[test]
    fn a_title_of_100000_characters_is_refused_with_the_limit_in_plain_words() {
        let r = RawPerson { title: "t".repeat(100_000), ..raw() };
        let errs = r.parse().expect_err("too long");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].to_string(), "title: keep it to 200 characters or fewer (this one has 100000)");
    }

    #[test]
    fn every_free_text_field_is_bounded_and_its_limit_is_allowed() {
        let at = |n: usize| "x".repeat(n);
        let email_of = |n: usize| format!("{}@x.io", "a".repeat(n - 5));
        type With = fn(String) -> RawPerson;
        let cases: [(&str, usize, With); 7] = [
            ("employee_id", EmployeeId::MAX_CHARS, |v| RawPerson { employee_id: v, ..raw() }),
            ("name", PersonName::MAX_CHARS, |v| RawPerson { name: v, ..raw() }),
            ("department", Department::MAX_CHARS, |v| RawPerson { department: v, ..raw() }),
            ("title", MAX_TITLE_CHARS, |v| RawPerson { title: v, ..raw() }),
            ("location", MAX_LOCATION_CHARS, |v| RawPerson { location: v, ..raw() }),
            ("perspectives", MAX_PERSPECTIVE_CHARS, |v| RawPerson { perspectives: v, ..raw() }),
            ("email", MAX_EMAIL_CHARS, |v| RawPerson { email: v, ..raw() }),
        ];
        for (field, max, with) in cases {
            let value = |n| if field == "email" { email_of(n) } else { at(n) };
            assert!(with(value(max)).parse().is_ok(), "{field} of {max} characters is allowed");
            let errs = with(value(max + 1)).parse().expect_err(field);
            assert_eq!(errs[0].field, field);
            assert!(errs[0].message.contains(&format!("{max} characters")), "{}", errs[0]);
        }
        let zone = RawPerson { timezone: format!("Europe/{}", at(MAX_TIMEZONE_CHARS)), ..raw() };
        let errs = zone.parse().expect_err("too long a zone");
        assert_eq!(errs.len(), 1, "only the length, not the unknown zone repeating it: {errs:?}");
        assert!(errs[0].to_string().starts_with("timezone: keep it to 64 characters"), "{}", errs[0]);
    }

    #[test]
    fn perspectives_are_bounded_each_and_in_all() {
        let many = vec!["p".repeat(400); 6].join(";");
        let errs = RawPerson { perspectives: many, ..raw() }.parse().expect_err("too many in all");
        assert_eq!(errs[0].to_string(), "perspectives: keep them to 2000 characters in all (these have 2405)");
        let one = format!("short;{}", "p".repeat(501));
        let errs = RawPerson { perspectives: one, ..raw() }.parse().expect_err("one too long");
        assert!(errs[0].message.starts_with("perspective 2: keep each to 500 characters"), "{}", errs[0]);
    }
}
