#!/usr/bin/env node
// Validates Kubernetes and Argo manifests against the official schemas,
// offline (kubernetes-models, @kubernetes-models/argo-workflows). Reads a
// JSON array of { source, object } on stdin and prints a JSON array of
// { source, kind, errors } on stdout. An ES module script because those
// packages are ESM-only; the jest test (src/k8s/templates.test.ts) runs it.
//
// Note: the argo-workflows package's `steps` schema is wrong (it rejects the
// standard [[…]] form), so our templates use `dag`, and manifestRules refuses
// `steps`.
import { readFileSync } from 'node:fs';

function modelPath(apiVersion, kind) {
  if (apiVersion === 'argoproj.io/v1alpha1')
    return `@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/${kind}`;
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const { source, object } of input) {
  const errors = [];
  const kind = `${object?.apiVersion}/${object?.kind}`;
  try {
    const mod = await import(modelPath(object.apiVersion, object.kind));
    const Model = mod[object.kind];
    if (!Model) throw new Error(`no model for ${kind}`);
    try {
      new Model(object).validate();
    } catch (e) {
      errors.push(String(e?.message ?? e));
    }
  } catch (e) {
    errors.push(`no schema for ${kind}: ${e?.message ?? e}`);
  }
  results.push({ source, kind, errors });
}
process.stdout.write(JSON.stringify(results));
