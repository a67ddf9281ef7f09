import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { PromRuleGroup } from './ruleFiles';
import { observabilityDir, stackPaths } from './stackPaths';

const read = (...parts: string[]) =>
  fs.readFileSync(path.join(observabilityDir, ...parts), 'utf8');

const alerts = (
  parse(fs.readFileSync(stackPaths.rules, 'utf8')) as {
    groups: PromRuleGroup[];
  }
).groups
  .flatMap(g => g.rules)
  .filter(r => r.alert);

/** GitHub's heading anchors: lower case, spaces to '-', punctuation dropped. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

describe('runbook (observability/runbook.md)', () => {
  const runbook = fs.readFileSync(stackPaths.runbook, 'utf8');
  const sections = new Map<string, string>();
  for (const part of runbook.split(/^#{2,3} /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    sections.set(anchor(heading), body.join('\n'));
  }

  it('has a section for every runbook_url, in the order symptom → health endpoint → logs → action', () => {
    for (const alert of alerts) {
      const target = alert.annotations!.runbook_url.split('#')[1];
      const body = sections.get(target);
      expect([alert.alert, typeof body]).toEqual([alert.alert, 'string']);
      const order = ['Symptom', 'Health endpoint', 'Logs', 'Action'].map(step =>
        body!.indexOf(`**${step}**`),
      );
      expect([alert.alert, order.every(i => i >= 0)]).toEqual([
        alert.alert,
        true,
      ]);
      expect([alert.alert, [...order].sort((a, b) => a - b)]).toEqual([
        alert.alert,
        order,
      ]);
    }
  });

  it('has LogQL examples by team, challenge and instance on labels Alloy sets', () => {
    const alloy = read('alloy', 'config.alloy');
    const mapped =
      /regex\s*=\s*"__meta_kubernetes_pod_label_flagstage_io_\(([\w|]+)\)"/.exec(
        alloy,
      );
    expect(mapped).not.toBeNull();
    const labels = mapped![1].split('|');
    for (const dimension of ['team', 'challenge', 'instance']) {
      expect([dimension, labels.includes(dimension)]).toEqual([
        dimension,
        true,
      ]);
      expect(runbook).toMatch(new RegExp(`\\{flagstage_${dimension}="`));
    }
  });

  it('documents the health endpoints', () => {
    for (const endpoint of ['/healthz', '/readyz', '/health', 'latencyMs'])
      expect(runbook).toContain(endpoint);
  });
});

describe('scrape, log and Loki configuration', () => {
  it('the monitors set exactly the jobs the alert rules select', () => {
    const monitors = parseAllDocuments(
      read('kubernetes', 'servicemonitors.yaml'),
    ).map(d => d.toJS());
    expect(monitors.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceMonitor/flagstage-backend',
      'PodMonitor/flagstage-worker',
      'ServiceMonitor/flagstage-gateway',
    ]);
    const jobs = monitors.flatMap(m =>
      (m.spec.endpoints ?? m.spec.podMetricsEndpoints).flatMap(
        (e: { relabelings?: { targetLabel: string; replacement: string }[] }) =>
          (e.relabelings ?? [])
            .filter(r => r.targetLabel === 'job')
            .map(r => r.replacement),
      ),
    );
    const selected = new Set(
      alerts.flatMap(a =>
        [...a.expr.matchAll(/job="([^"]+)"/g)].map(m => m[1]),
      ),
    );
    expect(jobs.sort()).toEqual([...selected].sort());
  });

  it('Loki runs as a single binary and keeps logs for 7 days', () => {
    const values = parse(read('loki', 'values.yaml'));
    expect(values.deploymentMode).toBe('SingleBinary');
    expect(values.loki.limits_config.retention_period).toBe('168h');
    expect(values.loki.compactor.retention_enabled).toBe(true);
    expect(values.singleBinary.replicas).toBe(1);
  });

  it('Alloy ships pod logs with their labels and Kubernetes events to Loki', () => {
    const alloy = read('alloy', 'config.alloy');
    for (const label of ['namespace', 'pod', 'container'])
      expect(alloy).toContain(`target_label  = "${label}"`);
    expect(alloy).toContain('__meta_kubernetes_pod_label_flagstage_io_');
    expect(alloy).toMatch(/loki\.source\.kubernetes_events "\w+"/);
    expect(alloy).toMatch(/loki\.write "default"/);
    // The label the deployments dashboard's log panel selects on.
    expect(alloy).toContain(
      '__meta_kubernetes_pod_label_app_kubernetes_io_name',
    );
    // Metrics are left to the ServiceMonitors (see the header of config.alloy):
    // a scrape or remote_write block here would duplicate every series.
    const blocks = alloy.replace(/\/\/.*$/gm, '');
    expect(blocks).not.toMatch(/^\s*prometheus\.\w+/m);
    expect(alloy).toContain('servicemonitors.yaml');
    // Balanced braces: a cheap syntax check (no Alloy binary here).
    const code = alloy
      .replace(/\/\/.*$/gm, '')
      .replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(code.split('{').length).toBe(code.split('}').length);
  });
});
