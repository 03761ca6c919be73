//! The input of `plab match --input` (docs/interfaces.md), plus the extensions the
//! database layer uses. Unknown fields are rejected everywhere: a typo such as
//! `"forbiden"` must fail loudly instead of silently dropping a constraint.
use plab_domain::Date;
use plab_domain::program::PairingWeights;
use serde::{Deserialize, Serialize};

/// One pairing run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// Everyone the org chart needs: leaders, mentors and their managers.
    pub people: Vec<PersonIn>,
    pub leaders: Vec<LeaderIn>,
    pub mentors: Vec<MentorIn>,
    /// `[leader, mentor]` pairs that must never be proposed.
    #[serde(default)]
    pub forbidden: Vec<(String, String)>,
    /// `[leader, mentor]` pairs that must be proposed (an infeasible pin is an error).
    #[serde(default)]
    pub pinned: Vec<(String, String)>,
    /// Department pairs that sit next to each other (symmetric).
    #[serde(default)]
    pub adjacent_departments: Vec<(String, String)>,
    /// When present, only these `[leader, mentor, score]` pairs are candidates.
    #[serde(default)]
    pub scores: Option<Vec<(String, String, f64)>>,
    /// `[leader, mentor]` pairs from earlier programs: never proposed again.
    #[serde(default)]
    pub previous: Vec<(String, String)>,
    /// Mentors who opted out of this run.
    #[serde(default)]
    pub opted_out: Vec<String>,
    /// Weights of the built-in score's components.
    #[serde(default)]
    pub weights: PairingWeights,
    /// How far up and down the leader's line the reporting-chain rule reaches:
    /// with `Some(n)` only mentors within `n` levels are excluded (at least 1);
    /// `None`, the whole chain.
    #[serde(default)]
    pub reporting_chain_levels: Option<u32>,
}

impl MatchRequest {
    /// A request with built-in scoring and no pins, forbids or other rules.
    pub fn new(people: Vec<PersonIn>, leaders: Vec<LeaderIn>, mentors: Vec<MentorIn>) -> MatchRequest {
        MatchRequest {
            people,
            leaders,
            mentors,
            forbidden: Vec::new(),
            pinned: Vec::new(),
            adjacent_departments: Vec::new(),
            scores: None,
            previous: Vec::new(),
            opted_out: Vec::new(),
            weights: PairingWeights::default(),
            reporting_chain_levels: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    pub id: String,
    pub manager: Option<String>,
    pub department: String,
    pub hire_date: Date,
    /// Higher is more senior.
    pub level: i32,
    /// Free-text perspectives a mentor can offer.
    #[serde(default)]
    pub perspectives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderIn {
    pub id: String,
    /// The leader's research question.
    pub question: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentorIn {
    pub id: String,
    /// How many leaders this mentor takes; negative values are rejected by the engine.
    #[serde(default = "default_capacity")]
    pub capacity: i64,
}

fn default_capacity() -> i64 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_contract_input_parses_with_defaults() {
        let json = r#"{"people":[{"id":"a","manager":null,"department":"Sales","hire_date":"2001-02-03","level":5}],
                      "leaders":[{"id":"a","question":"Why?"}],"mentors":[{"id":"a"}]}"#;
        let req: MatchRequest = serde_json::from_str(json).expect("valid request");
        assert_eq!(req.mentors[0].capacity, 1);
        assert!(req.people[0].perspectives.is_empty());
        assert!(req.scores.is_none());
        assert!(req.forbidden.is_empty() && req.pinned.is_empty() && req.previous.is_empty());
        assert_eq!(req.weights, PairingWeights::default());
    }

    #[test]
    fn misspelt_field_is_rejected_by_name() {
        let json = r#"{"people":[],"leaders":[],"mentors":[],"forbiden":[["a","b"]]}"#;
        let err = serde_json::from_str::<MatchRequest>(json).expect_err("typo must fail");
        assert!(err.to_string().contains("forbiden"), "{err}");
    }
}
