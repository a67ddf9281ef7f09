import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import {
  createTestDatabase,
  describeWithServices,
  testServiceUrls,
  uniqueTestId,
  type TestDatabase,
} from '@flagstage/test-utils';
import { createJobQueue } from '@flagstage/plugin-deployment-node';
import type { JobQueue } from '@flagstage/plugin-deployment-common';

jest.setTimeout(120_000);

const JOBS = 400;
const root = path.resolve(__dirname, '../../..');

function startWorker(
  prefix: string,
  pgUrl: string,
  lines: string[],
): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'sucrase/register',
      path.join(__dirname, '__testUtils__/faultConsumer.ts'),
      testServiceUrls.rabbitmq,
      prefix,
      pgUrl,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return child;
}

async function until(check: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise(r => setTimeout(r, 50));
  }
  return false;
}

/**
 * Kill the worker mid-burst and start another: every job completes exactly
 * once. RabbitMQ redelivers what the dead worker had not acked (at least
 * once); the compare-and-set on the job's state makes the effect exactly once.
 */
describeWithServices(['rabbitmq', 'postgres'])(
  'worker killed mid-burst (real RabbitMQ)',
  () => {
    let db: TestDatabase;
    let queue: JobQueue;
    const prefix = `fault-${uniqueTestId()}-`;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      db = await createTestDatabase('postgres');
      await db.knex.schema.createTable('fault_jobs', t => {
        t.string('job_id').primary();
        t.string('state').notNullable();
        t.integer('done_by').nullable();
      });
      // No unique key: a job done twice would show up here twice.
      await db.knex.schema.createTable('fault_effects', t => {
        t.increments('id');
        t.string('job_id').notNullable();
        t.integer('pid').notNullable();
      });
      queue = await createJobQueue({
        amqpUrl: testServiceUrls.rabbitmq,
        prefix,
        deliveryLimit: 10,
        maxLength: 100_000,
      });
    });
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await queue?.close();
      const conn = await amqp.connect(testServiceUrls.rabbitmq);
      const ch = await conn.createChannel();
      for (const q of ['deployment_queue', 'deployment_dead'])
        await ch.deleteQueue(`${prefix}${q}`).catch(() => {});
      for (const e of ['deployment_exchange', 'deployment_dlx'])
        await ch.deleteExchange(`${prefix}${e}`).catch(() => {});
      await conn.close();
      await db?.destroy();
    });

    it('completes every job exactly once across a SIGKILLed worker and its replacement', async () => {
      const ids = Array.from({ length: JOBS }, () => randomUUID());
      await db.knex.batchInsert(
        'fault_jobs',
        ids.map(job_id => ({ job_id, state: 'QUEUED' })),
        200,
      );
      for (const [i, jobId] of ids.entries()) {
        await queue.publish({
          jobId,
          action: 'deploy',
          instanceId: `i-${i}`,
          contestId: 'c',
          teamId: 't',
          challengeRef: 'challenge:default/x',
          requestedAt: new Date().toISOString(),
        });
      }
      const pgUrl = (db.config.connection as string) ?? '';
      const firstLines: string[] = [];
      const first = startWorker(prefix, pgUrl, firstLines);
      children.push(first);
      expect(
        await until(
          () => firstLines.filter(l => l.startsWith('done')).length >= JOBS / 4,
          60_000,
        ),
      ).toBe(true);
      first.kill('SIGKILL');
      await new Promise(r => first.once('exit', r));
      const doneBeforeKill = firstLines.filter(l =>
        l.startsWith('done'),
      ).length;
      expect(doneBeforeKill).toBeLessThan(JOBS);

      const secondLines: string[] = [];
      const second = startWorker(prefix, pgUrl, secondLines);
      children.push(second);
      expect(
        await until(
          async () =>
            Number(
              (
                await db
                  .knex('fault_jobs')
                  .where({ state: 'DONE' })
                  .count({ n: '*' })
              )[0].n,
            ) === JOBS,
          60_000,
        ),
      ).toBe(true);
      second.kill('SIGKILL');

      const rows = await db.knex('fault_jobs').select('state', 'done_by');
      expect(rows.every(r => r.state === 'DONE')).toBe(true);
      // Exactly once: one effect per job, none twice, spread over both workers.
      // (stdout lines are not evidence: a SIGKILL can swallow the last ones.)
      const effects = await db.knex('fault_effects').select('job_id', 'pid');
      expect(effects).toHaveLength(JOBS);
      expect(new Set(effects.map(e => e.job_id))).toEqual(new Set(ids));
      expect(new Set(effects.map(e => e.pid)).size).toBe(2);
      expect(new Set(rows.map(r => r.done_by)).size).toBe(2);
    });
  },
);
