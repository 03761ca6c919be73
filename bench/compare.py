"""Prints ours vs the peer for each case from bench-data/ours-*.json and
bench-data/peer-*.json; exits 1 when an optimum differs or the 100,000-person
organisation misses its 10 s end-to-end target."""
import json
import sys
from pathlib import Path

data = Path("bench-data")
cases = sys.argv[1:] or ["dense", "sparse", "oversubscribed", "org"]
failed = False
print(f"{'case':<15} {'ours solve ms':>14} {'peer solve ms':>14} {'ours/peer':>10}  optimum")
for case in cases:
    ours = json.loads((data / f"ours-{case}.json").read_text())
    if case == "org":
        print(
            f"{'org':<15} end to end {ours['end_to_end_ms']:.0f} ms (target 10000): read+parse "
            f"{ours['read_parse_ms']:.0f}, setup {ours['setup_ms']:.0f}, scoring {ours['scoring_ms']:.0f}, "
            f"solve {ours['solve_ms']:.0f}, explain {ours['explain_ms']:.0f}; matched {ours['matched']} of "
            f"{ours['leaders']}, {ours['solver_rounds']} solver rounds"
        )
        if ours["end_to_end_ms"] > 10_000:
            print(f"{'':<15} MISSED the 10 s target")
            failed = True
        continue
    peer = json.loads((data / f"peer-{case}.json").read_text())
    same = ours["matched"] == peer["matched"] and abs(ours["total"] - peer["total"]) <= 1e-6 * max(1.0, abs(peer["total"]))
    failed |= not same
    ratio = ours["solve_ms_median"] / peer["solve_ms_median"]
    verdict = f"same ({ours['matched']} matched, {ours['total']:.3f})" if same else (
        f"DIFFERENT: ours {ours['matched']} / {ours['total']}, peer {peer['matched']} / {peer['total']}"
    )
    print(f"{case:<15} {ours['solve_ms_median']:>14.1f} {peer['solve_ms_median']:>14.1f} {ratio:>10.2f}  {verdict}")
    if "graph_bytes_per_pair" in ours:
        print(
            f"{'':<15} memory: candidate graph {ours['graph_bytes_per_pair']:.1f} B/pair, engine peak "
            f"{ours['peak_extra_bytes_per_pair']:.1f} B/pair over the request; peak RSS ours "
            f"{ours['peak_rss_bytes'] / 2**20:.0f} MiB, peer {peer['peak_rss_bytes'] / 2**20:.0f} MiB"
        )
sys.exit(1 if failed else 0)
