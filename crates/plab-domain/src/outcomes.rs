//! Mentor outcomes: whether taking part helps or harms the junior mentors.
//! The program's mentors against comparable non-participants: people never
//! enrolled as a mentor in any program, employed on the program's first day,
//! at one of the levels the program's mentors held that day. For each group:
//! retention (still employed today) and promotions (level risen since the
//! program's first day, as the directory's imports and SCIM recorded it).
//! Every share is withheld while either group is smaller than the program's
//! minimum group size, so that no one person's career can be singled out.
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One person's career around a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Career {
    pub level_at_start: i64,
    pub level_now: i64,
    pub employed_now: bool,
}

/// One group's size and shares (0 to 1, three decimals).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupOutcome {
    pub people: usize,
    pub retained: Option<f64>,
    pub promoted: Option<f64>,
}

/// The program's mentors against comparable non-participants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MentorOutcomes {
    pub mentors: GroupOutcome,
    pub comparable: GroupOutcome,
}

fn share(part: usize, whole: usize) -> f64 {
    let ratio = part as f64 / whole.max(1) as f64;
    (ratio * 1000.0).round() / 1000.0
}

fn group(people: &[Career], shown: bool) -> GroupOutcome {
    let n = people.len();
    GroupOutcome {
        people: n,
        retained: shown.then(|| share(people.iter().filter(|c| c.employed_now).count(), n)),
        promoted: shown.then(|| share(people.iter().filter(|c| c.level_now > c.level_at_start).count(), n)),
    }
}

/// `others` are the non-participants employed on the program's first day;
/// only those at a level a mentor held that day are compared.
pub fn mentor_outcomes(mentors: &[Career], others: &[Career], min_group_size: u32) -> MentorOutcomes {
    let levels: BTreeSet<i64> = mentors.iter().map(|c| c.level_at_start).collect();
    let comparable: Vec<Career> = others.iter().copied().filter(|c| levels.contains(&c.level_at_start)).collect();
    let min = usize::try_from(min_group_size).unwrap_or(usize::MAX);
    let shown = mentors.len() >= min && comparable.len() >= min;
    MentorOutcomes { mentors: group(mentors, shown), comparable: group(&comparable, shown) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(at_start: i64, now: i64, employed: bool) -> Career {
        Career { level_at_start: at_start, level_now: now, employed_now: employed }
    }

    #[test]
    fn promotions_and_retention_are_shares_of_each_group() {
        let mentors = [c(2, 3, true), c(2, 2, true), c(1, 1, false)];
        let others = [c(2, 2, true), c(1, 2, false), c(2, 2, true)];
        let o = mentor_outcomes(&mentors, &others, 3);
        assert_eq!((o.mentors.people, o.mentors.promoted, o.mentors.retained), (3, Some(0.333), Some(0.667)));
        assert_eq!((o.comparable.people, o.comparable.promoted, o.comparable.retained), (3, Some(0.333), Some(0.667)));
    }

    #[test]
    fn only_non_participants_at_a_mentors_level_are_compared() {
        let mentors = [c(2, 2, true), c(2, 3, true)];
        let others = [c(2, 2, true), c(2, 2, true), c(8, 9, true)];
        let o = mentor_outcomes(&mentors, &others, 2);
        assert_eq!((o.comparable.people, o.comparable.promoted), (2, Some(0.0)));
        assert_eq!(o.mentors.promoted, Some(0.5));
    }

    #[test]
    fn every_share_is_withheld_while_either_group_is_below_the_group_size() {
        let mentors = [c(2, 3, true), c(2, 2, true)];
        let o = mentor_outcomes(&mentors, &[c(2, 2, true)], 2);
        assert_eq!((o.mentors.promoted, o.mentors.retained, o.comparable.promoted), (None, None, None));
        assert_eq!((o.mentors.people, o.comparable.people), (2, 1), "sizes are shown");
        let o = mentor_outcomes(&mentors, &[c(2, 2, true), c(2, 2, false)], 2);
        assert_eq!(o.comparable.retained, Some(0.5));
    }
}
