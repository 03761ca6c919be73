#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: builds the engine's bench in release mode,
# generates the instances into bench-data/, runs ours and the Python peers in
# the same run, and prints the ratios.
#   bench/run.sh                      # all cases, 3 runs each
#   RUNS=5 bench/run.sh dense sparse  # some cases
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-bench
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    echo '*' > "$venv/.gitignore"
    "$venv/bin/pip" install --quiet -r bench/requirements.txt
fi

runs=${RUNS:-3}
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(dense sparse oversubscribed org)
target=${CARGO_TARGET_DIR:-target}
CARGO_TARGET_DIR=$target cargo build --quiet --release -p plab-engine --example bench
bench=$target/release/examples/bench

for case in "${cases[@]}"; do
    "$bench" "$case" --runs "$runs" --data bench-data
    case $case in
        dense) "$venv/bin/python" bench/dense_scipy.py --runs "$runs" --data bench-data ;;
        sparse | oversubscribed) "$venv/bin/python" bench/sparse_ortools.py --case "$case" --runs "$runs" --data bench-data ;;
    esac
done
echo
"$venv/bin/python" bench/compare.py "${cases[@]}"
