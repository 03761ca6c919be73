//! The org forest: who reports to whom, with an O(1) reporting-chain test.
//!
//! Each person gets an Euler-tour interval `[enter, exit]` from one depth-first
//! walk over the forest; `a` is above `b` exactly when `b`'s interval nests in
//! `a`'s. The walk keeps its own stack, so a 100,000-deep chain is fine.
use crate::error::MatchError;
use crate::request::PersonIn;
use plab_domain::org::{OrgProblem, check_org_chart};
use std::collections::HashMap;

const NO_MANAGER: u32 = u32::MAX;

pub(crate) struct Org<'r> {
    index: HashMap<&'r str, u32>,
    enter: Vec<u32>,
    exit: Vec<u32>,
    /// Levels below the top of their tree (0 for someone with no manager).
    depth: Vec<u32>,
}

impl<'r> Org<'r> {
    pub(crate) fn build(people: &'r [PersonIn]) -> Result<Org<'r>, MatchError> {
        let mut index = HashMap::with_capacity(people.len());
        for (i, p) in people.iter().enumerate() {
            if index.insert(p.id.as_str(), i as u32).is_some() {
                return Err(MatchError::DuplicatePerson { id: p.id.clone() });
            }
        }
        let mut manager = vec![NO_MANAGER; people.len()];
        for (i, p) in people.iter().enumerate() {
            if let Some(m) = &p.manager {
                manager[i] = *index
                    .get(m.as_str())
                    .ok_or_else(|| MatchError::UnknownManager { id: p.id.clone(), manager: m.clone() })?;
            }
        }
        let (enter, exit) = euler_intervals(&manager)
            .map_err(|start| MatchError::ManagerCycle { members: cycle_from(start, people) })?;
        // A manager is entered before everyone under them: depths in entry order.
        let mut by_entry: Vec<u32> = (0..people.len() as u32).collect();
        by_entry.sort_unstable_by_key(|&p| enter[p as usize]);
        let mut depth = vec![0u32; people.len()];
        for p in by_entry {
            let m = manager[p as usize];
            if m != NO_MANAGER {
                depth[p as usize] = depth[m as usize] + 1;
            }
        }
        Ok(Org { index, enter, exit, depth })
    }

    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    pub(crate) fn lookup(&self, field: &'static str, id: &str) -> Result<u32, MatchError> {
        self.get(id).ok_or_else(|| MatchError::UnknownPerson { field, id: id.to_owned() })
    }

    /// True when `above` manages `below`, directly or through others.
    #[cfg(test)]
    pub(crate) fn is_above(&self, above: u32, below: u32) -> bool {
        let (a, b) = (above as usize, below as usize);
        self.enter[a] < self.enter[b] && self.enter[b] <= self.exit[a]
    }

    /// True when one of the two is in the other's reporting chain (or they are the same person).
    #[cfg(test)]
    pub(crate) fn in_chain(&self, a: u32, b: u32) -> bool {
        a == b || self.is_above(a, b) || self.is_above(b, a)
    }

    pub(crate) fn enter_exit(&self, person: u32) -> (u32, u32) {
        (self.enter[person as usize], self.exit[person as usize])
    }

    /// How many managers are above `person`.
    pub(crate) fn depth(&self, person: u32) -> u32 {
        self.depth[person as usize]
    }
}

/// Euler-tour intervals of the forest; `Err(person)` names someone no root reaches
/// (they sit on, or under, a reporting cycle).
fn euler_intervals(manager: &[u32]) -> Result<(Vec<u32>, Vec<u32>), usize> {
    let n = manager.len();
    let mut first_child = vec![0u32; n + 1];
    for &m in manager {
        if m != NO_MANAGER {
            first_child[m as usize + 1] += 1;
        }
    }
    for i in 0..n {
        first_child[i + 1] += first_child[i];
    }
    let mut children = vec![0u32; first_child[n] as usize];
    let mut fill = first_child.clone();
    for (i, &m) in manager.iter().enumerate() {
        if m != NO_MANAGER {
            children[fill[m as usize] as usize] = i as u32;
            fill[m as usize] += 1;
        }
    }

    const UNSEEN: u32 = u32::MAX;
    let mut enter = vec![UNSEEN; n];
    let mut exit = vec![0u32; n];
    let mut clock = 0u32;
    // (person, next child offset)
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in (0..n).filter(|&i| manager[i] == NO_MANAGER) {
        enter[root] = clock;
        clock += 1;
        stack.push((root as u32, first_child[root]));
        while let Some(top) = stack.last_mut() {
            let (person, next) = *top;
            if next < first_child[person as usize + 1] {
                top.1 += 1;
                let child = children[next as usize];
                enter[child as usize] = clock;
                clock += 1;
                stack.push((child, first_child[child as usize]));
            } else {
                exit[person as usize] = clock - 1;
                stack.pop();
            }
        }
    }
    match enter.iter().position(|&e| e == UNSEEN) {
        Some(unreached) => Err(unreached),
        None => Ok((enter, exit)),
    }
}

/// The reporting cycle that keeps `start` unreachable, as the importer names it.
fn cycle_from(start: usize, people: &[PersonIn]) -> Vec<String> {
    let edges = people.iter().map(|p| (p.id.as_str(), p.manager.as_deref()));
    check_org_chart(edges)
        .into_iter()
        .find_map(|problem| match problem {
            OrgProblem::Cycle { members } => Some(members),
            OrgProblem::UnknownManager { .. } => None,
        })
        // Unreachable once managers are known, but name someone rather than panic.
        .unwrap_or_else(|| vec![people[start].id.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use plab_domain::Date;

    fn person(id: &str, manager: Option<&str>) -> PersonIn {
        PersonIn {
            id: id.into(),
            manager: manager.map(Into::into),
            department: "D".into(),
            hire_date: Date::from_ymd(2020, 1, 1).expect("date"),
            level: 1,
            perspectives: vec![],
        }
    }

    #[test]
    fn chain_is_detected_in_both_directions_and_transitively() {
        let people =
            vec![person("ceo", None), person("vp", Some("ceo")), person("dev", Some("vp")), person("ops", Some("ceo"))];
        let org = Org::build(&people).expect("valid org");
        let id = |s| org.get(s).expect("known");
        assert!(org.in_chain(id("ceo"), id("dev")));
        assert!(org.in_chain(id("dev"), id("ceo")));
        assert!(org.in_chain(id("vp"), id("dev")));
        assert!(!org.in_chain(id("ops"), id("dev")));
        assert!(!org.in_chain(id("vp"), id("ops")));
    }

    #[test]
    fn hundred_thousand_deep_chain_does_not_overflow() {
        let n = 100_000;
        let people: Vec<PersonIn> = (0..n)
            .map(|i| {
                let manager = (i > 0).then(|| format!("p{}", i - 1));
                person(&format!("p{i}"), manager.as_deref())
            })
            .collect();
        let org = Org::build(&people).expect("valid org");
        assert!(org.is_above(0, (n - 1) as u32));
        assert!(!org.is_above((n - 1) as u32, 0));
    }

    #[test]
    fn depth_counts_the_managers_above() {
        let people = vec![person("dev", Some("vp")), person("vp", Some("ceo")), person("ceo", None), person("x", None)];
        let org = Org::build(&people).expect("valid org");
        let depth = |s| org.depth(org.get(s).expect("known"));
        assert_eq!((depth("ceo"), depth("vp"), depth("dev"), depth("x")), (0, 1, 2, 0));
    }

    #[test]
    fn cycle_is_named_from_its_smallest_id() {
        let people = vec![person("top", None), person("c", Some("a")), person("a", Some("b")), person("b", Some("c"))];
        match Org::build(&people) {
            Err(MatchError::ManagerCycle { members }) => assert_eq!(members, ["a", "b", "c"]),
            other => panic!("expected a cycle, got {:?}", other.err()),
        }
    }

    #[test]
    fn self_managed_person_is_a_cycle() {
        let people = vec![person("x", Some("x"))];
        assert!(matches!(
            Org::build(&people),
            Err(MatchError::ManagerCycle { members }) if members == ["x"]
        ));
    }
}
