//! The optional self-assessments that frame a program's outcome: each
//! participant rates a few statements about themself at the start (baseline)
//! and at the end (closing), 1-5; sponsors see only group averages of each and
//! the change, released in steps like the pulse averages.
use crate::person::FieldError;
use crate::program::Role;
use std::collections::BTreeMap;

/// When a self-assessment is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Baseline,
    Closing,
}

impl Phase {
    pub const ALL: [Phase; 2] = [Phase::Baseline, Phase::Closing];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Baseline => "baseline",
            Phase::Closing => "closing",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// One statement a participant rates about themself, 1-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SelfItem {
    pub code: &'static str,
    pub role: Role,
    pub statement: &'static str,
}

/// The leader's fluency and empathy, the mentor's engagement, visibility and
/// voice: the outcomes the protocol promises each side.
pub const SELF_ITEMS: [SelfItem; 6] = [
    SelfItem {
        code: "digital_fluency",
        role: Role::Leader,
        statement: "I understand how and why new tools and channels change the way people work.",
    },
    SelfItem {
        code: "empathy_employees",
        role: Role::Leader,
        statement: "I understand the everyday experience of our early-career employees.",
    },
    SelfItem {
        code: "empathy_customers",
        role: Role::Leader,
        statement: "I understand how younger customers see our brand and products.",
    },
    SelfItem {
        code: "engagement",
        role: Role::Mentor,
        statement: "I feel engaged in my work and in this organisation.",
    },
    SelfItem { code: "visibility", role: Role::Mentor, statement: "Senior leaders know my work and my perspective." },
    SelfItem { code: "voice", role: Role::Mentor, statement: "I feel my perspective is heard by leadership." },
];

pub fn self_items(role: Role) -> impl Iterator<Item = &'static SelfItem> {
    SELF_ITEMS.iter().filter(move |i| i.role == role)
}

/// Every statement of the role rated 1-5; each problem names its statement.
pub fn parse_answers(role: Role, answers: &BTreeMap<String, i64>) -> Result<Vec<(&'static str, u8)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for item in self_items(role) {
        match answers.get(item.code).map(|&v| u8::try_from(v).ok().filter(|v| (1..=5).contains(v))) {
            None => errors.push(FieldError::new(item.code, crate::words::ONE_TO_FIVE)),
            Some(None) => errors.push(FieldError::new(item.code, crate::words::ONE_TO_FIVE)),
            Some(Some(v)) => out.push((item.code, v)),
        }
    }
    for key in answers.keys() {
        if !self_items(role).any(|i| i.code == key) {
            errors.push(FieldError::new("answers", format!("'{key}' is not a {role} self-assessment statement")));
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn a_leader_rates_each_of_their_statements_one_to_five() {
        let ok = answers(&[("digital_fluency", 2), ("empathy_employees", 3), ("empathy_customers", 5)]);
        assert_eq!(parse_answers(Role::Leader, &ok).expect("valid").len(), 3);
    }

    #[test]
    fn a_missing_an_out_of_range_or_a_foreign_statement_is_named() {
        let bad = answers(&[("digital_fluency", 0), ("engagement", 4)]);
        let fields: Vec<String> =
            parse_answers(Role::Leader, &bad).expect_err("invalid").into_iter().map(|e| e.field.to_owned()).collect();
        assert!(fields.contains(&"digital_fluency".to_owned()) && fields.contains(&"empathy_employees".to_owned()));
        assert!(fields.contains(&"answers".to_owned()), "a mentor's statement is refused: {fields:?}");
    }

    #[test]
    fn phases_read_back_what_they_write() {
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.as_str()), Some(p));
        }
        assert_eq!(Phase::parse("midterm"), None);
    }
}
