#!/usr/bin/env bash
# Times `plab import people` of a 100,000-person organisation into an empty
# database, on SQLite and (when reachable) PostgreSQL.
# Usage: scripts/bench-import.sh [PEOPLE] [POSTGRES_ADMIN_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
pg="${2:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release -q -p plab-cli
plab=target/release/plab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$plab" --db "sqlite://$work/source.db" demo --people "$n" --seed 7 >/dev/null 2>&1
"$plab" --db "sqlite://$work/source.db" export people --output "$work/people.csv" 2>/dev/null
echo "file: $(($(wc -l <"$work/people.csv") - 1)) people, $(du -h "$work/people.csv" | cut -f1)"

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }

echo "sqlite   import into an empty database: $(secs "$plab" --db "sqlite://$work/new.db" import people "$work/people.csv") s"
echo "sqlite   re-import (every row an update): $(secs "$plab" --db "sqlite://$work/new.db" import people "$work/people.csv") s"
if psql "$pg" -qc 'select 1' >/dev/null 2>&1; then
  db="plab_bench_$$"
  psql "$pg" -qc "create database $db"
  url="${pg%/*}/$db"
  echo "postgres import into an empty database: $(secs "$plab" --db "$url" import people "$work/people.csv") s"
  echo "postgres re-import (every row an update): $(secs "$plab" --db "$url" import people "$work/people.csv") s"
  psql "$pg" -qc "drop database $db with (force)"
else
  echo "postgres: not reachable at $pg, skipped"
fi
