//! The output of `plab match` (docs/interfaces.md) and the progress reports of long runs.
use serde::{Deserialize, Serialize};

/// Serialized as docs/interfaces.md gives it: `unmatched_reasons` is an
/// object from each unmatched leader's id to the sentence (in request order).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResponse {
    /// One entry per matched leader, in the order of the request's `leaders`.
    pub pairs: Vec<ProposedPair>,
    /// Leaders left without a mentor, in request order.
    pub unmatched: Vec<String>,
    /// Why each of `unmatched` got no mentor, in a sentence, in the same order.
    pub unmatched_reasons: Vec<String>,
    /// Sum of the pairs' scores.
    pub total_score: f64,
    /// Milliseconds spent in the assignment solver (not parsing, not scoring).
    pub solve_ms: f64,
}

impl Serialize for MatchResponse {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Reasons<'a>(&'a [String], &'a [String]);
        impl Serialize for Reasons<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().zip(self.1))
            }
        }
        let mut s = serializer.serialize_struct("MatchResponse", 5)?;
        s.serialize_field("pairs", &self.pairs)?;
        s.serialize_field("unmatched", &self.unmatched)?;
        s.serialize_field("unmatched_reasons", &Reasons(&self.unmatched, &self.unmatched_reasons))?;
        s.serialize_field("total_score", &self.total_score)?;
        s.serialize_field("solve_ms", &self.solve_ms)?;
        s.end()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedPair {
    pub leader: String,
    pub mentor: String,
    pub score: f64,
    pub kind: PairKind,
    /// Short plain-language sentences naming the evidence.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PairKind {
    /// The mentor's perspectives fit the leader's question.
    Topic,
    /// Gaps in tenure, function and level that challenge assumptions.
    Tension,
    /// The mentor's department sits next to the leader's.
    Strategic,
}

impl PairKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PairKind::Topic => "topic",
            PairKind::Tension => "tension",
            PairKind::Strategic => "strategic",
        }
    }
}

/// What a long run is doing; `done` out of `total` units of the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Checking the hard rules and scoring candidate pairs (unit: leaders).
    Scoring,
    /// Assigning mentors (unit: leaders).
    Solving,
    /// Proving that no pruned pair could improve the result (unit: leaders).
    Verifying,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Scoring => "scoring",
            Stage::Solving => "solving",
            Stage::Verifying => "verifying",
        }
    }
}
