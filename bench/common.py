"""Shared helpers for the reference benchmarks: arguments, timing, output."""
import argparse
import json
import resource
import statistics
from pathlib import Path

# The issue 13 organisation families (crates/plab-engine/examples/bench/instances.rs).
FAMILIES = ["org-distinct", "org-shared6", "org-one", "org-vocab", "org-cap3", "org-forbid"]


def arguments(description, cases=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", default="bench-data", help="instance folder written by the Rust bench")
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions (median and min reported)")
    if cases:
        parser.add_argument("--case", choices=cases, default=cases[0])
    return parser.parse_args()


def peak_rss_bytes():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def report(data, case, solver, solve_ms, extra, peer=None):
    result = {
        "case": case,
        "solver": solver,
        "solve_ms_min": min(solve_ms),
        "solve_ms_median": statistics.median(solve_ms),
        "peak_rss_bytes": peak_rss_bytes(),
        **extra,
    }
    line = json.dumps(result, sort_keys=True)
    print(line)
    # Cases 1-2 have one peer each (peer-CASE.json); the families have two.
    name = f"peer-{case}.json" if peer is None else f"{peer}-{case}.json"
    (Path(data) / name).write_text(line + "\n")
