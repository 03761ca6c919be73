//! Bad input gives an error that names the cause and the id at fault.

use crate::common::{leader, mentor, person, request};
use plab_engine::{MatchError, MatchRequest, PinProblem, run};

fn small() -> MatchRequest {
    let people = vec![
        person("boss", None, "Sales", "2000-01-01", 8),
        person("rep", Some("boss"), "Sales", "2024-01-01", 2),
        person("ops", None, "Ops", "2001-01-01", 7),
        person("hire", Some("ops"), "Ops", "2024-01-01", 2),
        person("peer", None, "Ops", "2024-01-01", 8),
    ];
    request(
        people,
        vec![leader("boss", "Why?"), leader("ops", "Why?")],
        vec![mentor("rep", 1), mentor("hire", 1), mentor("peer", 1)],
    )
}

fn error_of(req: &MatchRequest) -> MatchError {
    run(req).expect_err("the request is invalid")
}

fn pin_problem(pins: &[(&str, &str)], edit: impl FnOnce(&mut MatchRequest)) -> (String, String, PinProblem) {
    let mut req = small();
    req.pinned = pins.iter().map(|(l, m)| ((*l).to_owned(), (*m).to_owned())).collect();
    edit(&mut req);
    match error_of(&req) {
        MatchError::InfeasiblePin { leader, mentor, problem } => (leader, mentor, problem),
        other => panic!("expected an infeasible pin, got {other}"),
    }
}

#[test]
fn unknown_leader_id_is_named() {
    let mut req = small();
    req.leaders.push(leader("ghost", "Why?"));
    let err = error_of(&req);
    assert_eq!(err, MatchError::UnknownPerson { field: "leaders", id: "ghost".into() });
    assert_eq!(err.to_string(), "leaders: 'ghost' is not in people");
}

#[test]
fn unknown_mentor_id_is_named() {
    let mut req = small();
    req.mentors.push(mentor("nobody", 1));
    assert!(error_of(&req).to_string().contains("'nobody'"));
}

#[test]
fn unknown_id_in_forbidden_is_named() {
    let mut req = small();
    req.forbidden.push(("boss".into(), "hier".into()));
    assert_eq!(error_of(&req), MatchError::UnknownPerson { field: "forbidden", id: "hier".into() });
}

#[test]
fn duplicate_person_id_is_named() {
    let mut req = small();
    req.people.push(person("rep", None, "Ops", "2020-01-01", 1));
    assert_eq!(error_of(&req), MatchError::DuplicatePerson { id: "rep".into() });
}

#[test]
fn leader_listed_twice_is_named() {
    let mut req = small();
    req.leaders.push(leader("boss", "Again?"));
    assert_eq!(error_of(&req), MatchError::DuplicateParticipant { field: "leaders", id: "boss".into() });
}

#[test]
fn unknown_manager_is_named() {
    let mut req = small();
    req.people[1].manager = Some("bos".into());
    let err = error_of(&req);
    assert_eq!(err, MatchError::UnknownManager { id: "rep".into(), manager: "bos".into() });
    assert_eq!(err.to_string(), "people: manager 'bos' of 'rep' is not in people");
}

#[test]
fn manager_cycle_is_named() {
    let mut req = small();
    req.people[0].manager = Some("rep".into());
    let err = error_of(&req);
    assert_eq!(err, MatchError::ManagerCycle { members: vec!["boss".into(), "rep".into()] });
    assert_eq!(err.to_string(), "people: reporting cycle boss -> rep -> boss");
}

#[test]
fn negative_capacity_is_named() {
    let mut req = small();
    req.mentors[0].capacity = -1;
    assert_eq!(error_of(&req), MatchError::NegativeCapacity { id: "rep".into(), capacity: -1 });
}

#[test]
fn pin_inside_the_reporting_chain_is_infeasible() {
    let (leader, mentor, problem) = pin_problem(&[("boss", "rep")], |_| {});
    assert_eq!((leader.as_str(), mentor.as_str()), ("boss", "rep"));
    assert_eq!(problem, PinProblem::InReportingChain);
}

#[test]
fn pin_to_a_mentor_who_is_not_junior_is_infeasible() {
    assert_eq!(pin_problem(&[("ops", "peer")], |_| {}).2, PinProblem::NotJunior);
}

#[test]
fn pin_of_a_forbidden_pair_is_infeasible() {
    let problem = pin_problem(&[("boss", "hire")], |r| r.forbidden.push(("boss".into(), "hire".into()))).2;
    assert_eq!(problem, PinProblem::Forbidden);
}

#[test]
fn pin_of_a_previous_pair_is_infeasible() {
    let problem = pin_problem(&[("boss", "hire")], |r| r.previous.push(("boss".into(), "hire".into()))).2;
    assert_eq!(problem, PinProblem::Previous);
}

#[test]
fn pin_to_an_opted_out_mentor_is_infeasible() {
    let problem = pin_problem(&[("boss", "hire")], |r| r.opted_out.push("hire".into())).2;
    assert_eq!(problem, PinProblem::OptedOut);
}

#[test]
fn pins_beyond_capacity_are_infeasible() {
    let (twice, _, problem) = pin_problem(&[("boss", "hire"), ("ops", "rep"), ("ops", "rep")], |_| {});
    assert_eq!(problem, PinProblem::LeaderPinnedTwice);
    assert_eq!(twice, "ops");

    let mut req = small();
    req.people.push(person("vp", None, "Exec", "1999-01-01", 9));
    req.leaders.push(leader("vp", "Why?"));
    req.pinned = vec![("boss".into(), "hire".into()), ("vp".into(), "hire".into())];
    match error_of(&req) {
        MatchError::InfeasiblePin { leader, problem, .. } => {
            assert_eq!(leader, "vp");
            assert_eq!(problem, PinProblem::OverCapacity);
        }
        other => panic!("expected over capacity, got {other}"),
    }
}

#[test]
fn pin_outside_the_given_scores_is_infeasible() {
    let problem = pin_problem(&[("boss", "hire")], |r| r.scores = Some(vec![("ops".into(), "rep".into(), 1.0)])).2;
    assert_eq!(problem, PinProblem::NotAScoredCandidate);
}

#[test]
fn infeasible_pin_message_names_leader_mentor_and_why() {
    let mut req = small();
    req.pinned = vec![("boss".into(), "rep".into())];
    assert_eq!(
        error_of(&req).to_string(),
        "pinned: cannot pin leader 'boss' to mentor 'rep': the mentor is in the leader's reporting chain"
    );
}

#[test]
fn pin_naming_someone_who_is_not_a_leader_is_rejected() {
    let mut req = small();
    req.pinned = vec![("hire".into(), "rep".into())];
    assert_eq!(error_of(&req), MatchError::NotParticipant { field: "pinned", id: "hire".into(), list: "leaders" });
}

#[test]
fn non_finite_score_is_named() {
    let mut req = small();
    req.scores = Some(vec![("boss".into(), "hire".into(), f64::NAN)]);
    assert_eq!(error_of(&req), MatchError::NonFiniteScore { leader: "boss".into(), mentor: "hire".into() });
}

#[test]
fn score_for_someone_who_is_not_a_mentor_is_rejected() {
    let mut req = small();
    req.scores = Some(vec![("boss".into(), "ops".into(), 1.0)]);
    assert!(matches!(error_of(&req), MatchError::NotParticipant { id, list: "mentors", .. } if id == "ops"));
}

#[test]
fn pair_scored_twice_is_rejected() {
    let mut req = small();
    req.scores = Some(vec![("boss".into(), "hire".into(), 1.0), ("boss".into(), "hire".into(), 2.0)]);
    assert_eq!(error_of(&req), MatchError::DuplicateScore { leader: "boss".into(), mentor: "hire".into() });
}

#[test]
fn non_finite_weight_is_rejected() {
    let mut req = small();
    req.weights.topic = f64::INFINITY;
    assert!(matches!(error_of(&req), MatchError::BadWeight { field: "topic", .. }));
}

#[test]
fn malformed_json_is_a_serde_error() {
    assert!(serde_json::from_str::<MatchRequest>("{\"people\": [").is_err());
    let wrong_type = r#"{"people":[],"leaders":[],"mentors":[{"id":"x","capacity":"two"}]}"#;
    let err = serde_json::from_str::<MatchRequest>(wrong_type).expect_err("capacity must be a number");
    assert!(err.to_string().contains("line 1"), "{err}");
    let bad_date = r#"{"people":[{"id":"a","manager":null,"department":"D","hire_date":"03/07/2019","level":1}],"leaders":[],"mentors":[]}"#;
    let err = serde_json::from_str::<MatchRequest>(bad_date).expect_err("dates are ISO");
    assert!(err.to_string().contains("03/07/2019"), "{err}");
}

#[test]
fn misspelt_constraint_field_is_rejected_not_ignored() {
    let json = r#"{"people":[],"leaders":[],"mentors":[],"pined":[["a","b"]]}"#;
    let err = serde_json::from_str::<MatchRequest>(json).expect_err("unknown field");
    assert!(err.to_string().contains("unknown field `pined`"), "{err}");
}
