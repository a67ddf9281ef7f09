import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/manifests';
import {
  INSTANCE_LABELS,
  manifestRules,
} from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/manifestRules';
import { schemaErrors } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/schemas';
import { podRules, podSpecsOf } from './__testUtils__/podRules';
import {
  chartDir,
  describeWithHelm,
  find,
  helm,
  render,
  repoRoot,
  valuesFile,
} from './__testUtils__/helm';

/**
 * charts/flagstage rendered by the real Helm: lint, both values files, the
 * schema refusing bad values, every object against the official Kubernetes
 * and Argo schemas and the project's manifest rules, and the pod rules.
 */

const VALUES_FILES = [[], ['values-small.yaml'], ['values-production.yaml']];
/**
 * manifestRules' label rules are for instance objects (Services, policies,
 * pods made per start); the chart's own Services and NetworkPolicies get the
 * other rules (names, explicit allows) through a copy carrying placeholder
 * instance labels. The chart's test Pod is left to podRules.
 */
const asPlatformObject = (m: Manifest): Manifest[] => {
  if (m.object.kind === 'Pod') return [];
  if (!['Service', 'NetworkPolicy'].includes(m.object.kind)) return [m];
  const labels = Object.fromEntries(INSTANCE_LABELS.map(l => [l, 'flagstage']));
  return [
    {
      ...m,
      object: { ...m.object, metadata: { ...m.object.metadata, labels } },
    },
  ];
};

/** API groups kubernetes-models has no schema for (CRDs of other projects). */
const NO_SCHEMA = /^(monitoring\.coreos\.com|gateway\.networking\.k8s\.io)\//;

describeWithHelm()('charts/flagstage', () => {
  it('helm lint --strict passes with each values file', () => {
    for (const files of VALUES_FILES) {
      const r = helm([
        'lint',
        '.',
        '--strict',
        '--namespace',
        'flagstage',
        ...files.flatMap(f => ['-f', f]),
      ]);
      expect({ files, status: r.status, out: r.stdout }).toMatchObject({
        status: 0,
      });
      expect(r.stdout).toContain('0 chart(s) failed');
    }
  });

  it('is rendered by Helm v3.22.0 for the Kubernetes its client-go targets, not the 1.20 default', () => {
    expect(helm(['version', '--template', '{{.Version}}']).stdout).toBe(
      'v3.22.0',
    );
    const r = helm([
      'template',
      '.',
      '--namespace',
      'flagstage',
      '--debug',
      '--show-only',
      'templates/worker.yaml',
    ]);
    expect(r.status).toBe(0);
    const chart = fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8');
    // kubeVersion >=1.30 in Chart.yaml would refuse a 1.20 default outright.
    expect(chart).toMatch(/kubeVersion: '>=1\.30/);
  });

  it('renders the small and the production values with what each promises', () => {
    const small = render(['values-small.yaml']);
    const prod = render(['values-production.yaml']);
    const replicas = (ms: typeof small, name: string) =>
      find(ms, 'Deployment', name).spec.replicas;
    for (const name of [
      'flagstage-backend',
      'flagstage-worker',
      'flagstage-gateway',
    ])
      expect(replicas(small, name)).toBe(1);
    expect(small.some(m => m.object.kind === 'HorizontalPodAutoscaler')).toBe(
      false,
    );
    expect(replicas(prod, 'flagstage-backend')).toBeGreaterThanOrEqual(2);
    expect(replicas(prod, 'flagstage-worker')).toBeGreaterThanOrEqual(2);
    // The gateway's replicas belong to its HPA in production.
    expect(
      find(prod, 'Deployment', 'flagstage-gateway').spec.replicas,
    ).toBeUndefined();
    expect(
      find(prod, 'HorizontalPodAutoscaler', 'flagstage-gateway').spec
        .minReplicas,
    ).toBeGreaterThanOrEqual(2);
    expect(
      find(prod, 'PodDisruptionBudget', 'flagstage-gateway').spec.minAvailable,
    ).toBeGreaterThanOrEqual(1);
    // The chart's one home of the Argo templates: all of them, verbatim.
    const kinds = prod.map(m => `${m.object.kind}/${m.object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'WorkflowTemplate/start-challenge',
        'WorkflowTemplate/stop-challenge',
        'WorkflowTemplate/build-challenge',
        'CronWorkflow/cleanup-expired',
        'ValidatingAdmissionPolicy/flagstage-delete-own-namespaces-only',
        'Service/flagstage-gateway-tcp',
        'Ingress/flagstage-gateway',
        'ServiceMonitor/flagstage-backend',
        'PodMonitor/flagstage-worker',
        'PrometheusRule/flagstage',
      ]),
    );
    expect(find(prod, 'Service', 'flagstage-gateway-tcp').spec.type).toBe(
      'LoadBalancer',
    );
    expect(
      find(prod, 'Ingress', 'flagstage-gateway').spec.rules.map(
        (r: any) => r.host,
      ),
    ).toEqual(['*.play.example.org', 'play.example.org']);
  });

  it('every rendered object validates against the official schemas and keeps the manifest rules', () => {
    for (const files of VALUES_FILES) {
      const all = render(files, [
        '--set',
        'gateway.httpRoute.enabled=true',
        '--set',
        'gateway.httpRoute.parentRefs[0].name=public',
      ]);
      const checkable = all.filter(m => !NO_SCHEMA.test(m.object.apiVersion));
      expect(checkable.length).toBeGreaterThan(40);
      expect(schemaErrors(checkable)).toEqual([]);
      expect(manifestRules(all.flatMap(asPlatformObject))).toEqual([]);
      expect(podRules(all)).toEqual([]);
      // The CRDs of other projects, by shape.
      for (const m of all.filter(x => NO_SCHEMA.test(x.object.apiVersion))) {
        expect(m.object.metadata.name).toMatch(/^[a-z0-9-]+$/);
        expect(m.object.spec).toBeDefined();
      }
    }
  });

  it('the pod rules catch what they promise (negative cases)', () => {
    const all = render(['values-production.yaml']);
    const gateway = find(all, 'Deployment', 'flagstage-gateway');
    const c = gateway.spec.template.spec.containers[0];
    delete c.readinessProbe;
    c.securityContext.readOnlyRootFilesystem = false;
    delete c.resources.limits.memory;
    gateway.spec.template.spec.securityContext.seccompProfile = undefined;
    delete gateway.spec.template.spec.topologySpreadConstraints;
    expect(podRules(all)).toEqual([
      expect.stringMatching(/flagstage-gateway.*seccomp/),
      expect.stringMatching(/flagstage-gateway.*topologySpreadConstraints/),
      expect.stringMatching(/gateway.*limits\.memory/),
      expect.stringMatching(/gateway.*readOnlyRootFilesystem/),
      expect.stringMatching(/gateway.*readinessProbe/),
    ]);
    expect(podSpecsOf(all).map(p => p.name)).toEqual(
      expect.arrayContaining([
        'Deployment/flagstage-backend',
        'Deployment/flagstage-worker',
        'Pod/flagstage-chart-test',
      ]),
    );
  });

  it.each([
    [{ domain: 'https://ctf.example.org' }, "at '/domain'"],
    [{ gatewayDomain: 'Play.Example.org' }, "at '/gatewayDomain'"],
    [{ backend: { replicas: 0 } }, "at '/backend/replicas'"],
    [{ worker: { concurrency: 0 } }, "at '/worker/concurrency'"],
    [{ gateway: { namespace: 'edge' } }, "at '/gateway/namespace'"],
    [
      { gateway: { revocationFailureMode: 'maybe' } },
      "at '/gateway/revocationFailureMode'",
    ],
    [
      { gateway: { tcpService: { type: 'External' } } },
      "at '/gateway/tcpService/type'",
    ],
    [
      { gateway: { resources: { limits: { cpu: 'lots', memory: '1Gi' } } } },
      "at '/gateway/resources/limits/cpu'",
    ],
    [
      { networkPolicy: { apiServer: { cidrs: ['kubernetes.default'] } } },
      "at '/networkPolicy/apiServer/cidrs/0'",
    ],
    [{ secrets: { postgres: 'Postgres_Creds' } }, "at '/secrets/postgres'"],
    [
      { backend: { replica: 2 } },
      "additional properties 'replica' not allowed",
    ],
    [{ postgresql: { port: '5432' } }, "at '/postgresql/port'"],
  ])('the schema refuses %j with a message naming it', (values, message) => {
    const r = helm([
      'template',
      'flagstage',
      '.',
      '--namespace',
      'flagstage',
      '-f',
      valuesFile(values),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      "values don't meet the specifications of the schema",
    );
    expect(r.stderr).toContain(message);
  });

  it('refuses a release namespace other than flagstage, and an HPA whose minimum exceeds its maximum', () => {
    const wrongNs = helm(['template', 'flagstage', '.', '--namespace', 'ctf']);
    expect(wrongNs.stderr).toContain(
      'install this chart into the namespace flagstage',
    );
    const hpa = helm([
      'template',
      'flagstage',
      '.',
      '-n',
      'flagstage',
      '-f',
      valuesFile({
        gateway: {
          autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 },
        },
      }),
    ]);
    expect(hpa.stderr).toContain(
      'gateway.autoscaling.minReplicas (5) exceeds maxReplicas (2)',
    );
  });

  it('the Kustomize post-render example applies its patch to the rendered chart', () => {
    const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(f =>
      fs.existsSync(f),
    );
    if (!kubectl) {
      if (process.env.CI)
        throw new Error(
          'kubectl (with Kustomize) is needed for the post-render example',
        );
      return;
    }
    const r = helm([
      'template',
      'flagstage',
      '.',
      '-n',
      'flagstage',
      '--post-renderer',
      './examples/kustomize/post-render.sh',
    ]);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout)
      .map(d => d.toJSON())
      .filter(Boolean);
    const gateway = docs.find(
      o => o.kind === 'Deployment' && o.metadata.name === 'flagstage-gateway',
    );
    expect(gateway.spec.template.spec.nodeSelector).toEqual({
      'node-role.example.org/edge': 'true',
    });
    // Helm 3 hands hooks (the test Pod) to no post-renderer.
    const rendered = docs.filter(
      o => !o.metadata.annotations?.['helm.sh/hook'],
    );
    expect(rendered.length).toBeGreaterThan(40);
    expect(
      rendered.filter(
        o => o.metadata.labels?.['example.org/cost-centre'] !== 'ctf',
      ),
    ).toEqual([]);
    // Argo's own template syntax passes through Kustomize untouched.
    const start = docs.find(
      o =>
        o.kind === 'WorkflowTemplate' && o.metadata.name === 'start-challenge',
    );
    expect(JSON.stringify(start)).toContain(
      '{{workflow.parameters.namespace}}',
    );
  });

  it("packages with the observability files behind the symlink, and the Argo files are the worker tests' files", () => {
    const link = path.join(chartDir, 'files/observability');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(link)).toBe(path.join(repoRoot, 'observability'));
    const out = fs.mkdtempSync(
      path.join(require('node:os').tmpdir(), 'flagstage-pkg-'),
    );
    const r = helm(['package', '.', '--destination', out]);
    expect(r.status).toBe(0);
    const tgz = path.join(out, 'flagstage-0.1.0.tgz');
    const list = require('node:child_process').execFileSync(
      'tar',
      ['tzf', tgz],
      { encoding: 'utf8' },
    );
    expect(list).toContain(
      'flagstage/files/observability/kubernetes/servicemonitors.yaml',
    );
    expect(list).toContain(
      'flagstage/files/observability/grafana/dashboards/gateway.json',
    );
    expect(list).not.toContain('runbook.md');
    expect(list).toContain('flagstage/files/argo/start-challenge.yaml');
    expect(fs.readdirSync(path.join(repoRoot, 'argo-templates'))).toEqual([
      'README.md',
    ]);
  });
});
