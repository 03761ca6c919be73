//! From a request to a solved candidate graph, for both kinds of input.
//!
//! Explicit `scores`: those pairs, minus the ones the hard rules exclude.
//!
//! Built-in scoring: every allowed leader x mentor pair is scored, and each
//! leader keeps its best mentors, best first, until their free seats add up to
//! the number of open leaders (its "seat horizon"). Nothing beyond the horizon
//! can matter: in any assignment the other leaders fill fewer seats than that,
//! so a leader placed beyond it could move to a free seat inside it, at no
//! lower weight, without touching anyone else. The horizon therefore holds an
//! optimum, whatever the ties and however alike the leaders' preferences are.
//!
//! Within the horizon, each leader's `k` best go to the solver first and the
//! rest wait in reserve. Pruning is proved harmless with the solver's dual
//! prices: a reserve pair could only improve the optimum if
//! `weight - price[mentor] > profit[leader]`. Prices are never negative, so a
//! leader whose best reserve weight is at most its profit is settled in O(1).
//! If some pair does violate (leaders competing for the same mentors), the
//! problem is solved once more on the whole horizon, which needs no proof: at
//! most two solver rounds, whatever the ties.
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

/// One leader's candidates within its seat horizon: `active` goes to the
/// solver; `reserve` holds the rest, sorted by weight (best first).
struct Tiers {
    active: Vec<(u32, i64)>,
    reserve: Vec<(u32, i64)>,
}

impl Tiers {
    /// `buf` is the leader's allowed `(column, weight)` pairs; `capacity` the
    /// columns' free seats; `seats` the number of open leaders.
    fn split(buf: &mut Vec<(u32, i64)>, k: usize, capacity: &[u32], seats: u64) -> Tiers {
        let by_weight = |a: &(u32, i64), b: &(u32, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        // Every open column has a seat, so the horizon is never longer than `seats`.
        let longest = usize::try_from(seats).unwrap_or(usize::MAX).max(1);
        if buf.len() > longest {
            buf.select_nth_unstable_by(longest - 1, by_weight);
            buf.truncate(longest);
        }
        buf.sort_unstable_by(by_weight);
        let mut filled = 0u64;
        let horizon = buf
            .iter()
            .position(|&(c, _)| {
                filled += u64::from(capacity[c as usize]);
                filled >= seats
            })
            .map_or(buf.len(), |last| last + 1);
        buf.truncate(horizon);
        let reserve = buf.split_off(k.min(buf.len()));
        Tiers { active: buf.clone(), reserve }
    }

    /// Could a pair outside `active` beat this leader's budget (prices are >= 0)?
    fn may_violate(&self, budget: i64) -> bool {
        self.reserve.first().is_some_and(|&(_, w)| w > budget)
    }
}

/// Built-in scoring with the seat horizon, top-k pruning and the dual-price
/// proof described above: at most two solver rounds.
pub(crate) fn builtin(
    p: &Participants<'_>,
    features: &Features<'_>,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Solved, f64) {
    let frame = Frame::new(p);
    let scale = choose_scale(features.max_abs_score(), frame.leaders.len());
    let k = options.candidates_per_leader.max(1);
    let seats = frame.leaders.len() as u64;
    let total = frame.leaders.len() as u64;
    let done = AtomicU64::new(0);
    let step = (total / 100).max(1);

    let tiers: Vec<Tiers> = frame
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
                Tiers::split(buf, k, &frame.capacity, seats)
            },
        )
        .collect();

    // Round 1: each leader's k best. When the duals prove that no reserve pair
    // could help, that is the optimum.
    let rows: Vec<Vec<(u32, i64)>> = tiers.iter().map(|t| t.active.clone()).collect();
    let graph = CandidateGraph::from_rows(frame.capacity.clone(), rows);
    let any_pruned = tiers.iter().any(|t| !t.reserve.is_empty());
    let choice = if any_pruned { SolverChoice::Sparse } else { options.solver };
    let (assignment, mut solve_ms) = timed_solve(&graph, choice, progress);
    let finish = |assignment: &Assignment, graph: &CandidateGraph, solve_ms: f64, rounds: usize| {
        let solved = frame.solved(p.leader_person.len(), assignment, solve_ms, graph);
        (Solved { rounds, ..solved }, scale)
    };
    let Some(duals) = assignment.duals.as_ref().filter(|_| any_pruned) else {
        return finish(&assignment, &graph, solve_ms, 1);
    };
    // Pair (r, c) could improve the optimum iff weight - price[c] > budget[r].
    let suspects = (0..tiers.len())
        .filter(|&r| tiers[r].may_violate(duals.profit[r] - duals.bonus))
        .filter(|&r| tiers[r].reserve.iter().any(|&(c, w)| w - duals.price[c as usize] > duals.profit[r] - duals.bonus))
        .count();
    progress(Progress { stage: Stage::Verifying, done: 0, total: suspects as u64 });
    if suspects == 0 {
        return finish(&assignment, &graph, solve_ms, 1);
    }
    // Round 2: the leaders compete for the same mentors (alike questions and
    // perspectives, ties). Adding violating pairs round after round used to
    // take dozens of re-solves; the whole horizon holds an optimum outright.
    drop(graph);
    let rows: Vec<Vec<(u32, i64)>> = tiers
        .into_iter()
        .map(|t| {
            let mut row = t.active;
            row.extend(t.reserve);
            row
        })
        .collect();
    let graph = CandidateGraph::from_rows(frame.capacity.clone(), rows);
    let (assignment, ms) = timed_solve(&graph, options.solver, progress);
    solve_ms += ms;
    finish(&assignment, &graph, solve_ms, 2)
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

#[cfg(test)]
mod tests {
    //! Built-in scoring on small organisations full of ties (shared questions,
    //! one or two perspectives, equal hire dates) with hard-rule exceptions,
    //! against an exhaustive search.
    use crate::request::{LeaderIn, MatchRequest, MentorIn, PersonIn};
    use crate::{MatchResponse, Options, run_with, score_all_pairs};
    use plab_domain::Date;
    use std::collections::HashMap;

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    const QUESTIONS: [&str; 2] =
        ["How do buyers under 30 use TikTok for product discovery?", "Why do new hires stay silent in meetings?"];
    const PERSPECTIVES: [&str; 2] = ["TikTok for product discovery", "speaking up in meetings"];

    /// A CEO, two VPs with a few leaders each, and juniors spread under them:
    /// some juniors sit in a leader's own chain. Questions and perspectives
    /// come from two texts and hire dates from two days, so scores tie a lot.
    fn tied_org(rng: &mut Rng, max_capacity: u64) -> MatchRequest {
        let date = |d: u64| Date::from_ymd(2015 + d as i32 * 5, 3, 1).expect("date");
        let mut people = vec![PersonIn {
            id: "ceo".into(),
            manager: None,
            department: "Exec".into(),
            hire_date: date(0),
            level: 9,
            perspectives: vec![],
        }];
        let n_leaders = 2 + rng.below(5) as usize;
        let n_mentors = 2 + rng.below(4) as usize;
        let mut leaders = Vec::new();
        for i in 0..n_leaders {
            let id = format!("L{i}");
            people.push(PersonIn {
                id: id.clone(),
                manager: Some(if i < 2 { "ceo".into() } else { format!("L{}", rng.below(2)) }),
                department: ["Sales", "Product"][rng.below(2) as usize].into(),
                hire_date: date(rng.below(2)),
                level: if i < 2 { 8 } else { 5 + rng.below(3) as i32 },
                perspectives: vec![],
            });
            leaders.push(LeaderIn { id, question: QUESTIONS[rng.below(2) as usize].into() });
        }
        let mut mentors = Vec::new();
        for j in 0..n_mentors {
            let id = format!("M{j}");
            let perspectives = match rng.below(3) {
                0 => vec![PERSPECTIVES[0].to_owned()],
                1 => vec![PERSPECTIVES[1].to_owned()],
                _ => PERSPECTIVES.iter().map(|s| (*s).to_owned()).collect(),
            };
            people.push(PersonIn {
                id: id.clone(),
                manager: Some(format!("L{}", rng.below(n_leaders as u64))),
                department: ["Sales", "Product"][rng.below(2) as usize].into(),
                hire_date: date(1 + rng.below(2)),
                level: 1 + rng.below(5) as i32,
                perspectives,
            });
            mentors.push(MentorIn { id, capacity: 1 + rng.below(max_capacity) as i64 });
        }
        let mut req = MatchRequest::new(people, leaders, mentors);
        req.adjacent_departments = vec![("Sales".into(), "Product".into())];
        for _ in 0..rng.below(3) {
            let pair = (format!("L{}", rng.below(n_leaders as u64)), format!("M{}", rng.below(n_mentors as u64)));
            if !req.forbidden.contains(&pair) {
                req.forbidden.push(pair);
            }
        }
        req
    }

    /// The hard rules, decided independently: junior, outside the chain, not forbidden.
    fn allowed(req: &MatchRequest, leader: &str, mentor: &str) -> bool {
        let person = |id: &str| req.people.iter().find(|p| p.id == id).expect("known person");
        let above = |high: &str, low: &str| {
            let mut cur = person(low).manager.clone();
            while let Some(m) = cur {
                if m == high {
                    return true;
                }
                cur = person(&m).manager.clone();
            }
            false
        };
        person(mentor).level < person(leader).level
            && !above(leader, mentor)
            && !above(mentor, leader)
            && !req.forbidden.contains(&(leader.to_owned(), mentor.to_owned()))
    }

    /// Exhaustive search: the most leaders matched, then the highest total (in 10^-6 units).
    fn brute_force(req: &MatchRequest) -> (usize, i64) {
        let scores: HashMap<(String, String), i64> = score_all_pairs(req)
            .expect("scores")
            .into_iter()
            .map(|(l, m, s)| ((l, m), (s * 1e6).round() as i64))
            .collect();
        let options: Vec<Vec<(usize, i64)>> = req
            .leaders
            .iter()
            .map(|l| {
                req.mentors
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| allowed(req, &l.id, &m.id))
                    .map(|(j, m)| (j, scores[&(l.id.clone(), m.id.clone())]))
                    .collect()
            })
            .collect();
        fn search(options: &[Vec<(usize, i64)>], seats: &mut [i64], at: usize) -> (usize, i64) {
            let Some(row) = options.get(at) else { return (0, 0) };
            let mut best = search(options, seats, at + 1);
            for &(j, w) in row {
                if seats[j] > 0 {
                    seats[j] -= 1;
                    let (count, total) = search(options, seats, at + 1);
                    seats[j] += 1;
                    best = best.max((count + 1, total + w));
                }
            }
            best
        }
        let mut seats: Vec<i64> = req.mentors.iter().map(|m| m.capacity).collect();
        search(&options, &mut seats, 0)
    }

    fn check(req: &MatchRequest, resp: &MatchResponse) {
        let mut load: HashMap<&str, i64> = HashMap::new();
        for pair in &resp.pairs {
            assert!(allowed(req, &pair.leader, &pair.mentor), "{pair:?} breaks a hard rule in {req:?}");
            *load.entry(pair.mentor.as_str()).or_default() += 1;
        }
        for m in &req.mentors {
            assert!(load.get(m.id.as_str()).copied().unwrap_or(0) <= m.capacity, "{} over capacity", m.id);
        }
        let (count, total) = brute_force(req);
        assert_eq!(resp.pairs.len(), count, "not the most leaders matched: {resp:?}\n{req:?}");
        let got: i64 = resp.pairs.iter().map(|p| (p.score * 1e6).round() as i64).sum();
        assert_eq!(got, total, "not the best total: {resp:?}\n{req:?}");
    }

    #[test]
    fn tied_organisations_with_rule_exceptions_reach_the_brute_force_optimum() {
        let mut rng = Rng(13);
        for case in 0..400 {
            let req = tied_org(&mut rng, 1 + case % 3);
            for k in [1, 2, 48] {
                let options = Options { candidates_per_leader: k, ..Options::default() };
                let resp = run_with(&req, &options, &|_| {}).expect("valid request");
                check(&req, &resp);
            }
        }
    }

    #[test]
    fn leaders_who_all_want_the_same_mentors_get_the_optimum_within_their_seat_horizon() {
        // One question for every leader and one perspective for every mentor:
        // leaders rank the mentors alike (up to tenure, department and level),
        // the contention that used to need round after round of re-solving.
        let mut rng = Rng(7);
        for _ in 0..50 {
            let mut req = tied_org(&mut rng, 1);
            for l in &mut req.leaders {
                l.question = QUESTIONS[0].into();
            }
            for p in req.people.iter_mut().filter(|p| p.id.starts_with('M')) {
                p.perspectives = vec![PERSPECTIVES[0].into()];
            }
            let resp = run_with(&req, &Options { candidates_per_leader: 1, ..Options::default() }, &|_| {})
                .expect("valid request");
            check(&req, &resp);
        }
    }

    #[test]
    fn the_same_tied_input_gives_the_same_pairs() {
        let mut rng = Rng(99);
        for _ in 0..50 {
            let req = tied_org(&mut rng, 2);
            let first = run_with(&req, &Options::default(), &|_| {}).expect("valid request");
            let second = run_with(&req, &Options::default(), &|_| {}).expect("valid request");
            let pairs = |r: &MatchResponse| -> Vec<(String, String)> {
                r.pairs.iter().map(|p| (p.leader.clone(), p.mentor.clone())).collect()
            };
            assert_eq!(pairs(&first), pairs(&second));
        }
    }
}
