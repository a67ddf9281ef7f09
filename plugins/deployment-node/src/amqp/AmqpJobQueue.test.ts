import { execFile, spawnSync } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  createTestAmqp,
  describeWithServices,
  isServiceReachable,
  testServiceUrls,
  type TestAmqp,
} from '@flagstage/test-utils';
import type { Channel } from 'amqplib';
import type { DeadLetterReason } from '@flagstage/plugin-deployment-common';
import {
  describeJobQueueContract,
  eventually,
  sleep,
  testJob,
  type JobQueueContractOptions,
} from '../contract/jobQueueContract';
import { createJobQueue } from '../createJobQueue';
import {
  AmqpJobQueue,
  deadLetterReason,
  type AmqpJobQueueOptions,
} from './AmqpJobQueue';

jest.setTimeout(30_000);

const run = promisify(execFile);

/**
 * rabbitmqctl closes connections from the broker side. It must manage the
 * broker the tests use, so only for a local URL, and only when it runs
 * (as root here); otherwise that case is skipped with a message.
 */
function rabbitmqctlUsable(): boolean {
  if (!isServiceReachable('rabbitmq')) return false;
  const host = new URL(testServiceUrls.rabbitmq).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return false;
  const probe = spawnSync('rabbitmqctl', ['-q', 'list_connections', 'pid'], {
    timeout: 15_000,
  });
  return probe.status === 0;
}

/** Broker-side pids of the connections with this `connection_name`. */
async function connectionsNamed(name: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [
    '-q',
    'list_connections',
    'pid',
    'client_properties',
  ]);
  return stdout
    .split('\n')
    .filter(line => line.includes(`{"connection_name","${name}"}`))
    .map(line => line.split('\t')[0]);
}

/** A TCP proxy in front of the broker that can be cut and restored. */
async function startProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    const upstream = net.connect(
      Number(target.port) || 5672,
      target.hostname || '127.0.0.1',
    );
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port = 0) =>
    new Promise<number>(resolve =>
      server.listen(port, '127.0.0.1', () =>
        resolve((server.address() as AddressInfo).port),
      ),
    );
  const port = await listen();
  return {
    port,
    /** The network goes away: connections drop, new ones are refused. */
    async cut() {
      const closed = new Promise(resolve => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async restore() {
      await listen(port);
    },
  };
}

const describeWithRabbitmqctl = rabbitmqctlUsable() ? describe : describe.skip;

describe('deadLetterReason', () => {
  const msg = (headers: Record<string, unknown>) => ({
    properties: { headers },
  });
  it('reads x-first-death-reason, else the x-death entry', () => {
    expect(deadLetterReason(msg({ 'x-first-death-reason': 'expired' }))).toBe(
      'expired',
    );
    expect(
      deadLetterReason(msg({ 'x-death': [{ reason: 'delivery_limit' }] })),
    ).toBe('delivery_limit');
    expect(deadLetterReason(msg({ 'x-death': [{ reason: 'rejected' }] }))).toBe(
      'rejected',
    );
    expect(deadLetterReason(msg({ 'x-death': [{ reason: 'maxlen' }] }))).toBe(
      'rejected',
    );
    expect(deadLetterReason(msg({}))).toBe('rejected');
  });
});

describeWithServices(['rabbitmq'])('AmqpJobQueue', () => {
  let amqp: TestAmqp;
  let n = 0;
  beforeAll(async () => {
    amqp = await createTestAmqp();
  });
  afterAll(() => amqp?.cleanup());

  /** A fresh name prefix inside the suite's; its queues and exchanges are deleted after the suite. */
  const reserve = () => {
    const local = `q${++n}.`;
    amqp.queue(`${local}deployment_queue`);
    amqp.queue(`${local}deployment_dead`);
    amqp.exchange(`${local}deployment_exchange`);
    amqp.exchange(`${local}deployment_dlx`);
    return amqp.prefix + local;
  };
  const connect = (
    prefix: string,
    name: string,
    options: Partial<AmqpJobQueueOptions> = {},
  ) =>
    AmqpJobQueue.connect({
      url: amqp.url,
      prefix,
      connectionName: `${prefix}${name}`,
      ...options,
    });

  describeJobQueueContract(
    'RabbitMQ',
    async (options: JobQueueContractOptions) => {
      const prefix = reserve();
      const queue = await connect(prefix, 'main', options);
      const workers: AmqpJobQueue[] = [];
      return {
        queue,
        // Another process: its own connection to the same queue.
        worker: async () => {
          const w = await connect(prefix, `worker${workers.length}`, options);
          workers.push(w);
          return w;
        },
        // The process dies: its connection closes with the jobs unacked.
        kill: worker => worker.close(),
        destroy: async () => {
          await queue.close();
          for (const w of workers) await w.close();
        },
      };
    },
  );

  it('publishes persistent JSON (messageId = jobId, traceparent header, expiration) to a quorum queue with the declared limits', async () => {
    const prefix = reserve();
    const queue = await connect(prefix, 'props', {
      deliveryLimit: 4,
      maxLength: 50,
    });
    const ch = await amqp.connection.createChannel();
    try {
      const job = testJob(1, {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      await queue.publish(job, { expiresInMs: 60_000 });
      const msg = await ch.get(queue.topology.queue, { noAck: true });
      if (!msg) throw new Error('no message');
      expect(JSON.parse(msg.content.toString())).toEqual(job);
      expect(msg.properties).toMatchObject({
        messageId: job.jobId,
        deliveryMode: 2,
        contentType: 'application/json',
        expiration: '60000',
        headers: { traceparent: job.traceparent },
      });
      // Re-declaring with exactly these arguments succeeds (a mismatch would
      // close the channel with PRECONDITION_FAILED).
      await ch.assertQueue(queue.topology.queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-delivery-limit': 3,
          'x-dead-letter-exchange': `${prefix}deployment_dlx`,
          'x-dead-letter-routing-key': 'deploy',
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
          'x-max-length': 50,
        },
      });
    } finally {
      await ch.close().catch(() => {});
      await queue.close();
    }
  });

  it('dead-letters an unreadable message as rejected without calling a handler, and reports rejected dead letters', async () => {
    const prefix = reserve();
    const queue = await connect(prefix, 'rejected');
    const ch = await amqp.connection.createConfirmChannel();
    try {
      let handled = 0;
      const consumer = await queue.consume(
        async () => {
          handled += 1;
        },
        { prefetch: 1 },
      );
      ch.publish(
        queue.topology.exchange,
        'deploy',
        Buffer.from('{"not": "a job"'),
      );
      await ch.waitForConfirms();
      await eventually(
        'the unreadable message in the dead-letter queue',
        async () => (await queue.depth()).dead === 1,
      );
      expect(handled).toBe(0);
      await consumer.cancel();

      // A job refused without requeue (by an operator, say) is 'rejected'.
      const job = testJob(2);
      await queue.publish(job);
      const msg = await ch.get(queue.topology.queue);
      if (!msg) throw new Error('no message');
      ch.nack(msg, false, false);
      const dead: [string, DeadLetterReason][] = [];
      await queue.consumeDeadLetters(async (j, reason) => {
        dead.push([j.jobId, reason]);
      });
      await eventually('the rejected dead letter', () => dead.length === 1);
      // The unreadable one was acked and dropped, never handed over.
      expect(dead).toEqual([[job.jobId, 'rejected']]);
      await eventually(
        'an empty dead-letter queue',
        async () => (await queue.depth()).dead === 0,
      );
    } finally {
      await ch.close().catch(() => {});
      await queue.close();
    }
  });

  describeWithRabbitmqctl('after `rabbitmqctl close_connection`', () => {
    it('reconnects once: consumers resume, publishes succeed, nothing confirmed is lost', async () => {
      const prefix = reserve();
      const name = `${prefix}reconnect`;
      const queue = await connect(prefix, 'reconnect', {
        deliveryLimit: 2,
        reconnectWaitMs: 10_000,
      });
      try {
        const acked = new Map<string, number>();
        const dead: string[] = [];
        await queue.consume(
          async job => {
            if (job.instanceId === 'doomed') throw new Error('driver refused');
            await sleep(2);
            acked.set(job.jobId, (acked.get(job.jobId) ?? 0) + 1);
          },
          { prefetch: 5 },
        );
        await queue.consumeDeadLetters(async (job, reason) => {
          dead.push(`${job.jobId}:${reason}`);
        });
        const before = Array.from({ length: 20 }, (_, i) => testJob(i));
        await Promise.all(before.map(j => queue.publish(j)));
        await eventually('the first 20 jobs', () =>
          before.every(j => acked.has(j.jobId)),
        );

        const [pid, ...others] = await connectionsNamed(name);
        expect(others).toEqual([]);
        await run('rabbitmqctl', [
          '-q',
          'close_connection',
          pid,
          'flagstage test: connection dropped',
        ]);
        // Issued at once: they wait for the reconnect, then are confirmed.
        const after = Array.from({ length: 20 }, (_, i) => testJob(20 + i));
        await Promise.all(after.map(j => queue.publish(j)));
        await eventually('the 20 jobs published after the drop', () =>
          after.every(j => acked.has(j.jobId)),
        );
        // The dead-letter consumer was restored too.
        const doomed = testJob(99, { instanceId: 'doomed' });
        await queue.publish(doomed);
        await eventually('the dead letter', () => dead.length === 1);
        expect(dead).toEqual([`${doomed.jobId}:delivery_limit`]);

        // Exactly one new connection: recovery did not reconnect twice.
        const now = await connectionsNamed(name);
        expect(now).toHaveLength(1);
        expect(now[0]).not.toBe(pid);
        for (const j of [...before, ...after]) {
          expect(acked.get(j.jobId)).toBeGreaterThanOrEqual(1);
        }
        expect(await queue.depth()).toEqual({ ready: 0, dead: 0 });
      } finally {
        await queue.close();
      }
    });
  });

  it('waits a bounded time for the broker: publish fails clearly while unreachable and works once it is back', async () => {
    const proxy = await startProxy(new URL(amqp.url));
    const url = new URL(amqp.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const prefix = reserve();
    const queue = await AmqpJobQueue.connect({
      url: url.toString(),
      prefix,
      connectionName: `${prefix}outage`,
      reconnectWaitMs: 1000,
    });
    try {
      const acked: string[] = [];
      await queue.consume(
        async job => {
          acked.push(job.jobId);
        },
        { prefetch: 5 },
      );
      const first = testJob(1);
      await queue.publish(first);
      await eventually('the first job', () => acked.includes(first.jobId));

      await proxy.cut();
      const refused = testJob(2);
      const t0 = Date.now();
      await expect(queue.publish(refused)).rejects.toThrow(
        /RabbitMQ .*(unavailable|not restored).*1000 ms/,
      );
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(4000);
      await expect(queue.depth()).rejects.toThrow(/RabbitMQ/);

      await proxy.restore();
      const later = testJob(3);
      await eventually(
        'a publish confirmed after the broker is back',
        async () => {
          try {
            await queue.publish(later);
            return true;
          } catch {
            return false;
          }
        },
        15_000,
      );
      await eventually('the consumer resumed', () =>
        acked.includes(later.jobId),
      );
      expect(acked).not.toContain(refused.jobId);
    } finally {
      await queue.close();
      await proxy.cut().catch(() => {});
    }
  });

  describe('rebuilds a topology changed under it, without losing a confirmed job', () => {
    /** Consumes, applies `change`, publishes three jobs, returns what came through. */
    const afterChange = async (
      change: (ch: Channel, queue: AmqpJobQueue) => Promise<unknown>,
    ) => {
      const prefix = reserve();
      const warnings: string[] = [];
      const queue = await connect(prefix, 'changed', {
        logger: {
          info: () => {},
          warn: m => warnings.push(m),
          error: m => warnings.push(m),
        },
      });
      const ch = await amqp.connection.createChannel();
      try {
        const got: string[] = [];
        await queue.consume(
          async job => {
            got.push(job.jobId);
          },
          { prefetch: 1 },
        );
        await change(ch, queue);
        const sent = [testJob(1), testJob(2), testJob(3)].map(j => j.jobId);
        for (const jobId of sent) await queue.publish({ ...testJob(), jobId });
        await eventually('all three jobs', () => got.length >= 3);
        await sleep(50);
        return { sent: sent.sort(), got: got.sort(), log: warnings.join('\n') };
      } finally {
        await ch.close().catch(() => {});
        await queue.close();
      }
    };

    it('binding removed: the publish comes back unroutable and is sent again after setup', async () => {
      const r = await afterChange((ch, q) =>
        ch.unbindQueue(q.topology.queue, q.topology.exchange, 'deploy'),
      );
      expect(r.got).toEqual(r.sent);
      expect(r.log).toMatch(/job .* was unroutable; reconnecting/);
    });

    it('queue deleted: the cancelled consumer is restored', async () => {
      const r = await afterChange(async (ch, q) => {
        await ch.deleteQueue(q.topology.queue);
        await sleep(200); // the broker's consumer-cancel notification
      });
      expect(r.got).toEqual(r.sent);
      expect(r.log).toMatch(/cancelled the consumer .*; reconnecting/);
    });

    it('exchange deleted: the publish channel error is healed', async () => {
      const r = await afterChange((ch, q) =>
        ch.deleteExchange(q.topology.exchange),
      );
      expect(r.got).toEqual(r.sent);
      expect(r.log).toMatch(/publish failed .*; reconnecting/);
    });
  });

  it('fails start-up with a clear error when the declared arguments conflict', async () => {
    const prefix = reserve();
    const first = await connect(prefix, 'first', { maxLength: 50 });
    await first.close();
    await expect(
      connect(prefix, 'second', { maxLength: 60, reconnectWaitMs: 100 }),
    ).rejects.toThrow(
      /Could not connect to RabbitMQ at amqp:.* and declare .*deployment_queue: .*PRECONDITION/,
    );
  });

  it('is what createJobQueue returns when amqpUrl is set', async () => {
    const prefix = reserve();
    const queue = await createJobQueue({
      amqpUrl: amqp.url,
      prefix,
      deliveryLimit: 5,
      maxLength: 100,
      defaultExpiryMs: 120_000,
    });
    try {
      expect(queue).toBeInstanceOf(AmqpJobQueue);
      expect(await queue.depth()).toEqual({ ready: 0, dead: 0 });
    } finally {
      await queue.close();
    }
  });
});
