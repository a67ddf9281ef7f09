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
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { migrationsDirectory } from '@flagstage/backend-node';
import { createJobQueue } from '@flagstage/plugin-deployment-node';
import type { DeploymentJob } from '@flagstage/plugin-deployment-common';
import {
  InstanceService,
  InstanceStore,
  Callers,
  createRouter,
  readDeploymentConfig,
} from '@flagstage/plugin-deployment-backend';
import { freshDatabase } from '../lib/database';
import { percentile, quietLogger, round } from '../lib/figures';
import { AMQP_URL, challengeEntity, deleteQueues } from './fixtures';
import { startSimulatedWorker } from './simulatedWorker';

const STARTS = Number(process.env.BENCH_STARTS ?? 2000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 500);
const WINDOW = Number(process.env.BENCH_WINDOW_SECONDS ?? 10);
const PER_TEAM = Math.ceil(STARTS / TEAMS);

async function main() {
  const hardStop = setTimeout(() => {
    console.error('benchmark took too long; stopping');
    process.exit(3);
  }, (WINDOW + 180) * 1000);
  hardStop.unref();
  const { knex, drop, name } = await freshDatabase({
    poolMax: 20,
    migrations: migrationsDirectory('@flagstage/plugin-deployment-backend'),
  });
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
      callers: new Callers(
        {
          credentials: async () => ({
            principal: { type: 'service', subject: 'plugin:contest' },
          }),
        } as any,
        { authorize: async () => [{ result: 'ALLOW' }] } as any,
        config.serviceCallers,
      ),
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

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
