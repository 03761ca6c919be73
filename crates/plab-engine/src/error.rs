//! User errors of a pairing run. Each names the cause and the ids at fault;
//! the CLI maps every one of them to exit status 2.

/// Why a pinned pair cannot be honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    InReportingChain,
    NotJunior,
    SamePerson,
    Forbidden,
    Previous,
    OptedOut,
    OverCapacity,
    LeaderPinnedTwice,
    NotAScoredCandidate,
}

impl PinProblem {
    pub fn describe(self) -> &'static str {
        match self {
            PinProblem::InReportingChain => "the mentor is in the leader's reporting chain",
            PinProblem::NotJunior => "the mentor's level is not below the leader's",
            PinProblem::SamePerson => "a person cannot mentor themselves",
            PinProblem::Forbidden => "the pair is also forbidden",
            PinProblem::Previous => "the pair already met in an earlier program",
            PinProblem::OptedOut => "the mentor opted out",
            PinProblem::OverCapacity => "the mentor is pinned to more leaders than their capacity",
            PinProblem::LeaderPinnedTwice => "the leader is pinned to more than one mentor",
            PinProblem::NotAScoredCandidate => "the pair is not among the candidates given in `scores`",
        }
    }
}

impl std::fmt::Display for PinProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    #[error("{field}: '{id}' is not in people")]
    UnknownPerson { field: &'static str, id: String },
    #[error("people: id '{id}' appears more than once")]
    DuplicatePerson { id: String },
    #[error("people: manager '{manager}' of '{id}' is not in people")]
    UnknownManager { id: String, manager: String },
    #[error("people: reporting cycle {}", cycle_text(.members))]
    ManagerCycle { members: Vec<String> },
    #[error("{field}: '{id}' is listed more than once")]
    DuplicateParticipant { field: &'static str, id: String },
    #[error("{field}: '{id}' is not in {list}")]
    NotParticipant { field: &'static str, id: String, list: &'static str },
    #[error("mentors: capacity {capacity} of '{id}' is negative")]
    NegativeCapacity { id: String, capacity: i64 },
    #[error("pinned: cannot pin leader '{leader}' to mentor '{mentor}': {problem}")]
    InfeasiblePin { leader: String, mentor: String, problem: PinProblem },
    #[error("scores: score of '{leader}' with '{mentor}' is not a finite number")]
    NonFiniteScore { leader: String, mentor: String },
    #[error("scores: score {score} of '{leader}' with '{mentor}' is outside -1e9..1e9")]
    ScoreOutOfRange { leader: String, mentor: String, score: f64 },
    #[error("scores: the pair '{leader}', '{mentor}' is scored more than once")]
    DuplicateScore { leader: String, mentor: String },
    #[error("weights: {field} weight {value} is not a finite number between -1e6 and 1e6")]
    BadWeight { field: &'static str, value: f64 },
    #[error(
        "reporting_chain_levels: {0} would let a leader's own reports mentor them; use 1 or more (or leave it out for the whole chain)"
    )]
    BadChainLevels(u32),
}

fn cycle_text(members: &[String]) -> String {
    match members.first() {
        Some(first) => format!("{} -> {first}", members.join(" -> ")),
        None => String::new(),
    }
}
