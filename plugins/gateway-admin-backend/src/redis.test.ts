import Redis from 'ioredis';
import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabase,
  describeWithServices,
  testServiceUrls,
  uniqueTestId,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  DEFAULT_GATEWAY_LIMITS,
  GATEWAY_REDIS,
  type GatewayConnectionsReport,
  type GatewayLiveConnection,
} from '@flagstage/plugin-gateway-common';
import {
  OPERATOR,
  READER,
  startGatewayAdmin,
  TOKEN_ID,
} from './__testUtils__/backend';
import { RESYNC_TASK_ID } from './plugin';

jest.setTimeout(60_000);

/** Polls until `check` holds (or fails the test after `ms`). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 25));
  }
}

function connection(
  id: string,
  iid: string,
  team: string,
  bytesIn: number,
  bytesOut: number,
): GatewayLiveConnection {
  return {
    id,
    proto: 'tcp',
    iid,
    team,
    chal: `chal-${iid}`,
    clientIp: '198.51.100.7',
    tokenId: TOKEN_ID,
    since: '2026-11-22T12:00:00.000Z',
    bytesIn,
    bytesOut,
  };
}

/**
 * Against the real Redis: every key and the channel live under a prefix
 * unique to this run (gatewayAdmin.redis.keyPrefix), so parallel suites and
 * a developer's gateway on the same Redis do not interfere.
 */
describeWithServices(['redis'])('gateway-admin with Redis', () => {
  const prefix = `flagstage-test-${uniqueTestId()}:`;
  const keys = {
    limits: prefix + GATEWAY_REDIS.limitsKey,
    revocations: prefix + GATEWAY_REDIS.revocationsKey,
    channel: prefix + GATEWAY_REDIS.changesChannel,
    report: (replica: string) =>
      prefix + GATEWAY_REDIS.connectionsKeyPrefix + replica,
  };
  // The mock scheduler instance also makes its service factory (not in its declared type).
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & { factory: typeof mockServices.scheduler.factory };
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof startGatewayAdmin>>;
  let redis: Redis;
  let subscriber: Redis;
  let events: unknown[] = [];
  let startupEvents: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    redis = new Redis(testServiceUrls.redis);
    subscriber = new Redis(testServiceUrls.redis);
    await subscriber.subscribe(keys.channel);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === keys.channel) events.push(JSON.parse(message));
    });
    app = await startGatewayAdmin({
      db,
      gatewayAdmin: {
        redis: { url: testServiceUrls.redis, keyPrefix: prefix },
      },
      features: [scheduler.factory({ skipTaskRunOnStartup: true })],
    });
    // Connecting republishes the database state (the defaults: nothing saved yet).
    await eventually(async () => (await redis.exists(keys.limits)) === 1);
    // Resync runs one at a time: this one waits for the one on connect.
    await scheduler.triggerTask(RESYNC_TASK_ID);
    await eventually(() => events.length > 0);
    startupEvents = events;
  }, 60_000);

  beforeEach(() => {
    events = [];
  });

  afterAll(async () => {
    await app?.stop();
    const leftover = await redis?.keys(`${prefix}*`);
    if (leftover?.length) await redis.del(...leftover);
    subscriber?.disconnect();
    redis?.disconnect();
    await db?.destroy();
  });

  it('published the defaults on connect and says it is publishing', async () => {
    // The resync on connect wrote the missing limits (no revocations to write).
    expect(startupEvents).toEqual([{ type: 'limits' }]);
    expect(JSON.parse((await redis.get(keys.limits))!)).toEqual(
      DEFAULT_GATEWAY_LIMITS,
    );
    const res = await app.as(READER).get('/limits');
    expect(res.body).toMatchObject({ version: 0, published: true });
    expect(res.body).not.toHaveProperty('warning');
    expect((await app.as().get('/health')).body).toEqual({
      status: 'ok',
      redis: 'up',
    });
  });

  it('PUT /limits writes the key and announces {type: limits}', async () => {
    const res = await app.as(OPERATOR).put('/limits', {
      limits: { http: { perTokenRps: 42, perTokenBurst: 84 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.published).toBe(true);
    expect(JSON.parse((await redis.get(keys.limits))!)).toEqual(
      res.body.limits,
    );
    expect(res.body.limits.http.perTokenRps).toBe(42);
    await eventually(() => events.length > 0);
    expect(events).toEqual([{ type: 'limits' }]);
  });

  it('revoking sets the hash field and announces; un-revoking removes it', async () => {
    const res = await app.as(OPERATOR).post('/revocations', {
      scope: 'team',
      value: 'team-noisy',
      reason: 'DoS',
    });
    expect(res.status).toBe(201);
    expect(res.body.published).toBe(true);
    const stored = await redis.hget(keys.revocations, 'team:team-noisy');
    expect(JSON.parse(stored!)).toEqual({
      scope: 'team',
      value: 'team-noisy',
      reason: 'DoS',
      at: res.body.revocation.at,
      by: OPERATOR,
    });
    await eventually(() => events.length > 0);
    expect(events).toEqual([{ type: 'revocations' }]);

    events = [];
    const token = await app
      .as(OPERATOR)
      .post('/revocations', { scope: 'token', value: TOKEN_ID });
    expect(token.status).toBe(201);
    expect(await redis.hkeys(keys.revocations)).toEqual(
      expect.arrayContaining(['team:team-noisy', `token:${TOKEN_ID}`]),
    );

    events = [];
    const lifted = await app
      .as(OPERATOR)
      .delete('/revocations/team/team-noisy');
    expect(lifted.status).toBe(200);
    expect(lifted.body.published).toBe(true);
    expect(await redis.hexists(keys.revocations, 'team:team-noisy')).toBe(0);
    expect(await redis.hexists(keys.revocations, `token:${TOKEN_ID}`)).toBe(1);
    await eventually(() => events.length > 0);
    expect(events).toEqual([{ type: 'revocations' }]);
  });

  it('the resync task restores what Redis lost, drops what the database does not hold, and is quiet otherwise', async () => {
    const limits = (await app.as(READER).get('/limits')).body.limits;
    const revocations = await redis.hgetall(keys.revocations);
    expect(Object.keys(revocations).length).toBeGreaterThan(0);

    await scheduler.triggerTask(RESYNC_TASK_ID);
    await new Promise(r => setTimeout(r, 200));
    expect(events).toEqual([]);

    await redis.del(keys.limits, keys.revocations);
    await redis.hset(keys.revocations, 'team:injected', '{}');
    await scheduler.triggerTask(RESYNC_TASK_ID);
    expect(JSON.parse((await redis.get(keys.limits))!)).toEqual(limits);
    expect(await redis.hgetall(keys.revocations)).toEqual(revocations);
    await eventually(() => events.length >= 2);
    expect(events).toEqual([{ type: 'limits' }, { type: 'revocations' }]);
  });

  it('merges the replicas’ connection reports, filters them and ranks top talkers', async () => {
    const report = (
      replica: string,
      connections: GatewayLiveConnection[],
    ): GatewayConnectionsReport => ({
      replica,
      at: new Date().toISOString(),
      connections,
    });
    const ttl = GATEWAY_REDIS.reportTtlSeconds;
    await redis.set(
      keys.report('gw-a'),
      JSON.stringify(
        report('gw-a', [
          connection('a1', 'inst-1', 'team-1', 1000, 4000),
          connection('a2', 'inst-2', 'team-2', 10, 10),
        ]),
      ),
      'EX',
      ttl,
    );
    await redis.set(
      keys.report('gw-b'),
      JSON.stringify(
        report('gw-b', [
          connection('b1', 'inst-1', 'team-1', 300, 200),
          connection('b2', 'inst-3', 'team-2', 9000, 0),
        ]),
      ),
      'EX',
      ttl,
    );
    // Another deployment's (another prefix's) report must not show up.
    const foreign = `other-${prefix}${GATEWAY_REDIS.connectionsKeyPrefix}gw-x`;
    await redis.set(
      foreign,
      JSON.stringify(report('gw-x', [connection('x1', 'i', 't', 1, 1)])),
      'EX',
      ttl,
    );

    const all = await app.as(READER).get('/connections');
    expect(all.status).toBe(200);
    expect(all.body.available).toBe(true);
    expect(
      all.body.replicas.map((r: any) => [r.replica, r.connections]),
    ).toEqual([
      ['gw-a', 2],
      ['gw-b', 2],
    ]);
    expect(
      all.body.connections.map((c: any) => `${c.replica}/${c.id}`),
    ).toEqual(['gw-b/b2', 'gw-a/a1', 'gw-b/b1', 'gw-a/a2']);
    expect(all.body.connections[1]).toEqual({
      ...connection('a1', 'inst-1', 'team-1', 1000, 4000),
      replica: 'gw-a',
    });

    const byInstance = await app.as(READER).get('/connections?instance=inst-1');
    expect(byInstance.body.connections.map((c: any) => c.id)).toEqual([
      'a1',
      'b1',
    ]);
    const byTeam = await app.as(READER).get('/connections?team=team-2');
    expect(byTeam.body.connections.map((c: any) => c.id)).toEqual(['b2', 'a2']);
    const both = await app
      .as(READER)
      .get('/connections?team=team-2&instance=inst-1');
    expect(both.body.connections).toEqual([]);

    const top = await app.as(READER).get('/top-talkers?limit=2');
    expect(top.status).toBe(200);
    expect(top.body.available).toBe(true);
    expect(top.body.teams).toEqual([
      {
        team: 'team-2',
        bytesIn: 9010,
        bytesOut: 10,
        bytes: 9020,
        connections: 2,
        instances: 2,
      },
      {
        team: 'team-1',
        bytesIn: 1300,
        bytesOut: 4200,
        bytes: 5500,
        connections: 2,
        instances: 1,
      },
    ]);
    expect(top.body.instances.map((i: any) => [i.iid, i.bytes])).toEqual([
      ['inst-3', 9000],
      ['inst-1', 5500],
    ]);
    await redis.del(foreign);
  });
});
