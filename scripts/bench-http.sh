#!/usr/bin/env bash
# Hot reads over HTTP: `/healthz`, `/api/v1/me`, a program's pair list, its
# outcome report and the sponsor's dashboard page, measured with wrk against
# `plab serve` on a fresh SQLite demo.
# Usage: scripts/bench-http.sh [PEOPLE] [SECONDS]; WEEKS=52 gives the demo
# program a year of history (default 9).
# Needs wrk, curl and jq. THREADS and CONNECTIONS override wrk's -t2 -c32;
# PLAB=path/to/plab skips the build and measures that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-2000}"
secs="${2:-10}"
weeks="${WEEKS:-9}"
threads="${THREADS:-2}"
conns="${CONNECTIONS:-32}"
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-http: $tool is not installed" >&2; exit 2; }
done
if [ -z "${PLAB:-}" ]; then
  cargo build --release -q -p plab-cli
  PLAB=target/release/plab
fi
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A throwaway key, so no key file is written anywhere.
export PLAB_NOTES_KEY
PLAB_NOTES_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
db="sqlite://$work/plab.db"
"$PLAB" --db "$db" demo --people "$people" --weeks "$weeks" --json >"$work/demo.json" 2>/dev/null
sponsor=$(jq -r .sponsor "$work/demo.json")
program=$(jq -r .program "$work/demo.json")

# Port 0: the kernel picks a free port; the server prints the one it got.
# Request logs stay on (as `plab serve` runs by default) and go to a file.
"$PLAB" --db "$db" serve --addr 127.0.0.1:0 2>"$work/serve.log" &
server=$!
base=""
for _ in $(seq 100); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -n1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "bench-http: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$sponsor\",\"password\":\"perspective-lab-demo\"}" | jq -r .token)
pairs=$(curl -sf "$base/api/v1/programs/$program/pairs" -H "Authorization: Bearer $token" | jq length)

echo "plab serve, SQLite, $people-person demo ($pairs pairs in program $program, $weeks weeks of history); wrk -t$threads -c$conns -d${secs}s, $(nproc) cores"
# The first report and dashboard after a change are built from the database;
# later ones come from memory until the data changes (or after a minute).
first() {
  curl -sf -o /dev/null -w '%{time_total}' "$@"
}
echo "first report (built):        $(first -H "Authorization: Bearer $token" "$base/api/v1/programs/$program/report") s"
echo "first dashboard (built):     $(first -H "Cookie: plab_session=$token" "$base/programs/$program") s"
printf '%-36s %12s %10s %10s\n' route 'requests/s' 'p50' 'p99'
declare -A rate
measure() {
  local name="$1" path="$2" out
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" \
    -H "Cookie: plab_session=$token" "$base$path")
  if grep -q 'Non-2xx' <<<"$out"; then echo "bench-http: $path answered errors" >&2; echo "$out" >&2; exit 1; fi
  rate[$name]=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  printf '%-36s %12.0f %10s %10s\n' "$path" "${rate[$name]}" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
}
measure healthz /healthz
measure me /api/v1/me
measure pairs "/api/v1/programs/$program/pairs"
measure report "/api/v1/programs/$program/report"
measure dashboard "/programs/$program"
awk -v p="${rate[pairs]}" -v h="${rate[healthz]}" 'BEGIN { printf "pair list / healthz: %.2f (target: at least 0.33)\n", p / h }'
awk -v r="${rate[report]}" 'BEGIN { printf "report: %.0f requests/s (target: at least 1000 with 32 clients)\n", r }'
