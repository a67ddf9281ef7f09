import net from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { describeWithServices, testServiceUrls } from '@flagstage/test-utils';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import {
  challengeEntity,
  eventually,
  fakeContestPlugin,
  testDeploymentConfig,
} from './__testUtils__/e2e';
import { instanceApi } from './__testUtils__/instanceApi';

/**
 * The production runtime path end to end, on the Kubernetes API simulator:
 * the deployment backend, the worker with the Kubernetes driver (the real
 * @kubernetes/client-node over HTTP), the pod listener and the reconciler,
 * with the instance cache on the real Redis (its own logical database, so
 * flushing it touches nothing else).
 */

jest.setTimeout(90_000);

const REDIS_DB = 7;

const challenge = (
  name: string,
  runtime: Record<string, unknown>,
  annotations?: Record<string, string>,
) =>
  challengeEntity(
    name,
    { protocol: 'http', port: 8080, ttlSeconds: 1800, ...runtime },
    annotations,
  );
const BUILD_CONTEXT = 'git://git.example/ctf/challenges.git#refs/heads/main';
const fakeContest = fakeContestPlugin(team => `flagstage{team-${team}}`);

/** One Redis command over RESP on the test database (no client library needed). */
function redis(...args: string[]): Promise<string> {
  const url = new URL(testServiceUrls.redis);
  const encode = (parts: string[]) =>
    `*${parts.length}\r\n${parts
      .map(p => `$${Buffer.byteLength(p)}\r\n${p}\r\n`)
      .join('')}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    let data = '';
    socket.on('data', chunk => {
      data += chunk.toString();
      const lines = data.split('\r\n');
      // SELECT's +OK, then the command's one-line reply.
      if (lines.length >= 3) {
        socket.end();
        resolve(lines[1].replace(/^[:+]/, ''));
      }
    });
    socket.on('error', reject);
    socket.write(encode(['SELECT', String(REDIS_DB)]) + encode(args));
  });
}

describeWithServices(['redis'])(
  'the Kubernetes driver, listener and reconciler on the API simulator',
  () => {
    let sim: KubeSimulator;
    let server: any;
    let stopBackend: () => Promise<void>;

    beforeAll(async () => {
      sim = await KubeSimulator.start({ podReadyDelayMs: 150 });
      await redis('FLUSHDB');
      const backend = await startTestBackend({
        features: [
          cacheServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                cache: {
                  store: 'redis',
                  connection: `${testServiceUrls.redis}/${REDIS_DB}`,
                },
              },
              // Every route called as one external service.
              deployment: testDeploymentConfig(5),
              kubernetes: sim.kubernetesConfig(),
              deploymentWorker: {
                driver: 'kubernetes',
                concurrency: 8,
                kubernetes: {
                  cluster: 'simulator',
                  maxRunningWorkflows: 30,
                  registry: 'registry.example/ctf',
                  deployDeadlineSeconds: 2,
                  reconcileGraceSeconds: 0,
                  reconcileIntervalSeconds: 3600,
                },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: [
              challenge('web', { image: 'registry.example/web:1' }),
              challenge('badimage', { image: 'registry.example/nope:0' }),
              challenge('stuck', { image: 'registry.example/stuck:1' }),
              challenge('crashy', { image: 'registry.example/crash:1' }),
              challenge('brief', { image: 'registry.example/brief:1' }),
              challenge(
                'buildme',
                { build: { context: 'challenges/buildme' } },
                { 'flagstage.io/build-context': BUILD_CONTEXT },
              ),
              challenge(
                'breaks',
                { build: {} },
                { 'flagstage.io/build-context': BUILD_CONTEXT },
              ),
            ] as any,
          }),
          fakeContest,
          deploymentPlugin,
          deploymentWorkerPlugin,
        ],
      });
      server = backend.server;
      stopBackend = () => backend.stop();
      const byImage = (image: string) => (wf: any) =>
        wf.spec.arguments.parameters.some(
          (p: any) => p.name === 'image' && p.value === image,
        );
      sim.faults.imagePullError(byImage('registry.example/nope:0'));
      sim.faults.stuckPending(byImage('registry.example/stuck:1'));
      sim.faults.crash(byImage('registry.example/crash:1'));
      // The worker asks for a deadline of at least 60 s: this one comes at 1 s.
      sim.faults.jobDeadline(1000, byImage('registry.example/brief:1'));
      sim.faults.buildFailure(wf =>
        wf.spec.arguments.parameters.some(
          (p: any) => p.name === 'challenge' && p.value === 'breaks',
        ),
      );
    });

    afterAll(async () => {
      await stopBackend?.();
      await sim?.close();
    });

    const { api, start, status, until, reconcile } = instanceApi(() => server);

    it('start → RUNNING with an access URL; stop → namespace deleted → STOPPED', async () => {
      const id = await start('web');
      const running = await until(id, ['RUNNING', 'FAILED']);
      expect(running.state).toBe('RUNNING');
      expect(running.access.url).toContain(id);
      const internal = await api(
        'get',
        `/api/deployment/internal/instances/${id}`,
      );
      expect(internal.body.endpoint).toBe(
        `challenge.fs-${id}.svc.cluster.local:3333`,
      );
      // The workflow was submitted from the template, named for the
      // instance; the flag travelled as a Secret, not a parameter.
      const wf = sim.get('workflows', 'argo', `start-${id}`);
      expect(wf.spec.workflowTemplateRef.name).toBe('start-challenge');
      expect(JSON.stringify(wf)).not.toContain('flagstage{');
      expect(sim.get('secrets', 'argo', `flag-${id}`).stringData.FLAG).toBe(
        'flagstage{team-t1}',
      );
      expect(
        sim.get('namespaces', undefined, `fs-${id}`).metadata.labels,
      ).toMatchObject({
        'app.kubernetes.io/managed-by': 'flagstage',
        'flagstage.io/instance': id,
        'flagstage.io/contest': 'c1',
        'flagstage.io/team': 't1',
        'flagstage.io/challenge': 'web',
      });
      // The portal's instance page shows the workflow phase and nodes.
      const workflow = await eventually(
        () => api('get', `/api/deployment/instances/${id}/workflow`),
        (r: any) => r.body?.workflow?.phase === 'Succeeded',
      );
      expect(workflow.body.workflow.nodes.length).toBeGreaterThan(1);

      await api('post', `/api/deployment/instances/${id}/stop`);
      const stopped = await until(id, ['STOPPED', 'FAILED']);
      expect(stopped.state).toBe('STOPPED');
      expect(sim.get('namespaces', undefined, `fs-${id}`)).toBeUndefined();
      expect(sim.get('workflows', 'argo', `stop-${id}`)).toBeDefined();
      expect(sim.get('secrets', 'argo', `flag-${id}`)).toBeUndefined();
    });

    it('an image pull error fails the instance with the reason and removes its namespace', async () => {
      const id = await start('badimage');
      const failed = await until(id, ['FAILED', 'RUNNING']);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toMatch(
        /image could not be pulled \((ErrImagePull|ImagePullBackOff)\)/,
      );
      await eventually(
        async () => sim.get('namespaces', undefined, `fs-${id}`),
        ns => ns === undefined,
      );
      expect(sim.get('namespaces', undefined, `fs-${id}`)).toBeUndefined();
    });

    it('a crashing challenge (restartPolicy Never: the pod ends Failed) fails the instance with the exit code', async () => {
      const id = await start('crashy');
      const failed = await until(id, ['FAILED', 'RUNNING']);
      expect(failed.state).toBe('FAILED');
      // No CrashLoopBackOff under the Job's restartPolicy Never, as on the
      // real control plane: the reason is the container's exit code.
      expect(failed.failureReason).toBe('the challenge exited with code 1');
      await eventually(
        async () => sim.get('namespaces', undefined, `fs-${id}`),
        ns => ns === undefined,
      );
    });

    it("the instance's deadline: the Job controller deletes the pod and fails the Job; the listener fails the instance", async () => {
      const id = await start('brief');
      expect((await until(id, ['RUNNING', 'FAILED'])).state).toBe('RUNNING');
      const failed = await until(id, ['FAILED', 'EXPIRED', 'STOPPED']);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toBe('the instance reached its deadline');
      // The pod was deleted (never left Failed with reason DeadlineExceeded):
      // the worker read the Job to learn why.
      expect(
        sim.requests.some(
          r =>
            r.method === 'GET' &&
            r.path.includes(`/namespaces/fs-${id}/jobs/challenge`),
        ),
      ).toBe(true);
      await eventually(
        async () => sim.get('namespaces', undefined, `fs-${id}`),
        ns => ns === undefined,
      );
    });

    it('a pod stuck Pending fails after the deploy deadline and its namespace is removed', async () => {
      const id = await start('stuck');
      await eventually(
        async () => sim.get('namespaces', undefined, `fs-${id}`),
        ns => ns !== undefined,
      );
      expect((await status(id)).state).toBe('DEPLOYING');
      await new Promise(r => setTimeout(r, 2200));
      const report = await reconcile();
      expect(report.stuck_deploy).toBeGreaterThanOrEqual(1);
      const failed = await status(id);
      expect(failed.state).toBe('FAILED');
      expect(failed.failureReason).toMatch(/not ready within 2 s/);
      await eventually(
        async () => sim.get('namespaces', undefined, `fs-${id}`),
        ns => ns === undefined,
      );
      expect(sim.get('namespaces', undefined, `fs-${id}`)).toBeUndefined();
    });

    it('reaps a ghost namespace, and a namespace deleted behind our back ends its instance STOPPED', async () => {
      sim.create('namespaces', {
        metadata: {
          name: 'fs-ghost-1',
          labels: {
            'app.kubernetes.io/managed-by': 'flagstage',
            'flagstage.io/instance': 'ghost-1',
          },
        },
      });
      const id = await start('web');
      await until(id, ['RUNNING']);
      const report = await reconcile();
      expect(report.ghost_namespace).toBe(1);
      await eventually(
        async () => sim.get('namespaces', undefined, 'fs-ghost-1'),
        ns => ns === undefined,
      );
      expect(sim.get('namespaces', undefined, `fs-${id}`)).toBeDefined();

      sim.delete('namespaces', undefined, `fs-${id}`);
      const stopped = await until(id, ['STOPPED']);
      expect(stopped.state).toBe('STOPPED');
    });

    it('misses no transition when the watch history expires (410) mid-burst', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await start('web'));
      sim.faults.expireWatchHistory();
      await new Promise(r => setTimeout(r, 100));
      sim.faults.expireWatchHistory();
      const states = await eventually(
        () => Promise.all(ids.map(status)),
        all => all.every(s => s.state === 'RUNNING'),
      );
      expect(states.map(s => s.state)).toEqual(ids.map(() => 'RUNNING'));
      expect(
        sim.requests.filter(r => r.method === 'WATCH').length,
      ).toBeGreaterThan(3);
    });

    it('builds a challenge image: build-challenge workflow, exit-handler callback with its single-use token, status on the API', async () => {
      const requested = await api('post', '/api/deployment/builds', {
        challengeRef: 'challenge:default/buildme',
      });
      expect(requested.status).toBe(202);
      expect(requested.body.status).toBe('QUEUED');
      // One build per challenge at a time.
      const again = await api('post', '/api/deployment/builds', {
        challengeRef: 'challenge:default/buildme',
      });
      expect(again.status).toBe(409);
      const builds = (): Promise<any[]> =>
        api(
          'get',
          '/api/deployment/builds?challengeRef=challenge:default/buildme',
        ).then((r: any) => r.body.items);
      const done = await eventually(builds, items =>
        ['SUCCEEDED', 'FAILED'].includes(items[0]?.status),
      );
      expect(done[0]).toMatchObject({
        id: requested.body.id,
        status: 'SUCCEEDED',
        image: 'registry.example/ctf/buildme:latest',
        workflow: `build-${requested.body.id}`,
      });
      const wf = sim.get('workflows', 'argo', `build-${requested.body.id}`);
      const param = (n: string) =>
        wf.spec.arguments.parameters.find((p: any) => p.name === n)?.value;
      expect(param('context')).toBe(
        'git://git.example/ctf/challenges.git#refs/heads/main',
      );
      expect(param('context-sub-path')).toBe('challenges/buildme');
      // The token is in a Secret, never a parameter, and is single use.
      const token = sim.get('secrets', 'argo', param('callback-token-secret'))
        .stringData.TOKEN;
      expect(JSON.stringify(wf)).not.toContain(token);
      const replay = await request(server)
        .post(param('callback-url').replace(/^https?:\/\/[^/]+/, ''))
        .set('Authorization', `Bearer ${token}`)
        .send({ status: 'Failed' });
      expect(replay.status).toBe(401);
      const forged = await request(server)
        .post(`/api/deployment/builds/${requested.body.id}/callback`)
        .set('Authorization', 'Bearer not-the-token')
        .send({ status: 'Succeeded' });
      expect(forged.status).toBe(401);

      // A failing build ends FAILED with the workflow's status.
      const broken = await api('post', '/api/deployment/builds', {
        challengeRef: 'challenge:default/breaks',
      });
      const failed = await eventually(
        () =>
          api(
            'get',
            '/api/deployment/builds?challengeRef=challenge:default/breaks',
          ).then((r: any) => r.body.items[0]),
        (b: any) => b?.status !== 'QUEUED' && b?.status !== 'RUNNING',
      );
      expect(failed).toMatchObject({
        id: broken.body.id,
        status: 'FAILED',
        message: 'the build workflow ended Failed',
      });
      // Nothing to build → 400; unknown challenge → 404.
      expect(
        (
          await api('post', '/api/deployment/builds', {
            challengeRef: 'challenge:default/web',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await api('post', '/api/deployment/builds', {
            challengeRef: 'challenge:default/nope',
          })
        ).status,
      ).toBe(404);
    });

    it('rebuilds the instance cache after Redis loses it', async () => {
      const id = await start('web');
      await until(id, ['RUNNING']);
      expect(Number(await redis('DBSIZE'))).toBeGreaterThan(0);
      await redis('FLUSHDB');
      expect(await redis('DBSIZE')).toBe('0');
      const report = await reconcile();
      expect(report.refreshed).toBeGreaterThanOrEqual(1);
      expect(Number(await redis('DBSIZE'))).toBeGreaterThanOrEqual(
        report.refreshed,
      );
      expect((await status(id)).state).toBe('RUNNING');
    });
  },
);
