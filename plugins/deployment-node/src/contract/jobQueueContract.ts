/*
 * The JobQueue contract: one suite, run against every implementation
 * (src/memory/InMemoryJobQueue.test.ts, src/amqp/AmqpJobQueue.test.ts).
 * Test-only; not exported from the package.
 */
/* eslint-disable jest/no-export -- a shared suite is exported by design */
import { randomUUID } from 'node:crypto';
import {
  QueueFullError,
  type DeadLetterReason,
  type DeploymentJob,
  type JobDelivery,
  type JobQueue,
  type QueueConsumer,
} from '@flagstage/plugin-deployment-common';

/** Limits a contract case asks its queue for. */
export type JobQueueContractOptions = {
  deliveryLimit?: number;
  maxLength?: number;
  defaultExpiryMs?: number;
};

/** One queue under test, with what the contract needs around it. */
export type JobQueueContractSubject = {
  queue: JobQueue;
  /**
   * Another worker on the same queue: its own connection on RabbitMQ (a
   * second process), the same object in process.
   */
  worker(): Promise<JobQueue>;
  /**
   * Makes a consumer die without acking what it holds: RabbitMQ closes the
   * worker's connection, in process the consumer is cancelled.
   */
  kill(worker: JobQueue, consumer: QueueConsumer): Promise<void>;
  /** Closes everything the subject opened and deletes what it declared. */
  destroy(): Promise<void>;
};

/** Makes a fresh, empty queue (its own names) for one case. */
export type JobQueueContractFactory = (
  options: JobQueueContractOptions,
) => Promise<JobQueueContractSubject>;

/** A deploy job with a fresh jobId. */
export function testJob(
  i = 0,
  extra: Partial<DeploymentJob> = {},
): DeploymentJob {
  return {
    jobId: randomUUID(),
    action: 'deploy',
    instanceId: `instance-${i}`,
    contestId: 'contest-1',
    teamId: `team-${i % 7}`,
    challengeRef: 'challenge:default/web-cookie-jar',
    requestedAt: new Date().toISOString(),
    ...extra,
  };
}

/** Polls `check` until it holds; fails with `what` after `ms`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    }
    await sleep(20);
  }
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A promise that never settles: the handler of a consumer that died. */
const forever = () => new Promise<never>(() => {});

const count = (m: Map<string, number>, id: string) =>
  m.set(id, (m.get(id) ?? 0) + 1);

/**
 * The semantics every {@link JobQueue} implementation shares. RabbitMQ's
 * known differences (a soft maximum length, expiry only at the head of the
 * queue) are asserted as bounds here and described in the README.
 */
export function describeJobQueueContract(
  name: string,
  factory: JobQueueContractFactory,
) {
  describe(`JobQueue contract: ${name}`, () => {
    const subjects: JobQueueContractSubject[] = [];
    const make = async (options: JobQueueContractOptions = {}) => {
      const subject = await factory({
        deliveryLimit: 3,
        maxLength: 1000,
        ...options,
      });
      subjects.push(subject);
      return subject;
    };
    afterEach(async () => {
      for (const s of subjects.splice(0)) await s.destroy();
    });

    it('resolves publish once the job is queued and delivers it as published, attempt 1', async () => {
      const { queue } = await make();
      const sent = testJob(1, {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        spec: { protocol: 'http', port: 3333 },
      });
      await queue.publish(sent);
      expect(await queue.depth()).toEqual({ ready: 1, dead: 0 });
      const got: [DeploymentJob, JobDelivery][] = [];
      await queue.consume(
        async (job, delivery) => {
          got.push([job, delivery]);
        },
        { prefetch: 1 },
      );
      await eventually('the delivery', () => got.length === 1);
      expect(got[0]).toEqual([sent, { attempt: 1, redelivered: false }]);
      await eventually(
        'an empty queue after the ack',
        async () => (await queue.depth()).ready === 0,
      );
      expect(await queue.depth()).toEqual({ ready: 0, dead: 0 });
    });

    it('counts waiting jobs and waiting dead letters in depth, not jobs being handled', async () => {
      const { queue } = await make();
      // First, so that it is at the head (RabbitMQ expires at the head only).
      await queue.publish(testJob(0), { expiresInMs: 100 });
      await queue.publish(testJob(1));
      await queue.publish(testJob(2));
      await eventually(
        'depth {ready: 2, dead: 1}',
        async () => {
          const d = await queue.depth();
          return d.ready === 2 && d.dead === 1;
        },
        5000,
      );
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let handling = 0;
      await queue.consume(
        async () => {
          handling += 1;
          await held;
        },
        { prefetch: 10 },
      );
      await eventually('both jobs in handlers', () => handling === 2);
      expect((await queue.depth()).ready).toBe(0);
      release();
      const reasons: DeadLetterReason[] = [];
      let releaseDead!: () => void;
      const heldDead = new Promise<void>(resolve => {
        releaseDead = resolve;
      });
      await queue.consumeDeadLetters(async (_job, reason) => {
        reasons.push(reason);
        await heldDead;
      });
      await eventually('the dead letter', () => reasons.length === 1);
      expect(reasons).toEqual(['expired']);
      expect((await queue.depth()).dead).toBe(0); // being handled
      releaseDead();
      await eventually(
        'depth {ready: 0, dead: 0}',
        async () => {
          const d = await queue.depth();
          return d.ready === 0 && d.dead === 0;
        },
        5000,
      );
    });

    it('never runs more handlers of a consumer at once than its prefetch', async () => {
      const { queue } = await make();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => queue.publish(testJob(i))),
      );
      let running = 0;
      let most = 0;
      let done = 0;
      await queue.consume(
        async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(30);
          running -= 1;
          done += 1;
        },
        { prefetch: 3 },
      );
      await eventually('12 jobs handled', () => done === 12);
      expect(most).toBe(3);
    });

    it('redelivers a failing job with a growing attempt, then dead-letters it as delivery_limit', async () => {
      const { queue } = await make({ deliveryLimit: 3 });
      const deliveries: JobDelivery[] = [];
      const dead: [string, DeadLetterReason][] = [];
      await queue.consume(
        async (_job, delivery) => {
          deliveries.push(delivery);
          throw new Error('driver refused');
        },
        { prefetch: 1 },
      );
      await queue.consumeDeadLetters(async (job, reason) => {
        dead.push([job.jobId, reason]);
      });
      const sent = testJob(3);
      await queue.publish(sent);
      await eventually('the dead letter', () => dead.length === 1);
      await sleep(200); // no further delivery after the limit
      expect(deliveries).toEqual([
        { attempt: 1, redelivered: false },
        { attempt: 2, redelivered: true },
        { attempt: 3, redelivered: true },
      ]);
      expect(dead).toEqual([[sent.jobId, 'delivery_limit']]);
    });

    it('acks a job that succeeds on a redelivery; nothing is dead-lettered', async () => {
      const { queue } = await make({ deliveryLimit: 3 });
      const attempts: number[] = [];
      await queue.consume(
        async (_job, { attempt }) => {
          attempts.push(attempt);
          if (attempt === 1) throw new Error('transient');
        },
        { prefetch: 1 },
      );
      await queue.publish(testJob(4));
      await eventually('the second attempt', () => attempts.length === 2);
      await sleep(200);
      expect(attempts).toEqual([1, 2]);
      expect(await queue.depth()).toEqual({ ready: 0, dead: 0 });
    });

    it('treats a handler that throws synchronously as a failure', async () => {
      const { queue } = await make({ deliveryLimit: 2 });
      const attempts: number[] = [];
      const dead: DeadLetterReason[] = [];
      const handler = ((_job: DeploymentJob, delivery: JobDelivery) => {
        attempts.push(delivery.attempt);
        throw new Error('not even a promise');
      }) as unknown as (j: DeploymentJob, d: JobDelivery) => Promise<void>;
      await queue.consume(handler, { prefetch: 1 });
      await queue.consumeDeadLetters(async (_job, reason) => {
        dead.push(reason);
      });
      await queue.publish(testJob(4));
      await eventually('the dead letter', () => dead.length === 1);
      expect(attempts).toEqual([1, 2]);
      expect(dead).toEqual(['delivery_limit']);
    });

    it('cancels one consumer, once or twice, without affecting the others', async () => {
      const { queue } = await make();
      const got: string[] = [];
      const other = await queue.consume(
        async job => {
          got.push(job.jobId);
        },
        { prefetch: 1 },
      );
      const cancelled = await queue.consume(async () => {}, { prefetch: 1 });
      await cancelled.cancel();
      await cancelled.cancel();
      const sent = testJob(5);
      await queue.publish(sent);
      await eventually('the delivery', () => got.length === 1);
      expect(got).toEqual([sent.jobId]);
      await other.cancel();
    });

    it('hands the dead letters of a cancelled dead-letter consumer to the next, none lost', async () => {
      const { queue } = await make();
      const a = testJob(1);
      const b = testJob(2);
      let firstHeld = 0;
      let releaseFirst!: () => void;
      const first = await queue.consumeDeadLetters(async () => {
        firstHeld += 1;
        await new Promise<void>(resolve => {
          releaseFirst = resolve;
        });
      });
      await queue.publish(a, { expiresInMs: 50 });
      await queue.publish(b, { expiresInMs: 50 });
      await eventually(
        'the first dead letter in a handler',
        () => firstHeld > 0,
      );
      await first.cancel(); // its handler is still running
      const handled: string[] = [];
      await queue.consumeDeadLetters(async job => {
        await sleep(50);
        handled.push(job.jobId);
      });
      releaseFirst(); // finishes after its consumer went away: not an ack
      await eventually('both dead letters', () => handled.length >= 2, 5000);
      await sleep(100);
      expect(handled.sort()).toEqual([a.jobId, b.jobId].sort());
      expect((await queue.depth()).dead).toBe(0);
    });

    it('gives the unacked job of a consumer that died to another consumer', async () => {
      const subject = await make();
      const worker = await subject.worker();
      const held: string[] = [];
      const dying = await worker.consume(
        async job => {
          held.push(job.jobId);
          await forever();
        },
        { prefetch: 1 },
      );
      const sent = testJob(5);
      await subject.queue.publish(sent);
      await eventually('the first delivery', () => held.length === 1);
      const got: [string, JobDelivery][] = [];
      await subject.queue.consume(
        async (job, delivery) => {
          got.push([job.jobId, delivery]);
        },
        { prefetch: 1 },
      );
      await sleep(100);
      expect(got).toEqual([]); // still held by the first consumer
      await subject.kill(worker, dying);
      await eventually('the redelivery', () => got.length === 1);
      expect(got).toEqual([[sent.jobId, { attempt: 2, redelivered: true }]]);
    });

    it('dead-letters as delivery_limit a job whose consumer died on its last allowed delivery', async () => {
      const subject = await make({ deliveryLimit: 1 });
      const worker = await subject.worker();
      let held = 0;
      const dying = await worker.consume(
        async () => {
          held += 1;
          await forever();
        },
        { prefetch: 1 },
      );
      const dead: DeadLetterReason[] = [];
      await subject.queue.consumeDeadLetters(async (_job, reason) => {
        dead.push(reason);
      });
      await subject.queue.publish(testJob(6));
      await eventually('the delivery', () => held === 1);
      let redelivered = 0;
      await subject.queue.consume(
        async () => {
          redelivered += 1;
        },
        { prefetch: 1 },
      );
      await subject.kill(worker, dying);
      await eventually('the dead letter', () => dead.length === 1);
      await sleep(100);
      expect(dead).toEqual(['delivery_limit']);
      expect(redelivered).toBe(0);
    });

    it('takes 200 jobs through 2 consumers, one dying midway: each is acked exactly once', async () => {
      // At-least-once: a job the dying consumer had started is delivered
      // again (the worker is idempotent); what must hold is that every job
      // completes and is acked exactly once, by a consumer that was alive.
      const subject = await make();
      const worker = await subject.worker();
      const started = new Map<string, number>();
      const acked = new Map<string, number>();
      let killed = false;
      let lost = 0;
      const handler = (victim: boolean) => async (job: DeploymentJob) => {
        count(started, job.jobId);
        await sleep(1 + Math.floor(Math.random() * 5));
        if (victim && killed) {
          lost += 1;
          await forever(); // died mid-job: never acks
        }
        count(acked, job.jobId);
      };
      const victim = await worker.consume(handler(true), { prefetch: 5 });
      await subject.queue.consume(handler(false), { prefetch: 5 });
      const ids: string[] = [];
      const publishing = (async () => {
        for (let batch = 0; batch < 10; batch++) {
          const jobs = Array.from({ length: 20 }, (_, i) =>
            testJob(batch * 20 + i),
          );
          ids.push(...jobs.map(j => j.jobId));
          await Promise.all(jobs.map(j => subject.queue.publish(j)));
        }
      })();
      await eventually('60 jobs acked', () => acked.size >= 60);
      killed = true;
      await eventually('the victim mid-job', () => lost > 0);
      await subject.kill(worker, victim);
      await publishing;
      await eventually('200 jobs acked', () => acked.size === 200, 20_000);
      await sleep(100);
      expect(ids).toHaveLength(200);
      expect([...acked.keys()].sort()).toEqual([...ids].sort());
      expect([...acked.values()].every(n => n === 1)).toBe(true);
      // What the victim held when it died was done again elsewhere.
      const again = [...started.values()].filter(n => n > 1).length;
      expect(again).toBeGreaterThanOrEqual(lost);
      expect(await subject.queue.depth()).toEqual({ ready: 0, dead: 0 });
    }, 30_000);

    it('dead-letters jobs that waited past their expiry (explicit or default) as expired', async () => {
      const { queue } = await make({ defaultExpiryMs: 250 });
      const dead: [string, DeadLetterReason][] = [];
      await queue.consumeDeadLetters(async (job, reason) => {
        dead.push([job.jobId, reason]);
      });
      const a = testJob(7);
      const b = testJob(8);
      await queue.publish(a, { expiresInMs: 100 });
      await queue.publish(b);
      await eventually('two dead letters', () => dead.length === 2, 5000);
      expect(dead.sort()).toEqual(
        [
          [a.jobId, 'expired'],
          [b.jobId, 'expired'],
        ].sort(),
      );
      let delivered = 0;
      await queue.consume(
        async () => {
          delivered += 1;
        },
        { prefetch: 1 },
      );
      await sleep(100);
      expect(delivered).toBe(0);
    });

    it('refuses publishes over the maximum length with QueueFullError and delivers every confirmed job', async () => {
      const { queue } = await make({ maxLength: 5 });
      const confirmed: string[] = [];
      const refused: unknown[] = [];
      for (let i = 0; i < 9; i++) {
        const job = testJob(i);
        try {
          await queue.publish(job);
          confirmed.push(job.jobId);
        } catch (e) {
          refused.push(e);
        }
      }
      // RabbitMQ applies a quorum queue's limit after the enqueue that
      // crosses it (one more is accepted); the in-process queue is exact.
      expect(confirmed.length).toBeGreaterThanOrEqual(5);
      expect(confirmed.length).toBeLessThanOrEqual(6);
      expect(refused).toHaveLength(9 - confirmed.length);
      for (const e of refused) {
        expect(e).toBeInstanceOf(QueueFullError);
        expect((e as QueueFullError).retryAfterSeconds).toBeGreaterThan(0);
      }
      expect((await queue.depth()).ready).toBe(confirmed.length);
      const seen: string[] = [];
      const consumer = await queue.consume(
        async job => {
          seen.push(job.jobId);
        },
        { prefetch: 5 },
      );
      await eventually(
        'every confirmed job',
        () => seen.length >= confirmed.length,
      );
      await sleep(100);
      expect(seen.sort()).toEqual(confirmed.sort());
      await consumer.cancel();
      // Drained: publishing works again.
      await expect(queue.publish(testJob(99))).resolves.toBeUndefined();
    });

    it('refuses work once closed', async () => {
      const { queue } = await make();
      await queue.close();
      await expect(queue.publish(testJob(0))).rejects.toThrow(/closed/);
      await expect(
        queue.consume(async () => {}, { prefetch: 1 }),
      ).rejects.toThrow(/closed/);
    });
  });
}
