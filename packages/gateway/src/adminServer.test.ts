import type { AddressInfo } from 'node:net';
import { createAdminServer } from './adminServer';
import { GatewayMetrics } from './metrics';

describe('gateway admin server', () => {
  it('serves /healthz, /readyz and /health with the Redis dependency, and /metrics', async () => {
    const metrics = new GatewayMetrics(false);
    let ready = true;
    const server = createAdminServer(
      metrics,
      { ready: () => ready, redisConfigured: () => true },
      '1.2.3',
    );
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (p: string) => {
      const res = await fetch(`${base}${p}`);
      return { status: res.status, text: await res.text() };
    };
    try {
      expect((await get('/healthz')).status).toBe(200);
      metrics.redisUp.set(0);
      let health = await get('/health');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({
        status: 'degraded',
        service: 'gateway',
        version: '1.2.3',
        dependencies: { redis: { status: 'down', critical: false } },
      });
      metrics.redisUp.set(1);
      expect(JSON.parse((await get('/health')).text)).toMatchObject({
        status: 'ok',
        dependencies: { redis: { status: 'ok' } },
      });
      ready = false;
      expect((await get('/readyz')).status).toBe(503);
      health = await get('/health');
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toMatchObject({
        status: 'down',
        draining: true,
      });
      expect((await get('/metrics')).text).toContain(
        'flagstage_gateway_redis_up 1',
      );
    } finally {
      server.close();
    }
  });
});
