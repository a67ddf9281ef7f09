/* Shared set-up for the contest benchmarks: a fresh PostgreSQL database with the plugin's migrations, the contest router on a loopback port, figures. */
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { migrationsDirectory } from '@flagstage/backend-node';
import {
  createRouter,
  type ContestServices,
} from '@flagstage/plugin-contest-backend';
import { freshDatabase as freshDatabaseWith } from '../lib/database';
import { percentile, quietLogger, round } from '../lib/figures';

export { PG_URL } from '../lib/database';
export {
  capturingLogger,
  percentile,
  quietLogger,
  round,
} from '../lib/figures';

/** A fresh database with the contest plugin's migrations; dropped by `drop`. */
export const freshDatabase = (poolMax: number) =>
  freshDatabaseWith({
    poolMax,
    migrations: migrationsDirectory('@flagstage/plugin-contest-backend'),
  });

/** min / p50 / p90 / p99 / max of a list of milliseconds. */
export function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    min: round(s[0]),
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s[s.length - 1]),
  };
}

/** Milliseconds since a `process.hrtime.bigint()`. */
export const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** What the figures depend on: CPUs, load from other processes, Node. */
export function machine() {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model?.trim(),
    loadavg1m: round(os.loadavg()[0]),
    node: process.version,
  };
}

/** Right-aligned table: first column left-aligned. */
export function table(header: string[], rows: (string | number)[][]) {
  const cells = [header, ...rows.map(r => r.map(String))];
  const widths = header.map((_, i) =>
    Math.max(...cells.map(r => (r[i] ?? '').length)),
  );
  return cells
    .map(r =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  '),
    )
    .join('\n');
}

/**
 * The contest router as the backend mounts it (/api/contest), with Backstage's
 * error middleware, on 127.0.0.1 at a random port. The admin and runtime
 * dependencies throw: the public routes never use them.
 */
export async function startContestServer(options: {
  services: ContestServices;
  /** Extra routes mounted before the router (e.g. a baseline). */
  extra?: (app: express.Express) => void;
  /** Also the middleware Backstage's root HTTP router puts in front (helmet, cors, compression, request logging). */
  backendMiddleware?: boolean;
}) {
  const unused = () => {
    throw new Error('not used by the public routes');
  };
  const middleware = MiddlewareFactory.create({
    config: new ConfigReader({}),
    logger: quietLogger,
  });
  const app = express();
  if (options.backendMiddleware) {
    app.use(middleware.helmet());
    app.use(middleware.cors());
    app.use(middleware.compression());
    app.use(middleware.logging());
  }
  options.extra?.(app);
  app.use(
    '/api/contest',
    createRouter({
      ...options.services,
      httpAuth: { credentials: unused } as any,
      permissions: { authorize: unused } as any,
      userInfo: { getUserInfo: unused } as any,
      catalog: { getEntityByRef: unused } as any,
      secureCookies: false,
      cookiePath: '/api/contest/public',
    }),
  );
  app.use(middleware.error());
  // Idle keep-alive sockets stay open longer than the clients' pauses (no reset races).
  const server = http
    .createServer({ keepAliveTimeout: 65_000 }, app)
    .listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * GET load from a worker thread (so the clients do not share the server's
 * event loop) over `clients` keep-alive connections. Closed loop (each client
 * sends its next request when the last one is answered) unless `rate` is
 * given: then requests go out on a fixed schedule (open loop) whether or not
 * earlier ones were answered, and latency counts from the scheduled time, so
 * queueing is not hidden.
 */
const GET_LOAD_SCRIPT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, path, clients, seconds, requests, rate, headers } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const now = () => Number(process.hrtime.bigint()) / 1e6;
const get = () => new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path, agent, headers }, res => {
    let n = 0; res.on('data', c => (n += c.length)); res.on('end', () => resolve({ status: res.statusCode, bytes: n }));
  }).on('error', reject);
});
(async () => {
  const latencies = []; const statuses = {}; let bytes = 0; let sent = 0;
  const record = (r, from) => {
    latencies.push(now() - from);
    statuses[r.status] = (statuses[r.status] || 0) + 1;
    bytes = r.bytes;
  };
  const t0 = now();
  const deadline = t0 + seconds * 1000;
  if (rate) {
    const total = Math.floor(rate * seconds);
    const pending = [];
    while (sent < total) {
      const due = t0 + (sent * 1000) / rate;
      const wait = due - now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
      while (sent < total && t0 + (sent * 1000) / rate <= now()) {
        const scheduled = t0 + (sent * 1000) / rate;
        sent++;
        pending.push(get().then(r => record(r, scheduled)));
      }
    }
    await Promise.all(pending);
  } else {
    await Promise.all(Array.from({ length: clients }, async () => {
      while (now() < deadline && (!requests || sent < requests)) {
        sent++;
        const t = now();
        record(await get(), t);
      }
    }));
  }
  const elapsed = (now() - t0) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies, statuses, bytes, seconds: elapsed });
})();
`;

export async function getLoad(options: {
  port: number;
  path: string;
  clients: number;
  seconds: number;
  /** Stop after this many requests (all clients together; closed loop only). */
  requests?: number;
  /** Requests a second on a fixed schedule (open loop). */
  rate?: number;
  headers?: Record<string, string>;
}) {
  const r: {
    latencies: number[];
    statuses: Record<string, number>;
    bytes: number;
    seconds: number;
  } = await new Promise((resolve, reject) => {
    const worker = new Worker(GET_LOAD_SCRIPT, {
      eval: true,
      workerData: options,
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    clients: options.clients,
    rate: options.rate,
    requests: r.latencies.length,
    perSecond: round(r.latencies.length / r.seconds, 0),
    latencyMs: stats(r.latencies),
    statuses: r.statuses,
    responseBytes: r.bytes,
  };
}
