//! A confidential concern (the protocol's promise to the junior mentor: "100%
//! safe … without any fear of professional reprisal"): a leader or mentor
//! raises a concern about their pairing, optionally without their name, and
//! it reaches only sponsors outside the reporting chains of the person who
//! raised it and of each of their partners in the program.
//!
//! The chain here is always the whole org chart, up and down: unlike pairing
//! (where `reporting_chain_levels` may let the top of the organisation be
//! paired), anyone above or below a person, at any distance, is someone they
//! may fear reprisal from, so no level setting narrows it.
use crate::person::FieldError;
use std::collections::{BTreeSet, HashMap, HashSet};

pub const MAX_CONCERN_CHARS: usize = 4_000;

/// A concern's text: trimmed, not empty, no control characters but line breaks and tabs.
pub fn parse_text(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new("text", crate::words::required("say what worries you about your pairing")));
    }
    if text.chars().count() > MAX_CONCERN_CHARS {
        return Err(FieldError::new("text", format!("keep it to {MAX_CONCERN_CHARS} characters")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new("text", "contains characters that cannot be shown"));
    }
    Ok(text.to_owned())
}

/// The org chart as `employee -> manager`, for walking chains.
pub struct OrgChart<'a> {
    manager_of: HashMap<&'a str, &'a str>,
}

impl<'a> OrgChart<'a> {
    pub fn new<I: IntoIterator<Item = (&'a str, Option<&'a str>)>>(edges: I) -> OrgChart<'a> {
        OrgChart { manager_of: edges.into_iter().filter_map(|(e, m)| m.map(|m| (e, m))).collect() }
    }

    /// Everyone above `person`, nearest first; stops at a cycle (the import refuses them anyway).
    fn managers(&self, person: &'a str) -> Vec<&'a str> {
        let mut seen: HashSet<&str> = HashSet::from([person]);
        let mut out = Vec::new();
        let mut cur = person;
        while let Some(&m) = self.manager_of.get(cur) {
            if !seen.insert(m) {
                break;
            }
            out.push(m);
            cur = m;
        }
        out
    }

    /// Whether `a` and `b` are the same person or one is above the other, at any distance.
    pub fn in_chain(&self, a: &str, b: &str) -> bool {
        a == b || self.managers(a).into_iter().any(|m| m == b) || self.managers(b).into_iter().any(|m| m == a)
    }
}

/// The sponsors a concern may reach: those outside the reporting chain of
/// every person in `involved` (the one who raised it and their partners).
pub fn routed_sponsors<'s>(chart: &OrgChart<'_>, involved: &[&str], sponsors: &[&'s str]) -> BTreeSet<&'s str> {
    sponsors.iter().copied().filter(|s| involved.iter().all(|p| !chart.in_chain(s, p))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CEO above VP and HR; VP above the leader L; L above the mentor's
    /// peer P; the mentor M under TL under VP2 (another branch).
    fn chart() -> OrgChart<'static> {
        OrgChart::new([
            ("CEO", None),
            ("VP", Some("CEO")),
            ("HR", Some("CEO")),
            ("L", Some("VP")),
            ("P", Some("L")),
            ("VP2", Some("CEO")),
            ("TL", Some("VP2")),
            ("M", Some("TL")),
            ("OUT", Some("HR")),
        ])
    }

    #[test]
    fn managers_above_and_reports_below_at_any_depth_are_in_the_chain() {
        let c = chart();
        assert!(c.in_chain("L", "CEO"), "two levels up");
        assert!(c.in_chain("CEO", "M"), "three levels down");
        assert!(c.in_chain("L", "P"), "a report");
        assert!(!c.in_chain("L", "M"), "different branches");
        assert!(!c.in_chain("HR", "VP"), "siblings");
    }

    #[test]
    fn a_concern_reaches_only_sponsors_outside_both_partners_chains() {
        let c = chart();
        let routed = routed_sponsors(&c, &["M", "L"], &["CEO", "VP", "VP2", "TL", "HR", "OUT", "P"]);
        assert_eq!(routed.into_iter().collect::<Vec<_>>(), vec!["HR", "OUT"]);
    }

    #[test]
    fn the_partners_manager_is_left_out_even_when_the_raiser_is_not_below_them() {
        let c = chart();
        assert!(routed_sponsors(&c, &["M", "L"], &["VP"]).is_empty());
        assert_eq!(routed_sponsors(&c, &["M"], &["VP"]).into_iter().collect::<Vec<_>>(), vec!["VP"]);
    }

    #[test]
    fn no_sponsor_qualifies_when_every_sponsor_is_above_someone_involved() {
        assert!(routed_sponsors(&chart(), &["M", "L"], &["CEO", "TL"]).is_empty());
    }

    #[test]
    fn a_cycle_in_the_chart_does_not_loop() {
        let c = OrgChart::new([("A", Some("B")), ("B", Some("A")), ("X", None)]);
        assert!(c.in_chain("A", "B"));
        assert!(!c.in_chain("A", "X"));
    }

    #[test]
    fn an_empty_or_unprintable_text_is_refused_and_a_good_one_trimmed() {
        assert_eq!(parse_text("  \n ").expect_err("empty").field, "text");
        assert_eq!(parse_text("a\u{7}b").expect_err("bell").field, "text");
        assert_eq!(parse_text(&"x".repeat(MAX_CONCERN_CHARS + 1)).expect_err("long").field, "text");
        assert_eq!(parse_text("  My leader mocks my ideas.\n ").expect("ok"), "My leader mocks my ideas.");
    }
}
