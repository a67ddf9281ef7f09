import type * as ArgoModels from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1';
import {
  Manifest,
  createdManifests,
  evaluateWhen,
  loadAllTemplates,
  parametersWithDefaults,
  substitute,
  templateFiles,
} from './__testUtils__/manifests';
import { manifestRules } from './__testUtils__/manifestRules';
import { loadModels, schemaErrors } from './__testUtils__/schemas';
import { rbacOf } from './__testUtils__/rbac';

/**
 * charts/flagstage/files/argo/ (the Argo templates and RBAC) checked offline: every document against the official
 * Kubernetes / Argo schemas, every manifest the templates create (with
 * sample parameters substituted) against the schemas too, and everything
 * against Flagstage's own rules (manifestRules).
 */

const ID = '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f';
const sample = (overrides: Record<string, string> = {}) => ({
  namespace: `fs-${ID}`,
  'instance-id': ID,
  'contest-id': 'c1',
  'team-id': 't1',
  challenge: 'web-cookie-jar',
  image: 'registry.example/web-cookie-jar:1',
  port: '8080',
  protocol: 'http',
  'expires-at': '2000000000',
  'active-deadline-seconds': '3600',
  cpu: '250m',
  memory: '128Mi',
  harden: 'false',
  gvisor: 'false',
  'flag-secret': `flag-${ID}`,
  ...overrides,
});

const all = loadAllTemplates();
const find = (kind: string, name: string) => {
  const found = all.find(
    m => m.object.kind === kind && m.object.metadata?.name === name,
  );
  if (!found)
    throw new Error(`no ${kind}/${name} in charts/flagstage/files/argo/`);
  return found;
};
const start = find('WorkflowTemplate', 'start-challenge');
const startCreates = (overrides: Record<string, string> = {}) =>
  createdManifests(start, parametersWithDefaults(start, sample(overrides)));
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const jobOf = (ms: Manifest[]) => {
  const jobs = ms.filter(m => m.object.kind === 'Job');
  expect(jobs).toHaveLength(1);
  return jobs[0].object;
};

describe('charts/flagstage/files/argo/', () => {
  it('has the templates and RBAC files, every document with kind and apiVersion', () => {
    expect(templateFiles().length).toBeGreaterThanOrEqual(8);
    const kinds = all.map(m => `${m.object.kind}/${m.object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'WorkflowTemplate/start-challenge',
        'WorkflowTemplate/stop-challenge',
        'WorkflowTemplate/build-challenge',
        'CronWorkflow/cleanup-expired',
        ...['deployer', 'cleanup', 'builder', 'worker'].map(
          n => `ServiceAccount/flagstage-${n}`,
        ),
        'ClusterRole/flagstage-deployer',
        'ClusterRole/flagstage-worker',
        'Role/flagstage-worker',
      ]),
    );
  });

  it('every document validates against the official Kubernetes and Argo schemas', () => {
    expect(schemaErrors(all)).toEqual([]);
  });

  it('every document keeps the Flagstage rules', () => {
    expect(manifestRules(all)).toEqual([]);
  });

  it('the schema check is real: typed Argo models reject a wrong type and a missing field', () => {
    const { WorkflowTemplate, CronWorkflow } = loadModels<typeof ArgoModels>(
      '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/index',
    );
    const broken = clone(start.object);
    broken.spec.activeDeadlineSeconds = 'soon';
    expect(() => new WorkflowTemplate(broken as any).validate()).toThrow(
      /activeDeadlineSeconds/,
    );
    const cron = clone(find('CronWorkflow', 'cleanup-expired').object);
    delete cron.spec.workflowSpec;
    expect(() => new CronWorkflow(cron as any).validate()).toThrow(
      /workflowSpec/,
    );
  });

  describe('start-challenge', () => {
    it('is a dag of resource templates, with deadline, TTL, pod GC and the deployer account', () => {
      const spec = start.object.spec;
      expect(spec.activeDeadlineSeconds).toBe(120);
      expect(spec.ttlStrategy).toBeDefined();
      expect(spec.podGC).toBeDefined();
      expect(spec.serviceAccountName).toBe('flagstage-deployer');
      const entry = spec.templates.find((t: any) => t.name === spec.entrypoint);
      expect(entry.dag).toBeDefined();
      expect(spec.templates.some((t: any) => t.steps)).toBe(false);
      // The namespace comes first: every other task depends on it (directly or through the Job's dependencies).
      const tasks = entry.dag.tasks as { name: string; depends?: string }[];
      const first = tasks.filter(t => !t.depends).map(t => t.name);
      expect(first).toEqual(['namespace']);
    });

    it.each([
      ['false', 'false'],
      ['true', 'false'],
      ['false', 'true'],
      ['true', 'true'],
    ])(
      'harden=%s gvisor=%s: creates exactly one Job, valid, rule-compliant, configured as asked',
      (harden, gvisor) => {
        const created = startCreates({ harden, gvisor });
        expect(created.map(m => m.object.kind).sort()).toEqual([
          'Job',
          'Namespace',
          'NetworkPolicy',
          'NetworkPolicy',
          'NetworkPolicy',
          'Service',
        ]);
        expect(schemaErrors(created)).toEqual([]);
        expect(manifestRules(created)).toEqual([]);
        const job = jobOf(created);
        const pod = job.spec.template.spec;
        const [container] = pod.containers;
        expect(container.securityContext.readOnlyRootFilesystem).toBe(
          harden === 'true',
        );
        expect(pod.runtimeClassName).toBe(
          gvisor === 'true' ? 'gvisor' : undefined,
        );
      },
    );

    it('the Job: requests/limits from cpu and memory, probe on the port, FLAG from the secret, deadline, non-root', () => {
      const job = jobOf(
        startCreates({ cpu: '1', memory: '1Gi', port: '31337' }),
      );
      expect(job.metadata.name).toBe('challenge');
      expect(job.spec.activeDeadlineSeconds).toBe(3600);
      expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
      expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels);
      const pod = job.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const [c] = pod.containers;
      expect(c.name).toBe('challenge');
      expect(c.resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
      expect(c.resources.limits).toMatchObject({ cpu: '1', memory: '1Gi' });
      expect(c.readinessProbe.tcpSocket.port).toBe(31337);
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.env.find((e: any) => e.name === 'FLAG').valueFrom).toEqual({
        secretKeyRef: { name: 'flag', key: 'FLAG', optional: true },
      });
      expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    });

    it('the namespace has every Flagstage label incl. expires-at; the Service maps 3333 to the port', () => {
      const created = startCreates({ port: '31337' });
      const ns = created.find(m => m.object.kind === 'Namespace')!.object;
      expect(ns.metadata).toMatchObject({
        name: `fs-${ID}`,
        labels: {
          'app.kubernetes.io/managed-by': 'flagstage',
          'flagstage.io/instance': ID,
          'flagstage.io/contest': 'c1',
          'flagstage.io/team': 't1',
          'flagstage.io/challenge': 'web-cookie-jar',
          'flagstage.io/expires-at': '2000000000',
        },
      });
      const svc = created.find(m => m.object.kind === 'Service')!.object;
      expect(svc.metadata.name).toBe('challenge');
      expect(svc.spec.ports).toEqual([
        { name: 'challenge', port: 3333, targetPort: 31337, protocol: 'TCP' },
      ]);
    });

    it('network policies: deny-all, ingress only from the gateway namespace on the port, egress only DNS to kube-system', () => {
      const policies = startCreates({ port: '31337' })
        .filter(m => m.object.kind === 'NetworkPolicy')
        .map(m => m.object);
      expect(policies.map(p => p.metadata.name).sort()).toEqual([
        'allow-dns',
        'allow-gateway',
        'deny-all',
      ]);
      const ingress = policies.flatMap(p => p.spec.ingress ?? []);
      expect(ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name': 'flagstage-gateway',
                },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 31337 }],
        },
      ]);
      const egress = policies.flatMap(p => p.spec.egress ?? []);
      expect(egress).toEqual([
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
              },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ]);
      // The gateway namespace is a parameter.
      const other = startCreates({ 'gateway-namespace': 'edge' })
        .filter(m => m.object.metadata.name === 'allow-gateway')
        .map(m => m.object.spec.ingress[0].from[0].namespaceSelector);
      expect(other).toEqual([
        { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
      ]);
    });

    it('copies the pull secret and the flag Secret with a container that never prints them', () => {
      const copy = start.object.spec.templates.find(
        (t: any) => t.name === 'copy-secrets',
      );
      const env = Object.fromEntries(
        copy.container.env.map((e: any) => [e.name, e.value]),
      );
      expect(env.PULL_SECRET).toBe('{{workflow.parameters.image-pull-secret}}');
      expect(env.FLAG_SECRET).toBe('{{workflow.parameters.flag-secret}}');
      const script: string = copy.container.args.join('\n');
      // Parameters reach the shell as variables, never spliced into its text.
      expect(script).not.toMatch(/\{\{/);
      expect(script).not.toMatch(/echo[^\n]*\$data/);
      expect(script).not.toMatch(/set -x/);
    });

    it('a bad parameter value is caught by the schemas', () => {
      expect(schemaErrors(startCreates({ port: 'http' })).join('\n')).toMatch(
        /port/,
      );
    });
  });

  it('stop-challenge deletes only the instance namespace', () => {
    const stop = find('WorkflowTemplate', 'stop-challenge');
    const created = createdManifests(stop, sample());
    expect(created.map(m => [m.object.kind, m.object.metadata.name])).toEqual([
      ['Namespace', `fs-${ID}`],
    ]);
    expect(schemaErrors(created)).toEqual([]);
    const t = stop.object.spec.templates.find((x: any) => x.resource);
    expect(t.resource.action).toBe('delete');
    expect(
      stop.object.spec.arguments.parameters.map((p: any) => p.name),
    ).toEqual(['namespace', 'instance-id']);
  });

  it('cleanup-expired runs every 5 minutes and selects managed-by=flagstage namespaces by expires-at', () => {
    const cron = find('CronWorkflow', 'cleanup-expired').object;
    expect(cron.spec.schedules ?? [cron.spec.schedule]).toEqual([
      '*/5 * * * *',
    ]);
    expect(cron.spec.workflowSpec.serviceAccountName).toBe('flagstage-cleanup');
    const script = JSON.stringify(cron.spec.workflowSpec.templates);
    expect(script).toMatch(/app\.kubernetes\.io\/managed-by=flagstage/);
    expect(script).toMatch(/expires-at/);
  });

  it('build-challenge: Kaniko (the one root exception), an onExit handler with a Bearer token', () => {
    const build = find('WorkflowTemplate', 'build-challenge').object;
    expect(build.spec.onExit).toBeDefined();
    const exit = build.spec.templates.find(
      (t: any) => t.name === build.spec.onExit,
    );
    expect(JSON.stringify(exit)).toMatch(/Authorization: Bearer/);
    expect(JSON.stringify(exit)).toMatch(/workflow\.status/);
    const kaniko = build.spec.templates.find((t: any) => t.name === 'kaniko');
    expect(kaniko.container.image).toMatch(/kaniko/);
    expect(kaniko.container.securityContext.privileged).not.toBe(true);
    // Only Kaniko may be root: renaming any other template to run as root breaks the rules.
    const rooted = clone(find('WorkflowTemplate', 'build-challenge'));
    const report = rooted.object.spec.templates.find(
      (t: any) => t.name === build.spec.onExit,
    );
    report.container.securityContext = {
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    };
    expect(manifestRules([rooted]).join('\n')).toMatch(
      /template report does not set runAsNonRoot: true/,
    );
  });

  it('every WorkflowTemplate and CronWorkflow has a TTL strategy', () => {
    const workflows = all.filter(m =>
      ['WorkflowTemplate', 'CronWorkflow'].includes(m.object.kind),
    );
    expect(workflows).toHaveLength(4);
    for (const m of workflows) {
      const spec =
        m.object.kind === 'CronWorkflow'
          ? m.object.spec.workflowSpec
          : m.object.spec;
      expect(spec.ttlStrategy).toBeDefined();
    }
  });
});

describe('manifestRules catches what the schemas let through', () => {
  const created = () => clone(startCreates());
  const only = (ms: Manifest[], kind: string) =>
    ms.find(m => m.object.kind === kind)!.object;

  it('a container without limits', () => {
    const ms = created();
    delete only(ms, 'Job').spec.template.spec.containers[0].resources.limits;
    expect(schemaErrors(ms)).toEqual([]);
    expect(manifestRules(ms)).toEqual([
      expect.stringMatching(/container challenge has no limits\.cpu$/),
      expect.stringMatching(/container challenge has no limits\.memory$/),
    ]);
  });

  it('a namespace without its deny-all policy', () => {
    const ms = created().filter(m => m.object.metadata.name !== 'deny-all');
    expect(schemaErrors(ms)).toEqual([]);
    expect(manifestRules(ms)).toEqual([
      expect.stringMatching(
        new RegExp(`namespace fs-${ID} has no deny-all NetworkPolicy$`),
      ),
    ]);
    // A "deny-all" that selects only some pods does not count.
    const partial = created();
    partial.find(
      m => m.object.metadata.name === 'deny-all',
    )!.object.spec.podSelector = { matchLabels: { a: 'b' } };
    expect(manifestRules(partial).join()).toMatch(/has no deny-all/);
  });

  it('an allow that is not explicit', () => {
    const ms = created();
    const gateway = ms.find(m => m.object.metadata.name === 'allow-gateway')!;
    delete gateway.object.spec.ingress[0].from;
    const dns = ms.find(m => m.object.metadata.name === 'allow-dns')!;
    delete dns.object.spec.egress[0].ports;
    expect(schemaErrors(ms)).toEqual([]);
    expect(manifestRules(ms)).toEqual([
      expect.stringMatching(
        /NetworkPolicy allow-gateway allows ingress from anywhere$/,
      ),
      expect.stringMatching(
        /NetworkPolicy allow-dns allows egress on every port$/,
      ),
    ]);
  });

  it('missing labels', () => {
    const ms = created();
    delete only(ms, 'Namespace').metadata.labels['flagstage.io/expires-at'];
    delete only(ms, 'Service').metadata.labels['flagstage.io/team'];
    delete only(ms, 'Job').spec.template.metadata.labels;
    expect(schemaErrors(ms)).toEqual([]);
    const problems = manifestRules(ms).join('\n');
    expect(problems).toMatch(/Namespace lacks label flagstage\.io\/expires-at/);
    expect(problems).toMatch(/Service lacks label flagstage\.io\/team/);
    expect(problems).toMatch(
      /Job pod template lacks label flagstage\.io\/instance/,
    );
  });

  it('bad names', () => {
    const ms = created();
    only(ms, 'Service').metadata.name = 'Challenge_1';
    only(ms, 'Job').metadata.name = 'challenge.';
    expect(schemaErrors(ms)).toEqual([]);
    const problems = manifestRules(ms).join('\n');
    expect(problems).toMatch(
      /Service name "Challenge_1" is not a DNS-1123 label/,
    );
    expect(problems).toMatch(
      /Job name "challenge\." is not a DNS-1123 subdomain/,
    );
  });

  it('privileged, escalation, root, capabilities, token mount', () => {
    const ms = created();
    const pod = only(ms, 'Job').spec.template.spec;
    pod.containers[0].securityContext = {
      privileged: true,
      capabilities: { add: ['NET_ADMIN'] },
    };
    delete pod.securityContext.runAsNonRoot;
    delete pod.automountServiceAccountToken;
    expect(schemaErrors(ms)).toEqual([]);
    const problems = manifestRules(ms).join('\n');
    expect(problems).toMatch(/container challenge is privileged/);
    expect(problems).toMatch(/does not set allowPrivilegeEscalation: false/);
    expect(problems).toMatch(/does not set runAsNonRoot: true/);
    expect(problems).toMatch(/does not drop ALL capabilities/);
    expect(problems).toMatch(/adds capabilities/);
    expect(problems).toMatch(/automountServiceAccountToken: false/);
  });

  it('steps instead of a dag, and a template without TTL', () => {
    const t = clone(start);
    t.object.spec.templates[0] = {
      name: 'start',
      steps: [[{ name: 'a', template: 'create-namespace' }]],
    };
    delete t.object.spec.ttlStrategy;
    const problems = manifestRules([t]).join('\n');
    expect(problems).toMatch(/uses steps; write it as a dag/);
    expect(problems).toMatch(/WorkflowTemplate has no ttlStrategy/);
  });
});

describe('test helpers', () => {
  it('substitute refuses unknown references', () => {
    expect(
      substitute(
        '{{workflow.parameters.a}}-{{inputs.parameters.b}}',
        { a: '1' },
        { b: '2' },
      ),
    ).toBe('1-2');
    expect(() => substitute('{{workflow.parameters.typo}}', {})).toThrow(
      /no value/,
    );
  });

  it('evaluateWhen handles ==, !=, && and ||, and refuses anything else', () => {
    expect(evaluateWhen("'a' == 'a' && 'b' != 'c'")).toBe(true);
    expect(evaluateWhen("'a' == 'b' || 'b' == 'b'")).toBe(true);
    expect(evaluateWhen("'a' != 'a' && 'b' == 'b'")).toBe(false);
    expect(() => evaluateWhen('{{x}} > 2')).toThrow(/unsupported/);
  });
});

describe('rbac/: least privilege', () => {
  const rbac = rbacOf(all);
  const deployer = 'argo/flagstage-deployer';
  const cleanup = 'argo/flagstage-cleanup';
  const builder = 'argo/flagstage-builder';
  const worker = 'flagstage/flagstage-worker';
  const core = (verb: string, resource: string, namespace?: string) => ({
    verb,
    group: '',
    resource,
    namespace,
  });
  const workflows = (verb: string, namespace?: string) => ({
    verb,
    group: 'argoproj.io',
    resource: 'workflows',
    namespace,
  });
  const rules = all.flatMap(m => m.object.rules ?? []);

  it('every binding points at a defined role and service account; every workflow runs as a defined account', () => {
    expect(rbac.danglingReferences()).toEqual([]);
    const accounts = all
      .filter(m => m.object.kind === 'ServiceAccount')
      .map(m => `${m.object.metadata.namespace}/${m.object.metadata.name}`);
    for (const m of all.filter(x =>
      ['WorkflowTemplate', 'CronWorkflow'].includes(x.object.kind),
    )) {
      const spec =
        m.object.kind === 'CronWorkflow'
          ? m.object.spec.workflowSpec
          : m.object.spec;
      expect(accounts).toContain(`argo/${spec.serviceAccountName}`);
    }
  });

  it('no wildcards, and nobody may escalate, bind or impersonate', () => {
    for (const r of rules) {
      for (const list of [r.apiGroups, r.resources, r.verbs])
        expect(list).not.toContain('*');
      for (const verb of ['escalate', 'bind', 'impersonate'])
        expect(r.verbs).not.toContain(verb);
    }
  });

  it('the evaluator is not vacuous: it says yes to what is granted', () => {
    expect(rbac.can(deployer, core('get', 'secrets', 'argo'))).toBe(true);
    expect(rbac.can('argo/nobody', core('get', 'secrets', 'argo'))).toBe(false);
  });

  it('flagstage-deployer: namespaces, create-only in instance namespaces, reads secrets only in argo', () => {
    for (const verb of ['create', 'delete'])
      expect(rbac.can(deployer, core(verb, 'namespaces'))).toBe(true);
    const ns = `fs-${ID}`;
    for (const [group, resource] of [
      ['', 'services'],
      ['', 'secrets'],
      ['networking.k8s.io', 'networkpolicies'],
      ['batch', 'jobs'],
    ]) {
      expect(
        rbac.can(deployer, { verb: 'create', group, resource, namespace: ns }),
      ).toBe(true);
      for (const verb of ['get', 'list', 'update', 'patch', 'delete'])
        expect(
          rbac.can(deployer, { verb, group, resource, namespace: ns }),
        ).toBe(false);
    }
    expect(rbac.can(deployer, core('get', 'secrets', 'argo'))).toBe(true);
    expect(rbac.can(deployer, core('get', 'secrets', 'kube-system'))).toBe(
      false,
    );
    expect(rbac.can(deployer, core('list', 'secrets', 'argo'))).toBe(false);
    expect(rbac.can(deployer, core('create', 'pods', ns))).toBe(false);
  });

  it('flagstage-cleanup: list and delete namespaces, nothing else', () => {
    expect(rbac.can(cleanup, core('list', 'namespaces'))).toBe(true);
    expect(rbac.can(cleanup, core('delete', 'namespaces'))).toBe(true);
    expect(rbac.can(cleanup, core('create', 'namespaces'))).toBe(false);
    expect(rbac.can(cleanup, core('get', 'secrets', 'argo'))).toBe(false);
  });

  it('flagstage-builder: no Kubernetes access beyond reporting task results', () => {
    for (const access of [
      core('get', 'secrets', 'argo'),
      core('create', 'pods', 'argo'),
      core('list', 'namespaces'),
      workflows('create', 'argo'),
    ])
      expect(rbac.can(builder, access)).toBe(false);
    expect(
      rbac.can(builder, {
        verb: 'create',
        group: 'argoproj.io',
        resource: 'workflowtaskresults',
        namespace: 'argo',
      }),
    ).toBe(true);
  });

  it('flagstage-worker: workflows and secrets in argo only, pods and namespaces watched cluster-wide, namespaces deletable', () => {
    for (const verb of ['create', 'get', 'list', 'watch', 'delete'])
      expect(rbac.can(worker, workflows(verb, 'argo'))).toBe(true);
    expect(rbac.can(worker, workflows('create', 'default'))).toBe(false);
    expect(rbac.can(worker, workflows('update', 'argo'))).toBe(false);
    for (const verb of ['create', 'delete'])
      expect(rbac.can(worker, core(verb, 'secrets', 'argo'))).toBe(true);
    expect(rbac.can(worker, core('get', 'secrets', 'argo'))).toBe(false);
    expect(rbac.can(worker, core('create', 'secrets', `fs-${ID}`))).toBe(false);
    for (const resource of ['pods', 'namespaces'])
      for (const verb of ['list', 'watch'])
        expect(rbac.can(worker, core(verb, resource))).toBe(true);
    // RBAC cannot say "only namespaces labelled managed-by=flagstage":
    // the grant is for all namespaces, admission-guard.yaml narrows it.
    expect(rbac.can(worker, core('delete', 'namespaces'))).toBe(true);
    expect(rbac.can(worker, core('delete', 'pods', `fs-${ID}`))).toBe(false);
    // The listener reads a deleted pod's Job (the deadline): get only.
    const jobs = (verb: string) => ({
      verb,
      group: 'batch',
      resource: 'jobs',
      namespace: `fs-${ID}`,
    });
    expect(rbac.can(worker, jobs('get'))).toBe(true);
    for (const verb of ['list', 'create', 'delete'])
      expect(rbac.can(worker, jobs(verb))).toBe(false);
  });

  it('admission-guard names exactly the accounts that can delete namespaces, and only allows managed-by=flagstage', () => {
    const policy = find(
      'ValidatingAdmissionPolicy',
      'flagstage-delete-own-namespaces-only',
    ).object;
    const named = [
      ...policy.spec.matchConditions[0].expression.matchAll(
        /system:serviceaccount:([^:']+):([^']+)/g,
      ),
    ].map(m => `${m[1]}/${m[2]}`);
    const accounts = all
      .filter(m => m.object.kind === 'ServiceAccount')
      .map(m => `${m.object.metadata.namespace}/${m.object.metadata.name}`);
    const deleters = accounts.filter(sa =>
      rbac.can(sa, core('delete', 'namespaces')),
    );
    expect(named.sort()).toEqual(deleters.sort());
    expect(policy.spec.validations[0].expression).toMatch(
      /app\.kubernetes\.io\/managed-by'\] == 'flagstage'/,
    );
    expect(
      find(
        'ValidatingAdmissionPolicyBinding',
        'flagstage-delete-own-namespaces-only',
      ).object.spec.validationActions,
    ).toEqual(['Deny']);
  });
});
