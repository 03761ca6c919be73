#!/usr/bin/env bash
# SCIM compliance: builds plab, fills a fresh SQLite database with the demo,
# serves it on a free local port, makes a SCIM token with the CLI and runs every
# check of the independent scim2-tester (python-scim, pinned in
# e2e/scim-requirements.txt, installed into the cached venv e2e/.venv-scim).
# Failures listed in e2e/scim-allowed.txt are expected (each with its reason,
# also in the README); any other failure fails the run.
# Usage: bash e2e/scim.sh        (needs python3 with venv, and PyPI the first time)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

VENV="$E2E_DIR/.venv-scim"
REQUIREMENTS="$E2E_DIR/scim-requirements.txt"
# Reinstall when the pinned set changed since the venv was made.
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
  echo "scim: installing scim2-tester into $VENV…" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/plab-scim.XXXXXX")"

SERVER_PID=""
cleanup() {
  local rc=$?
  e2e_stop "$SERVER_PID"
  if [ "$rc" -ne 0 ] && [ -s "$TMP/serve.err" ]; then
    echo "scim: last lines of the server's stderr:" >&2
    tail -n 20 "$TMP/serve.err" >&2
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
e2e_build_plab scim "$TMP"

DB="sqlite://$TMP/scim.db"
# 120 people: the tester expects what it creates to show in the first page of a
# list (200 at most here), so the demo stays well below one page.
"$PLAB" --db "$DB" demo --people 120 --seed 5 --notes-key "$TMP/notes.key" >/dev/null 2>"$TMP/demo.err" \
  || { cat "$TMP/demo.err" >&2; exit 1; }
TOKEN="$("$PLAB" --db "$DB" scim token new --label scim2-tester --json | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# Made before the server starts: the loop below may read it before the server's own redirection runs.
: >"$TMP/serve.err"
"$PLAB" --db "$DB" serve --addr 127.0.0.1:0 --notes-key "$TMP/notes.key" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!
e2e_wait_serving scim "$SERVER_PID" "$TMP/serve.err"
BASE_URL="$SERVING"

"$VENV/bin/python" "$E2E_DIR/scim_check.py" "$BASE_URL/scim/v2" "$TOKEN" "$E2E_DIR/scim-allowed.txt"
