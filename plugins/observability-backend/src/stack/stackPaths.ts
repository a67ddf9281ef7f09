import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * Where the observability stack lives. The stack tests check repository files
 * (observability/ at the repo root), not the plugin's runtime behaviour; the
 * package sits at plugins/observability-backend, two levels below the root.
 */
export const repoRoot = path.resolve(
  resolvePackagePath('@flagstage/plugin-observability-backend'),
  '..',
  '..',
);

/** observability/ at the repo root. */
export const observabilityDir = path.join(repoRoot, 'observability');

/** Paths inside observability/ used by the stack tests. */
export const stackPaths = {
  rules: path.join(
    observabilityDir,
    'prometheus',
    'rules',
    'flagstage-rules.yaml',
  ),
  prometheusRule: path.join(
    observabilityDir,
    'prometheus',
    'rules',
    'flagstage.rules.yaml',
  ),
  ruleTestsDir: path.join(observabilityDir, 'prometheus', 'tests'),
  dashboardsDir: path.join(observabilityDir, 'grafana', 'dashboards'),
  metricsCatalogue: path.join(observabilityDir, 'metrics.md'),
  runbook: path.join(observabilityDir, 'runbook.md'),
};
