//! Topic, tension and strategic pairing as a sponsor would recognise them.

use crate::common::{leader, mentor, mentor_of, person, request, with_perspectives};
use plab_engine::{MatchRequest, PairKind, run};

fn pair_of<'a>(resp: &'a plab_engine::MatchResponse, leader: &str) -> &'a plab_engine::ProposedPair {
    resp.pairs.iter().find(|p| p.leader == leader).expect("leader is paired")
}

/// A small company: a CEO at the top, a long-serving COO running operations,
/// departments under VPs, and recent hires.
fn tech_question_request() -> MatchRequest {
    let people = vec![
        person("ceo", None, "Executive", "1995-03-01", 11),
        person("coo", Some("ceo"), "Executive", "1998-03-01", 10),
        person("vp-data", Some("ceo"), "Data Science", "2010-01-10", 8),
        person("vp-mkt", Some("ceo"), "Marketing", "2009-05-01", 8),
        person("vp-ops", Some("coo"), "Operations", "2003-02-01", 8),
        with_perspectives(
            person("ana", Some("vp-data"), "Data Science", "2024-09-02", 2),
            &["AI tools for first drafts", "Python notebooks"],
        ),
        with_perspectives(
            person("ben", Some("vp-mkt"), "Marketing", "2024-06-01", 2),
            &["TikTok for product discovery"],
        ),
        with_perspectives(person("cy", Some("vp-mkt"), "Marketing", "2024-03-01", 2), &["warehouse shift rotas"]),
    ];
    request(
        people,
        vec![leader("coo", "Which AI tools could speed up first drafts of our board papers?")],
        vec![mentor("ana", 1), mentor("ben", 1), mentor("cy", 1)],
    )
}

#[test]
fn tech_curious_coo_gets_the_data_science_hire_who_lists_ai() {
    let resp = run(&tech_question_request()).expect("valid request");
    let pair = pair_of(&resp, "coo");
    assert_eq!(pair.mentor, "ana");
    assert!(pair.reasons.iter().any(|r| r == "both about AI tools for first drafts"), "{:?}", pair.reasons);
}

#[test]
fn ceo_has_everyone_in_their_reporting_chain_so_stays_unmatched() {
    let mut req = tech_question_request();
    req.leaders = vec![leader("ceo", "Which AI tools could speed up first drafts?")];
    let resp = run(&req).expect("valid request");
    assert!(resp.pairs.is_empty());
    assert_eq!(resp.unmatched, ["ceo"]);
    assert_eq!(resp.unmatched_reasons.len(), 1);
    assert!(resp.unmatched_reasons[0].contains("in their reporting chain"), "{:?}", resp.unmatched_reasons);
}

#[test]
fn marketing_director_with_a_tiktok_question_gets_a_topic_pair() {
    let people = vec![
        person("dir", None, "Marketing", "2016-04-01", 6),
        with_perspectives(person("zoe", None, "Sales", "2021-01-04", 3), &["TikTok for product discovery"]),
        with_perspectives(person("max", None, "Finance", "2020-01-04", 3), &["budget spreadsheets"]),
    ];
    let req = request(
        people,
        vec![leader("dir", "How do buyers under 25 use TikTok to discover products like ours?")],
        vec![mentor("zoe", 1), mentor("max", 1)],
    );
    let resp = run(&req).expect("valid request");
    let pair = pair_of(&resp, "dir");
    assert_eq!(pair.mentor, "zoe");
    assert_eq!(pair.kind, PairKind::Topic, "{pair:?}");
    assert!(pair.reasons[0].starts_with("both about"), "{:?}", pair.reasons);
}

#[test]
fn long_tenured_vp_of_operations_gets_the_new_agile_pm_as_tension() {
    let people = vec![
        person("ceo", None, "Executive", "1995-01-01", 10),
        person("vp-ops", Some("ceo"), "Operations", "2003-02-01", 8),
        person("vp-prod", Some("ceo"), "Product", "2012-02-01", 8),
        person("ops-lead", Some("vp-ops"), "Operations", "2008-02-01", 6),
        with_perspectives(
            person("pm", Some("vp-prod"), "Product", "2024-05-06", 3),
            &["agile sprints in small teams", "Jira boards"],
        ),
        with_perspectives(person("analyst", Some("ceo"), "Operations", "2016-09-01", 4), &["supplier contracts"]),
    ];
    let req = request(
        people,
        vec![leader("vp-ops", "Why do newer teams find our quarterly planning slow?")],
        vec![mentor("pm", 1), mentor("analyst", 1)],
    );
    let resp = run(&req).expect("valid request");
    let pair = pair_of(&resp, "vp-ops");
    assert_eq!(pair.mentor, "pm");
    assert_eq!(pair.kind, PairKind::Tension, "{pair:?}");
    assert_eq!(pair.reasons[0], "21 years of tenure between them", "{:?}", pair.reasons);
    assert!(pair.reasons.iter().any(|r| r == "different departments: Operations and Product"));
}

#[test]
fn head_of_sales_gets_the_adjacent_customer_support_hire_as_strategic() {
    let people = vec![
        person("head-sales", None, "Sales", "2010-01-01", 8),
        person("sup", None, "Customer Support", "2024-01-08", 2),
        person("fin", None, "Finance", "2024-01-08", 2),
    ];
    let mut req = request(
        people,
        vec![leader("head-sales", "What do customers complain about before they cancel?")],
        vec![mentor("sup", 1), mentor("fin", 1)],
    );
    req.adjacent_departments = vec![("Customer Support".into(), "Sales".into())];
    let resp = run(&req).expect("valid request");
    let pair = pair_of(&resp, "head-sales");
    assert_eq!(pair.mentor, "sup");
    assert_eq!(pair.kind, PairKind::Strategic);
    assert_eq!(pair.reasons[0], "Customer Support sits next to Sales' customers");
}

#[test]
fn adjacency_weighed_at_zero_makes_no_pair_strategic() {
    let people = vec![
        person("head-sales", None, "Sales", "2010-01-01", 8),
        person("sup", None, "Customer Support", "2024-01-08", 2),
    ];
    let mut req = request(people, vec![leader("head-sales", "Why do customers cancel?")], vec![mentor("sup", 1)]);
    req.adjacent_departments = vec![("Customer Support".into(), "Sales".into())];
    req.weights.strategic = 0.0;
    let pair = run(&req).expect("valid request").pairs.remove(0);
    assert_ne!(pair.kind, PairKind::Strategic);
    assert!(pair.reasons.iter().all(|r| !r.contains("sits next to")), "{:?}", pair.reasons);
}

#[test]
fn adjacency_is_symmetric() {
    let people = vec![
        person("head-support", None, "Customer Support", "2008-01-01", 8),
        person("rep", None, "Sales", "2023-01-08", 2),
    ];
    let mut req = request(people, vec![leader("head-support", "Why do new accounts churn?")], vec![mentor("rep", 1)]);
    req.adjacent_departments = vec![("Sales".into(), "Customer Support".into())];
    let resp = run(&req).expect("valid request");
    assert_eq!(pair_of(&resp, "head-support").kind, PairKind::Strategic);
}

#[test]
fn weights_can_turn_off_a_component() {
    let mut req = tech_question_request();
    req.weights.topic = 0.0;
    req.weights.strategic = 0.0;
    // With topic fit ignored the CEO's question no longer decides the mentor;
    // every candidate's score is tension alone.
    let resp = run(&req).expect("valid request");
    let pair = pair_of(&resp, "coo");
    assert_eq!(pair.kind, PairKind::Tension);
    assert!(pair.reasons.iter().any(|r| r.contains("years of tenure between them")));
}

#[test]
fn explicit_scores_decide_and_are_reported() {
    let mut req = tech_question_request();
    req.scores = Some(vec![("coo".into(), "ana".into(), 0.2), ("coo".into(), "cy".into(), 7.5)]);
    let resp = run(&req).expect("valid request");
    let pair = pair_of(&resp, "coo");
    assert_eq!(pair.mentor, "cy");
    assert_eq!(pair.score, 7.5);
    assert_eq!(resp.total_score, 7.5);
    assert_eq!(pair.reasons[0], "score given in input");
}

#[test]
fn unmatched_leaders_are_listed_in_request_order() {
    let people = vec![
        person("a", None, "Sales", "2000-01-01", 9),
        person("b", None, "Sales", "2000-01-01", 9),
        person("c", None, "Sales", "2000-01-01", 9),
        person("m", None, "Ops", "2024-01-01", 1),
    ];
    let req =
        request(people, vec![leader("c", "Why?"), leader("a", "Why?"), leader("b", "Why?")], vec![mentor("m", 1)]);
    let resp = run(&req).expect("valid request");
    assert_eq!(resp.pairs.len(), 1);
    let matched = resp.pairs[0].leader.clone();
    let expected: Vec<String> = ["c", "a", "b"].iter().filter(|l| **l != matched).map(|s| (*s).to_owned()).collect();
    assert_eq!(resp.unmatched, expected);
}

#[test]
fn same_input_gives_the_same_output() {
    let req = tech_question_request();
    let a = run(&req).expect("valid");
    let b = run(&req).expect("valid");
    assert_eq!(a.pairs, b.pairs);
    assert_eq!(mentor_of(&a, "coo"), Some("ana"));
}

#[test]
fn response_serializes_as_the_contract_says() {
    let resp = run(&tech_question_request()).expect("valid request");
    let json = serde_json::to_value(&resp).expect("serialize");
    let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    for key in ["pairs", "unmatched", "unmatched_reasons", "total_score", "solve_ms"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["unmatched_reasons"], serde_json::json!({}), "an object, empty when everyone is paired");
    let pair = &json["pairs"][0];
    for key in ["leader", "mentor", "score", "kind", "reasons"] {
        assert!(pair.get(key).is_some(), "pair missing {key}");
    }
    assert!(["topic", "tension", "strategic"].contains(&pair["kind"].as_str().expect("kind")));
}
