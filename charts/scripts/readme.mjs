#!/usr/bin/env node
// Regenerates the Parameters section of charts/flagstage/README.md from the
// `## @param` comments in values.yaml with Bitnami's readme-generator-for-helm.
// Usage: node charts/scripts/readme.mjs [README path]  (default: the chart's README)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const chartDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../flagstage',
);
const require = createRequire(import.meta.url);
const bin = path.join(
  path.dirname(
    require.resolve('@bitnami/readme-generator-for-helm/package.json'),
  ),
  'bin/index.js',
);
const readme = process.argv[2] ?? path.join(chartDir, 'README.md');
execFileSync(
  process.execPath,
  [bin, '--values', path.join(chartDir, 'values.yaml'), '--readme', readme],
  {
    stdio: 'inherit',
  },
);
