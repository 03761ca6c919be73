"""scipy.optimize.linear_sum_assignment(maximize=True) on the full score matrix.

Case 1 (`--case dense`): the 2,000 x 2,000 explicit scores. Organisation
families (`--case org-...`): the full allowed leader x mentor matrix the Rust
bench wrote as integer weights (disallowed pairs i64::MIN), with each mentor's
column repeated once per seat; a disallowed cell costs more than any weight
difference, so maximising gives the most leaders matched, then the highest
total. Only the solver call is timed."""
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from common import FAMILIES, arguments, report

args = arguments(__doc__, cases=["dense", *FAMILIES])
data = Path(args.data)
if args.case == "dense":
    scores = np.load(data / "dense_scores.npy")
    allowed = None
else:
    weights = np.load(data / f"{args.case}_weights.npy")
    capacity = np.load(data / f"{args.case}_capacity.npy")
    weights = np.repeat(weights, capacity, axis=1)
    allowed = weights != np.iinfo(np.int64).min
    big = (2 * weights.shape[0] + 1) * int(np.abs(weights[allowed]).max()) + 1
    scores = np.where(allowed, weights, -big).astype(np.float64)
    del weights
times = []
for _ in range(args.runs):
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(scores, maximize=True)
    times.append((time.perf_counter() - start) * 1e3)
if allowed is None:
    matched, total = int(len(rows)), float(scores[rows, cols].sum())
else:
    real = allowed[rows, cols]
    matched, total = int(real.sum()), float(scores[rows[real], cols[real]].sum()) / 1e6
report(
    args.data,
    args.case,
    f"scipy {__import__('scipy').__version__} linear_sum_assignment",
    times,
    {"matched": matched, "total": total},
    peer=None if args.case == "dense" else "scipy",
)
