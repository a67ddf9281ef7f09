import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** observability/ (this package's root), whose files the stack tests check. */
export const observabilityDir = resolvePackagePath(
  '@flagstage/observability-stack',
);

/** The repository root, one level up: promtool runs there, sources are read from there. */
export const repoRoot = path.resolve(observabilityDir, '..');

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
