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
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                let s = raw.trim();
                if s.is_empty() {
                    return Err(FieldError::new($field, "is empty"));
                }
                if s.chars().count() > $max {
                    return Err(FieldError::new($field, format!("is longer than {} characters", $max)));
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
        if s.len() > 254 {
            return bad("is longer than 254 characters");
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
        let n: i32 = s.parse().map_err(|_| FieldError::new("level", format!("'{s}' is not a whole number")))?;
        Level::new(n)
    }

    pub fn new(n: i32) -> Result<Level, FieldError> {
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(FieldError::new("level", format!("{n} is outside {}..={}", Self::MIN, Self::MAX)));
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

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
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
        if !self.timezone.trim().is_empty() {
            keep(&mut errors, crate::zone::Zone::parse(&self.timezone));
        }
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
        match (employee_id, name, email, department, manager_id, hire_date, level, end_date) {
            (
                Some(employee_id),
                Some(name),
                Some(email),
                Some(department),
                Some(manager_id),
                Some(hire_date),
                Some(level),
                Some(end_date),
            ) if errors.is_empty() => Ok(Person {
                employee_id,
                name,
                email,
                department,
                manager_id,
                hire_date,
                level,
                title: optional(&self.title),
                location: optional(&self.location),
                timezone: optional(self.timezone.trim()),
                perspectives: parse_perspectives(&self.perspectives),
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
}
