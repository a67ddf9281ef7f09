# Shared by the scripts in scripts/tools/: the pinned versions, the cache dir,
# the Go toolchain check and a per-tool build lock. Source it, do not run it.
# Everything but the final binary path goes to stderr.
set -euo pipefail
TOOLS_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$TOOLS_SRC_DIR/versions.env"
TOOLS_DIR="${FLAGSTAGE_TOOLS_DIR:-$HOME/.cache/flagstage-tools}"
# Go builds share two CPUs with the test suites: keep them at a lower priority.
GO_NICE="${FLAGSTAGE_GO_NICE:-10}"
export GOTOOLCHAIN=local CGO_ENABLED=0
tool_log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

require_go() {
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  if ! command -v go >/dev/null; then
    tool_log "the Go toolchain is not installed (looked on PATH and in /usr/local/go/bin)"
    exit 3
  fi
}

# with_build_lock DIR: several callers may ask at once; one builds, the others
# wait on the lock and then find the finished stamp.
with_build_lock() {
  mkdir -p "$1"
  exec 9>"$1/.lock"
  flock 9
}

# run_go ARGS...: go at low priority, timed, into the log.
run_go() {
  local start=$SECONDS
  nice -n "$GO_NICE" go "$@"
  tool_log "go $1 took $((SECONDS - start))s"
}

# The stamp file marks a complete build (binaries are written before it).
is_built() { [ -f "$1/.built" ]; }
mark_built() { date -u +%Y-%m-%dT%H:%M:%SZ >"$1/.built"; }

# module_info MODULE VERSION -> sets MODULE_DIR, MODULE_COMMIT, MODULE_TIME
# (downloads the module through the proxy; the commit/time stamp the binaries).
module_info() {
  local info
  info=$(cd / && GOFLAGS=-mod=mod go mod download -json "$1@$2")
  MODULE_DIR=$(sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p' <<<"$info")
  MODULE_COMMIT=$(sed -nE 's/^\s*"Hash": "([0-9a-f]+)",?$/\1/p' <<<"$info" | head -n 1)
  MODULE_TIME=$(sed -nE 's/^\s*"Time": "([^"]+)",?$/\1/p' <<<"$info" | head -n 1)
}

# go_install_tool DIR PACKAGE@VERSION LDFLAGS: a module whose go.mod has no
# replaces installs straight from the proxy.
go_install_tool() {
  tool_log "go install $2 -> $1 (CGO_ENABLED=0)"
  (cd / && GOBIN="$1" run_go install -trimpath -ldflags "$3" "$2")
}
