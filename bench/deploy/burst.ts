/*
 * Deploy burst: 2,000 instance starts from 500 teams within 10 s through the
 * deployment API (real router, PostgreSQL, RabbitMQ), consumed by a worker
 * whose driver accepts instantly. Prints API p50/p99, queue-to-accept
 * latency, and lost and duplicate counts. Loopback only; bounded; cleans up
 * its database and queues.
 *
 *   yarn bench:deploy-burst      (FLAGSTAGE_BENCH_AMQP_URL, BENCH_STARTS=2000, BENCH_TEAMS=500, BENCH_WINDOW_SECONDS=10)
 *
 * BENCH_DRIVER=simulator: the real worker instead (DeploymentWorker with the
 * Kubernetes driver, its workflow budget BENCH_BUDGET=30, and the pod
 * listener) against the Kubernetes API simulator, whose workflows run
 * BENCH_WORKFLOW_MS (default 1000) and whose pods are Ready BENCH_POD_READY_MS
 * (default 2000) after creation. Prints time to all RUNNING, the peak of
 * workflows in flight, and duplicate workflows.
 */
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { createJobQueue } from '@flagstage/plugin-deployment-node';
import type { DeploymentJob } from '@flagstage/plugin-deployment-common';
import { InstanceStore } from '../../plugins/deployment-backend/src/database/InstanceStore';
import { InstanceService } from '../../plugins/deployment-backend/src/services/InstanceService';
import { readDeploymentConfig } from '../../plugins/deployment-backend/src/config';
import { createRouter } from '../../plugins/deployment-backend/src/router';
import knexFactory, { type Knex } from 'knex';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { DeploymentWorker } from '../../plugins/deployment-worker/src/services/DeploymentWorker';
import { InstanceApi } from '../../plugins/deployment-worker/src/services/clients';
import {
  KubernetesDriver,
  PodListener,
} from '../../plugins/deployment-worker/src/k8s';

const PG_URL =
  process.env.FLAGSTAGE_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const quietLogger: any = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => quietLogger,
};
const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : NaN;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A fresh PostgreSQL database with the deployment plugin's migrations; dropped afterwards. */
async function freshDatabase(
  poolMax: number,
  migrations: string,
): Promise<{ knex: Knex; drop: () => Promise<void>; name: string }> {
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
    pool: { min: 0, max: poolMax },
  });
  await knex.migrate.latest({ directory: migrations });
  return {
    knex,
    name,
    async drop() {
      await knex.destroy();
      const dropper = knexFactory({
        client: 'pg',
        connection: PG_URL,
        pool: { min: 0, max: 1 },
      });
      await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await dropper.destroy();
    },
  };
}

const AMQP_URL =
  process.env.FLAGSTAGE_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const STARTS = Number(process.env.BENCH_STARTS ?? 2000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 500);
const WINDOW = Number(process.env.BENCH_WINDOW_SECONDS ?? 10);
const PER_TEAM = Math.ceil(STARTS / TEAMS);

const challengeEntity = (name: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: 'group:default/ctf-authors',
    category: 'web',
    type: 'instanced',
    difficulty: 'easy',
    scoring: { function: 'static', value: 100 },
    flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
    runtime: {
      protocol: 'http',
      port: 3333,
      ttlSeconds: 3600,
      image: `registry.example/${name}:1`,
    },
  },
});

async function main() {
  const hardStop = setTimeout(() => {
    console.error('benchmark took too long; stopping');
    process.exit(3);
  }, (WINDOW + 180) * 1000);
  hardStop.unref();
  const { knex, drop, name } = await freshDatabase(
    20,
    path.resolve(__dirname, '../../plugins/deployment-backend/migrations'),
  );
  const prefix = `bench-${randomBytes(3).toString('hex')}-`;
  const queue = await createJobQueue({
    // BENCH_QUEUE=memory isolates the API and database from the broker.
    amqpUrl: process.env.BENCH_QUEUE === 'memory' ? undefined : AMQP_URL,
    prefix,
    maxLength: 100_000,
    defaultExpiryMs: 120_000,
  });
  const config = readDeploymentConfig(
    new ConfigReader({
      deployment: {
        maxActivePerTeam: PER_TEAM,
        queue: { prefix },
        gateway: {
          keys: [{ kid: 'b', secret: randomBytes(32).toString('base64') }],
        },
      },
    }),
  );
  const store = new InstanceStore(knex);
  const cache = CacheManager.fromConfig(
    new ConfigReader({ backend: { cache: { store: 'memory' } } }),
  ).forPlugin('deployment');
  const instances = new InstanceService(
    store,
    queue,
    cache,
    config,
    quietLogger,
    async ref => challengeEntity(ref.split('/')[1]) as any,
  );
  const app = express();
  app.use(
    '/api/deployment',
    createRouter({
      instances,
      store,
      queue,
      // The contest plugin calls with service credentials; so does this benchmark.
      httpAuth: {
        credentials: async () => ({
          principal: { type: 'service', subject: 'plugin:contest' },
        }),
      } as any,
      permissions: { authorize: async () => [{ result: 'ALLOW' }] } as any,
    }),
  );
  app.use(
    MiddlewareFactory.create({
      config: new ConfigReader({}),
      logger: quietLogger,
    }).error(),
  );
  const server = http
    .createServer({ keepAliveTimeout: 65_000 }, app)
    .listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;

  // The worker: real consumer and transitions; the driver accepts at once.
  const handled = new Map<string, number>();
  const acceptLatency: number[] = [];
  const simulated = process.env.BENCH_DRIVER === 'simulator';
  const k8s = simulated ? await startSimulatedWorker(port, queue) : undefined;
  const consumer = k8s
    ? k8s.consumer
    : await queue.consume(
        async (job: DeploymentJob) => {
          handled.set(job.instanceId, (handled.get(job.instanceId) ?? 0) + 1);
          if (job.action !== 'deploy') return;
          const moved = await store.transition(
            job.instanceId,
            ['QUEUED'],
            'DEPLOYING',
            { actor: 'bench-worker' },
          );
          if (!moved) return;
          acceptLatency.push(Date.now() - Date.parse(job.requestedAt));
          await store.transition(job.instanceId, ['DEPLOYING'], 'RUNNING', {
            endpoint: '127.0.0.1:1',
            actor: 'bench-worker',
          });
        },
        { prefetch: 32 },
      );

  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const post = (body: object) =>
      new Promise<number>((resolve, reject) => {
        const data = JSON.stringify(body);
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/deployment/instances',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(data),
            },
          },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    console.log(
      `${STARTS} starts from ${TEAMS} teams spread over ${WINDOW} s (database ${name}, queue prefix ${prefix})…`,
    );
    // Warm-up (not counted): a running portal has its connection pools open
    // and its code compiled when a burst arrives; a cold process does not.
    const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
    for (let w = 0; w < WARMUP; w += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          post({
            contestId: 'warmup',
            teamId: `warmup-${w + k}`,
            challengeRef: 'challenge:default/warmup',
          }),
        ),
      );
    for (let waited = 0; waited < 30_000; waited += 100) {
      const pending = await knex('instances')
        .where({ contest_id: 'warmup' })
        .whereNot({ state: 'RUNNING' })
        .count({ n: '*' });
      if (Number(pending[0].n) === 0) break;
      await new Promise(r => setTimeout(r, 100));
    }
    await knex('instances').where({ contest_id: 'warmup' }).delete();
    handled.clear();
    acceptLatency.length = 0;
    const apiLatency: number[] = [];
    const statuses = new Map<number, number>();
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: STARTS }, async (_, i) => {
        await new Promise(r => setTimeout(r, (i / STARTS) * WINDOW * 1000));
        const s = process.hrtime.bigint();
        const status = await post({
          contestId: 'bench',
          teamId: `team-${i % TEAMS}`,
          challengeRef: `challenge:default/chal-${Math.floor(i / TEAMS)}`,
        });
        apiLatency.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (process.env.BENCH_DEBUG && apiLatency[apiLatency.length - 1] > 50)
          console.log(
            `slow #${i} at ${Date.now() - t0} ms: ${Math.round(
              apiLatency[apiLatency.length - 1],
            )} ms`,
          );
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
    );
    const sentIn = (Date.now() - t0) / 1000;
    const accepted = statuses.get(202) ?? 0;
    // Wait for the worker to drain.
    const deadline = Date.now() + (simulated ? 240_000 : 60_000);
    let running = 0;
    while (Date.now() < deadline) {
      running = Number(
        (
          await knex('instances').where({ state: 'RUNNING' }).count({ n: '*' })
        )[0].n,
      );
      if (running >= accepted) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const drainedIn = (Date.now() - t0) / 1000;
    const byState = Object.fromEntries(
      (
        await knex('instances')
          .groupBy('state')
          .select('state')
          .count({ n: '*' })
      ).map((r: any) => [r.state, Number(r.n)]),
    );
    if (k8s) acceptLatency.push(...(await k8s.acceptLatencies(knex)));
    const duplicates = [...handled.values()].filter(n => n > 1).length;
    apiLatency.sort((a, b) => a - b);
    acceptLatency.sort((a, b) => a - b);
    const result = {
      bench: 'deploy-burst',
      at: new Date().toISOString(),
      starts: STARTS,
      teams: TEAMS,
      sentInSeconds: round(sentIn, 1),
      statuses: Object.fromEntries(statuses),
      apiMs: {
        p50: round(percentile(apiLatency, 50)),
        p99: round(percentile(apiLatency, 99)),
        max: round(apiLatency[apiLatency.length - 1]),
      },
      queueToAcceptMs: {
        p50: round(percentile(acceptLatency, 50)),
        p99: round(percentile(acceptLatency, 99)),
        max: round(acceptLatency[acceptLatency.length - 1]),
      },
      drainedInSeconds: round(drainedIn, 1),
      instancesByState: byState,
      lost: accepted - running,
      duplicates: k8s ? k8s.duplicateWorkflows() : duplicates,
      ...(k8s && {
        driver: 'kubernetes (simulator)',
        budget: k8s.budget,
        peakWorkflowsInFlight: k8s.peak(),
        startWorkflows: k8s.startWorkflows(),
      }),
    };
    console.log(`\nDeploy burst — ${result.at}`);
    console.log(
      `API (POST /instances): ${JSON.stringify(result.statuses)}; p50 ${
        result.apiMs.p50
      } ms, p99 ${result.apiMs.p99} ms, max ${result.apiMs.max} ms`,
    );
    console.log(
      `queue → worker accepted: p50 ${result.queueToAcceptMs.p50} ms, p99 ${result.queueToAcceptMs.p99} ms, max ${result.queueToAcceptMs.max} ms`,
    );
    console.log(
      `all RUNNING after ${
        result.drainedInSeconds
      } s; by state ${JSON.stringify(byState)}; lost ${
        result.lost
      }; duplicates ${duplicates}`,
    );
    if (k8s)
      console.log(
        `Kubernetes driver on the simulator: budget ${
          k8s.budget
        }, peak workflows in flight ${k8s.peak()}, start workflows ${k8s.startWorkflows()}, duplicate workflows ${k8s.duplicateWorkflows()}`,
      );
    console.log(JSON.stringify(result));
    agent.destroy();
  } finally {
    await consumer.cancel();
    await k8s?.stop();
    await queue.close();
    server.close();
    await drop();
    await deleteQueues(prefix);
  }
}

/**
 * The production worker path against the Kubernetes API simulator: the
 * deployment backend's internal API over HTTP (this process's router), the
 * DeploymentWorker with the Kubernetes driver, and the pod listener.
 */
async function startSimulatedWorker(port: number, queue: any) {
  const budget = Number(process.env.BENCH_BUDGET ?? 30);
  const sim = await KubeSimulator.start({
    podReadyDelayMs: Number(process.env.BENCH_POD_READY_MS ?? 2000),
    workflowDurationMs: Number(process.env.BENCH_WORKFLOW_MS ?? 1000),
    historyLimit: 50_000,
  });
  const base = `http://127.0.0.1:${port}/api/deployment`;
  const client = {
    fetch: (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers:
          init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
  };
  const instances = new InstanceApi(client as any);
  const kubeConfig = sim.kubeConfig();
  const driver = new KubernetesDriver({
    kubeConfig,
    logger: quietLogger,
    maxRunningWorkflows: budget,
  });
  const listener = new PodListener({
    kubeConfig,
    instances,
    logger: quietLogger,
    workflows: driver.workflowCache,
    teardown: id => driver.teardown(id),
  });
  await driver.connect();
  await listener.start();
  const worker = new DeploymentWorker({
    queue,
    driver,
    instances,
    contest: { env: async () => ({ FLAG: 'flagstage{bench}' }) } as any,
    loadEntity: async ref => challengeEntity(ref.split('/')[1]) as any,
    logger: quietLogger,
    concurrency: 64,
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, driver.runningWorkflows());
  }, 20);
  const starts = () =>
    sim
      .list('workflows', { namespace: 'argo' })
      .filter(w => w.spec.workflowTemplateRef.name === 'start-challenge');
  await worker.start();
  return {
    budget,
    consumer: { cancel: () => worker.stop() },
    peak: () => peak,
    startWorkflows: () => starts().length,
    duplicateWorkflows: () =>
      sim.requests.filter(
        r =>
          r.method === 'POST' &&
          r.path.includes('/workflows') &&
          r.status === 201,
      ).length - new Set(starts().map(w => w.metadata.name)).size,
    /** Request → workflow submitted (the worker accepted the job), per instance. */
    async acceptLatencies(db: Knex): Promise<number[]> {
      const created = new Map<string, number>();
      for (const wf of starts())
        created.set(
          wf.metadata.name,
          Date.parse(String(wf.metadata.creationTimestamp)),
        );
      const rows = await db('instances')
        .where({ contest_id: 'bench' })
        .select('id', 'created_at');
      return rows.flatMap((r: any) => {
        const at = created.get(`start-${r.id}`);
        return at === undefined ? [] : [at - new Date(r.created_at).getTime()];
      });
    },
    async stop() {
      clearInterval(sampler);
      await listener.stop();
      await driver.disconnect();
      await sim.close();
    },
  };
}

/** Removes the benchmark's exchanges and queues from the broker. */
async function deleteQueues(prefix: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const amqp = require('amqplib');
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of ['deployment_queue', 'deployment_dead'])
    await ch.deleteQueue(`${prefix}${q}`).catch(() => {});
  for (const e of ['deployment_exchange', 'deployment_dlx'])
    await ch.deleteExchange(`${prefix}${e}`).catch(() => {});
  await conn.close();
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
