import net from 'node:net';
import Redis from 'ioredis';
import {
  GATEWAY_REDIS,
  DEFAULT_GATEWAY_LIMITS,
} from '@flagstage/plugin-gateway-common';
import {
  describeWithServices,
  testServiceUrls,
  uniqueTestId,
} from '@flagstage/test-utils';
import { GatewayInstanceRevocationsPublisher } from '@flagstage/plugin-gateway-node';
import { startGateway, type Gateway } from './gateway';
import {
  DOMAIN,
  get,
  startUpstreams,
  testConfig,
  token,
} from './__testUtils__/harness';

jest.setTimeout(30_000);

async function eventually(check: () => boolean | Promise<boolean>, ms = 5000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise(r => setTimeout(r, 50));
  }
  return false;
}

describeWithServices(['redis'])('gateway policy from Redis', () => {
  const prefix = `test-${uniqueTestId()}:`;
  let redis: Redis;
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let gateway: Gateway;
  const host = `inst-1.${DOMAIN}`;

  beforeAll(async () => {
    redis = new Redis(testServiceUrls.redis);
    upstreams = await startUpstreams();
    await redis.set(
      prefix + GATEWAY_REDIS.limitsKey,
      JSON.stringify({ tcp: { maxConnectionsPerToken: 2 } }),
    );
    gateway = await startGateway(
      testConfig({
        redisUrl: testServiceUrls.redis,
        redisKeyPrefix: prefix,
        replica: 'r1',
      }),
      {
        logWrite: () => {},
        defaultMetrics: false,
      },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstreams?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('loads limits at start and follows published changes', async () => {
    expect(gateway.access.limits.tcp.maxConnectionsPerToken).toBe(2);
    expect(gateway.access.limits.http).toEqual(DEFAULT_GATEWAY_LIMITS.http);
    await redis.set(
      prefix + GATEWAY_REDIS.limitsKey,
      JSON.stringify({ tcp: { maxConnectionsPerToken: 5 } }),
    );
    await redis.publish(
      prefix + GATEWAY_REDIS.changesChannel,
      JSON.stringify({ type: 'limits' }),
    );
    expect(
      await eventually(
        () => gateway.access.limits.tcp.maxConnectionsPerToken === 5,
      ),
    ).toBe(true);
  });

  it('ignores invalid limits and keeps the last good ones', async () => {
    await redis.set(
      prefix + GATEWAY_REDIS.limitsKey,
      JSON.stringify({ tcp: { maxConnectionsPerToken: -3 } }),
    );
    await redis.publish(
      prefix + GATEWAY_REDIS.changesChannel,
      JSON.stringify({ type: 'limits' }),
    );
    await new Promise(r => setTimeout(r, 300));
    expect(gateway.access.limits.tcp.maxConnectionsPerToken).toBe(5);
  });

  it('applies revocations on the change event and lifts them again', async () => {
    const t = token({ target: upstreams.httpTarget, team: 'team-r' });
    expect(
      (
        await get(gateway, host, '/', {
          headers: { authorization: `Bearer ${t}` },
        })
      ).status,
    ).toBe(200);
    await redis.hset(
      prefix + GATEWAY_REDIS.revocationsKey,
      'team:team-r',
      JSON.stringify({
        scope: 'team',
        value: 'team-r',
        at: new Date().toISOString(),
      }),
    );
    await redis.publish(
      prefix + GATEWAY_REDIS.changesChannel,
      JSON.stringify({ type: 'revocations' }),
    );
    expect(
      await eventually(
        async () =>
          (
            await get(gateway, host, '/', {
              headers: { authorization: `Bearer ${t}` },
            })
          ).status === 403,
      ),
    ).toBe(true);
    await redis.hdel(prefix + GATEWAY_REDIS.revocationsKey, 'team:team-r');
    await redis.publish(
      prefix + GATEWAY_REDIS.changesChannel,
      JSON.stringify({ type: 'revocations' }),
    );
    expect(
      await eventually(
        async () =>
          (
            await get(gateway, host, '/', {
              headers: { authorization: `Bearer ${t}` },
            })
          ).status === 200,
      ),
    ).toBe(true);
  });

  it('refuses a stopped instance’s tokens and closes its connections once the deployment plugin publishes it', async () => {
    const publisher = new GatewayInstanceRevocationsPublisher({
      logger: { warn: () => {} } as any,
      redisUrl: testServiceUrls.redis,
      keyPrefix: prefix,
    });
    const stoppedHost = `inst-stopped.${DOMAIN}`;
    const t = token({ target: upstreams.httpTarget, iid: 'inst-stopped' });
    const status = async () =>
      (
        await get(gateway, stoppedHost, '/', {
          headers: { cookie: `fsg_token=${t}` },
        })
      ).status;
    expect(await status()).toBe(200);
    const tcp = net.connect(gateway.addresses.tcp, '127.0.0.1');
    tcp.write(
      `${token({
        target: upstreams.tcpTarget,
        iid: 'inst-stopped',
        proto: 'tcp',
      })}\n`,
    );
    await new Promise(r => tcp.once('data', r));
    const closed = new Promise(r => tcp.once('close', r));

    await publisher.instanceStopped('inst-stopped', Date.now() + 60_000);
    expect(await eventually(async () => (await status()) === 403)).toBe(true);
    await closed;
    // Entries whose tokens have all expired are dropped by the next publish.
    await publisher.instanceStopped('inst-old', Date.now() - 1);
    expect(
      await redis.zrange(prefix + GATEWAY_REDIS.stoppedInstancesKey, 0, -1),
    ).toEqual(['inst-stopped']);
    await publisher.close();
  });

  it('lets a link token open an instance once across replicas', async () => {
    const other = await startGateway(
      testConfig({
        redisUrl: testServiceUrls.redis,
        redisKeyPrefix: prefix,
        replica: 'r2',
      }),
      { logWrite: () => {}, defaultMetrics: false },
    );
    try {
      const t = token({ target: upstreams.httpTarget, chal: 'two-replicas' });
      expect((await get(gateway, host, `/?token=${t}`)).status).toBe(302);
      expect((await get(other, host, `/?token=${t}`)).status).toBe(403);
    } finally {
      await other.stop();
    }
  });

  it('reports live connections to Redis with a TTL, without tokens', async () => {
    const t = token({
      target: upstreams.tcpTarget,
      proto: 'tcp',
      team: 'team-live',
    });
    const socket = net.connect(gateway.addresses.tcp, '127.0.0.1');
    socket.write(`${t}\n`);
    await new Promise(r => socket.once('data', r));
    await gateway.redis!.report();
    const key = `${prefix}${GATEWAY_REDIS.connectionsKeyPrefix}r1`;
    const report = JSON.parse((await redis.get(key))!);
    expect(report.replica).toBe('r1');
    expect(report.connections).toContainEqual(
      expect.objectContaining({
        proto: 'tcp',
        team: 'team-live',
        iid: 'inst-1',
      }),
    );
    expect(JSON.stringify(report)).not.toContain(t);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(GATEWAY_REDIS.reportTtlSeconds);
    socket.destroy();
  });
});

describe('gateway without Redis', () => {
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  beforeAll(async () => {
    upstreams = await startUpstreams();
  });
  afterAll(() => upstreams.close());

  it.each([
    ['open', 200],
    ['closed', 503],
  ] as const)(
    'with revocation failure mode %s answers %s',
    async (mode, status) => {
      const gateway = await startGateway(
        testConfig({
          redisUrl: 'redis://127.0.0.1:1',
          revocationFailureMode: mode,
        }),
        { logWrite: () => {}, defaultMetrics: false },
      );
      try {
        const res = await get(gateway, `inst-1.${DOMAIN}`, '/', {
          headers: {
            authorization: `Bearer ${token({ target: upstreams.httpTarget })}`,
          },
        });
        expect(res.status).toBe(status);
      } finally {
        await gateway.stop();
      }
    },
  );
});

describe('gateway shutdown', () => {
  it('stops accepting, reports not ready, and lets an open connection finish', async () => {
    const upstreams = await startUpstreams();
    const gateway = await startGateway(testConfig({ drainSeconds: 2 }), {
      logWrite: () => {},
      defaultMetrics: false,
    });
    const socket = net.connect(gateway.addresses.tcp, '127.0.0.1');
    socket.write(`${token({ target: upstreams.tcpTarget, proto: 'tcp' })}\n`);
    await new Promise(r => socket.once('data', r));
    const stopping = gateway.stop();
    const ready = await fetch(
      `http://127.0.0.1:${gateway.addresses.admin}/readyz`,
    );
    expect(ready.status).toBe(503);
    // The open connection still works while draining.
    const echoed = new Promise(r => socket.once('data', d => r(d.toString())));
    socket.write('still here\n');
    expect(await echoed).toBe('still here\n');
    socket.end();
    await stopping;
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect(gateway.addresses.tcp, '127.0.0.1');
        s.on('connect', () => resolve('connected'));
        s.on('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    await upstreams.close();
  });
});
