#!/usr/bin/env bash
# Builds kwok (fake nodes; moves scheduled pods through their phases by
# configurable stages) and prints its path: $TOOLS_DIR/kwok-$KWOK_VERSION/kwok
# (kwok's node stages are copied to $TOOLS_DIR/kwok-$KWOK_VERSION/stages/).
. "$(dirname "$0")/lib.sh"

DIR="$TOOLS_DIR/kwok-$KWOK_VERSION"
if [ "${1:-}" = "--version" ]; then echo "$KWOK_VERSION"; exit 0; fi
if is_built "$DIR"; then echo "$DIR/kwok"; exit 0; fi
require_go
with_build_lock "$DIR"
if is_built "$DIR"; then echo "$DIR/kwok"; exit 0; fi

module_info sigs.k8s.io/kwok "$KWOK_VERSION"
# The stamps hack/releases.sh sets.
ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
ldflags+=" -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$KUBERNETES_VERSION"
start=$SECONDS
go_install_tool "$DIR" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "$ldflags"
# kwok's own node stages (initialise the fake node Ready, keep its lease):
# a --config with our pod stages replaces all defaults, so these go with it.
mkdir -p "$DIR/stages"
cp "$MODULE_DIR/kustomize/stage/node/fast/node-initialize.yaml" \
  "$MODULE_DIR/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" "$DIR/stages/"
chmod u+w "$DIR"/stages/*.yaml
"$DIR/kwok" --version >&2 || true
mark_built "$DIR"
tool_log "kwok built in $((SECONDS - start))s; disk: $(du -sh "$DIR" | cut -f1)"
echo "$DIR/kwok"
