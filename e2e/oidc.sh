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

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E_DIR")"
cd "$ROOT"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "oidc: installing chromium from Debian…" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# npm ci when node_modules is missing or holds another playwright-core or oidc-provider than the pinned ones.
installed() { node -p "require('$E2E_DIR/node_modules/$1/package.json').version" 2>/dev/null || true; }
pinned() { node -p "require('$E2E_DIR/package.json').devDependencies['$1']"; }
for pkg in playwright-core oidc-provider; do
  if [ ! -d "$E2E_DIR/node_modules/$pkg" ] || [ "$(installed "$pkg")" != "$(pinned "$pkg")" ]; then
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    break
  fi
done

cargo build -p plab-cli --locked --quiet
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
PLAB="$TARGET_DIR/debug/plab"
[ -x "$PLAB" ] || { echo "oidc: $PLAB was not built" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/plab-oidc.XXXXXX")"
SERVER_PID=""
PROVIDER_PID=""
WALKED=""
stop() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop "$SERVER_PID"
  stop "$PROVIDER_PID"
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

SERVING=""
for _ in $(seq 1 300); do
  SERVING="$(sed -n 's|^serving on \(http://[^ ]*\).*|\1|p' "$TMP/serve.err" | head -n 1)"
  [ -n "$SERVING" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "oidc: plab serve exited before serving" >&2; exit 1; }
  sleep 0.1
done
[ -n "$SERVING" ] || { echo "oidc: plab serve did not report its address within 30 s" >&2; exit 1; }
[ "${SERVING%/}" = "$BASE_URL" ] || echo "oidc: plab reports serving on $SERVING, expected $BASE_URL" >&2

WALKED=1
rm -f "$E2E_DIR/artifacts/oidc-serve.log" "$E2E_DIR/artifacts/oidc-provider.log"
# TMPDIR: Playwright's fresh temporary Chromium profile (--user-data-dir) lives in this run's temp dir.
BASE_URL="$BASE_URL" ISSUER="$ISSUER" CONTROL_URL="$CONTROL_URL" CLIENT_ID="$CLIENT_ID" PLAB="$PLAB" DB="$DB" \
  DEMO_JSON="$TMP/demo.json" PEOPLE_CSV="$TMP/people.csv" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
  node "$E2E_DIR/oidc.mjs"
