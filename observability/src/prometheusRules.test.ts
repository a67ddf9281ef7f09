import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { requirePromtool, runPromtool } from './promtool';
import { PromRuleGroup, ruleTestFiles } from './ruleFiles';
import { repoRoot, stackPaths } from './stackPaths';

function readYaml(file: string): any {
  return parse(fs.readFileSync(file, 'utf8'));
}

const plain: { groups: PromRuleGroup[] } = readYaml(stackPaths.rules);
const alerts = plain.groups.flatMap(g => g.rules).filter(r => r.alert);

interface AlertRuleTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface RuleTestFile {
  rule_files: string[];
  tests: { alert_rule_test?: AlertRuleTest[] }[];
}

describe('Prometheus rules (observability/prometheus)', () => {
  it('has the expected alerts, each with a severity, summary, description and runbook link', () => {
    expect(alerts.map(a => a.alert).sort()).toEqual(
      [
        'FlagstageBackendDown',
        'FlagstageDeadLetters',
        'FlagstageDeployFailureRateHigh',
        'FlagstageGatewayDown',
        'FlagstageGatewayErrorRateHigh',
        'FlagstageGatewayRedisDown',
        'FlagstageGatewayRefusalSpike',
        'FlagstageInstanceStartSlow',
        'FlagstageInstancesStuckDeploying',
        'FlagstageQueueBacklog',
        'FlagstageReconcilerChurn',
        'FlagstageScoreboardStale',
        'FlagstageWorkerDown',
      ].sort(),
    );
    for (const alert of alerts) {
      expect([alert.alert, alert.labels?.severity]).toEqual([
        alert.alert,
        expect.stringMatching(/^(critical|warning|info)$/),
      ]);
      expect(alert.annotations?.summary).toBeTruthy();
      expect(alert.annotations?.description).toBeTruthy();
      expect(alert.annotations?.runbook_url).toBe(
        `observability/runbook.md#${alert.alert!.toLowerCase()}`,
      );
    }
  });

  it('the PrometheusRule wraps exactly the plain groups', () => {
    const crd = readYaml(stackPaths.prometheusRule);
    expect(crd.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(crd.kind).toBe('PrometheusRule');
    expect(crd.metadata.name).toBeTruthy();
    expect(crd.spec.groups).toEqual(plain.groups);
  });

  it('every alert has a firing and a not-firing unit test case', () => {
    const cases = new Map<string, { firing: number; quiet: number }>();
    for (const file of ruleTestFiles()) {
      const doc: RuleTestFile = readYaml(file);
      // Each test file must load the single source, not a copy.
      expect(
        doc.rule_files.map(f => path.resolve(path.dirname(file), f)),
      ).toEqual([stackPaths.rules]);
      for (const test of doc.tests) {
        for (const c of test.alert_rule_test ?? []) {
          const entry = cases.get(c.alertname) ?? { firing: 0, quiet: 0 };
          if ((c.exp_alerts ?? []).length > 0) entry.firing++;
          else entry.quiet++;
          cases.set(c.alertname, entry);
        }
      }
    }
    for (const alert of alerts) {
      expect([alert.alert, cases.get(alert.alert!)]).toEqual([
        alert.alert,
        {
          firing: expect.any(Number),
          quiet: expect.any(Number),
        },
      ]);
      const { firing, quiet } = cases.get(alert.alert!)!;
      expect([alert.alert, firing > 0, quiet > 0]).toEqual([
        alert.alert,
        true,
        true,
      ]);
    }
  });

  it('promtool check rules accepts the rule file and counts every rule', () => {
    const promtool = requirePromtool();
    if (!promtool) return;
    const result = runPromtool(
      promtool,
      ['check', 'rules', path.relative(repoRoot, stackPaths.rules)],
      repoRoot,
    );
    expect(result.output).toContain(
      `SUCCESS: ${plain.groups.flatMap(g => g.rules).length} rules found`,
    );
    expect(result.status).toBe(0);
  });

  it('promtool test rules passes every unit test file', () => {
    const promtool = requirePromtool();
    if (!promtool) return;
    const files = ruleTestFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const result = runPromtool(
      promtool,
      ['test', 'rules', ...files.map(f => path.relative(repoRoot, f))],
      repoRoot,
    );
    expect(result.output).not.toContain('FAILED');
    // promtool prints one "Unit Testing: <file>" and one SUCCESS per passing file.
    expect(result.output.match(/Unit Testing: /g)?.length).toBe(files.length);
    expect(result.output.match(/^\s*SUCCESS\s*$/gm)?.length).toBe(files.length);
    expect(result.status).toBe(0);
  });

  it('promtool test rules fails on a wrong expectation (the harness can fail)', () => {
    const promtool = requirePromtool();
    if (!promtool) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-rules-'));
    try {
      const file = path.join(dir, 'wrong.test.yaml');
      // The backend is up the whole time, yet the test expects it down.
      fs.writeFileSync(
        file,
        [
          'rule_files:',
          `  - ${JSON.stringify(stackPaths.rules)}`,
          'evaluation_interval: 1m',
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          '      - series: up{job="flagstage-backend",instance="b1"}',
          '        values: 1x10',
          '    alert_rule_test:',
          '      - eval_time: 10m',
          '        alertname: FlagstageBackendDown',
          '        exp_alerts:',
          '          - exp_labels: { severity: critical, job: flagstage-backend, instance: b1 }',
          '',
        ].join('\n'),
      );
      const result = runPromtool(promtool, ['test', 'rules', file], dir);
      expect(result.output).toContain('FAILED');
      expect(result.status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
