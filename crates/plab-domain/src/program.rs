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
            return Err(FieldError::new("name", crate::words::required("give the program a name")));
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
    /// Days the pairs' private data (notes, homework, pulse and check-in
    /// answers, self-assessments, insight texts) is kept after the program
    /// closes; then it is destroyed (`plab retention run`).
    #[serde(deserialize_with = "whole_days")]
    pub retention_days: u32,
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
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// How long private data is kept after a program closes, unless set.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// The longest retention a program may set: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// `retention_days` as JSON: a whole number of days, said plainly when it is not.
fn whole_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct WholeDays;
    fn refuse<E: serde::de::Error>(got: impl fmt::Display) -> E {
        E::custom(format!(
            "retention_days must be a whole number of days, such as {DEFAULT_RETENTION_DAYS} (you entered {got})"
        ))
    }
    impl serde::de::Visitor<'_> for WholeDays {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number of days")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| refuse(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| refuse(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u32, E> {
            Err(refuse(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u32, E> {
            Err(refuse(format!("'{v}'")))
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<u32, E> {
            Err(refuse(v))
        }
    }
    d.deserialize_any(WholeDays)
}

/// The day a closed program's private data is destroyed: `retention_days`
/// after the day it closed.
pub fn destroyed_on(closed_on: Date, retention_days: u32) -> Date {
    closed_on.plus_days(i64::from(retention_days))
}

impl ProgramSettings {
    /// Checks the settings against the protocol's bounds; every problem is named.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut range = |field: &'static str, v: u32, lo: u32, hi: u32| {
            if !(lo..=hi).contains(&v) {
                errors.push(FieldError::new(field, crate::words::between(v, lo, hi)));
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
        range("retention_days", self.retention_days, 1, MAX_RETENTION_DAYS);
        let w = self.pairing_weights;
        for (field, v) in [
            ("pairing_weights.topic", w.topic),
            ("pairing_weights.tension", w.tension),
            ("pairing_weights.strategic", w.strategic),
        ] {
            if !(0.0..=10.0).contains(&v) {
                errors.push(FieldError::new(field, crate::words::between(v, 0, 10)));
            }
        }
        if self.coach.fair_from >= self.coach.strong_from || self.coach.strong_from > 100 {
            errors.push(FieldError::new(
                "coach",
                "the score for a fair question must be below the score for a strong one, and both at most 100",
            ));
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

    /// Refuses a `min_group_size` below the instance's floor, naming both.
    pub fn check_floor(&self, floor: GroupSizeFloor) -> Result<(), FieldError> {
        if self.min_group_size < floor.get() {
            return Err(FieldError::new(
                "min_group_size",
                format!(
                    "{} is below this instance's group-size floor of {floor}: sponsors never see an average of fewer than {floor} people",
                    self.min_group_size
                ),
            ));
        }
        Ok(())
    }

    /// The group size that applies to this program's averages: its own
    /// setting, never below the instance's floor (which may have been raised
    /// after the program was opened).
    pub fn group_size(&self, floor: GroupSizeFloor) -> u32 {
        self.min_group_size.max(floor.get())
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

/// Within one program a person holds at most one of the roles sponsor,
/// leader and mentor: a sponsor who is also a partner would read their own
/// pair's answers by name, or their own in an average. Given the roles a
/// person already `held` there, taking `wanted` is refused with the role they
/// already hold; taking the same role again is fine (a mentor's new capacity).
pub fn one_role(held: &[Role], wanted: Role) -> Result<(), RoleClash> {
    match held.iter().find(|r| **r != wanted) {
        Some(&held) => Err(RoleClash { held, wanted }),
        None => Ok(()),
    }
}

/// Why one person cannot take a role in a program: they already hold another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleClash {
    pub held: Role,
    pub wanted: Role,
}

impl RoleClash {
    /// "D001354 (Ana Ruiz) is already a mentor in Spring cohort: one person takes one role per program".
    pub fn explain(&self, employee_id: &str, name: &str, program: &str) -> String {
        format!("{employee_id} ({name}) is already a {} in {program}: one person takes one role per program", self.held)
    }
}

/// The smallest group any sponsor-facing average covers on this instance;
/// only the operator changes it (`plab settings set group_size_floor N`), and
/// no program's `min_group_size` goes below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GroupSizeFloor(u32);

impl GroupSizeFloor {
    pub const DEFAULT: GroupSizeFloor = GroupSizeFloor(5);
    /// A floor of one would be no floor at all.
    pub const LOWEST: u32 = 2;
    pub const HIGHEST: u32 = 1000;

    pub fn new(n: u32) -> Result<GroupSizeFloor, FieldError> {
        if (Self::LOWEST..=Self::HIGHEST).contains(&n) {
            Ok(GroupSizeFloor(n))
        } else {
            Err(FieldError::new("group_size_floor", crate::words::between(n, Self::LOWEST, Self::HIGHEST)))
        }
    }

    pub fn parse(raw: &str) -> Result<GroupSizeFloor, FieldError> {
        let n = raw
            .trim()
            .parse::<u32>()
            .map_err(|_| FieldError::new("group_size_floor", crate::words::whole_number(raw, 5)))?;
        GroupSizeFloor::new(n)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for GroupSizeFloor {
    fn default() -> Self {
        GroupSizeFloor::DEFAULT
    }
}

impl fmt::Display for GroupSizeFloor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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
    fn retention_is_a_whole_number_of_days_from_one_to_ten_years() {
        assert_eq!(ProgramSettings::default().retention_days, 365);
        for bad in [0, 3651] {
            let errs =
                ProgramSettings { retention_days: bad, ..ProgramSettings::default() }.validate().expect_err("bad");
            assert_eq!(errs[0].field, "retention_days");
        }
        let e = serde_json::from_str::<ProgramSettings>(r#"{"retention_days": 1.5}"#).expect_err("not whole");
        assert!(e.to_string().contains("whole number of days"), "{e}");
        let kept: ProgramSettings = serde_json::from_str(r#"{"retention_days": 90}"#).expect("whole");
        assert_eq!(kept.retention_days, 90);
    }

    #[test]
    fn data_is_destroyed_retention_days_after_the_program_closes() {
        let closed = Date::parse("2030-12-31").expect("day");
        assert_eq!(destroyed_on(closed, 1).to_string(), "2031-01-01");
        assert_eq!(destroyed_on(closed, 365).to_string(), "2031-12-31");
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
    fn a_person_keeps_one_role_per_program() {
        assert_eq!(one_role(&[], Role::Sponsor), Ok(()));
        assert_eq!(one_role(&[Role::Mentor], Role::Mentor), Ok(()), "the same role again is fine");
        assert_eq!(
            one_role(&[Role::Mentor], Role::Sponsor),
            Err(RoleClash { held: Role::Mentor, wanted: Role::Sponsor })
        );
        assert_eq!(one_role(&[Role::Sponsor], Role::Leader).map_err(|c| c.held), Err(Role::Sponsor));
        assert_eq!(one_role(&[Role::Leader], Role::Mentor).map_err(|c| c.held), Err(Role::Leader));
    }

    #[test]
    fn a_role_clash_names_the_person_and_the_role_they_hold() {
        let clash = RoleClash { held: Role::Mentor, wanted: Role::Sponsor };
        let text = clash.explain("D001354", "Ana Ruiz", "Spring cohort");
        assert!(text.starts_with("D001354 (Ana Ruiz) is already a mentor in Spring cohort"), "{text}");
        assert!(text.ends_with("one person takes one role per program"), "{text}");
    }

    #[test]
    fn a_group_size_below_the_floor_is_refused_with_the_floor_named() {
        let floor = GroupSizeFloor::new(5).expect("floor");
        let low = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
        let err = low.check_floor(floor).expect_err("below the floor");
        assert_eq!(err.field, "min_group_size");
        assert!(err.message.contains("floor of 5"), "{}", err.message);
        assert!(ProgramSettings::default().check_floor(floor).is_ok());
    }

    #[test]
    fn a_raised_floor_lifts_an_older_programs_group_size() {
        let older = ProgramSettings { min_group_size: 3, ..ProgramSettings::default() };
        assert_eq!(older.group_size(GroupSizeFloor::new(8).expect("floor")), 8);
        assert_eq!(older.group_size(GroupSizeFloor::new(2).expect("floor")), 3);
    }

    #[test]
    fn the_floor_is_at_least_two_and_defaults_to_five() {
        assert_eq!(GroupSizeFloor::default().get(), 5);
        assert!(GroupSizeFloor::new(1).is_err());
        assert_eq!(GroupSizeFloor::parse(" 7 ").expect("seven").get(), 7);
        assert_eq!(GroupSizeFloor::parse("many").expect_err("text").field, "group_size_floor");
    }

    #[test]
    fn roles_parse_case_insensitively() {
        assert_eq!(Role::parse("Leader").expect("valid"), Role::Leader);
        assert!(Role::parse("boss").is_err());
    }
}
