#!/usr/bin/env bash
# Browser end-to-end walk: builds plab, fills a fresh SQLite database with the demo,
# serves it on a free local port and drives headless Chromium through e2e/walkthrough.mjs.
# Needs Debian's chromium (installed with apt when missing) and Node 20+.
# Usage: bash e2e/run.sh      (artifacts, e.g. the pair page screenshot, land in e2e/artifacts/)
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E_DIR")"
cd "$ROOT"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: installing chromium from Debian…" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# npm ci when node_modules is missing or holds another playwright-core than the pinned one.
installed_pw() { node -p "require('$E2E_DIR/node_modules/playwright-core/package.json').version" 2>/dev/null || true; }
pinned_pw() { node -p "require('$E2E_DIR/package.json').devDependencies['playwright-core']"; }
if [ ! -d "$E2E_DIR/node_modules/playwright-core" ] || [ "$(installed_pw)" != "$(pinned_pw)" ]; then
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

cargo build -p plab-cli --locked --quiet
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
PLAB="$TARGET_DIR/debug/plab"
[ -x "$PLAB" ] || { echo "e2e: $PLAB was not built" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/plab-e2e.XXXXXX")"
SERVER_PID=""
WALKED=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
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

DB="sqlite://$TMP/e2e.db"
"$PLAB" --db "$DB" demo --people 300 --seed 5 --notes-key "$TMP/notes.key" --json >"$TMP/demo.json" 2>"$TMP/demo.err" \
  || { cat "$TMP/demo.err" >&2; exit 1; }

"$PLAB" --db "$DB" serve --addr 127.0.0.1:0 --notes-key "$TMP/notes.key" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!

BASE_URL=""
for _ in $(seq 1 300); do
  BASE_URL="$(sed -n 's|^serving on \(http://[^ ]*\).*|\1|p' "$TMP/serve.err" | head -n 1)"
  [ -n "$BASE_URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "e2e: plab serve exited before serving" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE_URL" ] || { echo "e2e: plab serve did not report its address within 30 s" >&2; exit 1; }

WALKED=1
rm -f "$E2E_DIR/artifacts/serve.log"
# TMPDIR: Playwright's fresh temporary Chromium profile (--user-data-dir) lives in this run's temp dir.
BASE_URL="$BASE_URL" DEMO_JSON="$TMP/demo.json" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
  node "$E2E_DIR/walkthrough.mjs"
