import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ControlPlane,
  describeWithControlPlane,
} from '@flagstage/k8s-control-plane';
import { ChallengeEntityProcessor } from '@flagstage/plugin-catalog-backend-module-challenges';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import observabilityPlugin from '@flagstage/plugin-observability-backend';
import {
  challengeEntity,
  eventually,
  fakeContestPlugin,
  freePort,
  repoRoot,
  testDeploymentConfig,
} from './__testUtils__/e2e';
import { instanceApi } from './__testUtils__/instanceApi';
import {
  KubernetesViewsBackend,
  startKubernetesBackend,
} from './__testUtils__/kubernetesBackendProcess';

/**
 * The production runtime path end to end on a real control plane (etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kwok, Argo's
 * workflow-controller; packages/k8s-control-plane): the Argo templates and
 * RBAC applied as an operator would, the admission policies and Roles
 * checked by the real API server, and the worker, listener and reconciler
 * working with the worker's own ServiceAccount token. Pods are faked by kwok
 * and Argo's executor is the harness's stand-in (see its README).
 */

// A cold machine builds the tools first (tens of minutes; CI builds them
// in the background before the tests).
const SETUP_TIMEOUT = 45 * 60_000;
jest.setTimeout(120_000);

const CHART = path.join(repoRoot, 'charts', 'flagstage');
const HELM_SH = path.join(repoRoot, 'scripts', 'tools', 'helm.sh');
const FAULTS = {
  pullError: ['registry.example/nope:0'],
  crash: ['registry.example/crash:1'],
  pending: ['registry.example/stuck:1'],
};
/** What @backstage/plugin-kubernetes-backend lists for an entity (DEFAULT_OBJECTS). */
const KUBERNETES_TAB_OBJECTS = [
  'pods',
  'services',
  'configmaps',
  'limitranges',
  'resourcequotas',
  'deployments.apps',
  'replicasets.apps',
  'horizontalpodautoscalers.autoscaling',
  'jobs.batch',
  'cronjobs.batch',
  'ingresses.networking.k8s.io',
  'statefulsets.apps',
  'daemonsets.apps',
];
const fakeContest = fakeContestPlugin(team => `flagstage{team-${team}}`);
const challenge = (name: string, image: string) =>
  challengeEntity(name, {
    protocol: 'http',
    port: 8080,
    ttlSeconds: 1800,
    image,
  });

/** The web Challenge as the catalog stores it (label selector annotated). */
const webEntity = () =>
  new ChallengeEntityProcessor().preProcessEntity(
    challenge('web', 'registry.example/web:1') as any,
  );

/**
 * The operator's install: the chart rendered with the project's Helm
 * (scripts/tools/helm.sh) and applied, into the namespaces it expects.
 */
async function installFlagstage(plane: ControlPlane) {
  const helm = execFileSync('bash', [HELM_SH], { encoding: 'utf8' }).trim();
  const manifests = execFileSync(
    helm,
    [
      'template',
      'flagstage',
      CHART,
      '--namespace',
      'flagstage',
      '--skip-tests',
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  for (const ns of ['flagstage', 'flagstage-gateway']) {
    const r = await plane.kubectl(['create', 'namespace', ns]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const applied = await plane.kubectlStdin(['apply', '-f', '-'], manifests);
  if (applied.code !== 0)
    throw new Error(`helm template | kubectl apply: ${applied.stderr}`);
}

describeWithControlPlane()(
  'the Kubernetes driver, listener and reconciler on a real control plane',
  () => {
    let plane: ControlPlane;
    let server: any;
    let stopBackend: () => Promise<void>;
    let workerToken: string;
    let views: KubernetesViewsBackend | undefined;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      plane = await ControlPlane.start({ faults: FAULTS });
      await installFlagstage(plane);
      workerToken = await plane.serviceAccountToken(
        'flagstage',
        'flagstage-worker',
      );
      tokens.worker = workerToken;
      tokens.backend = await plane.serviceAccountToken(
        'flagstage',
        'flagstage-backend',
      );
      for (const sa of ['deployer', 'cleanup', 'builder'])
        tokens[sa] = await plane.serviceAccountToken('argo', `flagstage-${sa}`);
      const backend = await startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: {
              // Every route called as one external service.
              deployment: testDeploymentConfig(5),
              kubernetes: {
                serviceLocatorMethod: { type: 'multiTenant' },
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [
                      {
                        // The portal backend's account (log views, the
                        // entity Kubernetes tab).
                        name: 'portal',
                        url: plane.server,
                        authProvider: 'serviceAccount',
                        serviceAccountToken: tokens.backend,
                        caData: fs
                          .readFileSync(plane.certs.caCert)
                          .toString('base64'),
                      },
                      {
                        name: 'real',
                        url: plane.server,
                        authProvider: 'serviceAccount',
                        // The worker's own ServiceAccount: its Roles bind.
                        serviceAccountToken: workerToken,
                        caData: fs
                          .readFileSync(plane.certs.caCert)
                          .toString('base64'),
                      },
                    ],
                  },
                ],
              },
              observability: {
                internal: { port: await freePort(), host: '127.0.0.1' },
                kubernetes: { cluster: 'portal' },
              },
              deploymentWorker: {
                driver: 'kubernetes',
                concurrency: 8,
                kubernetes: {
                  cluster: 'real',
                  maxRunningWorkflows: 30,
                  registry: 'registry.example/ctf',
                  deployDeadlineSeconds: 4,
                  reconcileGraceSeconds: 0,
                  reconcileIntervalSeconds: 3600,
                },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: [
              challenge('web', 'registry.example/web:1'),
              challenge('badimage', 'registry.example/nope:0'),
              challenge('stuck', 'registry.example/stuck:1'),
              challenge('crashy', 'registry.example/crash:1'),
              challengeEntity('brief', {
                protocol: 'http',
                port: 8080,
                ttlSeconds: 5,
                image: 'registry.example/web:1',
              }),
            ] as any,
          }),
          fakeContest,
          deploymentPlugin,
          deploymentWorkerPlugin,
          observabilityPlugin,
        ],
      });
      server = backend.server;
      stopBackend = () => backend.stop();
      // The portal's Kubernetes tab: @backstage/plugin-kubernetes-backend in
      // a child process, with the production cluster entry's shape and the
      // portal backend's ServiceAccount token; its catalog holds the web
      // Challenge as the catalog's processor annotates it.
      views = await startKubernetesBackend({
        cluster: {
          name: 'challenges',
          url: plane.server,
          serviceAccountToken: tokens.backend,
          caData: fs.readFileSync(plane.certs.caCert).toString('base64'),
        },
        entities: [await webEntity()],
      });
    }, SETUP_TIMEOUT);

    afterAll(async () => {
      await views?.stop();
      await stopBackend?.();
      await plane?.stop();
    });

    const { api, start, status, until, reconcile } = instanceApi(() => server, {
      waitMs: 60_000,
    });
    /** The object as JSON, or undefined when the API server says NotFound. */
    const get = async (...args: string[]) => {
      const r = await plane.kubectl(['get', ...args, '-o', 'json']);
      if (r.code !== 0 && /NotFound/.test(r.stderr)) return undefined;
      if (r.code !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    };
    const gone = (...args: string[]) =>
      eventually(
        () => get(...args),
        o => o === undefined,
        60_000,
        250,
      );
    /** A request with a ServiceAccount's token; resolves kubectl's stderr. */
    const as = (sa: string, args: string[], input?: string) =>
      plane.kubectl(args, { token: tokens[sa], input });

    it('the operator install is accepted: templates validate against the CRD schema, RBAC and policies exist', async () => {
      for (const name of [
        'start-challenge',
        'stop-challenge',
        'build-challenge',
      ])
        expect(await get('-n', 'argo', 'workflowtemplate', name)).toBeDefined();
      expect(
        await get('-n', 'argo', 'cronworkflow', 'cleanup-expired'),
      ).toBeDefined();
      expect(
        await get(
          'validatingadmissionpolicy',
          'flagstage-delete-own-namespaces-only',
        ),
      ).toBeDefined();
    });

    describe('admission policies (compiled and enforced by the API server)', () => {
      beforeAll(async () => {
        for (const ns of ['plain-ns', 'fs-labelled'])
          await plane.kubectl(['create', 'namespace', ns]);
        await plane.kubectl([
          'label',
          'namespace',
          'fs-labelled',
          'app.kubernetes.io/managed-by=flagstage',
        ]);
      });

      it.each(['worker', 'deployer', 'cleanup'])(
        '%s may not delete a namespace without the Flagstage label',
        async sa => {
          const r = await as(sa, [
            'delete',
            'namespace',
            'plain-ns',
            '--wait=false',
          ]);
          expect(r.code).not.toBe(0);
          expect(r.stderr).toContain(
            'Flagstage may delete only namespaces labelled app.kubernetes.io/managed-by=flagstage',
          );
          expect(await get('namespace', 'plain-ns')).toBeDefined();
        },
      );

      it('the deployer may not create objects outside Flagstage namespaces', async () => {
        const service = JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'sneaky', namespace: 'plain-ns' },
          spec: { ports: [{ port: 80 }] },
        });
        const refused = await as('deployer', ['create', '-f', '-'], service);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain(
          'flagstage-deployer may create objects only in namespaces labelled',
        );
        const allowed = await as(
          'deployer',
          ['create', '-f', '-'],
          service.replace('plain-ns', 'fs-labelled'),
        );
        expect(allowed.stderr).toBe('');
        expect(allowed.code).toBe(0);
      });

      it('a Flagstage account may delete a labelled namespace', async () => {
        const r = await as('worker', [
          'delete',
          'namespace',
          'fs-labelled',
          '--wait=false',
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      });
    });

    describe('least privilege: a request just outside each Role is refused', () => {
      // [account, a request its Roles grant, the nearest one they do not]
      const cases: [string, string[], string[]][] = [
        [
          'worker',
          ['-n', 'argo', 'get', 'workflows'],
          ['-n', 'argo', 'get', 'secrets'],
        ],
        [
          'worker',
          ['get', 'pods', '-A'],
          ['-n', 'argo', 'delete', 'pod', 'any'],
        ],
        [
          'worker',
          ['get', 'namespaces'],
          ['create', 'namespace', 'worker-made'],
        ],
        [
          'worker',
          ['-n', 'argo', 'get', 'workflows'],
          ['-n', 'flagstage', 'get', 'workflows'],
        ],
        ['deployer', ['get', 'namespace', 'default'], ['get', 'namespaces']],
        [
          'deployer',
          ['-n', 'argo', 'get', 'secret', 'none', '--ignore-not-found'],
          ['-n', 'argo', 'get', 'secrets'],
        ],
        [
          'deployer',
          ['-n', 'argo', 'get', 'secret', 'none', '--ignore-not-found'],
          ['-n', 'default', 'get', 'secret', 'none'],
        ],
        [
          'deployer',
          ['get', 'namespace', 'default'],
          ['-n', 'default', 'get', 'services'],
        ],
        [
          'deployer',
          ['get', 'namespace', 'default'],
          ['-n', 'default', 'get', 'jobs'],
        ],
        ['backend', ['get', 'pods', '-A'], ['-n', 'argo', 'get', 'secrets']],
        ['backend', ['get', 'pods', '-A'], ['get', 'pod', 'any', '-n', 'argo']],
        ['cleanup', ['get', 'namespaces'], ['get', 'namespace', 'default']],
        ['cleanup', ['get', 'namespaces'], ['-n', 'argo', 'get', 'pods']],
        [
          'builder',
          [
            'auth',
            'can-i',
            'create',
            'workflowtaskresults.argoproj.io',
            '-n',
            'argo',
          ],
          ['-n', 'argo', 'get', 'workflowtaskresults'],
        ],
      ];
      it.each(cases)(
        '%s: %j is allowed, %j is Forbidden',
        async (sa, inside, outside) => {
          const ok = await as(sa, inside);
          expect(ok.stderr).not.toMatch(/forbidden/i);
          expect(ok.code).toBe(0);
          const refused = await as(sa, outside);
          expect(refused.code).not.toBe(0);
          expect(refused.stderr).toMatch(/Forbidden|forbidden/);
        },
      );
    });

    it('start → RUNNING with an access URL; stop → namespace finalised by the controller manager → STOPPED', async () => {
      const id = await start('web');
      const running = await until(id, ['RUNNING', 'FAILED']);
      expect(running.state).toBe('RUNNING');
      expect(running.access.url).toContain(id);
      const wf = await get('-n', 'argo', 'workflow', `start-${id}`);
      expect(wf.spec.workflowTemplateRef.name).toBe('start-challenge');
      expect(JSON.stringify(wf)).not.toContain('flagstage{');
      const ns = await get('namespace', `fs-${id}`);
      expect(ns.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'flagstage',
        'flagstage.io/instance': id,
        'flagstage.io/contest': 'c1',
        'flagstage.io/challenge': 'web',
        'pod-security.kubernetes.io/enforce': 'restricted',
      });
      // copy-secrets ran with the deployer's token: the flag is in the namespace.
      const flag = await get('-n', `fs-${id}`, 'secret', 'flag');
      expect(Buffer.from(flag.data.FLAG, 'base64').toString()).toMatch(
        /^flagstage\{team-t\d+\}$/,
      );
      for (const kind of [
        'service/challenge',
        'job/challenge',
        'networkpolicy/deny-all',
      ])
        expect(await get('-n', `fs-${id}`, kind)).toBeDefined();
      const workflow = await eventually(
        () => api('get', `/api/deployment/instances/${id}/workflow`),
        (r: any) => r.body?.workflow?.phase === 'Succeeded',
      );
      expect(workflow.body.workflow.nodes.length).toBeGreaterThan(1);
      // Every step ran as the template's ServiceAccount.
      expect(
        plane.executor.executed
          .filter(s => s.workflow === `start-${id}`)
          .map(s => s.serviceAccount),
      ).toEqual(expect.arrayContaining(['flagstage-deployer']));

      // The log view reads the challenge pod's log through the API server
      // (kwok plays the kubelet) with the portal backend's account.
      const podLogs = await api('get', `/api/observability/logs/pods/${id}`);
      expect(podLogs.status).toBe(200);
      expect(JSON.stringify(podLogs.body)).toContain(
        'a log line served by kwok',
      );

      // The entity Kubernetes tab (@backstage/plugin-kubernetes-backend)
      // lists its DEFAULT_OBJECTS across namespaces by the entity's label
      // selector, as the portal account; every list is granted and finds the
      // instance. (The plugin itself runs in a child process in the next
      // test: under jest its dynamic import of @kubernetes/client-node fails.)
      const listed = await as('backend', [
        'get',
        KUBERNETES_TAB_OBJECTS.join(','),
        '-A',
        '-l',
        'flagstage.io/challenge=web',
        '-o',
        'json',
      ]);
      expect(listed.stderr).toBe('');
      const found = JSON.parse(listed.stdout).items.map(
        (o: any) => `${o.kind}/${o.metadata.namespace}`,
      );
      for (const kind of ['Pod', 'Service', 'Job'])
        expect(found).toContain(`${kind}/fs-${id}`);

      await api('post', `/api/deployment/instances/${id}/stop`);
      const stopped = await until(id, ['STOPPED', 'FAILED']);
      expect(stopped.state).toBe('STOPPED');
      expect(await gone('namespace', `fs-${id}`)).toBeUndefined();
      expect(await get('-n', 'argo', 'workflow', `stop-${id}`)).toBeDefined();
      expect(await get('-n', 'argo', 'secret', `flag-${id}`)).toBeUndefined();
    });

    it("the portal's Kubernetes tab (@backstage/plugin-kubernetes-backend) lists a running instance's objects from the API server", async () => {
      const id = await start('web');
      expect((await until(id, ['RUNNING', 'FAILED'])).state).toBe('RUNNING');
      const entity = await webEntity();
      // The request the entity page's Kubernetes tab makes.
      const res = await fetch(
        `${views!.baseUrl}/api/kubernetes/services/${entity.metadata.name}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${views!.token}`,
          },
          body: JSON.stringify({ entity }),
        },
      );
      const body = await res.json();
      expect({ status: res.status, stderr: views!.stderr() }).toMatchObject({
        status: 200,
      });
      expect(body.items).toHaveLength(1);
      const [cluster] = body.items;
      expect(cluster.cluster.name).toBe('challenges');
      // Every kind the tab lists, and its pod metrics lookup, is granted to
      // the portal's account. This plane runs no metrics-server, so the
      // metrics request is answered 404 (not found), never 403 (refused).
      const refusedOrFailed = cluster.errors.filter(
        (e: any) =>
          !(
            e.resourcePath?.startsWith('/apis/metrics.k8s.io/') &&
            e.statusCode === 404
          ),
      );
      expect(refusedOrFailed).toEqual([]);
      const listed = (type: string) =>
        cluster.resources
          .find((r: any) => r.type === type)
          ?.resources.map(
            (o: any) => `${o.metadata.namespace}/${o.metadata.name}`,
          );
      expect(cluster.resources.map((r: any) => r.type).sort()).toEqual(
        KUBERNETES_TAB_OBJECTS.map(o => o.split('.')[0]).sort(),
      );
      expect(listed('services')).toContain(`fs-${id}/challenge`);
      expect(listed('jobs')).toContain(`fs-${id}/challenge`);
      expect(listed('pods')).toEqual(
        expect.arrayContaining([expect.stringMatching(`^fs-${id}/challenge-`)]),
      );

      await api('post', `/api/deployment/instances/${id}/stop`);
      expect((await until(id, ['STOPPED', 'FAILED'])).state).toBe('STOPPED');
    });

    it('an image pull error fails the instance with the reason and removes its namespace', async () => {
      const id = await start('badimage');
      const failed = await until(id, ['FAILED', 'RUNNING']);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toMatch(
        /image could not be pulled \((ErrImagePull|ImagePullBackOff)\)/,
      );
      expect(await gone('namespace', `fs-${id}`)).toBeUndefined();
    });

    it('a crashing challenge (restartPolicy Never: the pod ends Failed) fails the instance', async () => {
      const id = await start('crashy');
      const failed = await until(id, ['FAILED', 'RUNNING']);
      expect(failed.state).toBe('FAILED');
      // A kubelet sets no pod-level reason for a container that exited under
      // restartPolicy Never, and there is no CrashLoopBackOff (the simulator's
      // crash loop is what restartPolicy Always would give): the reason comes
      // from the container's terminated state.
      expect(failed.failureReason).toBe('the challenge exited with code 1');
      expect(await gone('namespace', `fs-${id}`)).toBeUndefined();
    });

    it('a pod stuck Pending fails after the deploy deadline and its namespace is removed', async () => {
      const id = await start('stuck');
      await eventually(
        () =>
          get('-n', `fs-${id}`, 'pods', '-l', `flagstage.io/instance=${id}`),
        list => (list?.items?.length ?? 0) > 0,
      );
      expect((await status(id)).state).toBe('DEPLOYING');
      await new Promise(r => setTimeout(r, 4200));
      const report = await reconcile();
      expect(report.stuck_deploy).toBeGreaterThanOrEqual(1);
      const failed = await status(id);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toMatch(/not ready within 4 s/);
      expect(await gone('namespace', `fs-${id}`)).toBeUndefined();
    });

    it('reaps a ghost namespace, and a namespace deleted behind our back ends its instance STOPPED', async () => {
      const ghost = await plane.kubectlStdin(
        ['create', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'fs-ghost-1',
            labels: {
              'app.kubernetes.io/managed-by': 'flagstage',
              'flagstage.io/instance': 'ghost-1',
            },
          },
        }),
      );
      expect(ghost.code).toBe(0);
      const id = await start('web');
      expect((await until(id, ['RUNNING', 'FAILED'])).state).toBe('RUNNING');
      const report = await reconcile();
      expect(report.ghost_namespace).toBe(1);
      expect(await gone('namespace', 'fs-ghost-1')).toBeUndefined();
      expect(await get('namespace', `fs-${id}`)).toBeDefined();

      await plane.kubectl(['delete', 'namespace', `fs-${id}`, '--wait=false']);
      const stopped = await until(id, ['STOPPED']);
      expect(stopped.state).toBe('STOPPED');
    });

    it("the instance's deadline: the Job controller fails the Job and deletes its pod; the listener fails the instance", async () => {
      const id = await start('brief');
      expect((await until(id, ['RUNNING', 'FAILED'])).state).toBe('RUNNING');
      // The Job controller marks the Job (FailureTarget, then Failed, reason
      // DeadlineExceeded) and deletes the pod; the pod never ends phase Failed
      // with reason DeadlineExceeded (that is the kubelet's pod-level
      // deadline, not the Job's). The listener reads the Job on the pod's
      // deletion: only its condition gives this reason. (The Job itself goes
      // with the namespace the failure tears down, so it is not polled here.)
      const failed = await until(id, ['FAILED', 'EXPIRED', 'STOPPED'], 150_000);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toBe('the instance reached its deadline');
      expect(await gone('namespace', `fs-${id}`)).toBeUndefined();
      // The driver asks for at least 60 s, so the deadline comes after about
      // a minute, not at the 5 s TTL.
    }, 180_000);
  },
);
