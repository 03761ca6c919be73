//! A pair's life: `forming` once the sponsor approves it, `active` once both
//! partners have accepted the lab rules, `ended` when it stops.
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PairStatus {
    Forming,
    Active,
    Ended,
}

impl PairStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PairStatus::Forming => "forming",
            PairStatus::Active => "active",
            PairStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<PairStatus> {
        match s {
            "forming" => Some(PairStatus::Forming),
            "active" => Some(PairStatus::Active),
            "ended" => Some(PairStatus::Ended),
            _ => None,
        }
    }

    /// Lab rules step: a forming pair becomes active once both partners have
    /// accepted; any other status is kept (an ended pair does not come back).
    pub fn after_acceptances(self, leader_accepted: bool, mentor_accepted: bool) -> PairStatus {
        match self {
            PairStatus::Forming if leader_accepted && mentor_accepted => PairStatus::Active,
            other => other,
        }
    }
}

impl fmt::Display for PairStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored proposal of the pairing engine: `proposed` until the sponsor
/// approves it or a re-run supersedes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalStatus {
    Proposed,
    Approved,
    Superseded,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "proposed",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalStatus> {
        match s {
            "proposed" => Some(ProposalStatus::Proposed),
            "approved" => Some(ProposalStatus::Approved),
            "superseded" => Some(ProposalStatus::Superseded),
            _ => None,
        }
    }

    /// Only an open proposal can be approved.
    pub fn is_open(self) -> bool {
        self == ProposalStatus::Proposed
    }

    /// A later run took its place before it was approved.
    pub fn is_superseded(self) -> bool {
        self == ProposalStatus::Superseded
    }
}

impl fmt::Display for ProposalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::PairStatus::{self, *};

    #[test]
    fn a_forming_pair_is_active_only_once_both_partners_accept() {
        assert_eq!(Forming.after_acceptances(true, false), Forming);
        assert_eq!(Forming.after_acceptances(false, true), Forming);
        assert_eq!(Forming.after_acceptances(true, true), Active);
    }

    #[test]
    fn acceptance_never_revives_an_ended_pair_or_changes_an_active_one() {
        assert_eq!(Ended.after_acceptances(true, true), Ended);
        assert_eq!(Active.after_acceptances(true, true), Active);
    }

    #[test]
    fn statuses_read_back_what_they_write() {
        for s in [Forming, Active, Ended] {
            assert_eq!(PairStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PairStatus::parse("proposed"), None);
    }
}
