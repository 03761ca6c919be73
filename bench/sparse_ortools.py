"""Case 2 peer: OR-Tools SimpleMinCostFlow on the same candidate pairs.

Network: source -> leader (capacity 1), leader -> mentor (capacity 1, cost
-score in thousandths), mentor -> sink (the mentor's capacity). The objective
"as many leaders as possible, then the highest total score" is exactly
solve_max_flow_with_min_cost(): the maximum flow, and among maximum flows the
minimum cost. Building the network and solving are timed separately; the
comparison uses the solve time."""
import time
from pathlib import Path

import numpy as np
import ortools
from ortools.graph.python import min_cost_flow

from common import FAMILIES, arguments, report

args = arguments(__doc__, cases=["sparse", "oversubscribed", *FAMILIES])
data = Path(args.data)
family = args.case in FAMILIES
capacity = np.load(data / f"{args.case}_capacity.npy").astype(np.int64)
if family:
    weights = np.load(data / f"{args.case}_weights.npy")
    leader, mentor = np.nonzero(weights != np.iinfo(np.int64).min)
    milli = weights[leader, mentor]  # already integers (10^-6 units)
    n_leaders = weights.shape[0]
    del weights
else:
    leader = np.load(data / f"{args.case}_leader.npy").astype(np.int64)
    mentor = np.load(data / f"{args.case}_mentor.npy").astype(np.int64)
    milli = np.load(data / f"{args.case}_milli.npy").astype(np.int64)
    n_leaders = int(leader.max()) + 1
n_mentors = len(capacity)
source, sink = 0, 1 + n_leaders + n_mentors
first_leader, first_mentor = 1, 1 + n_leaders

build_times, solve_times = [], []
for _ in range(args.runs):
    start = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n_leaders, source), first_leader + leader, first_mentor + np.arange(n_mentors)])
    heads = np.concatenate([first_leader + np.arange(n_leaders), first_mentor + mentor, np.full(n_mentors, sink)])
    capacities = np.concatenate([np.ones(n_leaders, np.int64), np.ones(len(leader), np.int64), capacity])
    costs = np.concatenate([np.zeros(n_leaders, np.int64), -milli, np.zeros(n_mentors, np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(source, n_leaders)
    flow.set_node_supply(sink, -n_leaders)
    built = time.perf_counter()
    status = flow.solve_max_flow_with_min_cost()
    done = time.perf_counter()
    if status != flow.OPTIMAL:
        raise SystemExit(f"OR-Tools did not solve the instance: {status}")
    build_times.append((built - start) * 1e3)
    solve_times.append((done - built) * 1e3)
report(
    args.data,
    args.case,
    f"OR-Tools {ortools.__version__} SimpleMinCostFlow.solve_max_flow_with_min_cost",
    solve_times,
    {
        "build_ms_median": sorted(build_times)[len(build_times) // 2],
        "matched": int(flow.maximum_flow()),
        "total": -flow.optimal_cost() / (1e6 if family else 1000.0),
    },
    peer="ortools" if family else None,
)
