#!/usr/bin/env bash
# Browser end-to-end walk: builds plab, fills a fresh SQLite database with the demo,
# serves it on a free local port and drives headless Chromium through e2e/walkthrough.mjs.
# Needs Debian's chromium (installed with apt when missing) and Node 20+.
# Usage: bash e2e/run.sh      (artifacts, e.g. the pair page screenshot, land in e2e/artifacts/)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
e2e_chromium e2e
e2e_node_modules e2e playwright-core axe-core

TMP="$(mktemp -d "${TMPDIR:-/tmp}/plab-e2e.XXXXXX")"
SERVER_PID=""
WALKED=""
cleanup() {
  local rc=$?
  e2e_stop "$SERVER_PID"
  if [ "$rc" -ne 0 ] && [ -s "$TMP/serve.err" ]; then
    # After a failed walk, keep the server's log beside the failure screenshots (the summary stays last).
    mkdir -p "$E2E_DIR/artifacts" && cp "$TMP/serve.err" "$E2E_DIR/artifacts/serve.log" || true
    if [ -z "$WALKED" ]; then
      echo "e2e: last lines of the server's stderr:" >&2
      tail -n 20 "$TMP/serve.err" >&2
    fi
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
e2e_build_plab e2e "$TMP"

DB="sqlite://$TMP/e2e.db"
"$PLAB" --db "$DB" demo --people 300 --seed 5 --notes-key "$TMP/notes.key" --json >"$TMP/demo.json" 2>"$TMP/demo.err" \
  || { cat "$TMP/demo.err" >&2; exit 1; }

: >"$TMP/serve.err"
"$PLAB" --db "$DB" serve --addr 127.0.0.1:0 --notes-key "$TMP/notes.key" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!

e2e_wait_serving e2e "$SERVER_PID" "$TMP/serve.err"
BASE_URL="$SERVING"

WALKED=1
rm -f "$E2E_DIR/artifacts/serve.log"
# TMPDIR: Playwright's fresh temporary Chromium profile (--user-data-dir) lives in this run's temp dir.
BASE_URL="$BASE_URL" DEMO_JSON="$TMP/demo.json" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
  node "$E2E_DIR/walkthrough.mjs"
# Each role's first week at 1366 px and 390 px, axe-core (WCAG 2.2 AA) at 0 on every page visited.
BASE_URL="$BASE_URL" DEMO_JSON="$TMP/demo.json" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
  node "$E2E_DIR/a11y.mjs"
