/* Shared set-up for the contest benchmarks: a fresh PostgreSQL database with the plugin's migrations, the contest router on a loopback port, figures. */
import http from 'node:http';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { migrationsDirectory } from '@flagstage/backend-node';
import {
  createRouter,
  type ContestServices,
} from '@flagstage/plugin-contest-backend';

export const PG_URL =
  process.env.FLAGSTAGE_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** Benchmarks talk to this machine only. */
function assertLoopback(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    throw new Error(`benchmarks only target 127.0.0.1, not ${host}`);
}

/**
 * BENCH_PG_SYNCHRONOUS_COMMIT=off sets synchronous_commit for the benchmark's
 * connections (a diagnostic: how much of the latency is waiting for WAL
 * flushes). Default: the server's setting.
 */
const SYNCHRONOUS_COMMIT = process.env.BENCH_PG_SYNCHRONOUS_COMMIT;

export async function freshDatabase(
  poolMax: number,
): Promise<{ knex: Knex; drop: () => Promise<void>; name: string }> {
  assertLoopback(PG_URL);
  const name = `flagstage_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({
    client: 'pg',
    connection: PG_URL,
    pool: { min: 0, max: 1 },
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  await admin.destroy();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: {
      min: 0,
      max: poolMax,
      ...(SYNCHRONOUS_COMMIT && {
        afterCreate: (conn: any, done: (e: unknown, c: unknown) => void) =>
          conn.query(
            `SET synchronous_commit = ${
              SYNCHRONOUS_COMMIT === 'off' ? 'off' : 'on'
            }`,
            (e: unknown) => done(e, conn),
          ),
      }),
    },
  });
  const drop = async () => {
    await knex.destroy();
    const dropper = knexFactory({
      client: 'pg',
      connection: PG_URL,
      pool: { min: 0, max: 1 },
    });
    await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await dropper.destroy();
  };
  try {
    await knex.migrate.latest({
      directory: migrationsDirectory('@flagstage/plugin-contest-backend'),
    });
  } catch (e) {
    await drop();
    throw e;
  }
  return { knex, name, drop };
}

/** A logger that prints nothing (debug lines with BENCH_DEBUG=1) and hands debug metadata to `onDebug`. */
export function capturingLogger(
  onDebug?: (message: string, meta: any) => void,
): any {
  const logger: any = {
    error() {},
    warn() {},
    info() {},
    debug(message: string, meta?: object) {
      onDebug?.(message, meta);
      if (process.env.BENCH_DEBUG) console.log(message, JSON.stringify(meta));
    },
    child() {
      return logger;
    },
  };
  return logger;
}

export const quietLogger: any = capturingLogger();

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

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
