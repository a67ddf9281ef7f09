#!/usr/bin/env bash
# Builds (once per machine, one after the other) every tool the real control
# plane of packages/k8s-control-plane needs, and prints shell assignments of
# their locations on stdout:
#   KUBERNETES_BIN_DIR=...  ETCD_BIN=...  KWOK_BIN=...  ARGO_DIR=...
# CI runs it in the background early (.ci/run); the harness runs it when a
# tool is missing.
. "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
start=$SECONDS
k8s_dir=$("$here/kubernetes.sh")
kwok_bin=$("$here/kwok.sh")
argo_dir=$("$here/argo.sh")
tool_log "all control-plane tools ready after $((SECONDS - start))s"
echo "KUBERNETES_BIN_DIR=$k8s_dir"
echo "ETCD_BIN=$TOOLS_DIR/etcd-$ETCD_VERSION/etcd"
echo "KWOK_BIN=$kwok_bin"
echo "ARGO_DIR=$argo_dir"
