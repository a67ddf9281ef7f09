import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_OBJECTS } from '@backstage/plugin-kubernetes-backend';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import {
  KubernetesDriver,
  PodListener,
  Reconciler,
} from '@flagstage/plugin-deployment-worker/src/k8s';
import {
  rbacOf,
  type Access,
} from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/rbac';
import { KubernetesLogs } from '@flagstage/plugin-observability-backend/src/logs/KubernetesLogs';
import { accessOf, describeAccess } from './__testUtils__/apiCalls';
import { describeWithHelm, render } from './__testUtils__/helm';
import { InstanceRows } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/instanceRows';
import { startRequest, waitFor } from './__testUtils__/instances';

/**
 * RBAC is exactly what the code uses: the Kubernetes calls the worker's
 * driver, pod listener and reconciler and the portal's log views make during
 * a representative run on the API simulator are recorded (sim.requests) and
 * each must be allowed to that component's ServiceAccount by the rendered
 * Roles; every granted rule must be used, or be listed below with why.
 */

const WORKER = 'flagstage/flagstage-worker';
const BACKEND = 'flagstage/flagstage-backend';

/** Granted but not exercised by the run, each with the reason it stays. */
const JUSTIFIED: Record<string, string> = {
  [`${WORKER}: delete argoproj.io/workflows in argo`]:
    "not called by the code today; the worker's documented grant, pinned by deployment-worker's templates.test.ts",
  [`${BACKEND}: list metrics.k8s.io/pods`]:
    "the entity Kubernetes tab's pod CPU/memory (metrics-server); proven allowed on the real control plane by kubernetes.real.e2e",
  ...Object.fromEntries(
    DEFAULT_OBJECTS.filter(o => o.plural !== 'pods').map(o => [
      `${BACKEND}: list ${o.group ? `${o.group}/` : ''}${o.plural}`,
      "the entity Kubernetes tab (@backstage/plugin-kubernetes-backend) lists its DEFAULT_OBJECTS; the simulator serves only Flagstage's kinds",
    ]),
  ),
};

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/** Every (verb, group, resource, namespace) a ServiceAccount is granted, from the rendered bindings. */
function grants(ms: ReturnType<typeof render>, serviceAccount: string) {
  const [ns, name] = serviceAccount.split('/');
  const objects = ms.map(m => m.object);
  return objects
    .filter(
      b =>
        /Binding$/.test(b.kind) &&
        (b.subjects ?? []).some(
          (s: any) => s.name === name && s.namespace === ns,
        ),
    )
    .flatMap(b => {
      const role = objects.find(
        o =>
          o.kind === b.roleRef.kind &&
          o.metadata.name === b.roleRef.name &&
          (o.kind === 'ClusterRole' ||
            o.metadata.namespace === b.metadata.namespace),
      );
      const scope = b.kind === 'RoleBinding' ? b.metadata.namespace : undefined;
      if (!role)
        throw new Error(
          `${b.kind} ${b.metadata.name}: no ${b.roleRef.kind} ${b.roleRef.name}`,
        );
      return (role.rules as Rule[]).flatMap(r =>
        r.apiGroups.flatMap(group =>
          r.resources.flatMap(resource =>
            r.verbs.map(verb => ({ verb, group, resource, namespace: scope })),
          ),
        ),
      );
    });
}

const used = (grant: Access, calls: Access[]) =>
  calls.some(
    c =>
      c.verb === grant.verb &&
      c.group === grant.group &&
      c.resource === grant.resource &&
      (grant.namespace === undefined || grant.namespace === c.namespace),
  );

describeWithHelm()(
  'RBAC of the rendered chart against the calls the code makes',
  () => {
    const rendered = render(['values-production.yaml']);
    const rbac = rbacOf(rendered);
    let sim: KubeSimulator;
    const calls: Record<string, Array<Access & { path: string }>> = {
      [WORKER]: [],
      [BACKEND]: [],
    };

    beforeAll(async () => {
      sim = await KubeSimulator.start({ podReadyDelayMs: 50 });
      const logger = mockServices.logger.mock();
      const rows = new InstanceRows();
      const driver = new KubernetesDriver({
        kubeConfig: sim.kubeConfig(),
        logger,
        registry: 'registry.example/ctf',
      });
      await driver.connect();
      const listener = new PodListener({
        kubeConfig: sim.kubeConfig(),
        instances: rows,
        logger,
        workflows: driver.workflowCache,
        teardown: id => driver.teardown(id),
      });
      await listener.start();
      const reconciler = new Reconciler({
        kubeConfig: sim.kubeConfig(),
        instances: rows,
        runtime: driver,
        logger,
        deployDeadlineMs: 60_000,
        graceMs: 0,
      });
      try {
        // start → RUNNING, a redelivered start, stop.
        rows.add('run1', 'DEPLOYING', 0);
        await driver.start(startRequest('run1'));
        await driver.start(startRequest('run1'));
        await waitFor(() => rows.state('run1') === 'RUNNING');
        rows.add('run2', 'DEPLOYING', 0);
        await driver.start(startRequest('run2'));
        await waitFor(() => rows.state('run2') === 'RUNNING');
        // The Job's deadline: its pod deleted, the listener reads the Job.
        sim.faults.jobDeadline(50, wf => wf.metadata.name === 'start-brief');
        rows.add('brief', 'DEPLOYING', 0);
        await driver.start(startRequest('brief'));
        await waitFor(() => rows.state('brief') === 'FAILED');
        await driver.stop('run1');
        await waitFor(() => !sim.get('namespaces', undefined, 'fs-run1'));
        // A build, submitted twice (the token Secret is replaced).
        const build = {
          buildId: 'b1',
          token: 'single-use',
          callbackUrl:
            'http://flagstage-backend.flagstage.svc:7007/api/deployment/builds/b1/callback',
          entity: {
            apiVersion: 'flagstage.io/v1alpha1',
            kind: 'Challenge',
            metadata: {
              name: 'web',
              annotations: {
                'flagstage.io/build-context': 'git://git.example/web.git',
              },
            },
            spec: { runtime: { build: { context: '.' } } },
          },
        };
        await driver.submitBuild(build as any);
        await driver.submitBuild(build as any);
        // Reconcile: a ghost namespace, an orphan row, a stuck deploy.
        sim.create('namespaces', {
          metadata: {
            name: 'fs-ghost',
            labels: {
              'app.kubernetes.io/managed-by': 'flagstage',
              'flagstage.io/instance': 'ghost',
            },
          },
        });
        rows.add('orphan', 'RUNNING', 10_000);
        rows.add('stuck', 'DEPLOYING', 120_000);
        await reconciler.run();
      } finally {
        await listener.stop();
        await driver.disconnect();
      }
      const workerRequests = sim.requests.length;
      // The portal's log views: the start workflow's pods and the challenge pod.
      const logs = new KubernetesLogs(sim.kubeConfig(), {
        argoNamespace: 'argo',
      });
      await logs.podLogs('run2', {}).catch(() => undefined);
      await logs.workflowLogs('run2', {}).catch(() => undefined);
      calls[WORKER] = sim.requests.slice(0, workerRequests).map(accessOf);
      calls[BACKEND] = sim.requests.slice(workerRequests).map(accessOf);
    }, 60_000);

    afterAll(() => sim?.close());

    it.each([WORKER, BACKEND])(
      'every call %s makes is allowed by its rendered Roles',
      sa => {
        expect(calls[sa].length).toBeGreaterThan(sa === WORKER ? 20 : 2);
        const denied = calls[sa]
          .filter(c => !rbac.can(sa, c))
          .map(c => `${describeAccess(c)} (${c.path})`);
        expect(denied).toEqual([]);
      },
    );

    it('the run exercised the flows it claims', () => {
      const seen = new Set(calls[WORKER].map(describeAccess));
      for (const a of [
        'create argoproj.io/workflows in argo',
        'watch argoproj.io/workflows in argo',
        'create secrets in argo',
        'update secrets in argo',
        'watch pods (cluster)',
        'list namespaces (cluster)',
        'delete namespaces (cluster)',
        'get batch/jobs in fs-brief',
      ])
        expect(seen).toContain(a);
      expect(new Set(calls[BACKEND].map(describeAccess))).toEqual(
        new Set([
          'list pods in fs-run2',
          'get pods/log in fs-run2',
          'list pods in argo',
        ]),
      );
    });

    it.each([WORKER, BACKEND])(
      'no rule granted to %s goes unused without a reason',
      sa => {
        const unused = grants(rendered, sa)
          .filter(g => !used(g, calls[sa]))
          .map(
            g =>
              `${sa}: ${g.verb} ${g.group ? `${g.group}/` : ''}${g.resource}${
                g.namespace ? ` in ${g.namespace}` : ''
              }`,
          )
          .filter(k => !JUSTIFIED[k]);
        expect(unused).toEqual([]);
      },
    );

    it('justifications name rules that exist and that the run did not use', () => {
      const granted = new Set(
        [WORKER, BACKEND].flatMap(sa =>
          grants(rendered, sa).map(
            g =>
              `${sa}: ${g.verb} ${g.group ? `${g.group}/` : ''}${g.resource}${
                g.namespace ? ` in ${g.namespace}` : ''
              }`,
          ),
        ),
      );
      expect(Object.keys(JUSTIFIED).filter(k => !granted.has(k))).toEqual([]);
      const exercised = new Set(
        [WORKER, BACKEND].flatMap(sa =>
          calls[sa].map(
            c =>
              `${sa}: ${c.verb} ${c.group ? `${c.group}/` : ''}${c.resource}`,
          ),
        ),
      );
      expect(
        Object.keys(JUSTIFIED).filter(k =>
          exercised.has(k.replace(/ in argo$/, '')),
        ),
      ).toEqual([]);
    });
  },
);
