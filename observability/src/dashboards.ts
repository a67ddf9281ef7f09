import fs from 'node:fs';
import path from 'node:path';
import { stackPaths } from './stackPaths';

/** A Grafana panel, as far as the stack tests look at it. */
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: { refId: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: GrafanaPanel[];
}

/** A dashboard file of observability/grafana/dashboards. */
export interface GrafanaDashboard {
  file: string;
  uid: string;
  title: string;
  templating: {
    list: { name: string; type: string; query?: unknown }[];
  };
  panels: GrafanaPanel[];
}

/** Every *.json dashboard, parsed (throws on invalid JSON). */
export function readDashboards(
  dir = stackPaths.dashboardsDir,
): GrafanaDashboard[] {
  return fs
    .readdirSync(dir)
    .filter(name => name.endsWith('.json'))
    .sort()
    .map(name => ({
      ...JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')),
      file: name,
    }));
}

/** Panels of a dashboard including those nested in collapsed rows. */
export function allPanels(dashboard: { panels: GrafanaPanel[] }) {
  return dashboard.panels.flatMap(p => [p, ...(p.panels ?? [])]);
}
