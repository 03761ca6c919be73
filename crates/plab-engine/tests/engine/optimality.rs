//! The engine against an independent brute-force solver on many small random
//! instances: maximal cardinality first, then maximal total score, and every
//! hard rule holds.

use crate::common::{Rng, assert_rules_hold, brute_force, candidate_scores, random_request, random_request_sized};
use plab_engine::solver::{CandidateGraph, dense, sparse};
use plab_engine::{MatchError, MatchRequest, Options, SolverChoice, run_with};
use proptest::prelude::*;

/// Score totals are compared after rounding to 1e-6 per pair.
const TOLERANCE: f64 = 1e-5;

fn check_against_brute_force(req: &MatchRequest, options: &Options) {
    let builtin = if req.scores.is_none() {
        let mut unpinned = req.clone();
        unpinned.pinned.clear();
        Some(plab_engine::score_all_pairs(&unpinned).expect("scores"))
    } else {
        None
    };
    let scores = candidate_scores(req, builtin.as_deref());
    let best = brute_force(req, &scores);
    match (run_with(req, options, &|_| {}), best) {
        (Ok(resp), Some((count, total))) => {
            assert_rules_hold(req, &resp);
            assert_eq!(resp.pairs.len(), count, "not maximal cardinality: {resp:?}\n{req:?}");
            assert!(
                (resp.total_score - total).abs() <= TOLERANCE,
                "total {} but the optimum is {total}: {resp:?}\n{req:?}",
                resp.total_score
            );
            for pair in &resp.pairs {
                let expected = scores[&(pair.leader.clone(), pair.mentor.clone())];
                assert!((pair.score - expected).abs() <= 1e-6, "{pair:?} should score {expected}");
            }
        }
        (Err(MatchError::InfeasiblePin { .. }), None) => {}
        (got, want) => panic!("engine {got:?}, brute force {want:?} on {req:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn optimum_matches_brute_force_with_explicit_scores(seed in any::<u64>(), max_cap in 1i64..=3) {
        let req = random_request(&mut Rng(seed), true, max_cap);
        check_against_brute_force(&req, &Options::default());
    }

    #[test]
    fn optimum_matches_brute_force_with_builtin_scores(seed in any::<u64>(), max_cap in 1i64..=3) {
        let req = random_request(&mut Rng(seed), false, max_cap);
        check_against_brute_force(&req, &Options::default());
    }

    #[test]
    fn pruning_to_one_candidate_per_leader_still_finds_the_optimum(seed in any::<u64>(), max_cap in 1i64..=3) {
        let req = random_request(&mut Rng(seed), false, max_cap);
        let options = Options { candidates_per_leader: 1, ..Options::default() };
        check_against_brute_force(&req, &options);
    }

    #[test]
    fn pruning_without_a_reserve_still_finds_the_optimum(seed in any::<u64>(), max_cap in 1i64..=3) {
        // No reserve: every pair the proof adds back comes from rescoring a leader in full.
        let req = random_request_sized(&mut Rng(seed), false, max_cap, 12, 4, 6);
        let options = Options { candidates_per_leader: 1, reserve_per_leader: 0, ..Options::default() };
        check_against_brute_force(&req, &options);
    }

    #[test]
    fn pruning_with_a_one_pair_reserve_still_finds_the_optimum(seed in any::<u64>(), max_cap in 1i64..=3) {
        let req = random_request_sized(&mut Rng(seed), false, max_cap, 12, 4, 6);
        let options = Options { candidates_per_leader: 1, reserve_per_leader: 1, ..Options::default() };
        check_against_brute_force(&req, &options);
    }

    #[test]
    fn dense_path_matches_brute_force_with_unit_capacities(seed in any::<u64>()) {
        let req = random_request(&mut Rng(seed), true, 1);
        let options = Options { solver: SolverChoice::DenseWhenPossible, ..Options::default() };
        check_against_brute_force(&req, &options);
    }

    #[test]
    fn dense_and_sparse_solvers_agree_on_random_graphs(
        seed in any::<u64>(),
        leaders in 1usize..40,
        mentors in 1usize..40,
        fill in 10u64..=100,
    ) {
        let mut rng = Rng(seed);
        let mut edges = Vec::new();
        for l in 0..leaders as u32 {
            for m in 0..mentors as u32 {
                if rng.chance(fill) {
                    edges.push((l, m, rng.below(2_000_000) as i64 - 500_000));
                }
            }
        }
        let graph = CandidateGraph::from_edges(leaders, vec![1; mentors], &edges);
        let a = dense::solve(&graph);
        let b = sparse::solve(&graph, &|_| {});
        prop_assert_eq!(a.matched(), b.matched());
        prop_assert_eq!(a.total_weight(&graph), b.total_weight(&graph));
    }
}

#[test]
fn sparse_solver_duals_certify_optimality() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let (nl, nm) = (1 + rng.below(30) as usize, 1 + rng.below(30) as usize);
        let capacity: Vec<u32> = (0..nm).map(|_| rng.below(4) as u32).collect();
        let mut edges = Vec::new();
        for l in 0..nl as u32 {
            for m in 0..nm as u32 {
                if rng.chance(30) {
                    edges.push((l, m, rng.below(1000) as i64 - 300));
                }
            }
        }
        let graph = CandidateGraph::from_edges(nl, capacity, &edges);
        let a = sparse::solve(&graph, &|_| {});
        let duals = a.duals.as_ref().expect("sparse duals");
        let mut load = vec![0u32; nm];
        for m in a.mentor_of.iter().flatten() {
            load[*m as usize] += 1;
        }
        for l in 0..nl {
            for (m, w) in graph.row(l) {
                let slack = duals.profit[l] + duals.price[m as usize] - (w + duals.bonus);
                assert!(slack >= 0, "pair ({l}, {m}) has negative slack");
                if a.mentor_of[l] == Some(m) {
                    assert_eq!(slack, 0, "matched pair ({l}, {m}) must be tight");
                }
            }
            assert!(duals.profit[l] >= 0);
            if a.mentor_of[l].is_none() {
                assert_eq!(duals.profit[l], 0, "unmatched leader {l} has a profit");
            }
        }
        for (m, &used) in load.iter().enumerate() {
            let capacity = graph.capacity(m as u32);
            assert!(duals.price[m] >= 0);
            if used < capacity {
                assert_eq!(duals.price[m], 0, "mentor {m} has room but a price");
            }
            assert!(used <= capacity);
        }
    }
}
