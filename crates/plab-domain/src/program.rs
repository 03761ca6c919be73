//! Programs (a cohort with its own settings and dates) and who takes part in
//! which role.
use crate::date::Date;
use crate::person::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ProgramName(String);

impl ProgramName {
    pub fn parse(raw: &str) -> Result<ProgramName, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new("name", "is empty"));
        }
        if s.chars().count() > 200 {
            return Err(FieldError::new("name", "is longer than 200 characters"));
        }
        Ok(ProgramName(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProgramName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How much each pairing component counts; the engine reads these.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PairingWeights {
    pub topic: f64,
    pub tension: f64,
    pub strategic: f64,
}

impl Default for PairingWeights {
    fn default() -> Self {
        PairingWeights { topic: 1.0, tension: 1.0, strategic: 1.0 }
    }
}

/// Score thresholds of the question coach (0-100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoachThresholds {
    pub fair_from: u8,
    pub strong_from: u8,
}

impl Default for CoachThresholds {
    fn default() -> Self {
        CoachThresholds { fair_from: 40, strong_from: 70 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProgramSettings {
    pub cadence_days: u32,
    pub session_minutes: u32,
    pub sessions: u32,
    /// The sponsor's check-in falls after this session (the protocol says 3-4).
    pub checkin_after: u32,
    /// Aggregates over fewer answers than this are withheld from sponsors.
    pub min_group_size: u32,
    pub default_mentor_capacity: u32,
    pub adjacent_departments: Vec<(String, String)>,
    pub pairing_weights: PairingWeights,
    pub coach: CoachThresholds,
    /// How far up and down a leader's line the reporting-chain rule reaches
    /// when pairing: `None` (the default) the whole chain; `Some(2)` excludes
    /// only mentors within two levels, so the top of the organisation can be paired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporting_chain_levels: Option<u32>,
}

impl Default for ProgramSettings {
    fn default() -> Self {
        ProgramSettings {
            cadence_days: 14,
            session_minutes: 60,
            sessions: 6,
            checkin_after: 3,
            min_group_size: 5,
            default_mentor_capacity: 1,
            adjacent_departments: Vec::new(),
            pairing_weights: PairingWeights::default(),
            coach: CoachThresholds::default(),
            reporting_chain_levels: None,
        }
    }
}

impl ProgramSettings {
    /// Checks the settings against the protocol's bounds; every problem is named.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut range = |field: &'static str, v: u32, lo: u32, hi: u32| {
            if !(lo..=hi).contains(&v) {
                errors.push(FieldError::new(field, format!("{v} is outside {lo}..={hi}")));
            }
        };
        range("cadence_days", self.cadence_days, 1, 90);
        range("session_minutes", self.session_minutes, 15, 240);
        range("sessions", self.sessions, 1, 52);
        range("checkin_after", self.checkin_after, 3, 4);
        range("min_group_size", self.min_group_size, 2, 1000);
        range("default_mentor_capacity", self.default_mentor_capacity, 1, 10);
        if let Some(levels) = self.reporting_chain_levels {
            range("reporting_chain_levels", levels, 1, 50);
        }
        let w = self.pairing_weights;
        for (field, v) in [
            ("pairing_weights.topic", w.topic),
            ("pairing_weights.tension", w.tension),
            ("pairing_weights.strategic", w.strategic),
        ] {
            if !(0.0..=10.0).contains(&v) {
                errors.push(FieldError::new(field, format!("{v} is outside 0..=10")));
            }
        }
        if self.coach.fair_from >= self.coach.strong_from || self.coach.strong_from > 100 {
            errors.push(FieldError::new("coach", "needs 0 <= fair_from < strong_from <= 100"));
        }
        for (a, b) in &self.adjacent_departments {
            if a.trim().is_empty() || b.trim().is_empty() {
                errors.push(FieldError::new("adjacent_departments", "names an empty department"));
            }
        }
        if self.checkin_after > self.sessions {
            errors.push(FieldError::new("checkin_after", "is later than the last session"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    pub fn are_adjacent(&self, a: &str, b: &str) -> bool {
        self.adjacent_departments.iter().any(|(x, y)| (x == a && y == b) || (x == b && y == a))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Sponsor,
    Leader,
    Mentor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sponsor => "sponsor",
            Role::Leader => "leader",
            Role::Mentor => "mentor",
        }
    }

    pub fn parse(s: &str) -> Result<Role, FieldError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sponsor" => Ok(Role::Sponsor),
            "leader" => Ok(Role::Leader),
            "mentor" => Ok(Role::Mentor),
            other => Err(FieldError::new("role", format!("'{other}' is not one of sponsor, leader, mentor"))),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new program as the sponsor describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProgram {
    pub name: ProgramName,
    pub starts_on: Date,
    pub settings: ProgramSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_protocol() {
        let s = ProgramSettings::default();
        assert_eq!((s.cadence_days, s.session_minutes, s.checkin_after, s.min_group_size), (14, 60, 3, 5));
        assert!(s.validate().is_ok());
    }

    #[test]
    fn checkin_outside_three_to_four_sessions_is_rejected() {
        let s = ProgramSettings { checkin_after: 6, ..ProgramSettings::default() };
        let errs = s.validate().expect_err("invalid");
        assert_eq!(errs[0].field, "checkin_after");
    }

    #[test]
    fn adjacency_is_symmetric() {
        let s = ProgramSettings {
            adjacent_departments: vec![("Sales".into(), "Customer Support".into())],
            ..ProgramSettings::default()
        };
        assert!(s.are_adjacent("Customer Support", "Sales"));
        assert!(!s.are_adjacent("Sales", "Finance"));
    }

    #[test]
    fn unknown_settings_keys_are_refused() {
        let r: Result<ProgramSettings, _> = serde_json::from_str(r#"{"cadence":14}"#);
        assert!(r.is_err());
    }

    #[test]
    fn roles_parse_case_insensitively() {
        assert_eq!(Role::parse("Leader").expect("valid"), Role::Leader);
        assert!(Role::parse("boss").is_err());
    }
}
