//! The hard rules of docs/product.md step 3, one behaviour per test.

use crate::common::{assert_rules_hold, leader, mentor, mentor_of, person, request};
use plab_engine::{MatchRequest, run};

/// ceo > vp > lead > dev in one chain; ops and hire elsewhere.
fn chain_org() -> MatchRequest {
    let people = vec![
        person("ceo", None, "Exec", "1990-01-01", 10),
        person("vp", Some("ceo"), "Eng", "2000-01-01", 8),
        person("lead", Some("vp"), "Eng", "2010-01-01", 6),
        person("dev", Some("lead"), "Eng", "2023-01-01", 2),
        person("ops", Some("ceo"), "Ops", "2005-01-01", 8),
        person("hire", Some("ops"), "Ops", "2024-01-01", 2),
    ];
    request(people, vec![leader("vp", "Why do new engineers skip demos?")], vec![mentor("dev", 1)])
}

#[test]
fn mentor_in_reporting_chain_is_never_proposed() {
    // dev reports to vp through lead: two levels down.
    let resp = run(&chain_org()).expect("valid request");
    assert!(resp.pairs.is_empty());
    assert_eq!(resp.unmatched, ["vp"]);
    assert_eq!(
        resp.unmatched_reasons,
        ["No enrolled mentor may take this leader: 1 is in their reporting chain. Setting reporting_chain_levels \
          to 1 (exclude only mentors within 1 level of their line) would allow 1 of them."]
    );
}

/// The CEO as a leader: everyone is in their chain. lead and hire are two
/// levels down, dev three.
fn ceo_as_leader(levels: Option<u32>) -> MatchRequest {
    let mut req = chain_org();
    req.leaders = vec![leader("ceo", "What do our newest engineers see that I do not?")];
    req.mentors = vec![mentor("lead", 1), mentor("hire", 1), mentor("dev", 1)];
    req.reporting_chain_levels = levels;
    req
}

#[test]
fn the_top_of_the_organisation_is_unmatched_and_told_which_setting_would_pair_them() {
    let resp = run(&ceo_as_leader(None)).expect("valid");
    assert_eq!(resp.unmatched, ["ceo"]);
    assert_eq!(
        resp.unmatched_reasons,
        ["No enrolled mentor may take this leader: 3 are in their reporting chain. Setting reporting_chain_levels \
          to 2 (exclude only mentors within 2 levels of their line) would allow 1 of them."]
    );
}

#[test]
fn with_chain_levels_only_mentors_within_that_many_levels_of_the_line_are_excluded() {
    let req = ceo_as_leader(Some(2));
    let resp = run(&req).expect("valid");
    assert_eq!(mentor_of(&resp, "ceo"), Some("dev"), "dev is three levels down; lead and hire two");
    assert_rules_hold(&req, &resp);
    let resp = run(&ceo_as_leader(Some(3))).expect("valid");
    assert_eq!(resp.unmatched, ["ceo"], "three levels reach dev too");
    // Upwards as well: a leader's manager's manager is two levels up.
    let mut up = chain_org();
    up.people[1].level = 1; // the vp, strangely junior, as a mentor of dev's lead
    up.leaders = vec![leader("lead", "Why?")];
    up.mentors = vec![mentor("vp", 1)];
    up.reporting_chain_levels = Some(1);
    assert!(run(&up).expect("valid").pairs.is_empty(), "the direct manager is within one level");
}

#[test]
fn each_unmatched_leaders_reason_is_given_by_their_id() {
    let json = serde_json::to_value(run(&ceo_as_leader(None)).expect("valid")).expect("json");
    let why = json["unmatched_reasons"]["ceo"].as_str().expect("the ceo's reason by id");
    assert!(why.contains("reporting_chain_levels to 2"), "{why}");
}

#[test]
fn zero_chain_levels_are_refused_by_name() {
    let e = run(&ceo_as_leader(Some(0))).expect_err("0 would let a report mentor their manager");
    assert!(e.to_string().starts_with("reporting_chain_levels: 0"), "{e}");
}

#[test]
fn mentor_above_the_leader_is_never_proposed_either() {
    let mut req = chain_org();
    // lead is under vp; let lead be the leader and make vp a (strangely junior) mentor.
    req.people[1].level = 1;
    req.leaders = vec![leader("lead", "Why?")];
    req.mentors = vec![mentor("vp", 1)];
    assert!(run(&req).expect("valid").pairs.is_empty());
}

#[test]
fn mentor_outside_the_chain_is_proposed() {
    let mut req = chain_org();
    req.mentors = vec![mentor("dev", 1), mentor("hire", 1)];
    let resp = run(&req).expect("valid request");
    assert_eq!(mentor_of(&resp, "vp"), Some("hire"));
}

#[test]
fn mentor_who_is_not_junior_is_never_proposed() {
    let mut req = chain_org();
    req.people[5].level = 8; // hire now has the vp's level
    req.mentors = vec![mentor("hire", 1)];
    assert!(run(&req).expect("valid").pairs.is_empty());
}

#[test]
fn nobody_mentors_themselves() {
    let mut req = chain_org();
    req.leaders = vec![leader("ops", "Why?")];
    req.mentors = vec![mentor("ops", 1)];
    assert!(run(&req).expect("valid").pairs.is_empty());
}

fn two_mentors_three_leaders(capacity: i64) -> MatchRequest {
    let people = vec![
        person("l1", None, "Sales", "2000-01-01", 8),
        person("l2", None, "Sales", "2001-01-01", 8),
        person("l3", None, "Sales", "2002-01-01", 8),
        person("m1", None, "Ops", "2024-01-01", 2),
        person("m2", None, "Ops", "2024-01-01", 2),
    ];
    let mut req = request(
        people,
        vec![leader("l1", "Why?"), leader("l2", "Why?"), leader("l3", "Why?")],
        vec![mentor("m1", capacity), mentor("m2", 0)],
    );
    req.scores = Some(vec![
        ("l1".into(), "m1".into(), 3.0),
        ("l2".into(), "m1".into(), 2.0),
        ("l3".into(), "m1".into(), 1.0),
        ("l3".into(), "m2".into(), 9.0),
    ]);
    req
}

#[test]
fn capacity_limits_how_many_leaders_a_mentor_takes() {
    let req = two_mentors_three_leaders(2);
    let resp = run(&req).expect("valid request");
    assert_rules_hold(&req, &resp);
    assert_eq!(resp.pairs.len(), 2);
    assert_eq!(resp.total_score, 5.0);
    assert_eq!(resp.unmatched, ["l3"]);
    let why = &resp.unmatched_reasons[0];
    assert!(why.starts_with("The 1 mentor who may take this leader went to other leaders"), "{why}");
}

#[test]
fn zero_capacity_mentor_is_never_proposed() {
    let resp = run(&two_mentors_three_leaders(3)).expect("valid request");
    assert!(resp.pairs.iter().all(|p| p.mentor != "m2"));
    assert_eq!(resp.pairs.len(), 3);
}

#[test]
fn a_leader_whose_mentors_all_stepped_out_is_told_so() {
    let mut req = two_mentors_three_leaders(3);
    req.opted_out = vec!["m1".into()];
    let resp = run(&req).expect("valid request");
    assert_eq!(resp.unmatched.len(), 3);
    assert_eq!(resp.unmatched_reasons.len(), 3);
    for why in &resp.unmatched_reasons {
        assert!(why.starts_with("Every mentor who may take this leader (2) has stepped out"), "{why}");
    }
}

#[test]
fn forbidden_pair_is_never_proposed() {
    let mut req = two_mentors_three_leaders(1);
    req.forbidden = vec![("l1".into(), "m1".into())];
    let resp = run(&req).expect("valid request");
    assert_eq!(mentor_of(&resp, "l2"), Some("m1"));
    assert_eq!(mentor_of(&resp, "l1"), None);
}

#[test]
fn previous_pair_is_never_proposed() {
    let mut req = two_mentors_three_leaders(1);
    req.previous = vec![("l1".into(), "m1".into()), ("l2".into(), "m1".into())];
    let resp = run(&req).expect("valid request");
    assert_eq!(mentor_of(&resp, "l3"), Some("m1"));
}

#[test]
fn opted_out_mentor_is_never_proposed() {
    let mut req = two_mentors_three_leaders(3);
    req.opted_out = vec!["m1".into()];
    assert!(run(&req).expect("valid").pairs.is_empty());
}

#[test]
fn pinned_pair_is_always_proposed_even_when_it_lowers_the_total() {
    let mut req = two_mentors_three_leaders(1);
    req.pinned = vec![("l3".into(), "m1".into())];
    let resp = run(&req).expect("valid request");
    assert_eq!(mentor_of(&resp, "l3"), Some("m1"));
    assert_eq!(resp.pairs.len(), 1);
    assert_eq!(resp.total_score, 1.0);
}

#[test]
fn pin_takes_one_seat_and_the_solver_fills_the_rest() {
    let mut req = two_mentors_three_leaders(2);
    req.pinned = vec![("l3".into(), "m1".into())];
    let resp = run(&req).expect("valid request");
    assert_rules_hold(&req, &resp);
    assert_eq!(mentor_of(&resp, "l1"), Some("m1"));
    assert_eq!(resp.total_score, 4.0);
}

#[test]
fn matching_more_leaders_beats_a_higher_score() {
    let people = vec![
        person("l1", None, "Sales", "2000-01-01", 8),
        person("l2", None, "Sales", "2000-01-01", 8),
        person("a", None, "Ops", "2024-01-01", 2),
        person("b", None, "Ops", "2024-01-01", 2),
    ];
    let mut req =
        request(people, vec![leader("l1", "Why?"), leader("l2", "Why?")], vec![mentor("a", 1), mentor("b", 1)]);
    req.scores =
        Some(vec![("l1".into(), "a".into(), 10.0), ("l1".into(), "b".into(), -3.0), ("l2".into(), "a".into(), 1.0)]);
    let resp = run(&req).expect("valid request");
    assert_eq!(resp.pairs.len(), 2);
    assert_eq!(mentor_of(&resp, "l1"), Some("b"));
    assert_eq!(resp.total_score, -2.0);
}

#[test]
fn unscored_pairs_are_not_candidates_when_scores_are_given() {
    let mut req = two_mentors_three_leaders(5);
    req.mentors[1].capacity = 1;
    let resp = run(&req).expect("valid request");
    assert_rules_hold(&req, &resp);
    assert_eq!(mentor_of(&resp, "l3"), Some("m2"));
}

#[test]
fn hundred_thousand_deep_reporting_chain_is_handled() {
    let n = 100_000;
    let mut people: Vec<_> = (0..n)
        .map(|i| {
            let manager = (i > 0).then(|| format!("p{}", i - 1));
            person(&format!("p{i}"), manager.as_deref(), "Eng", "2000-01-01", 10)
        })
        .collect();
    people.push(person("outsider", None, "Ops", "2024-01-01", 1));
    people[n - 1].level = 1;
    let req = request(
        people,
        vec![leader("p0", "Why?"), leader("p5", "Why?")],
        vec![mentor(&format!("p{}", n - 1), 1), mentor("outsider", 1)],
    );
    let resp = run(&req).expect("valid request");
    assert_eq!(resp.pairs.len(), 1, "the bottom of the chain mentors neither");
    assert_rules_hold(&req, &resp);
}
