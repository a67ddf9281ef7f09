import { migrationsDirectory } from '@flagstage/backend-node';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabase, type TestDatabase } from '@flagstage/test-utils';
import { InMemoryJobQueue } from '@flagstage/plugin-deployment-node';
import {
  QueueFullError,
  type DeploymentJob,
} from '@flagstage/plugin-deployment-common';
import {
  verifyGatewayToken,
  GatewayKeyring,
} from '@flagstage/plugin-gateway-node';
import { readDeploymentConfig } from '../config';
import { InstanceStore } from '../database/InstanceStore';
import { InstanceService } from './InstanceService';

const secret = Buffer.alloc(32, 9).toString('base64');
const entity = (
  name: string,
  protocol: 'http' | 'tcp' = 'http',
  type = 'instanced',
) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: 'group:default/a',
    category: 'web',
    type,
    difficulty: 'easy',
    scoring: { function: 'static', value: 1 },
    flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
    runtime:
      type === 'instanced'
        ? {
            protocol,
            port: 3333,
            ...(name === 'web-e' ? {} : { ttlSeconds: 600 }),
          }
        : undefined,
  },
});

describe('InstanceService', () => {
  let db: TestDatabase;
  let store: InstanceStore;
  let queue: InMemoryJobQueue;
  let service: InstanceService;
  const jobs: DeploymentJob[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    await db.knex.migrate.latest({
      directory: migrationsDirectory('@flagstage/plugin-deployment-backend'),
    });
    store = new InstanceStore(db.knex);
  });
  afterAll(() => db.destroy());
  function build(maxLength: number) {
    jobs.length = 0;
    queue = new InMemoryJobQueue({ maxLength });
    const config = readDeploymentConfig(
      new ConfigReader({
        deployment: {
          gateway: {
            keys: [{ kid: 'k1', secret }],
            tcpHost: 'gw.test',
            tcpPort: 9001,
          },
        },
      }),
    );
    const cache = CacheManager.fromConfig(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
    ).forPlugin(`d-${Math.random()}`);
    service = new InstanceService(
      store,
      queue,
      cache,
      config,
      mockServices.logger.mock(),
      async ref => {
        const name = ref.split('/')[1];
        if (name === 'static-one') return entity(name, 'http', 'static') as any;
        if (name.startsWith('nc')) return entity(name, 'tcp') as any;
        return name === 'missing' ? undefined : (entity(name) as any);
      },
    );
  }
  beforeEach(() => build(1000));
  afterEach(() => queue.close());

  const drain = async () => {
    const consumer = await queue.consume(
      async job => {
        jobs.push(job);
      },
      { prefetch: 10 },
    );
    await new Promise(r => setTimeout(r, 20));
    await consumer.cancel();
  };
  const toRunning = async (id: string) => {
    await store.transition(id, ['QUEUED'], 'DEPLOYING');
    return store.transition(id, ['DEPLOYING'], 'RUNNING', {
      endpoint: '10.0.0.7:3333',
    });
  };

  it('queues a deploy job with the context and refuses non-instanced or unknown challenges', async () => {
    const view = await service.start({
      contestId: 'c',
      teamId: 't1',
      challengeRef: 'web-a',
      requestedBy: 'contestant:p1',
    });
    expect(view).toMatchObject({
      state: 'QUEUED',
      challenge: 'web-a',
      challengeRef: 'challenge:default/web-a',
      protocol: 'http',
    });
    await drain();
    expect(jobs).toEqual([
      expect.objectContaining({
        action: 'deploy',
        instanceId: view.id,
        contestId: 'c',
        teamId: 't1',
        challengeRef: 'challenge:default/web-a',
      }),
    ]);
    await expect(
      service.start({
        contestId: 'c',
        teamId: 't1',
        challengeRef: 'static-one',
        requestedBy: 'x',
      }),
    ).rejects.toThrow(/no instances/);
    await expect(
      service.start({
        contestId: 'c',
        teamId: 't1',
        challengeRef: 'missing',
        requestedBy: 'x',
      }),
    ).rejects.toThrow(/No challenge/);
    await expect(
      service.start({
        contestId: 'c',
        teamId: 't1',
        challengeRef: 'web-a',
        requestedBy: 'x',
      }),
    ).rejects.toThrow(/already active/);
  });

  it('answers backpressure with QueueFullError and frees the slot (the instance fails, nothing is silently dropped)', async () => {
    await queue.close();
    build(2);
    await service.start({
      contestId: 'bp',
      teamId: 't1',
      challengeRef: 'web-1',
      requestedBy: 'x',
    });
    await service.start({
      contestId: 'bp',
      teamId: 't2',
      challengeRef: 'web-1',
      requestedBy: 'x',
    });
    const refused = await service
      .start({
        contestId: 'bp',
        teamId: 't3',
        challengeRef: 'web-1',
        requestedBy: 'x',
      })
      .catch(e => e);
    expect(refused).toBeInstanceOf(QueueFullError);
    const rows = await store.list({ contestId: 'bp', teamId: 't3' });
    expect(rows.map(r => [r.state, r.failure_reason])).toEqual([
      ['FAILED', 'queue full'],
    ]);
    await drain();
    expect(
      (
        await service.start({
          contestId: 'bp',
          teamId: 't3',
          challengeRef: 'web-1',
          requestedBy: 'x',
        })
      ).state,
    ).toBe('QUEUED');
  });

  it('mints an HTTP access link or TCP commands with a token for this instance only', async () => {
    const http = await service.start({
      contestId: 'acc',
      teamId: 't1',
      challengeRef: 'web-x',
      requestedBy: 'x',
    });
    await toRunning(http.id);
    await service.forget(http.id);
    const view = await service.status(http.id, { withAccess: true });
    expect(view.access).toMatchObject({ protocol: 'http' });
    const token = new URL((view.access as any).url).searchParams.get('token')!;
    const verified = verifyGatewayToken(
      token,
      new GatewayKeyring([
        { kid: 'k1', secret: Buffer.from(secret, 'base64') },
      ]),
    );
    expect(verified).toMatchObject({
      ok: true,
      payload: {
        iid: http.id,
        team: 't1',
        chal: 'web-x',
        proto: 'http',
        target: '10.0.0.7:3333',
      },
    });
    expect((await service.status(http.id)).access).toBeUndefined();
    await drain();
    const tcp = await service.start({
      contestId: 'acc',
      teamId: 't1',
      challengeRef: 'nc-y',
      requestedBy: 'x',
    });
    await toRunning(tcp.id);
    await service.forget(tcp.id);
    const tcpView = await service.status(tcp.id, { withAccess: true });
    expect(tcpView.access).toMatchObject({
      protocol: 'tcp',
      host: 'gw.test',
      port: 9001,
    });
    expect((tcpView.access as any).command).toContain('nc gw.test 9001');
    expect((tcpView.access as any).websocketCommand).toContain(
      'websocat --binary',
    );
  });

  it('extends only in the window before expiry and at most the configured times', async () => {
    const v = await service.start({
      contestId: 'ext',
      teamId: 't1',
      challengeRef: 'web-e',
      requestedBy: 'x',
    });
    await toRunning(v.id);
    await expect(service.extend(v.id, 'x')).rejects.toThrow(
      /opens 10 minutes before expiry/,
    );
    const expires = new Date((await service.status(v.id)).expiresAt).getTime();
    const inWindow = new Date(expires - 5 * 60_000);
    const once = await service.extend(v.id, 'x', inWindow);
    expect(new Date(once.expiresAt).getTime()).toBe(expires + 1800_000);
    await service.extend(v.id, 'x', new Date(expires + 1800_000 - 60_000));
    await expect(
      service.extend(v.id, 'x', new Date(expires + 3600_000 - 60_000)),
    ).rejects.toThrow(/already extended 2 times/);
  });

  it('fails an instance whose deploy job never ran', async () => {
    const orphan = await store.create({
      contestId: 'orphan',
      teamId: 't1',
      challengeRef: 'challenge:default/web-o',
      challengeName: 'web-o',
      protocol: 'http',
      requestedBy: 'x',
      ttlSeconds: 600,
      maxActivePerTeam: 3,
      initialState: 'QUEUED',
      now: new Date(Date.now() - 10 * 60_000),
    });
    await service.sweepExpired();
    expect(await store.get(orphan.id)).toMatchObject({
      state: 'FAILED',
      failure_reason: 'the deploy job was never picked up',
      active_key: null,
    });
  });

  it('stops before deploying at once, and otherwise through a stop job; the sweeper expires overdue instances', async () => {
    const early = await service.start({
      contestId: 'st',
      teamId: 't1',
      challengeRef: 'web-s',
      requestedBy: 'x',
    });
    expect((await service.stop(early.id, 'x')).state).toBe('STOPPED');
    await drain();
    jobs.length = 0;
    const late = await service.start({
      contestId: 'st',
      teamId: 't1',
      challengeRef: 'web-s',
      requestedBy: 'x',
    });
    await toRunning(late.id);
    expect((await service.stop(late.id, 'x')).state).toBe('STOPPING');
    await drain();
    expect(jobs.map(j => j.action)).toEqual(['deploy', 'stop']);

    jobs.length = 0;
    const overdue = await service.start({
      contestId: 'st',
      teamId: 't2',
      challengeRef: 'web-s',
      requestedBy: 'x',
    });
    await toRunning(overdue.id);
    expect(
      await service.sweepExpired(new Date(Date.now() + 601_000)),
    ).toBeGreaterThanOrEqual(1);
    await drain();
    expect(jobs).toContainEqual(
      expect.objectContaining({
        action: 'stop',
        instanceId: overdue.id,
        spec: { end: 'EXPIRED' },
      }),
    );
    expect((await store.get(overdue.id)).state).toBe('STOPPING');
    expect(await service.sweepExpired(new Date(Date.now() + 601_000))).toBe(0);
  });
});
