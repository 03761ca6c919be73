#!/usr/bin/env bash
# OpenID Connect sign-in, end to end: builds plab, fills a fresh SQLite database with the demo,
# starts a real OpenID provider on loopback (e2e/oidc-provider.mjs, the `oidc-provider` npm
# package), serves plab configured for it and drives headless Chromium through e2e/oidc.mjs:
# the full redirect flow, tampered and forged ID tokens, a wrong nonce, the refusals (outsider,
# unverified e-mail, replayed or foreign callback, provider error, disabled account), matching
# by employee id and by a linked sub, key rotation, and password sign-in for administrators only.
# Needs Debian's chromium (installed with apt when missing) and Node 20+.
# Usage: bash e2e/oidc.sh   (after a failure: screenshots and both servers' logs in e2e/artifacts/)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
e2e_chromium oidc
e2e_node_modules oidc playwright-core oidc-provider

TMP="$(mktemp -d "${TMPDIR:-/tmp}/plab-oidc.XXXXXX")"
SERVER_PID=""
PROVIDER_PID=""
WALKED=""
cleanup() {
  local rc=$?
  e2e_stop "$SERVER_PID"
  e2e_stop "$PROVIDER_PID"
  if [ "$rc" -ne 0 ]; then
    # After a failure, keep both servers' logs beside the failure screenshots (the summary stays last).
    mkdir -p "$E2E_DIR/artifacts"
    [ -s "$TMP/serve.err" ] && cp "$TMP/serve.err" "$E2E_DIR/artifacts/oidc-serve.log" || true
    [ -s "$TMP/provider.err" ] && cp "$TMP/provider.err" "$E2E_DIR/artifacts/oidc-provider.log" || true
    if [ -z "$WALKED" ]; then
      for log in provider.err serve.err; do
        [ -s "$TMP/$log" ] || continue
        echo "oidc: last lines of $log:" >&2
        tail -n 20 "$TMP/$log" >&2
      done
    fi
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
e2e_build_plab oidc "$TMP"

DB="sqlite://$TMP/oidc.db"
"$PLAB" --db "$DB" demo --people 300 --seed 5 --notes-key "$TMP/notes.key" --json >"$TMP/demo.json" 2>"$TMP/demo.err" \
  || { cat "$TMP/demo.err" >&2; exit 1; }
# The directory's names, e-mails and employee ids, to give the provider's accounts their claims.
"$PLAB" --db "$DB" export people --output "$TMP/people.csv" 2>"$TMP/export.err" || { cat "$TMP/export.err" >&2; exit 1; }

# plab's address must be known before it starts: it is the client's redirect URI at the provider.
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE_URL="http://127.0.0.1:$PORT"
CLIENT_ID="plab-e2e"
CLIENT_SECRET="$(node -p "require('crypto').randomBytes(24).toString('base64url')")"

OIDC_REDIRECT_URI="$BASE_URL/auth/oidc/callback" OIDC_CLIENT_ID="$CLIENT_ID" OIDC_CLIENT_SECRET="$CLIENT_SECRET" \
  node "$E2E_DIR/oidc-provider.mjs" >"$TMP/provider.out" 2>"$TMP/provider.err" &
PROVIDER_PID=$!
ISSUER=""
CONTROL_URL=""
for _ in $(seq 1 300); do
  line="$(grep -m1 '^issuer ' "$TMP/provider.err" || true)"
  if [ -n "$line" ]; then
    ISSUER="$(echo "$line" | sed -n 's|^issuer \([^ ]*\) control \([^ ]*\)$|\1|p')"
    CONTROL_URL="$(echo "$line" | sed -n 's|^issuer \([^ ]*\) control \([^ ]*\)$|\2|p')"
    break
  fi
  kill -0 "$PROVIDER_PID" 2>/dev/null || { echo "oidc: the OpenID provider exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ISSUER" ] && [ -n "$CONTROL_URL" ] || { echo "oidc: the OpenID provider did not report its address within 30 s" >&2; exit 1; }

PLAB_OIDC_ISSUER="$ISSUER" PLAB_OIDC_CLIENT_ID="$CLIENT_ID" PLAB_OIDC_CLIENT_SECRET="$CLIENT_SECRET" \
  PLAB_PUBLIC_URL="$BASE_URL" PLAB_OIDC_EMPLOYEE_ID_CLAIM=employee_number PLAB_PASSWORD_SIGN_IN=admins \
  "$PLAB" --db "$DB" serve --addr "127.0.0.1:$PORT" --notes-key "$TMP/notes.key" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!

e2e_wait_serving oidc "$SERVER_PID" "$TMP/serve.err"
[ "${SERVING%/}" = "$BASE_URL" ] || echo "oidc: plab reports serving on $SERVING, expected $BASE_URL" >&2

WALKED=1
rm -f "$E2E_DIR/artifacts/oidc-serve.log" "$E2E_DIR/artifacts/oidc-provider.log"
# TMPDIR: Playwright's fresh temporary Chromium profile (--user-data-dir) lives in this run's temp dir.
BASE_URL="$BASE_URL" ISSUER="$ISSUER" CONTROL_URL="$CONTROL_URL" CLIENT_ID="$CLIENT_ID" PLAB="$PLAB" DB="$DB" \
  DEMO_JSON="$TMP/demo.json" PEOPLE_CSV="$TMP/people.csv" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
  node "$E2E_DIR/oidc.mjs"
