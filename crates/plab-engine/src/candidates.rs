//! From a request to a solved candidate graph, for both kinds of input.
//!
//! Explicit `scores`: those pairs, minus the ones the hard rules exclude.
//!
//! Built-in scoring: every allowed leader x mentor pair is scored, and each
//! leader keeps its `k` best. Pruning is then proved harmless with the solver's
//! dual prices: a pruned pair could only improve the optimum if
//! `weight - price[mentor] > profit[leader]`. Prices are never negative, so a
//! leader whose best pruned weight is at most its profit is settled in O(1);
//! the others are rescored in full, every violating pair is added back, and the
//! problem is solved again, until no pruned pair violates. The final prices
//! then certify optimality on the full candidate set.
use crate::Options;
use crate::error::MatchError;
use crate::org::Org;
use crate::response::{Progress, Stage};
use crate::rules::{Participants, not_in};
use crate::scoring::{Features, LeaderTerms, to_fixed};
use crate::solver::{self, Assignment, CandidateGraph, SolverChoice};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Scores whose magnitude exceeds this are rejected.
const MAX_ABS_SCORE: f64 = 1e9;

/// Integer weights are `round(score * scale)`; the scale is 10^6 unless the
/// solver's arithmetic needs a coarser one (huge scores times many leaders).
pub(crate) fn choose_scale(max_abs_score: f64, n_leaders: usize) -> f64 {
    let limit = 2f64.powi(50);
    let mut scale = 1e6;
    while scale > 1e-3 && (2.0 * n_leaders as f64 + 1.0) * max_abs_score * scale > limit {
        scale /= 10.0;
    }
    scale
}

/// The solver's answer in participant indices.
pub(crate) struct Solved {
    /// Mentor (participant index) of each open leader placed by the solver.
    pub mentor_of: Vec<Option<u32>>,
    pub solve_ms: f64,
    /// Bytes of the final candidate graph and how many pairs it holds.
    pub graph_bytes: usize,
    pub graph_pairs: usize,
    pub rounds: usize,
}

struct Frame {
    leaders: Vec<u32>,
    mentors: Vec<u32>,
    capacity: Vec<u32>,
}

impl Frame {
    fn new(p: &Participants<'_>) -> Self {
        let mentors = p.open_mentors();
        let capacity = mentors.iter().map(|&m| p.free_seats[m as usize]).collect();
        Frame { leaders: p.open_leaders(), mentors, capacity }
    }

    fn solved(&self, n_leaders: usize, assignment: &Assignment, solve_ms: f64, graph: &CandidateGraph) -> Solved {
        let mut mentor_of = vec![None; n_leaders];
        for (row, col) in assignment.mentor_of.iter().enumerate() {
            mentor_of[self.leaders[row] as usize] = col.map(|c| self.mentors[c as usize]);
        }
        Solved { mentor_of, solve_ms, graph_bytes: graph.heap_bytes(), graph_pairs: graph.n_edges(), rounds: 1 }
    }
}

fn timed_solve(
    graph: &CandidateGraph,
    choice: SolverChoice,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Assignment, f64) {
    let start = Instant::now();
    let assignment = solver::solve(graph, choice, progress);
    (assignment, start.elapsed().as_secs_f64() * 1e3)
}

/// Explicit scores, validated and sorted by (leader, mentor) for look-ups.
pub(crate) struct ExplicitScores(Vec<(u32, u32, f64)>);

impl ExplicitScores {
    pub(crate) fn parse(
        scores: &[(String, String, f64)],
        org: &Org<'_>,
        p: &Participants<'_>,
    ) -> Result<Self, MatchError> {
        let resolve = |(leader, mentor, score): &(String, String, f64)| {
            if !score.is_finite() {
                return Err(MatchError::NonFiniteScore { leader: leader.clone(), mentor: mentor.clone() });
            }
            if score.abs() > MAX_ABS_SCORE {
                return Err(MatchError::ScoreOutOfRange {
                    leader: leader.clone(),
                    mentor: mentor.clone(),
                    score: *score,
                });
            }
            let l = match p.leader_of_id.get(leader.as_str()) {
                Some(&l) => l,
                None => {
                    org.lookup("scores", leader)?;
                    return Err(not_in("scores", leader, "leaders"));
                }
            };
            let m = match p.mentor_of_id.get(mentor.as_str()) {
                Some(&m) => m,
                None => {
                    org.lookup("scores", mentor)?;
                    return Err(not_in("scores", mentor, "mentors"));
                }
            };
            Ok((l, m, *score))
        };
        let mut list = scores.par_iter().map(resolve).collect::<Result<Vec<_>, _>>()?;
        list.par_sort_unstable_by_key(|&(l, m, _)| (l, m));
        if let Some(w) = list.windows(2).find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            return Err(MatchError::DuplicateScore {
                leader: scores_id(p, true, w[0].0).to_owned(),
                mentor: scores_id(p, false, w[0].1).to_owned(),
            });
        }
        Ok(ExplicitScores(list))
    }

    pub(crate) fn get(&self, leader: u32, mentor: u32) -> Option<f64> {
        self.0.binary_search_by_key(&(leader, mentor), |&(l, m, _)| (l, m)).ok().map(|i| self.0[i].2)
    }

    pub(crate) fn solve(
        &self,
        p: &Participants<'_>,
        options: &Options,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Solved {
        let frame = Frame::new(p);
        let mut row_of = vec![u32::MAX; p.leader_person.len()];
        for (row, &l) in frame.leaders.iter().enumerate() {
            row_of[l as usize] = row as u32;
        }
        let mut col_of = vec![u32::MAX; p.mentor_person.len()];
        for (col, &m) in frame.mentors.iter().enumerate() {
            col_of[m as usize] = col as u32;
        }
        let max_abs = self.0.iter().map(|s| s.2.abs()).fold(0.0, f64::max);
        let scale = choose_scale(max_abs, frame.leaders.len());
        // Sorted by (leader, mentor) and rows keep the leaders' order, so the
        // graph is filled in one pass.
        let edges = self
            .0
            .iter()
            .filter(|&&(l, m, _)| row_of[l as usize] != u32::MAX && col_of[m as usize] != u32::MAX && p.allowed(l, m))
            .map(|&(l, m, s)| (row_of[l as usize], col_of[m as usize], to_fixed(s, scale)));
        let graph = CandidateGraph::from_sorted_edges(frame.leaders.len(), frame.capacity.clone(), edges);
        let (assignment, ms) = timed_solve(&graph, options.solver, progress);
        frame.solved(p.leader_person.len(), &assignment, ms, &graph)
    }
}

fn scores_id<'a>(p: &'a Participants<'_>, leader: bool, idx: u32) -> &'a str {
    let map = if leader { &p.leader_of_id } else { &p.mentor_of_id };
    map.iter().find(|(_, v)| **v == idx).map_or("", |(k, _)| k)
}

/// One leader's candidates: `active` goes to the solver; `reserve` holds the
/// next best, sorted by weight (best first); every other allowed pair weighs at
/// most `beyond`.
struct Tiers {
    active: Vec<(u32, i64)>,
    reserve: Vec<(u32, i64)>,
    beyond: Option<i64>,
}

impl Tiers {
    fn split(buf: &mut Vec<(u32, i64)>, k: usize, reserve: usize) -> Tiers {
        let by_weight = |a: &(u32, i64), b: &(u32, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        let keep = k + reserve;
        let beyond = if buf.len() > keep {
            buf.select_nth_unstable_by(keep, by_weight);
            let best = buf[keep].1;
            buf.truncate(keep);
            Some(best)
        } else {
            None
        };
        buf.sort_unstable_by(by_weight);
        let reserve = buf.split_off(k.min(buf.len()));
        Tiers { active: buf.clone(), reserve, beyond }
    }

    /// Could a pair outside `active` beat this leader's budget (prices are >= 0)?
    fn may_violate(&self, budget: i64) -> bool {
        self.reserve.first().is_some_and(|&(_, w)| w > budget) || self.beyond.is_some_and(|w| w > budget)
    }

    /// Moves reserve pairs with positive reduced benefit into `active`; returns how many.
    fn promote_from_reserve(&mut self, budget: i64, price: &[i64]) -> usize {
        let before = self.active.len();
        let mut kept = Vec::with_capacity(self.reserve.len());
        for &(c, w) in &self.reserve {
            // Sorted by weight: once w <= budget no later pair can violate.
            if w > budget && w - price[c as usize] > budget {
                self.active.push((c, w));
            } else {
                kept.push((c, w));
            }
        }
        self.reserve = kept;
        self.active.len() - before
    }

    /// Checks every allowed pair outside both tiers against the prices; `all` is
    /// the leader's full scored row.
    fn promote_from_beyond(&mut self, all: &[(u32, i64)], budget: i64, price: &[i64]) -> usize {
        let mut known: Vec<u32> = self.active.iter().chain(&self.reserve).map(|&(c, _)| c).collect();
        known.sort_unstable();
        let before = self.active.len();
        let mut beyond = None;
        for &(c, w) in all {
            if known.binary_search(&c).is_ok() {
                continue;
            }
            if w - price[c as usize] > budget {
                self.active.push((c, w));
            } else {
                beyond = Some(beyond.map_or(w, |b: i64| b.max(w)));
            }
        }
        self.beyond = beyond;
        self.active.len() - before
    }
}

/// Built-in scoring with top-k pruning and the dual-price proof described above.
pub(crate) fn builtin(
    p: &Participants<'_>,
    features: &Features<'_>,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Solved, f64) {
    let frame = Frame::new(p);
    let scale = choose_scale(features.max_abs_score(), frame.leaders.len());
    let k = options.candidates_per_leader.max(1);
    let total = frame.leaders.len() as u64;
    let done = AtomicU64::new(0);
    let step = (total / 100).max(1);

    let mut tiers: Vec<Tiers> = frame
        .leaders
        .par_iter()
        .map_init(
            || (LeaderTerms::default(), Vec::new()),
            |(terms, buf), &l| {
                score_row(p, features, &frame, l, scale, terms, buf);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) {
                    progress(Progress { stage: Stage::Scoring, done: n, total });
                }
                Tiers::split(buf, k, options.reserve_per_leader)
            },
        )
        .collect();

    let mut solve_ms = 0.0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        let rows: Vec<Vec<(u32, i64)>> = tiers.iter().map(|t| t.active.clone()).collect();
        let graph = CandidateGraph::from_rows(frame.capacity.clone(), rows);
        let any_pruned = tiers.iter().any(|t| !t.reserve.is_empty() || t.beyond.is_some());
        let choice = if any_pruned { SolverChoice::Sparse } else { options.solver };
        let (assignment, ms) = timed_solve(&graph, choice, progress);
        solve_ms += ms;
        let finish = |assignment: &Assignment, graph: &CandidateGraph| {
            let solved = frame.solved(p.leader_person.len(), assignment, solve_ms, graph);
            (Solved { rounds, ..solved }, scale)
        };
        let Some(duals) = assignment.duals.as_ref().filter(|_| any_pruned) else {
            return finish(&assignment, &graph);
        };
        // Pair (r, c) could improve the optimum iff weight - price[c] > budget[r].
        let budget: Vec<i64> = duals.profit.iter().map(|p| p - duals.bonus).collect();
        let suspects: Vec<usize> = (0..tiers.len()).filter(|&r| tiers[r].may_violate(budget[r])).collect();
        progress(Progress { stage: Stage::Verifying, done: 0, total: suspects.len() as u64 });
        let mut added = 0;
        let mut rescan = Vec::new();
        for &r in &suspects {
            added += tiers[r].promote_from_reserve(budget[r], &duals.price);
            if tiers[r].beyond.is_some_and(|w| w > budget[r]) {
                rescan.push(r);
            }
        }
        // Rare: the reserve was not deep enough, so rescore those leaders in full.
        let rescored: Vec<(usize, Vec<(u32, i64)>)> = rescan
            .par_iter()
            .map_init(
                || (LeaderTerms::default(), Vec::new()),
                |(terms, buf), &r| {
                    score_row(p, features, &frame, frame.leaders[r], scale, terms, buf);
                    (r, buf.clone())
                },
            )
            .collect();
        for (r, all) in rescored {
            added += tiers[r].promote_from_beyond(&all, budget[r], &duals.price);
        }
        if added == 0 {
            return finish(&assignment, &graph);
        }
    }
}

/// Every allowed mentor column of one leader with its integer weight.
fn score_row(
    p: &Participants<'_>,
    features: &Features<'_>,
    frame: &Frame,
    leader: u32,
    scale: f64,
    terms: &mut LeaderTerms,
    buf: &mut Vec<(u32, i64)>,
) {
    features.load_leader(leader, terms);
    buf.clear();
    for (col, &m) in frame.mentors.iter().enumerate() {
        if p.allowed(leader, m) {
            let w = to_fixed(features.score(features.components(terms, m)), scale);
            buf.push((col as u32, w));
        }
    }
}
