#!/usr/bin/env bash
# Helm post-renderer: reads Helm's manifests on stdin, applies kustomization.yaml
# next to this script with `kubectl kustomize`, writes the result to stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/kustomization.yaml" "$work/"
cat >"$work/helm-output.yaml"
kubectl kustomize "$work"
