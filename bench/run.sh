#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: builds the engine's bench in release mode,
# generates the instances into bench-data/, runs ours and the Python peers in
# the same run, and prints the ratios.
#   bench/run.sh                          # all cases and issue 13 families, 3 runs each
#   RUNS=5 bench/run.sh dense sparse      # some cases
#   bench/run.sh org-vocab org-one        # some families
#   PEER_TIMEOUT=120 bench/run.sh families # give each peer at most 120 s
#   NO_CLI=1 bench/run.sh families        # time in-process instead of through `plab match`
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-bench
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    echo '*' > "$venv/.gitignore"
    "$venv/bin/pip" install --quiet -r bench/requirements.txt
fi

families=(org-distinct org-shared6 org-one org-vocab org-cap3 org-forbid)
runs=${RUNS:-3}
peer_timeout=${PEER_TIMEOUT:-900}
cases=()
for arg in "$@"; do
    if [ "$arg" = families ]; then cases+=("${families[@]}"); else cases+=("$arg"); fi
done
[ ${#cases[@]} -eq 0 ] && cases=(dense sparse oversubscribed org "${families[@]}")
target=${CARGO_TARGET_DIR:-target}
CARGO_TARGET_DIR=$target cargo build --quiet --release -p plab-engine --example bench
bench=$target/release/examples/bench
# The families are timed through the real command when it builds.
plab=""
if [ -n "${NO_CLI:-}" ]; then
    echo "NO_CLI set: the families are measured in-process only" >&2
elif CARGO_TARGET_DIR=$target cargo build --quiet --release -p plab-cli 2>/dev/null; then
    plab=$target/release/plab
else
    echo "plab-cli does not build; the families are measured in-process only" >&2
fi

# A peer that runs out of time or memory is reported as not run, not as a failure.
peer() {
    timeout "$peer_timeout" "$venv/bin/python" "$@" || echo "peer $* did not finish (exit $?)" >&2
}

for case in "${cases[@]}"; do
    "$bench" "$case" --runs "$runs" --data bench-data
    case $case in
        dense) "$venv/bin/python" bench/dense_scipy.py --runs "$runs" --data bench-data ;;
        sparse | oversubscribed) "$venv/bin/python" bench/sparse_ortools.py --case "$case" --runs "$runs" --data bench-data ;;
        org-*)
            rm -f "bench-data/cli-$case.json" "bench-data/scipy-$case.json" "bench-data/ortools-$case.json"
            if [ -n "$plab" ]; then
                /usr/bin/time -f '{"wall_s": %e, "peak_kb": %M}' -o "bench-data/cli-$case.json" \
                    "$plab" match --input "bench-data/$case.json" --json > "bench-data/out-$case.json"
            fi
            peer bench/dense_scipy.py --case "$case" --runs 1 --data bench-data
            peer bench/sparse_ortools.py --case "$case" --runs 1 --data bench-data
            # The full matrices are 290-580 MB each.
            rm -f "bench-data/${case}_weights.npy"
            ;;
    esac
done
echo
"$venv/bin/python" bench/compare.py "${cases[@]}"
