//! The org chart's integrity rules: every manager exists and no one manages
//! themselves through a chain (no cycles).
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgProblem {
    /// `employee` names a manager who is neither imported nor already known.
    UnknownManager { employee: String, manager: String },
    /// A chain of managers that loops back; listed in reporting order.
    Cycle { members: Vec<String> },
}

impl std::fmt::Display for OrgProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OrgProblem::UnknownManager { employee, manager } => {
                write!(f, "manager_id: '{manager}' of employee '{employee}' is not a known employee_id")
            }
            OrgProblem::Cycle { members } => {
                write!(f, "manager_id: reporting cycle {} -> {}", members.join(" -> "), members[0])
            }
        }
    }
}

/// Checks an org chart given as `employee -> manager` edges (None for the top).
/// Each cycle is reported once, starting from its smallest id, so that the
/// report is the same whatever the input order.
pub fn check_org_chart<'a, I>(edges: I) -> Vec<OrgProblem>
where
    I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
{
    let manager_of: HashMap<&str, Option<&str>> = edges.into_iter().collect();
    let mut problems = Vec::new();
    let mut ids: Vec<&str> = manager_of.keys().copied().collect();
    ids.sort_unstable();

    for &id in &ids {
        if let Some(Some(m)) = manager_of.get(id)
            && !manager_of.contains_key(m)
        {
            problems.push(OrgProblem::UnknownManager { employee: id.to_owned(), manager: (*m).to_owned() });
        }
    }

    // 0 = unvisited, 1 = on the current walk, 2 = done. Each person has one
    // manager, so a walk up the chain is a path; meeting our own walk is a cycle.
    let mut state: HashMap<&str, u8> = HashMap::with_capacity(ids.len());
    for &start in &ids {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(id) = cur {
            match state.get(id).copied().unwrap_or(0) {
                2 => break,
                1 => {
                    let pos = walk.iter().position(|w| *w == id).unwrap_or(0);
                    let mut members: Vec<String> = walk[pos..].iter().map(|s: &&str| (*s).to_owned()).collect();
                    let min = members.iter().enumerate().min_by(|a, b| a.1.cmp(b.1)).map_or(0, |(i, _)| i);
                    members.rotate_left(min);
                    problems.push(OrgProblem::Cycle { members });
                    break;
                }
                _ => {
                    state.insert(id, 1);
                    walk.push(id);
                    cur = manager_of.get(id).copied().flatten().filter(|m| manager_of.contains_key(m));
                }
            }
        }
        for id in walk {
            state.insert(id, 2);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_has_no_problems() {
        let edges = [("ceo", None), ("vp", Some("ceo")), ("pm", Some("vp"))];
        assert!(check_org_chart(edges).is_empty());
    }

    #[test]
    fn an_unknown_manager_is_named() {
        let edges = [("a", None), ("b", Some("ghost"))];
        assert_eq!(
            check_org_chart(edges),
            vec![OrgProblem::UnknownManager { employee: "b".into(), manager: "ghost".into() }]
        );
    }

    #[test]
    fn a_manager_cycle_is_reported_once_with_its_members() {
        let edges = [("top", None), ("c", Some("a")), ("a", Some("b")), ("b", Some("c")), ("x", Some("a"))];
        assert_eq!(
            check_org_chart(edges),
            vec![OrgProblem::Cycle { members: vec!["a".into(), "b".into(), "c".into()] }]
        );
    }

    #[test]
    fn two_separate_cycles_are_both_reported() {
        let edges = [("a", Some("b")), ("b", Some("a")), ("c", Some("d")), ("d", Some("c"))];
        assert_eq!(check_org_chart(edges).len(), 2);
    }

    #[test]
    fn a_deep_chain_does_not_overflow() {
        let ids: Vec<String> = (0..200_000).map(|i| format!("e{i}")).collect();
        let edges = ids.iter().enumerate().map(|(i, id)| (id.as_str(), (i > 0).then(|| ids[i - 1].as_str())));
        assert!(check_org_chart(edges).is_empty());
    }
}
