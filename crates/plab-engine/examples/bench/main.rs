//! Benchmarks of the pairing engine (method and results: docs/benchmarks.md).
//!
//! ```text
//! cargo run --release -p plab-engine --example bench -- <dense|sparse|oversubscribed|org|all> [--runs N] [--data DIR]
//! cargo run --release -p plab-engine --example bench -- <org-distinct|org-shared6|org-one|org-vocab|org-cap3|org-forbid|families> [--runs N] [--data DIR] [--no-peer-data]
//! ```
//! The `org-*` families (issue 13) write `DIR/<family>.json` (a `plab match
//! --input` file) and, unless `--no-peer-data`, the full allowed score matrix
//! as integer weights for the peers (`<family>_weights.npy`, disallowed pairs
//! `i64::MIN`, and `<family>_capacity.npy`).
//! Each case generates its instance deterministically, writes it to DIR
//! (default `bench-data/`) for the Python peers in `bench/`, runs the engine
//! N times (default 3) and prints one JSON line per case on stdout (also saved
//! as `DIR/ours-<case>.json`); details go to stderr.
mod instances;
mod npy;

use plab_engine::{MatchRequest, MatchResponse, Options, RunStats, run_with_stats};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut case = "all".to_owned();
    let mut runs = 3usize;
    let mut data = PathBuf::from("bench-data");
    let mut peer_data = true;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                i += 1;
                runs = args.get(i).and_then(|s| s.parse().ok()).unwrap_or_else(|| usage());
            }
            "--data" => {
                i += 1;
                data = PathBuf::from(args.get(i).unwrap_or_else(|| usage()));
            }
            "--no-peer-data" => peer_data = false,
            "dense" | "sparse" | "oversubscribed" | "org" | "all" | "families" => case = args[i].clone(),
            name if instances::family(name).is_some() => case = name.to_owned(),
            _ => usage(),
        }
        i += 1;
    }
    std::fs::create_dir_all(&data).unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", data.display())));
    eprintln!(
        "machine: {} cores (rayon uses {} threads)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rayon::current_num_threads()
    );
    let cases: Vec<&str> = match case.as_str() {
        "all" => vec!["dense", "sparse", "oversubscribed", "org"],
        "families" => instances::FAMILIES.to_vec(),
        one => vec![one],
    };
    for case in cases {
        let result = match case {
            "dense" => dense(&data, runs),
            "sparse" => sparse(&data, runs, "sparse", 10_000, 100_000),
            "oversubscribed" => sparse(&data, runs, "oversubscribed", 10_000, 5_000),
            "org" => org(&data, runs),
            family => org_family(&data, runs, family, peer_data),
        };
        let line = result.to_string();
        println!("{line}");
        let path = data.join(format!("ours-{case}.json"));
        std::fs::write(&path, line + "\n").unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
    }
}

fn usage() -> ! {
    fail(
        "usage: bench <dense|sparse|oversubscribed|org|all|families|org-distinct|org-shared6|org-one|org-vocab|org-cap3|org-forbid> \
         [--runs N] [--data DIR] [--no-peer-data]",
    )
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

/// (current, peak) resident set size in bytes, from /proc/self/status.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak RSS to the current RSS (Linux: clear_refs 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

struct Runs {
    last: MatchResponse,
    stats: Vec<RunStats>,
    wall_ms: Vec<f64>,
    peak_extra_bytes: u64,
}

fn repeat(req: &MatchRequest, runs: usize) -> Runs {
    let mut stats = Vec::new();
    let mut wall_ms = Vec::new();
    let mut last = None;
    let mut peak_extra_bytes = 0;
    for r in 0..runs.max(1) {
        drop(last.take());
        let (before, _) = rss();
        reset_peak();
        let start = Instant::now();
        let (resp, s) = run_with_stats(req, &Options::default(), &|_| {}).unwrap_or_else(|e| fail(&e.to_string()));
        wall_ms.push(start.elapsed().as_secs_f64() * 1e3);
        let (_, peak) = rss();
        peak_extra_bytes = peak_extra_bytes.max(peak.saturating_sub(before));
        eprintln!(
            "  run {}: solve {:.1} ms, candidates {:.1} ms, setup {:.1} ms, explain {:.1} ms, matched {}, total {:.3}",
            r + 1,
            s.solve_ms,
            s.candidates_ms,
            s.setup_ms,
            s.explain_ms,
            resp.pairs.len(),
            resp.total_score
        );
        stats.push(s);
        last = Some(resp);
    }
    Runs { last: last.unwrap_or_else(|| fail("no run")), stats, wall_ms, peak_extra_bytes }
}

fn summary(case: &str, runs: &Runs) -> Value {
    let solve: Vec<f64> = runs.stats.iter().map(|s| s.solve_ms).collect();
    let s = runs.stats[runs.stats.len() - 1];
    json!({
        "case": case,
        "solver": "plab-engine",
        "solve_ms_min": solve.iter().copied().fold(f64::INFINITY, f64::min),
        "solve_ms_median": median(solve.clone()),
        "run_ms_median": median(runs.wall_ms.clone()),
        "setup_ms": s.setup_ms,
        "candidates_ms": s.candidates_ms,
        "explain_ms": s.explain_ms,
        "matched": runs.last.pairs.len(),
        "total": runs.last.total_score,
        "candidate_pairs": s.candidate_pairs,
        "candidate_graph_bytes": s.candidate_graph_bytes,
        "solver_rounds": s.solver_rounds,
        "peak_extra_rss_bytes": runs.peak_extra_bytes,
        "peak_rss_bytes": rss().1,
    })
}

fn dense(data: &Path, runs: usize) -> Value {
    let n = 2_000;
    eprintln!("dense: {n} x {n} explicit scores");
    let d = instances::dense(n, 1);
    let scores: Vec<f64> = d.milli.iter().map(|&m| m as f64 / 1000.0).collect();
    write_npy(&data.join("dense_scores.npy"), &[n, n], &scores);
    drop(scores);
    let req = instances::dense_request(&d);
    summary("dense", &repeat(&req, runs))
}

/// Case 2 (`sparse`), and a variant with fewer seats than leaders (`oversubscribed`).
fn sparse(data: &Path, runs: usize, name: &str, leaders: usize, mentors: usize) -> Value {
    let per_leader = 50;
    eprintln!("{name}: {leaders} leaders x {mentors} mentors, {per_leader} candidates each");
    let s = instances::sparse(leaders, mentors, per_leader, 2);
    write_npy(&data.join(format!("{name}_leader.npy")), &[s.leader.len()], &s.leader);
    write_npy(&data.join(format!("{name}_mentor.npy")), &[s.mentor.len()], &s.mentor);
    write_npy(&data.join(format!("{name}_milli.npy")), &[s.milli.len()], &s.milli);
    write_npy(&data.join(format!("{name}_capacity.npy")), &[s.capacity.len()], &s.capacity);
    let req = instances::sparse_request(&s);
    let runs = repeat(&req, runs);
    let mut out = summary(name, &runs);
    let pairs = s.leader.len() as f64;
    out["input_pairs"] = json!(s.leader.len());
    out["graph_bytes_per_pair"] = json!(runs.stats[0].candidate_graph_bytes as f64 / pairs);
    out["peak_extra_bytes_per_pair"] = json!(runs.peak_extra_bytes as f64 / pairs);
    out
}

fn org(data: &Path, runs: usize) -> Value {
    eprintln!("org: built-in scoring on a 100,000-person organisation");
    let generated = instances::org(3);
    run_org(data.join("org100k.json"), generated, runs, "org")
}

/// One issue 13 family: the request file, the peers' matrix, and our runs.
fn org_family(data: &Path, runs: usize, name: &str, peer_data: bool) -> Value {
    let spec = instances::family(name).unwrap_or_else(|| usage());
    eprintln!("{name}: built-in scoring on a 100,000-person organisation");
    let generated = instances::org_with(&spec, 13);
    if peer_data {
        let started = Instant::now();
        write_weights(data, name, &generated.request);
        eprintln!("  peer matrix written in {:.1} s", started.elapsed().as_secs_f64());
    }
    run_org(data.join(format!("{name}.json")), generated, runs, name)
}

/// The allowed leader x mentor integer weights (`round(score * 10^6)`, as the
/// engine rounds them), `i64::MIN` where a hard rule or `forbidden` excludes the
/// pair, row-major in request order; and the mentors' capacities.
fn write_weights(data: &Path, name: &str, req: &MatchRequest) {
    let (n_leaders, n_mentors) = (req.leaders.len(), req.mentors.len());
    let rules = instances::HardRules::new(&req.people);
    let leader_person: Vec<usize> = req.leaders.iter().map(|l| instances::person_index(&l.id)).collect();
    let mentor_person: Vec<usize> = req.mentors.iter().map(|m| instances::person_index(&m.id)).collect();
    let mentor_col: std::collections::HashMap<&str, usize> =
        req.mentors.iter().enumerate().map(|(c, m)| (m.id.as_str(), c)).collect();
    let mut forbidden: Vec<Vec<usize>> = vec![Vec::new(); n_leaders];
    let leader_row: std::collections::HashMap<&str, usize> =
        req.leaders.iter().enumerate().map(|(r, l)| (l.id.as_str(), r)).collect();
    for (l, m) in &req.forbidden {
        forbidden[leader_row[l.as_str()]].push(mentor_col[m.as_str()]);
    }
    let mut weights = vec![i64::MIN; n_leaders * n_mentors];
    // Scores depend on the leader and the whole mentor pool only, so chunks of
    // leaders score exactly as the full request does.
    for (chunk_index, chunk) in req.leaders.chunks(250).enumerate() {
        let mut part = req.clone();
        part.leaders = chunk.to_vec();
        part.forbidden.clear();
        let scores = plab_engine::score_all_pairs(&part).unwrap_or_else(|e| fail(&e.to_string()));
        for (k, (_, _, score)) in scores.into_iter().enumerate() {
            let (r, c) = (chunk_index * 250 + k / n_mentors, k % n_mentors);
            if rules.allowed(leader_person[r], mentor_person[c]) {
                weights[r * n_mentors + c] = (score * 1e6).round() as i64;
            }
        }
    }
    for (r, cols) in forbidden.iter().enumerate() {
        for &c in cols {
            weights[r * n_mentors + c] = i64::MIN;
        }
    }
    write_npy(&data.join(format!("{name}_weights.npy")), &[n_leaders, n_mentors], &weights);
    let capacity: Vec<i64> = req.mentors.iter().map(|m| m.capacity).collect();
    write_npy(&data.join(format!("{name}_capacity.npy")), &[n_mentors], &capacity);
}

fn run_org(path: PathBuf, generated: instances::Org, runs: usize, case: &str) -> Value {
    let file = std::fs::File::create(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    serde_json::to_writer(std::io::BufWriter::new(file), &generated.request).unwrap_or_else(|e| fail(&e.to_string()));
    eprintln!(
        "  {} people, {} leaders, {} mentors -> {}",
        generated.request.people.len(),
        generated.request.leaders.len(),
        generated.request.mentors.len(),
        path.display()
    );
    drop(generated);

    let mut results = Vec::new();
    let mut peak = 0;
    for r in 0..runs.max(1) {
        // Peak RSS of read + parse + pairing + serialising, what `plab match --input` does.
        reset_peak();
        let start = Instant::now();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&e.to_string()));
        let req: MatchRequest = serde_json::from_str(&text).unwrap_or_else(|e| fail(&e.to_string()));
        drop(text);
        let parse_ms = start.elapsed().as_secs_f64() * 1e3;
        let (resp, s) = run_with_stats(&req, &options(), &|_| {}).unwrap_or_else(|e| fail(&e.to_string()));
        let serialize = Instant::now();
        let out = serde_json::to_string(&resp).unwrap_or_else(|e| fail(&e.to_string()));
        let serialize_ms = serialize.elapsed().as_secs_f64() * 1e3;
        let total_ms = start.elapsed().as_secs_f64() * 1e3;
        peak = peak.max(rss().1);
        let kinds = |k: &str| resp.pairs.iter().filter(|p| p.kind.as_str() == k).count();
        eprintln!(
            "  run {}: end to end {:.0} ms = read+parse {:.0} + setup {:.0} + scoring {:.0} + solve {:.0} + explain {:.0} + serialize {:.0}; matched {} of {}, total {:.3}, {} solver rounds, {} candidate pairs",
            r + 1,
            total_ms,
            parse_ms,
            s.setup_ms,
            s.candidates_ms,
            s.solve_ms,
            s.explain_ms,
            serialize_ms,
            resp.pairs.len(),
            req.leaders.len(),
            resp.total_score,
            s.solver_rounds,
            s.candidate_pairs
        );
        results.push(json!({
            "end_to_end_ms": total_ms,
            "read_parse_ms": parse_ms,
            "setup_ms": s.setup_ms,
            "scoring_ms": s.candidates_ms,
            "solve_ms": s.solve_ms,
            "explain_ms": s.explain_ms,
            "serialize_ms": serialize_ms,
            "matched": resp.pairs.len(),
            "leaders": req.leaders.len(),
            "mentors": req.mentors.len(),
            "total": resp.total_score,
            "solver_rounds": s.solver_rounds,
            "candidate_pairs": s.candidate_pairs,
            "kinds": {"topic": kinds("topic"), "tension": kinds("tension"), "strategic": kinds("strategic")},
            "output_bytes": out.len(),
        }));
    }
    let e2e: Vec<f64> = results.iter().filter_map(|r| r["end_to_end_ms"].as_f64()).collect();
    let median_ms = median(e2e);
    let mut chosen = results
        .into_iter()
        .min_by(|a, b| {
            let d = |r: &Value| (r["end_to_end_ms"].as_f64().unwrap_or(0.0) - median_ms).abs();
            d(a).total_cmp(&d(b))
        })
        .unwrap_or_default();
    chosen["case"] = json!(case);
    chosen["solver"] = json!("plab-engine");
    chosen["peak_rss_bytes"] = json!(peak);
    chosen
}

/// The engine's defaults; `PLAB_BENCH_CANDIDATES=K` overrides `candidates_per_leader` (experiments).
fn options() -> Options {
    let k = std::env::var("PLAB_BENCH_CANDIDATES").ok().and_then(|k| k.parse().ok());
    k.map_or_else(Options::default, |k| Options { candidates_per_leader: k, ..Options::default() })
}

fn write_npy<T: npy::Element>(path: &Path, shape: &[usize], data: &[T]) {
    npy::write(path, shape, data).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}
