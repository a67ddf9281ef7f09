import http from 'node:http';
import type { GatewayMetrics } from './metrics';

/** /healthz (alive), /readyz (accepting; 503 while draining), /metrics. */
export function createAdminServer(
  metrics: GatewayMetrics,
  state: { ready: () => boolean },
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
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
}
