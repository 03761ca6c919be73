//! Perspective Lab's strategic pairing engine (docs/product.md step 3,
//! docs/interfaces.md `plab match`): a plain library with no I/O.
//!
//! [`run`] takes a [`MatchRequest`], applies the hard rules (never in the
//! reporting chain, mentor strictly junior, capacities, forbidden, previous
//! and opted-out pairs never, pins always), scores candidate pairs (built in,
//! or the request's explicit `scores`) and returns the exact lexicographic
//! optimum: as many leaders matched as possible, then the highest total score.
//!
//! Scores are compared as integers, `round(score * 10^6)`, so two assignments
//! whose totals differ by less than about `leaders * 10^-6` may be considered
//! equal. With very large explicit scores (|score| * leaders above ~5 * 10^8)
//! the scale drops by powers of ten to keep the arithmetic exact in i64; the
//! tolerance is then relative, about 10^-6 of the largest score.
#![forbid(unsafe_code)]

mod candidates;
mod engine;
pub mod error;
mod org;
pub mod request;
pub mod response;
mod rules;
mod scoring;
pub mod solver;

pub use error::{MatchError, PinProblem};
pub use request::{LeaderIn, MatchRequest, MentorIn, PersonIn};
pub use response::{MatchResponse, PairKind, Progress, ProposedPair, Stage};
pub use solver::SolverChoice;

/// Tuning knobs; the defaults are what the CLI and the database layer use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// With built-in scoring, each leader first keeps this many best candidates;
    /// the dual-price check then adds back any pruned pair that could matter,
    /// so the result is optimal whatever this is (it only changes speed).
    pub candidates_per_leader: usize,
    /// How many further candidates per leader are kept aside, so the proof can
    /// usually add pairs back without rescoring the leader against everyone.
    pub reserve_per_leader: usize,
    pub solver: SolverChoice,
}

impl Default for Options {
    fn default() -> Self {
        Options { candidates_per_leader: 48, reserve_per_leader: 480, solver: SolverChoice::Auto }
    }
}

/// Pairs leaders with mentors. See the crate documentation for the guarantees.
pub fn run(req: &MatchRequest) -> Result<MatchResponse, MatchError> {
    run_with(req, &Options::default(), &|_| {})
}

/// Like [`run`], reporting progress of long runs (called from worker threads).
pub fn run_with_progress(
    req: &MatchRequest,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<MatchResponse, MatchError> {
    run_with(req, &Options::default(), progress)
}

/// Like [`run_with_progress`], with explicit [`Options`].
pub fn run_with(
    req: &MatchRequest,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<MatchResponse, MatchError> {
    engine::run(req, options, progress).map(|(response, _)| response)
}

/// Like [`run_with`], also returning where the time and memory went (benchmarks).
pub fn run_with_stats(
    req: &MatchRequest,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(MatchResponse, RunStats), MatchError> {
    engine::run(req, options, progress)
}

/// The built-in score of every leader x mentor pair, hard rules aside, as
/// `(leader, mentor, score)` in request order. Quadratic: meant for audits,
/// tests and small programs, not for a 100,000-person organisation.
pub fn score_all_pairs(req: &MatchRequest) -> Result<Vec<(String, String, f64)>, MatchError> {
    engine::score_all_pairs(req)
}

/// Where a run spent its time, and the size of the candidate graph it solved.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RunStats {
    /// Org chart, hard rules, pins and per-person text features.
    pub setup_ms: f64,
    /// Candidate generation: resolving explicit scores, or built-in scoring,
    /// pruning and the optimality proof's rescoring (solver time excluded).
    pub candidates_ms: f64,
    /// The assignment solver, all rounds (the response's `solve_ms`).
    pub solve_ms: f64,
    /// Kinds and reasons of the final pairs.
    pub explain_ms: f64,
    /// Pairs in the final candidate graph and the bytes its arrays hold.
    pub candidate_pairs: usize,
    pub candidate_graph_bytes: usize,
    /// Solver runs (more than one when pruned pairs had to be added back).
    pub solver_rounds: usize,
}
