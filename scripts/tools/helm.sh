#!/usr/bin/env bash
# Builds the pinned Helm from the Go module proxy into a versioned cache dir and
# prints the binary's path on stdout (everything else goes to stderr).
# The ldflags are the stamps Helm's Makefile sets: without them `helm version`
# reports no version and `helm template`/`helm lint` assume Kubernetes v1.20.
# Usage: scripts/tools/helm.sh            -> path of a working helm binary
#        HELM="$(scripts/tools/helm.sh)" && "$HELM" version
set -euo pipefail

# The pinned Helm version lives with the other tools' versions.
# shellcheck source=versions.env
. "$(dirname "${BASH_SOURCE[0]}")/versions.env"

TOOLS_DIR="${FLAGSTAGE_TOOLS_DIR:-$HOME/.cache/flagstage-tools}"
BIN_DIR="$TOOLS_DIR/helm-$HELM_VERSION"
HELM_BIN="$BIN_DIR/helm"
log() { printf 'helm.sh: %s\n' "$*" >&2; }

if [ "${1:-}" = "--version" ]; then echo "$HELM_VERSION"; exit 0; fi

if [ -x "$HELM_BIN" ] && "$HELM_BIN" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
  echo "$HELM_BIN"
  exit 0
fi

if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null; then
  log "the Go toolchain is not installed (looked on PATH and in /usr/local/go/bin); cannot build Helm $HELM_VERSION"
  exit 3
fi

module=helm.sh/helm/v3
log "resolving $module@$HELM_VERSION through the Go module proxy ($(go env GOPROXY))"
info=$(cd / && GOFLAGS=-mod=mod go mod download -json "$module@$HELM_VERSION")
gomod=$(sed -nE 's/^\s*"GoMod": "(.*)",?$/\1/p' <<<"$info")
commit=$(sed -nE 's/^\s*"Hash": "([0-9a-f]+)",?$/\1/p' <<<"$info" | head -n 1)
# The Makefile derives the default Kubernetes version from client-go v0.X.Y -> 1.X.
client_go=$(sed -nE 's/^\s*k8s\.io\/client-go v([0-9]+)\.([0-9]+)\..*/\1 \2/p' "$gomod")
read -r cg_major cg_minor <<<"$client_go"
k8s_major=$((cg_major + 1))
k8s_minor=$cg_minor

ldflags="-w -s"
ldflags+=" -X $module/internal/version.version=$HELM_VERSION"
ldflags+=" -X $module/internal/version.metadata="
ldflags+=" -X $module/internal/version.gitCommit=${commit}"
ldflags+=" -X $module/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X $module/$pkg.k8sVersionMajor=$k8s_major -X $module/$pkg.k8sVersionMinor=$k8s_minor"
done

mkdir -p "$BIN_DIR"
# Several test files may ask at once: one builds, the others wait and reuse it.
exec 9>"$BIN_DIR/.lock"
flock 9
if [ -x "$HELM_BIN" ] && "$HELM_BIN" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
  echo "$HELM_BIN"
  exit 0
fi
log "go install $module/cmd/helm@$HELM_VERSION -> $BIN_DIR (CGO_ENABLED=0, default Kubernetes $k8s_major.$k8s_minor${commit:+, commit $commit})"
log "a cold build downloads the modules and compiles Helm: a few minutes"
start=$(date +%s)
(cd / && CGO_ENABLED=0 GOBIN="$BIN_DIR" go install -trimpath -ldflags "$ldflags" "$module/cmd/helm@$HELM_VERSION")
log "built in $(($(date +%s) - start))s: $("$HELM_BIN" version --short)"
echo "$HELM_BIN"
