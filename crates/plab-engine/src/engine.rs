//! One pairing run, from request to response.
use crate::candidates::{self, ExplicitScores};
use crate::error::{MatchError, PinProblem};
use crate::org::Org;
use crate::request::MatchRequest;
use crate::response::{MatchResponse, Progress, ProposedPair};
use crate::rules::Participants;
use crate::scoring::{Features, to_fixed};
use crate::{Options, RunStats};
use std::time::Instant;

const MAX_ABS_WEIGHT: f64 = 1e6;

pub(crate) fn run(
    req: &MatchRequest,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(MatchResponse, RunStats), MatchError> {
    let clock = Instant::now();
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1e3;
    check_weights(req)?;
    let org = Org::build(&req.people)?;
    let p = Participants::build(req, &org)?;
    let mut stats = RunStats::default();
    match &req.scores {
        Some(scores) => {
            stats.setup_ms = ms(clock);
            let clock = Instant::now();
            let scores = ExplicitScores::parse(scores, &org, &p)?;
            let mut chosen = vec![None; p.leader_person.len()];
            for (l, pin) in p.pinned.iter().enumerate() {
                if let Some(m) = *pin {
                    let score = scores.get(l as u32, m).ok_or_else(|| MatchError::InfeasiblePin {
                        leader: req.leaders[l].id.clone(),
                        mentor: req.mentors[m as usize].id.clone(),
                        problem: PinProblem::NotAScoredCandidate,
                    })?;
                    chosen[l] = Some((m, score));
                }
            }
            let solved = scores.solve(&p, options, progress);
            stats.candidates_ms = ms(clock) - solved.solve_ms;
            stats.note(&solved);
            let clock = Instant::now();
            for (l, m) in solved.mentor_of.iter().enumerate() {
                if let Some(m) = *m {
                    chosen[l] = scores.get(l as u32, m).map(|s| (m, s));
                }
            }
            let (leaders, mentors) = matched_sets(&chosen);
            let features = Features::build(req, &p, &leaders, &mentors);
            let response = respond(req, &p, &features, &chosen, solved.solve_ms, true);
            stats.explain_ms = ms(clock);
            Ok((response, stats))
        }
        None => {
            let all_leaders: Vec<u32> = (0..p.leader_person.len() as u32).collect();
            let all_mentors: Vec<u32> = (0..p.mentor_person.len() as u32).collect();
            let features = Features::build(req, &p, &all_leaders, &all_mentors);
            stats.setup_ms = ms(clock);
            let clock = Instant::now();
            let (solved, scale) = candidates::builtin(&p, &features, options, progress);
            stats.candidates_ms = ms(clock) - solved.solve_ms;
            stats.note(&solved);
            let clock = Instant::now();
            let rounded = |score: f64| to_fixed(score, scale) as f64 / scale;
            let chosen: Vec<Option<(u32, f64)>> = (0..p.leader_person.len())
                .map(|l| {
                    let m = p.pinned[l].or(solved.mentor_of[l])?;
                    let score = features.score(features.pair_components(l as u32, m));
                    Some((m, rounded(score)))
                })
                .collect();
            let response = respond(req, &p, &features, &chosen, solved.solve_ms, false);
            stats.explain_ms = ms(clock);
            Ok((response, stats))
        }
    }
}

impl RunStats {
    fn note(&mut self, solved: &candidates::Solved) {
        self.solve_ms = solved.solve_ms;
        self.candidate_pairs = solved.graph_pairs;
        self.candidate_graph_bytes = solved.graph_bytes;
        self.solver_rounds = solved.rounds;
    }
}

pub(crate) fn score_all_pairs(req: &MatchRequest) -> Result<Vec<(String, String, f64)>, MatchError> {
    check_weights(req)?;
    let org = Org::build(&req.people)?;
    let p = Participants::build(req, &org)?;
    let all_leaders: Vec<u32> = (0..p.leader_person.len() as u32).collect();
    let all_mentors: Vec<u32> = (0..p.mentor_person.len() as u32).collect();
    let features = Features::build(req, &p, &all_leaders, &all_mentors);
    let mut out = Vec::with_capacity(all_leaders.len() * all_mentors.len());
    for &l in &all_leaders {
        for &m in &all_mentors {
            let score = features.score(features.pair_components(l, m));
            out.push((req.leaders[l as usize].id.clone(), req.mentors[m as usize].id.clone(), score));
        }
    }
    Ok(out)
}

fn check_weights(req: &MatchRequest) -> Result<(), MatchError> {
    let w = &req.weights;
    for (field, value) in [("topic", w.topic), ("tension", w.tension), ("strategic", w.strategic)] {
        if !value.is_finite() || value.abs() > MAX_ABS_WEIGHT {
            return Err(MatchError::BadWeight { field, value });
        }
    }
    Ok(())
}

fn matched_sets(chosen: &[Option<(u32, f64)>]) -> (Vec<u32>, Vec<u32>) {
    let leaders = (0..chosen.len() as u32).filter(|&l| chosen[l as usize].is_some()).collect();
    let mut mentors: Vec<u32> = chosen.iter().flatten().map(|&(m, _)| m).collect();
    mentors.sort_unstable();
    mentors.dedup();
    (leaders, mentors)
}

fn respond(
    req: &MatchRequest,
    p: &Participants<'_>,
    features: &Features<'_>,
    chosen: &[Option<(u32, f64)>],
    solve_ms: f64,
    given_scores: bool,
) -> MatchResponse {
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    let mut unmatched_reasons = Vec::new();
    for (l, choice) in chosen.iter().enumerate() {
        let Some((m, score)) = *choice else {
            unmatched.push(req.leaders[l].id.clone());
            unmatched_reasons.push(p.why_unmatched(l as u32));
            continue;
        };
        let (kind, mut reasons) = features.explain(p, l as u32, m);
        if given_scores {
            reasons.insert(0, "score given in input".to_owned());
        }
        pairs.push(ProposedPair {
            leader: req.leaders[l].id.clone(),
            mentor: req.mentors[m as usize].id.clone(),
            score,
            kind,
            reasons,
        });
    }
    let total_score = pairs.iter().map(|pair| pair.score).sum();
    MatchResponse { pairs, unmatched, unmatched_reasons, total_score, solve_ms }
}
