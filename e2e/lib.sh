# Shared by e2e/run.sh, e2e/oidc.sh and e2e/scim.sh (sourced, not run): the
# browser and Node packages they need, a copy of the freshly built plab, and
# starting and stopping servers. Each function's first argument is the
# calling script's name, for its messages.

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E_DIR")"

# Debian's chromium (installed with apt when missing); sets CHROMIUM.
e2e_chromium() {
  CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  [ -x "$CHROMIUM" ] && return 0
  echo "$1: installing chromium from Debian…" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# npm ci when node_modules misses one of these packages or holds another version than the pinned one.
e2e_node_modules() {
  shift
  local pkg installed pinned
  for pkg in "$@"; do
    installed="$(node -p "require('$E2E_DIR/node_modules/$pkg/package.json').version" 2>/dev/null || true)"
    pinned="$(node -p "require('$E2E_DIR/package.json').devDependencies['$pkg']")"
    if [ "$installed" != "$pinned" ]; then
      (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
      return 0
    fi
  done
}

# Builds plab (debug) and copies it into the folder $2, so that another build
# into the same target directory cannot swap it mid-run; sets PLAB.
e2e_build_plab() {
  (cd "$ROOT" && cargo build -p plab-cli --locked --quiet)
  local target="${CARGO_TARGET_DIR:-target}"
  case "$target" in /*) ;; *) target="$ROOT/$target" ;; esac
  PLAB="$2/plab"
  cp "$target/debug/plab" "$PLAB" || { echo "$1: $target/debug/plab was not built" >&2; exit 1; }
}

# Stops a process started by the script: TERM, up to 5 s, then KILL.
e2e_stop() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits for `plab serve` (pid $2, stderr in file $3) to say where it serves; sets SERVING.
e2e_wait_serving() {
  SERVING=""
  for _ in $(seq 1 300); do
    SERVING="$(sed -n 's|^serving on \(http://[^ ]*\).*|\1|p' "$3" 2>/dev/null | head -n 1)"
    [ -n "$SERVING" ] && return 0
    kill -0 "$2" 2>/dev/null || { echo "$1: plab serve exited before serving" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1: plab serve did not report its address within 30 s" >&2
  exit 1
}
