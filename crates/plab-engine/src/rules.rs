//! The hard rules: who may mentor whom, and the pins that must hold.
//!
//! A pair is allowed when the mentor is someone else, strictly junior, outside
//! the leader's reporting chain in both directions, has not opted out, and the
//! pair is neither forbidden nor from an earlier program. Capacity is the
//! solver's business; pins are checked here and take their seats first.
use crate::error::{MatchError, PinProblem};
use crate::org::Org;
use crate::request::MatchRequest;
use std::collections::{HashMap, HashSet};

pub(crate) struct Participants<'r> {
    /// Person index of each leader, in request order.
    pub leader_person: Vec<u32>,
    /// Person index of each mentor, in request order.
    pub mentor_person: Vec<u32>,
    pub leader_of_id: HashMap<&'r str, u32>,
    pub mentor_of_id: HashMap<&'r str, u32>,
    /// Seats left for the solver: capacity minus pins, 0 when opted out.
    pub free_seats: Vec<u32>,
    /// The mentor pinned to each leader, if any.
    pub pinned: Vec<Option<u32>>,
    /// Level and place in the org chart of every person, and copies for the
    /// leaders and mentors in their own order, so that scoring a leader against
    /// every mentor reads them in sequence.
    place: Vec<Place>,
    leader_place: Vec<Place>,
    mentor_place: Vec<Place>,
    /// How many levels the reporting-chain rule reaches; `None`, the whole chain.
    chain_levels: Option<u32>,
    /// Mentors each leader must not get (forbidden or previous), sorted.
    excluded_offsets: Vec<usize>,
    excluded: Vec<u32>,
}

impl<'r> Participants<'r> {
    pub(crate) fn build(req: &'r MatchRequest, org: &Org<'r>) -> Result<Self, MatchError> {
        if let Some(0) = req.reporting_chain_levels {
            return Err(MatchError::BadChainLevels(0));
        }
        let mut leader_of_id = HashMap::with_capacity(req.leaders.len());
        let mut leader_person = Vec::with_capacity(req.leaders.len());
        for (i, leader) in req.leaders.iter().enumerate() {
            leader_person.push(org.lookup("leaders", &leader.id)?);
            if leader_of_id.insert(leader.id.as_str(), i as u32).is_some() {
                return Err(duplicate("leaders", &leader.id));
            }
        }
        let mut mentor_of_id = HashMap::with_capacity(req.mentors.len());
        let mut mentor_person = Vec::with_capacity(req.mentors.len());
        let mut free_seats = Vec::with_capacity(req.mentors.len());
        for (i, mentor) in req.mentors.iter().enumerate() {
            mentor_person.push(org.lookup("mentors", &mentor.id)?);
            if mentor_of_id.insert(mentor.id.as_str(), i as u32).is_some() {
                return Err(duplicate("mentors", &mentor.id));
            }
            if mentor.capacity < 0 {
                return Err(MatchError::NegativeCapacity { id: mentor.id.clone(), capacity: mentor.capacity });
            }
            free_seats.push(u32::try_from(mentor.capacity).unwrap_or(u32::MAX));
        }
        let mut opted_out = HashSet::new();
        for id in &req.opted_out {
            org.lookup("opted_out", id)?;
            if let Some(&m) = mentor_of_id.get(id.as_str()) {
                opted_out.insert(m);
            }
        }

        // Pins are few: only pairs that are also pinned need to remember why they
        // are excluded (for the pin's error); the millions of others are kept
        // once, by index, in the sorted per-leader lists below.
        let pinned: HashSet<(u32, u32)> = req
            .pinned
            .iter()
            .filter_map(|(l, m)| Some((*leader_of_id.get(l.as_str())?, *mentor_of_id.get(m.as_str())?)))
            .collect();
        let mut forbidden = HashSet::new();
        let mut previous = HashSet::new();
        let mut excluded_pairs: Vec<(u32, u32)> = Vec::with_capacity(req.forbidden.len() + req.previous.len());
        for (field, list, set) in
            [("forbidden", &req.forbidden, &mut forbidden), ("previous", &req.previous, &mut previous)]
        {
            for (leader, mentor) in list {
                match (leader_of_id.get(leader.as_str()), mentor_of_id.get(mentor.as_str())) {
                    (Some(&l), Some(&m)) => {
                        if !pinned.is_empty() && pinned.contains(&(l, m)) {
                            set.insert((l, m));
                        }
                        excluded_pairs.push((l, m));
                    }
                    // Not both taking part in this run: only someone unknown is an error.
                    _ => {
                        org.lookup(field, leader)?;
                        org.lookup(field, mentor)?;
                    }
                }
            }
        }
        excluded_pairs.sort_unstable();
        excluded_pairs.dedup();
        let mut excluded_offsets = vec![0usize; leader_person.len() + 1];
        for &(l, _) in &excluded_pairs {
            excluded_offsets[l as usize + 1] += 1;
        }
        for l in 0..leader_person.len() {
            excluded_offsets[l + 1] += excluded_offsets[l];
        }
        let excluded = excluded_pairs.iter().map(|&(_, m)| m).collect();

        let place: Vec<Place> = (0..req.people.len() as u32)
            .map(|p| {
                let (enter, exit) = org.enter_exit(p);
                Place { level: req.people[p as usize].level, enter, exit, depth: org.depth(p) }
            })
            .collect();
        let leader_place = leader_person.iter().map(|&p| place[p as usize]).collect();
        let mentor_place = mentor_person.iter().map(|&p| place[p as usize]).collect();
        let mut participants = Participants {
            pinned: vec![None; leader_person.len()],
            leader_person,
            mentor_person,
            leader_of_id,
            mentor_of_id,
            free_seats,
            place,
            leader_place,
            mentor_place,
            chain_levels: req.reporting_chain_levels,
            excluded_offsets,
            excluded,
        };
        participants.seat_pins(req, org, &forbidden, &previous, &opted_out)?;
        for m in opted_out {
            participants.free_seats[m as usize] = 0;
        }
        Ok(participants)
    }

    fn seat_pins(
        &mut self,
        req: &MatchRequest,
        org: &Org<'_>,
        forbidden: &HashSet<(u32, u32)>,
        previous: &HashSet<(u32, u32)>,
        opted_out: &HashSet<u32>,
    ) -> Result<(), MatchError> {
        for (leader_id, mentor_id) in &req.pinned {
            org.lookup("pinned", leader_id)?;
            org.lookup("pinned", mentor_id)?;
            let l = *self.leader_of_id.get(leader_id.as_str()).ok_or_else(|| not_in("pinned", leader_id, "leaders"))?;
            let m = *self.mentor_of_id.get(mentor_id.as_str()).ok_or_else(|| not_in("pinned", mentor_id, "mentors"))?;
            let infeasible =
                |problem| MatchError::InfeasiblePin { leader: leader_id.clone(), mentor: mentor_id.clone(), problem };
            let (lp, mp) = (self.leader_person[l as usize], self.mentor_person[m as usize]);
            let problem = if self.pinned[l as usize].is_some() {
                Some(PinProblem::LeaderPinnedTwice)
            } else if lp == mp {
                Some(PinProblem::SamePerson)
            } else if self.in_chain(lp, mp) {
                Some(PinProblem::InReportingChain)
            } else if self.place[mp as usize].level >= self.place[lp as usize].level {
                Some(PinProblem::NotJunior)
            } else if forbidden.contains(&(l, m)) {
                Some(PinProblem::Forbidden)
            } else if previous.contains(&(l, m)) {
                Some(PinProblem::Previous)
            } else if opted_out.contains(&m) {
                Some(PinProblem::OptedOut)
            } else if self.free_seats[m as usize] == 0 {
                Some(PinProblem::OverCapacity)
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(infeasible(problem));
            }
            self.pinned[l as usize] = Some(m);
            self.free_seats[m as usize] -= 1;
        }
        Ok(())
    }

    /// How many levels apart `a` and `b` are when one is in the other's
    /// reporting chain (0 for the same person); `None` when neither is.
    fn chain_distance(&self, a: u32, b: u32) -> Option<u32> {
        Place::chain_distance(&self.place[a as usize], &self.place[b as usize])
    }

    /// Whether the reporting-chain rule keeps `a` and `b` apart: one is in the
    /// other's chain, within `reporting_chain_levels` when it is set.
    fn in_chain(&self, a: u32, b: u32) -> bool {
        self.places_in_chain(&self.place[a as usize], &self.place[b as usize])
    }

    #[inline]
    fn places_in_chain(&self, a: &Place, b: &Place) -> bool {
        match (Place::chain_distance(a, b), self.chain_levels) {
            (None, _) => false,
            (Some(d), Some(levels)) => d <= levels,
            (Some(_), None) => true,
        }
    }

    /// Every hard rule except capacity, for leader `l` and mentor `m` (participant indices).
    #[inline]
    pub(crate) fn allowed(&self, l: u32, m: u32) -> bool {
        let (lp, mp) = (&self.leader_place[l as usize], &self.mentor_place[m as usize]);
        mp.level < lp.level && !self.places_in_chain(lp, mp) && self.excluded_for(l).binary_search(&m).is_err()
    }

    fn excluded_for(&self, l: u32) -> &[u32] {
        &self.excluded[self.excluded_offsets[l as usize]..self.excluded_offsets[l as usize + 1]]
    }

    /// Why leader `l` got no mentor, in a sentence for the sponsor: no mentor
    /// at all may take them (and which rule rules each out), every one who may
    /// has no place left, or those who may were given to other leaders.
    pub(crate) fn why_unmatched(&self, l: u32) -> String {
        if self.mentor_person.is_empty() {
            return "No mentor is enrolled in the program.".to_owned();
        }
        let lp = self.leader_person[l as usize];
        let (mut senior, mut chain, mut excluded, mut no_place, mut open) = (0, 0, 0, 0, 0);
        // Levels between the leader and each junior mentor the chain rule rules out.
        let mut distances = Vec::new();
        for m in 0..self.mentor_person.len() as u32 {
            let mp = self.mentor_person[m as usize];
            if self.place[mp as usize].level >= self.place[lp as usize].level {
                senior += 1;
            } else if self.in_chain(lp, mp) {
                chain += 1;
                distances.extend(self.chain_distance(lp, mp));
            } else if self.excluded_for(l).binary_search(&m).is_ok() {
                excluded += 1;
            } else if self.free_seats[m as usize] == 0 {
                no_place += 1;
            } else {
                open += 1;
            }
        }
        let count = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
        if open == 0 && no_place == 0 {
            let mut why = Vec::new();
            if senior > 0 {
                why.push(count(senior, "is not junior to them", "are not junior to them"));
            }
            if chain > 0 {
                why.push(count(chain, "is in their reporting chain", "are in their reporting chain"));
            }
            if excluded > 0 {
                why.push(count(
                    excluded,
                    "is forbidden or was their mentor before",
                    "are forbidden or were their mentors before",
                ));
            }
            return format!("No enrolled mentor may take this leader: {}.{}", why.join(", "), chain_hint(&distances));
        }
        if open == 0 {
            return format!(
                "Every mentor who may take this leader ({no_place}) has stepped out of pairing or has no place left: \
                 enrol more mentors or raise a capacity."
            );
        }
        format!(
            "The {} who may take this leader went to other leaders, who fit them better: there are fewer mentor places than leaders they could take.",
            count(open, "mentor", "mentors")
        )
    }

    /// Leaders the solver still has to place (not pinned).
    pub(crate) fn open_leaders(&self) -> Vec<u32> {
        (0..self.leader_person.len() as u32).filter(|&l| self.pinned[l as usize].is_none()).collect()
    }

    /// Mentors with at least one free seat.
    pub(crate) fn open_mentors(&self) -> Vec<u32> {
        (0..self.mentor_person.len() as u32).filter(|&m| self.free_seats[m as usize] > 0).collect()
    }
}

/// What `reporting_chain_levels` would let some of the chain's mentors take
/// the leader: 2 (the rule then excludes only mentors within two levels of the
/// leader's line) when that frees any, else the most that frees some.
fn chain_hint(distances: &[u32]) -> String {
    let freed = |levels: u32| distances.iter().filter(|&&d| d > levels).count();
    let Some(&farthest) = distances.iter().max() else { return String::new() };
    let levels = if freed(2) > 0 { 2 } else { farthest.saturating_sub(1) };
    if levels == 0 || freed(levels) == 0 {
        return String::new();
    }
    let n = freed(levels);
    let who = if n == 1 { "1 of them".to_owned() } else { format!("{n} of them") };
    let unit = if levels == 1 { "level" } else { "levels" };
    format!(
        " Setting reporting_chain_levels to {levels} (exclude only mentors within {levels} {unit} of their line) \
         would allow {who}."
    )
}

/// A person's level and place in the org forest (Euler-tour interval and depth).
#[derive(Debug, Clone, Copy)]
struct Place {
    level: i32,
    enter: u32,
    exit: u32,
    depth: u32,
}

impl Place {
    /// How many levels apart `a` and `b` are when one is in the other's
    /// reporting chain (0 for the same person); `None` when neither is.
    #[inline]
    fn chain_distance(a: &Place, b: &Place) -> Option<u32> {
        // Intervals are unique per person, so equal entries mean the same person.
        let nested =
            a.enter == b.enter || (a.enter < b.enter && b.enter <= a.exit) || (b.enter < a.enter && a.enter <= b.exit);
        nested.then(|| a.depth.abs_diff(b.depth))
    }
}

fn duplicate(field: &'static str, id: &str) -> MatchError {
    MatchError::DuplicateParticipant { field, id: id.to_owned() }
}

pub(crate) fn not_in(field: &'static str, id: &str, list: &'static str) -> MatchError {
    MatchError::NotParticipant { field, id: id.to_owned(), list }
}
