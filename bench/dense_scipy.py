"""Case 1 peer: scipy.optimize.linear_sum_assignment on the same 2,000 x 2,000
score matrix (maximize=True). Only the solver call is timed."""
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from common import arguments, report

args = arguments(__doc__)
scores = np.load(Path(args.data) / "dense_scores.npy")
times = []
for _ in range(args.runs):
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(scores, maximize=True)
    times.append((time.perf_counter() - start) * 1e3)
report(
    args.data,
    "dense",
    f"scipy {__import__('scipy').__version__} linear_sum_assignment",
    times,
    {"matched": int(len(rows)), "total": float(scores[rows, cols].sum())},
)
