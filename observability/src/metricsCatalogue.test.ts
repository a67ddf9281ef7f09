import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { allPanels, readDashboards } from './dashboards';
import {
  catalogueName,
  isExternalMetric,
  isPlannedMetric,
  metricsMissingFromCode,
  promqlMetricNames,
  readMetricsCatalogue,
} from './metricsCatalogue';
import { PromRuleGroup } from './ruleFiles';
import { stackPaths } from './stackPaths';

const catalogue = readMetricsCatalogue();

function ruleExpressions(): { where: string; expr: string }[] {
  const doc: { groups: PromRuleGroup[] } = parse(
    fs.readFileSync(stackPaths.rules, 'utf8'),
  );
  return doc.groups.flatMap(g =>
    g.rules.map(r => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })),
  );
}

function dashboardExpressions(): { where: string; expr: string }[] {
  return readDashboards().flatMap(d =>
    allPanels(d)
      .filter(p => p.datasource?.type === 'prometheus')
      .flatMap(p =>
        (p.targets ?? []).map(t => ({
          where: `${d.file} "${p.title}" ${t.refId}`,
          expr: t.expr ?? '',
        })),
      ),
  );
}

describe('metrics catalogue (observability/metrics.md)', () => {
  it('parses: unique names, a known type, and an emitting service for each', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(25);
    const names = catalogue.map(e => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of catalogue) {
      expect([e.name, e.type]).toEqual([
        e.name,
        expect.stringMatching(/^(counter|gauge|histogram|summary)$/),
      ]);
      expect([e.name, e.meaning]).toEqual([
        e.name,
        expect.stringMatching(/\S/),
      ]);
      expect([e.name, e.emittedBy]).toEqual([
        e.name,
        expect.stringMatching(/backend|worker|gateway|Prometheus/),
      ]);
      expect([e.name, e.labels]).toEqual([
        e.name,
        expect.not.stringMatching(/team|user|instance_id|`id`/),
      ]);
    }
    // Prometheus naming: counters end in _total.
    expect(
      catalogue
        .filter(e => e.type === 'counter' && !e.name.endsWith('_total'))
        .map(e => e.name),
    ).toEqual([]);
  });

  it('lists the whole Flagstage catalogue', () => {
    const names = catalogue.map(e => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'flagstage_http_requests_total',
        'flagstage_http_request_duration_seconds',
        'flagstage_submissions_total',
        'flagstage_solves_total',
        'flagstage_instances',
        'flagstage_instance_start_duration_seconds',
        'flagstage_deploy_jobs_total',
        'flagstage_queue_depth',
        'flagstage_queue_dead_letters',
        'flagstage_running_workflows',
        'flagstage_reconciler_actions_total',
        'flagstage_scoreboard_last_update_timestamp_seconds',
        'flagstage_scoreboard_recompute_duration_seconds',
        'flagstage_gateway_http_requests_total',
        'flagstage_gateway_http_request_duration_seconds',
        'flagstage_gateway_connections_total',
        'flagstage_gateway_open_connections',
        'flagstage_gateway_refusals_total',
        'flagstage_gateway_bytes_total',
        'flagstage_gateway_redis_up',
        'flagstage_gateway_upstream_duration_seconds',
        'up',
      ]),
    );
  });

  it('every metric the rules and dashboards query is catalogued', () => {
    const known = new Set(catalogue.map(e => e.name));
    const expressions = [...ruleExpressions(), ...dashboardExpressions()];
    expect(expressions.length).toBeGreaterThan(30);
    const unknown = expressions.flatMap(({ where, expr }) =>
      promqlMetricNames(expr)
        .map(series => catalogueName(series, catalogue))
        .filter(name => !known.has(name))
        .map(name => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('extracts metric names from PromQL (the extraction the check above relies on)', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(flagstage_http_request_duration_seconds_bucket{service="backend", route=~"/api/.*"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(['flagstage_http_request_duration_seconds_bucket']);
    expect(
      promqlMetricNames(
        'time() - max(a_gauge) > 600 and on () sum(increase(b_total{x!="y"}[15m] offset 5m)) > 0 or absent(up{job="j"})',
      ),
    ).toEqual(['a_gauge', 'b_total', 'up']);
    expect(
      catalogueName(
        'flagstage_instance_start_duration_seconds_count',
        catalogue,
      ),
    ).toBe('flagstage_instance_start_duration_seconds');
    expect(catalogueName('flagstage_solves_total', catalogue)).toBe(
      'flagstage_solves_total',
    );
  });

  it('every catalogued Flagstage metric is created somewhere in the source (planned ones are listed)', () => {
    const planned = new Set(catalogue.filter(isPlannedMetric).map(e => e.name));
    const missing = metricsMissingFromCode();
    // Strict for every established metric.
    expect(missing.filter(name => !planned.has(name))).toEqual([]);
    // Planned metrics the code does not create yet: listed, not failed.
    const plannedMissing = missing.filter(name => planned.has(name));
    if (plannedMissing.length > 0)
      // eslint-disable-next-line no-console
      console.warn(
        `metrics.md: planned metrics not yet created in code: ${plannedMissing.join(
          ', ',
        )}`,
      );
    // Planned metrics that the code now creates: drop the (planned) marker.
    const plannedPresent = [...planned].filter(n => !missing.includes(n));
    if (plannedPresent.length > 0)
      // eslint-disable-next-line no-console
      console.warn(
        `metrics.md: these metrics exist in code now, remove "(planned)": ${plannedPresent.join(
          ', ',
        )}`,
      );
    const flagstage = catalogue
      .filter(e => !isExternalMetric(e))
      .map(e => e.name);
    expect(flagstage.length).toBeGreaterThanOrEqual(20);
  });

  it('metricsMissingFromCode finds literals only in non-test source', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-metrics-'));
    try {
      const src = path.join(root, 'plugins', 'demo', 'src');
      fs.mkdirSync(src, { recursive: true });
      fs.writeFileSync(
        path.join(src, 'metrics.ts'),
        "export const m = { name: 'demo_created_total' };\n",
      );
      fs.writeFileSync(
        path.join(src, 'metrics.test.ts'),
        "expect('demo_only_in_tests_total').toBeTruthy();\n",
      );
      const entry = (name: string, emittedBy = 'backend') => ({
        name,
        type: 'counter',
        labels: '—',
        meaning: 'demo',
        emittedBy,
      });
      expect(
        metricsMissingFromCode({
          catalogue: [
            entry('demo_created_total'),
            entry('demo_only_in_tests_total'),
            entry('demo_nowhere_total'),
            entry('demo_planned_total', 'gateway (planned)'),
            entry('process_cpu_seconds_total', 'prom-client default (backend)'),
            entry('up', 'Prometheus'),
          ],
          roots: [src],
        }),
      ).toEqual([
        'demo_only_in_tests_total',
        'demo_nowhere_total',
        'demo_planned_total',
      ]);
      expect(
        isPlannedMetric(entry('demo_planned_total', 'gateway (planned)')),
      ).toBe(true);
      expect(isPlannedMetric(entry('demo_created_total'))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
