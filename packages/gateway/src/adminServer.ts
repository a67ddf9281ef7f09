import http from 'node:http';
import type { GatewayMetrics } from './metrics';

/**
 * /healthz (alive), /readyz (accepting; 503 while draining), /health (the
 * detailed JSON every Flagstage service serves: status, version, uptime,
 * each dependency — here Redis, the source of limits and revocations),
 * /metrics.
 */
export function createAdminServer(
  metrics: GatewayMetrics,
  state: { ready: () => boolean; redisConfigured?: () => boolean },
  version: string = process.env.FLAGSTAGE_VERSION ?? '0.0.0',
) {
  return http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const ready = state.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ready' : 'draining' }));
    } else if (path === '/health') {
      const ready = state.ready();
      const configured = state.redisConfigured?.() ?? false;
      const up = (await metrics.redisUp.get()).values[0]?.value === 1;
      let status = 'ok';
      if (!ready) status = 'down';
      else if (configured && !up) status = 'degraded';
      res.writeHead(status === 'down' ? 503 : 200, {
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify({
          status,
          service: 'gateway',
          version,
          uptimeSeconds: Math.round(process.uptime()),
          draining: !ready,
          dependencies: {
            redis: configured
              ? {
                  status: up ? 'ok' : 'down',
                  critical: false,
                  detail: up
                    ? 'limits and revocations in sync'
                    : 'out of sync: serving the last limits and revocations it had',
                }
              : { status: 'disabled', critical: false },
          },
        }),
      );
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
}
