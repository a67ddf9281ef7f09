import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import {
  challengeEntity,
  eventually,
  fakeContestPlugin,
  testDeploymentConfig,
} from './__testUtils__/e2e';

jest.setTimeout(60_000);

const fixtures = path.resolve(
  __dirname,
  '../../../plugins/deployment-worker/src/__fixtures__',
);
const challenge = (name: string, args: string[]) =>
  challengeEntity(
    name,
    {
      protocol: 'http',
      port: 3333,
      local: { command: ['node', 'tiny-server.mjs', ...args] },
    },
    {
      'backstage.io/managed-by-location': `file:${path.join(
        fixtures,
        'catalog-info.yaml',
      )}`,
    },
  );
const fakeContest = fakeContestPlugin(team => `flagstage{${team}}`);
/** Stands in for the contest plugin's runtime API (the FLAG of a team's instance). */
const answers = (target: string) =>
  new Promise<boolean>(resolve => {
    const [host, port] = target.split(':');
    const s = net.connect(Number(port), host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('deployment worker with the local driver', () => {
  let server: any;
  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            // Every route called as one external service.
            deployment: testDeploymentConfig(3),
            deploymentWorker: { concurrency: 2, startTimeoutSeconds: 5 },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            challenge('quick', ['100']),
            challenge('slow', ['2500']),
            challenge('broken', ['0', 'crash']),
            {
              ...challenge('buildable', ['100']),
              spec: {
                ...challenge('buildable', ['100']).spec,
                runtime: {
                  ...challenge('buildable', ['100']).spec.runtime,
                  build: { context: '.' },
                },
              },
            },
          ] as any,
        }),
        fakeContest,
        deploymentPlugin,
        deploymentWorkerPlugin,
      ],
    });
    server = backend.server;
  });

  const api = (method: 'get' | 'post', url: string, body?: object) =>
    (request(server) as any)
      [method](`/api/deployment${url}`)
      .set('Authorization', mockCredentials.service.header())
      .send(body);
  const start = async (team: string, name: string) => {
    const res = await api('post', '/instances', {
      contestId: 'c1',
      teamId: team,
      challengeRef: `challenge:default/${name}`,
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const status = (id: string): Promise<any> =>
    api('get', `/instances/${id}?access=true`).then((r: any) => r.body);
  const internal = (id: string): Promise<any> =>
    api('get', `/internal/instances/${id}`).then((r: any) => r.body);

  it('deploys, serves with the team’s FLAG, and stops leaving nothing running', async () => {
    const id = await start('t1', 'quick');
    const running = await eventually(
      () => status(id),
      s => s.state === 'RUNNING',
    );
    expect(running.state).toBe('RUNNING');
    expect(running.access.url).toContain(`${id}.gateway.localhost`);
    const { endpoint } = await internal(id);
    expect(await (await fetch(`http://${endpoint}/`)).text()).toBe(
      'ok with flag',
    );
    await api('post', `/instances/${id}/stop`);
    const stopped = await eventually(
      () => status(id),
      s => s.state === 'STOPPED',
    );
    expect(stopped.state).toBe('STOPPED');
    expect(await answers(endpoint)).toBe(false);
    const timeline = await api('get', `/instances/${id}/transitions`);
    expect(timeline.body.items.map((t: any) => t.to)).toEqual([
      'REQUESTED',
      'QUEUED',
      'DEPLOYING',
      'RUNNING',
      'STOPPING',
      'STOPPED',
    ]);
  });

  it('a stop during the deploy ends STOPPED with nothing left running', async () => {
    const id = await start('t2', 'slow');
    await eventually(
      () => status(id),
      s => s.state === 'DEPLOYING',
    );
    await api('post', `/instances/${id}/stop`);
    const ended = await eventually(
      () => status(id),
      s => ['STOPPED', 'FAILED'].includes(s.state),
    );
    expect(ended.state).toBe('STOPPED');
    // Give a late start every chance to come up, then check nothing answers on its port.
    await new Promise(r => setTimeout(r, 3000));
    const output = await api('get', `/instances/${id}/output`);
    const started = output.body.items.map((l: any) => l.line).join('\n');
    // Whatever was started (if the stop came before the spawn, nothing) no longer answers.
    for (const [, port] of started.matchAll(/on 127\.0\.0\.1:(\d+)/g)) {
      expect(await answers(`127.0.0.1:${port}`)).toBe(false);
    }
    expect((await status(id)).state).toBe('STOPPED');
  });

  it('retries a failing deploy, then dead-letters it and fails the instance with the reason', async () => {
    const id = await start('t3', 'broken');
    const failed = await eventually(
      () => status(id),
      s => s.state === 'FAILED',
    );
    expect(failed.state).toBe('FAILED');
    expect(failed.failureReason).toMatch(
      /failed after repeated attempts: process exited with code 3/,
    );
    // The slot is free again.
    const again = await api('post', '/instances', {
      contestId: 'c1',
      teamId: 't3',
      challengeRef: 'challenge:default/quick',
    });
    expect(again.status).toBe(202);
  });

  it('fails a build with the reason: the local driver cannot build images', async () => {
    const res = await api('post', '/builds', {
      challengeRef: 'challenge:default/buildable',
    });
    expect(res.status).toBe(202);
    const build = await eventually(
      () =>
        api('get', '/builds?challengeRef=challenge:default/buildable').then(
          (r: any) => r.body.items[0],
        ),
      (b: any) => b?.status === 'FAILED',
    );
    expect(build).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(
        /local driver cannot build images; builds need deploymentWorker.driver: kubernetes/,
      ),
    });
  });

  it('refuses users without permission and answers 404/400 clearly', async () => {
    expect(
      (await request(server).get('/api/deployment/instances')).status,
    ).toBe(401);
    expect((await api('get', '/instances/nope')).status).toBe(404);
    expect((await api('post', '/instances', { contestId: 'c1' })).status).toBe(
      400,
    );
    const notInstanced = await api('post', '/instances', {
      contestId: 'c1',
      teamId: 't9',
      challengeRef: 'challenge:default/missing',
    });
    expect(notInstanced.status).toBe(404);
  });
});

describe('deployment worker disabled (a portal backend next to a worker Deployment)', () => {
  it('consumes nothing: a start stays QUEUED and the worker serves no routes', async () => {
    const { server } = await startTestBackend({
      features: [
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            deployment: {
              gateway: {
                keys: [
                  { kid: 'k', secret: Buffer.alloc(32, 3).toString('base64') },
                ],
              },
            },
            deploymentWorker: { enabled: false },
          },
        }),
        catalogServiceMock.factory({
          entities: [challenge('quick', ['100'])] as any,
        }),
        fakeContest,
        deploymentPlugin,
        deploymentWorkerPlugin,
      ],
    });
    // The contest plugin starts instances on a team's behalf.
    const auth = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:contest'),
      targetPluginId: 'deployment',
    });
    const started = await request(server)
      .post('/api/deployment/instances')
      .set('Authorization', auth)
      .send({
        contestId: 'c1',
        teamId: 't1',
        challengeRef: 'challenge:default/quick',
      });
    expect(started.status).toBe(202);
    await new Promise(resolve => setTimeout(resolve, 1500));
    const status = await request(server)
      .get(`/api/deployment/instances/${started.body.id}`)
      .set('Authorization', auth);
    expect(status.body.state).toBe('QUEUED');
    const health = await request(server)
      .get('/api/deployment-worker/health')
      .set('Authorization', mockCredentials.service.header());
    expect(health.status).toBe(404);
  });
});
