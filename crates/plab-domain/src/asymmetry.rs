//! The leader's priorities: a signal when one partner moves or cancels
//! sessions far more than the other. Who made each change is recorded per
//! change; a sponsor's changes are never counted for either partner.
use serde::Serialize;

/// A partner counts as changing sessions far more from this many changes…
pub const MIN_CHANGES: u32 = 3;
/// …when that is at least this many times the other partner's changes.
pub const TIMES_THE_OTHER: u32 = 3;

/// Which partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Leader,
    Mentor,
}

/// The sessions each partner of one pair moved or cancelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    pub leader: u32,
    pub mentor: u32,
}

impl ChangeCounts {
    /// The partner who moves or cancels far more than the other, if one does.
    pub fn lopsided(self) -> Option<Side> {
        let far_more = |mine: u32, theirs: u32| mine >= MIN_CHANGES && mine >= TIMES_THE_OTHER.saturating_mul(theirs);
        if far_more(self.leader, self.mentor) {
            Some(Side::Leader)
        } else if far_more(self.mentor, self.leader) {
            Some(Side::Mentor)
        } else {
            None
        }
    }

    /// The nudge, without blame, for the partner `me` when they are the one
    /// who can act; nothing for the other partner, nothing when balanced.
    pub fn nudge_for(self, me: Side) -> Option<String> {
        if self.lopsided() != Some(me) {
            return None;
        }
        let (mine, all) = match me {
            Side::Leader => (self.leader, self.leader + self.mentor),
            Side::Mentor => (self.mentor, self.leader + self.mentor),
        };
        let why = match me {
            Side::Leader => "a steady hour is what lets your mentor prepare and lead the lab",
            Side::Mentor => "a steady hour is what lets your leader bring their questions ready",
        };
        Some(format!("You have moved or cancelled {mine} of the {all} sessions changed in this pair; {why}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(leader: u32, mentor: u32) -> ChangeCounts {
        ChangeCounts { leader, mentor }
    }

    #[test]
    fn three_changes_by_one_side_and_none_by_the_other_trigger() {
        assert_eq!(counts(3, 0).lopsided(), Some(Side::Leader));
        assert_eq!(counts(0, 4).lopsided(), Some(Side::Mentor));
    }

    #[test]
    fn three_times_the_others_changes_trigger_and_less_does_not() {
        assert_eq!(counts(6, 2).lopsided(), Some(Side::Leader));
        assert_eq!(counts(5, 2).lopsided(), None);
    }

    #[test]
    fn fewer_than_three_changes_never_trigger() {
        assert_eq!(counts(2, 0).lopsided(), None);
        assert_eq!(counts(0, 0).lopsided(), None);
    }

    #[test]
    fn a_balanced_pair_does_not_trigger() {
        assert_eq!(counts(4, 4).lopsided(), None);
        assert_eq!(counts(3, 1).lopsided(), Some(Side::Leader), "exactly three times");
    }

    #[test]
    fn only_the_partner_who_can_act_is_nudged_and_never_blamed() {
        let c = counts(4, 1);
        let nudge = c.nudge_for(Side::Leader).expect("the leader is nudged");
        assert!(nudge.contains("4 of the 5") && nudge.contains("steady hour"), "{nudge}");
        assert_eq!(c.nudge_for(Side::Mentor), None, "the other partner gets no blaming message");
        assert_eq!(counts(1, 1).nudge_for(Side::Leader), None);
    }
}
