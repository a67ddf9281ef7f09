import http from 'node:http';
import { once } from 'node:events';
import express, { type RequestHandler } from 'express';
import type { Config } from '@backstage/config';

/** Where the internal listener binds. */
export type InternalListenerConfig = { host: string; port: number };

/** `observability.internal` with its defaults: all interfaces (Prometheus scrapes the pod), port 7009. */
export function internalListenerConfig(config: Config): InternalListenerConfig {
  const c = config.getOptionalConfig('observability.internal');
  return {
    host: c?.getOptionalString('host') ?? '0.0.0.0',
    port: c?.getOptionalNumber('port') ?? 7009,
  };
}

/**
 * A second HTTP server for what only operators and Prometheus should read
 * (`/metrics`, `/health`, and the probes again): no Ingress routes its port,
 * and the chart's NetworkPolicy lets only the monitoring namespace in.
 */
export async function startInternalListener(
  handler: RequestHandler,
  { host, port }: InternalListenerConfig,
) {
  const app = express();
  app.disable('x-powered-by');
  app.use(handler);
  const server = http.createServer(app);
  server.listen(port, host);
  await once(server, 'listening');
  const bound = server.address() as { address: string; port: number };
  return {
    address: `${bound.address}:${bound.port}`,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}
