//! Settings of the whole instance, set by an administrator: its name, the
//! settings every new program starts from, and how long a browser stays signed in.
use crate::program::ProgramSettings;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const DEFAULT_INSTANCE_NAME: &str = "Perspective Lab";
/// A working week, as API tokens last.
pub const DEFAULT_SESSION_HOURS: u32 = 7 * 24;
pub const MAX_SESSION_HOURS: u32 = 30 * 24;
pub const MAX_INSTANCE_NAME_CHARS: usize = 80;

/// Every key is required in JSON; inside `program_defaults` missing keys take
/// the protocol's defaults, as in a program's settings file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSettings {
    /// Shown in the browser's title and header.
    pub instance_name: String,
    /// What a program created without explicit settings gets.
    pub program_defaults: ProgramSettings,
    /// How long a browser sign-in lasts, in hours.
    pub session_hours: u32,
    /// Who reads a confidential concern when no sponsor of its program is
    /// outside the reporting chains involved: an employee id (an e-mail
    /// address is taken as the directory person's with that address).
    /// Empty: nobody is named, and such a concern cannot be raised yet.
    #[serde(default)]
    pub concern_contact: String,
}

impl Default for InstanceSettings {
    fn default() -> Self {
        InstanceSettings {
            instance_name: DEFAULT_INSTANCE_NAME.to_owned(),
            program_defaults: ProgramSettings::default(),
            session_hours: DEFAULT_SESSION_HOURS,
            concern_contact: String::new(),
        }
    }
}

/// A bad setting, named by its dotted path (`program_defaults.sessions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub field: String,
    pub message: String,
}

impl SettingError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> SettingError {
        SettingError { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl InstanceSettings {
    /// The settings with the name trimmed, or every field that is wrong.
    pub fn parse(mut self) -> Result<InstanceSettings, Vec<SettingError>> {
        let mut errors = Vec::new();
        self.instance_name = self.instance_name.trim().to_owned();
        let name_chars = self.instance_name.chars().count();
        if name_chars == 0 {
            errors.push(SettingError::new("instance_name", crate::words::required("give this instance a name")));
        } else if name_chars > MAX_INSTANCE_NAME_CHARS {
            errors.push(SettingError::new(
                "instance_name",
                format!("is longer than {MAX_INSTANCE_NAME_CHARS} characters"),
            ));
        }
        if self.instance_name.chars().any(char::is_control) {
            errors.push(SettingError::new("instance_name", "contains control characters"));
        }
        self.concern_contact = self.concern_contact.trim().to_owned();
        if self.concern_contact.chars().any(char::is_control) {
            errors.push(SettingError::new("concern_contact", "contains control characters"));
        }
        if !(1..=MAX_SESSION_HOURS).contains(&self.session_hours) {
            errors.push(SettingError::new(
                "session_hours",
                crate::words::between(self.session_hours, 1, MAX_SESSION_HOURS),
            ));
        }
        if let Err(program_errors) = self.program_defaults.validate() {
            errors.extend(
                program_errors
                    .into_iter()
                    .map(|e| SettingError::new(format!("program_defaults.{}", e.field), e.message)),
            );
        }
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }

    /// Seconds a browser sign-in lasts.
    pub fn session_seconds(&self) -> i64 {
        i64::from(self.session_hours) * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_keep_a_week_long_sign_in() {
        let s = InstanceSettings::default().parse().expect("valid");
        assert_eq!((s.instance_name.as_str(), s.session_hours), ("Perspective Lab", 168));
    }

    #[test]
    fn the_name_is_trimmed() {
        let s = InstanceSettings { instance_name: "  Acme Lab ".into(), ..InstanceSettings::default() };
        assert_eq!(s.parse().expect("valid").instance_name, "Acme Lab");
    }

    #[test]
    fn every_bad_field_is_named_with_its_path() {
        let mut s = InstanceSettings { instance_name: " ".into(), session_hours: 0, ..InstanceSettings::default() };
        s.program_defaults.sessions = 0;
        let fields: Vec<String> = s.parse().expect_err("invalid").into_iter().map(|e| e.field).collect();
        assert!(fields.contains(&"instance_name".to_owned()), "{fields:?}");
        assert!(fields.contains(&"session_hours".to_owned()), "{fields:?}");
        assert!(fields.contains(&"program_defaults.sessions".to_owned()), "{fields:?}");
    }

    #[test]
    fn a_sign_in_longer_than_thirty_days_is_refused() {
        let s = InstanceSettings { session_hours: MAX_SESSION_HOURS + 1, ..InstanceSettings::default() };
        assert_eq!(s.parse().expect_err("invalid")[0].field, "session_hours");
    }

    #[test]
    fn json_names_every_key_and_refuses_unknown_ones() {
        let ok = r#"{"instance_name":"Acme","program_defaults":{"sessions":8},"session_hours":12}"#;
        let s: InstanceSettings = serde_json::from_str(ok).expect("parses");
        assert_eq!((s.program_defaults.sessions, s.program_defaults.cadence_days), (8, 14));
        let unknown = r#"{"instance_name":"Acme","program_defaults":{},"session_hours":12,"theme":"dark"}"#;
        assert!(serde_json::from_str::<InstanceSettings>(unknown).is_err());
        assert!(serde_json::from_str::<InstanceSettings>(r#"{"instance_name":"Acme"}"#).is_err());
    }
}
