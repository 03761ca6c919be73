//! Working through pairs at risk: where the sponsor is with each signal of
//! each pair.
use crate::Date;

/// A sponsor's follow-up of one signal of one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// Nobody has acted on it yet.
    #[default]
    New,
    /// The sponsor has talked to the pair.
    Contacted,
    /// The sponsor considers it dealt with.
    Resolved,
}

impl FollowUp {
    pub const ALL: [FollowUp; 3] = [FollowUp::New, FollowUp::Contacted, FollowUp::Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowUp::New => "new",
            FollowUp::Contacted => "contacted",
            FollowUp::Resolved => "resolved",
        }
    }

    pub fn parse(raw: &str) -> Option<FollowUp> {
        FollowUp::ALL.into_iter().find(|f| f.as_str() == raw.trim())
    }

    /// How a page says it.
    pub fn label(self) -> &'static str {
        match self {
            FollowUp::New => "New",
            FollowUp::Contacted => "Contacted",
            FollowUp::Resolved => "Resolved",
        }
    }

    /// The follow-up that applies to a signal raised since `since`: one set
    /// before the signal was last raised belongs to an earlier episode, so
    /// the signal is new again.
    pub fn current(recorded: Option<(FollowUp, Date)>, since: Date) -> FollowUp {
        match recorded {
            Some((state, set_on)) if set_on >= since => state,
            _ => FollowUp::New,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn a_signal_raised_again_after_it_was_resolved_is_new_again() {
        let resolved = Some((FollowUp::Resolved, day("2026-10-05")));
        assert_eq!(FollowUp::current(resolved, day("2026-10-01")), FollowUp::Resolved);
        assert_eq!(FollowUp::current(resolved, day("2026-11-20")), FollowUp::New);
        assert_eq!(FollowUp::current(None, day("2026-11-20")), FollowUp::New);
        assert_eq!(FollowUp::parse("contacted"), Some(FollowUp::Contacted));
        assert_eq!(FollowUp::parse("done"), None);
    }
}
