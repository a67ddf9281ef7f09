import { hostname } from 'node:os';
import * as amqp from 'amqplib';
import type {
  Channel,
  ChannelModel,
  ConfirmChannel,
  ConsumeMessage,
  Options,
  RecoveringChannelModel,
} from 'amqplib';
import {
  QueueFullError,
  type DeadLetterReason,
  type DeploymentJob,
  type JobDelivery,
  type JobQueue,
  type QueueConsumer,
} from '@flagstage/plugin-deployment-common';

/** The few logger methods the queue uses (a Backstage `LoggerService` fits). @public */
export type JobQueueLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** Options of {@link AmqpJobQueue.connect}. @public */
export type AmqpJobQueueOptions = {
  /** `amqp://user:pass@host:5672/vhost` */
  url: string;
  /** Prefix of the exchange and queue names. Default ''. */
  prefix?: string;
  /**
   * Deliveries of a failing job before it is dead-lettered with
   * `delivery_limit` (counting the first). Default 5. Declared as
   * `x-delivery-limit: deliveryLimit - 1`: RabbitMQ counts failed deliveries.
   */
  deliveryLimit?: number;
  /** `x-max-length` with `x-overflow: reject-publish`. Default 10000. */
  maxLength?: number;
  /** Expiry of jobs published without one, in ms. Default: none. */
  defaultExpiryMs?: number;
  /** `connection_name` client property, shown by `rabbitmqctl list_connections`. */
  connectionName?: string;
  /** How long publish, consume and depth wait for a (re)connection. Default 5000 ms. */
  reconnectWaitMs?: number;
  /** How long publish waits for the broker's confirm once sent. Default 10000 ms. */
  confirmTimeoutMs?: number;
  logger?: JobQueueLogger;
};

/** The names {@link AmqpJobQueue} declares. @public */
export type AmqpJobQueueTopology = {
  exchange: string;
  queue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  routingKey: string;
};

/** One connection's worth of state; replaced after every reconnect. */
type Generation = {
  model: ChannelModel;
  publish?: ConfirmChannel;
  /** messageIds the broker returned as unroutable (mandatory publishes). */
  returned: Set<string>;
  /** True once topology and consumers are in place. */
  ready: boolean;
  closed: boolean;
};

type Registration = {
  kind: 'jobs' | 'dead';
  prefetch: number;
  onMessage(reg: Registration, ch: Channel, msg: ConsumeMessage): Promise<void>;
  running: number;
  backlog: { ch: Channel; msg: ConsumeMessage }[];
  cancelled: boolean;
  gen?: Generation;
  starting?: Promise<void>;
  channel?: Channel;
};

const ROUTING_KEY = 'deploy';
const DEAD_LETTER_RETRY_MS = 1000;

const noop = () => {};

class ConnectionLostError extends Error {}

/**
 * The deployment queue on RabbitMQ: a durable quorum queue behind a direct
 * exchange, publisher confirms, persistent messages, per-message expiry,
 * `x-delivery-limit` and a dead-letter exchange (at-least-once dead
 * lettering), `x-max-length` with reject-publish (a refused publish is a
 * {@link @flagstage/plugin-deployment-common#QueueFullError}), per-consumer
 * prefetch and manual acks.
 *
 * Reconnection uses amqplib's built-in recovery (ADR 0004): after any
 * connection loss the `setup` hook re-declares the topology and every live
 * consumer on the new connection. Publishes, consumes and depth checks
 * issued while disconnected wait up to `reconnectWaitMs` for it.
 *
 * @public
 */
export class AmqpJobQueue implements JobQueue {
  /** Connects (retrying briefly), declares the topology and returns the queue. */
  static async connect(options: AmqpJobQueueOptions): Promise<AmqpJobQueue> {
    const queue = new AmqpJobQueue(options);
    await queue.start();
    return queue;
  }

  readonly topology: AmqpJobQueueTopology;
  private readonly deliveryLimit: number;
  private readonly maxLength: number;
  private readonly reconnectWaitMs: number;
  private readonly confirmTimeoutMs: number;
  private readonly logger?: JobQueueLogger;
  private connection?: RecoveringChannelModel;
  private current?: Generation;
  private readonly waiters = new Set<() => void>();
  private readonly registrations = new Set<Registration>();
  private closed = false;

  private constructor(private readonly options: AmqpJobQueueOptions) {
    const prefix = options.prefix ?? '';
    this.topology = {
      exchange: `${prefix}deployment_exchange`,
      queue: `${prefix}deployment_queue`,
      deadLetterExchange: `${prefix}deployment_dlx`,
      deadLetterQueue: `${prefix}deployment_dead`,
      routingKey: ROUTING_KEY,
    };
    this.deliveryLimit = options.deliveryLimit ?? 5;
    this.maxLength = options.maxLength ?? 10_000;
    if (!Number.isInteger(this.deliveryLimit) || this.deliveryLimit < 1) {
      throw new Error(
        `deliveryLimit must be an integer ≥ 1, got ${this.deliveryLimit}`,
      );
    }
    if (!Number.isInteger(this.maxLength) || this.maxLength < 1) {
      throw new Error(
        `maxLength must be an integer ≥ 1, got ${this.maxLength}`,
      );
    }
    this.reconnectWaitMs = options.reconnectWaitMs ?? 5000;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
    this.logger = options.logger;
  }

  private async start() {
    const connection = await amqp.connect(this.options.url, {
      // TCP connect timeout per attempt (an unreachable host, not a refusal).
      timeout: 5000,
      clientProperties: {
        connection_name:
          this.options.connectionName ??
          `flagstage-deployment-queue@${hostname()}:${process.pid}`,
      },
      recovery: {
        initialDelay: 200,
        maxDelay: 5000,
        factor: 2,
        jitter: 0.2,
        maxRetries: Infinity,
        // ~3 s of retries at start-up, then connect() rejects: a wrong URL
        // or a refused declaration fails the backend's start, visibly.
        initialMaxRetries: 4,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection = connection;
    // Without an 'error' listener an emitted error would be thrown.
    connection.on('error', (err: Error) =>
      this.logger?.warn(`RabbitMQ connection error: ${err.message}`),
    );
    connection.on('disconnect', (err: Error) =>
      this.logger?.warn(
        `RabbitMQ connection lost (${err.message}); reconnecting`,
      ),
    );
    connection.on('connect-failed', (err: Error) =>
      this.logger?.warn(`RabbitMQ connection attempt failed: ${err.message}`),
    );
    connection.on('reconnect-failed', (err: Error) =>
      this.logger?.error(`RabbitMQ recovery gave up: ${err.message}`),
    );
    connection.on('blocked', (reason: string) =>
      this.logger?.warn(`RabbitMQ is blocking publishes: ${reason}`),
    );
    try {
      await connection.waitForConnect();
    } catch (err) {
      throw new Error(
        `Could not connect to RabbitMQ at ${redactUrl(
          this.options.url,
        )} and declare ${this.topology.queue}: ${toError(err).message}`,
      );
    }
  }

  /**
   * amqplib's recovery calls this after every successful (re)connect, before
   * it reports the connection usable. Throwing closes that connection and
   * schedules another attempt.
   */
  private async setup(model: ChannelModel): Promise<void> {
    const gen: Generation = {
      model,
      returned: new Set(),
      ready: false,
      closed: false,
    };
    model.on('error', noop); // logged through the recovering connection
    model.on('close', () => {
      gen.closed = true;
      if (this.current === gen) this.current = undefined;
    });
    const ch = await model.createConfirmChannel();
    this.watchChannel(ch, gen, 'publish');
    // basic.return precedes the confirm of the same message.
    ch.on('return', (msg: { properties: { messageId?: string } }) => {
      if (msg.properties.messageId) gen.returned.add(msg.properties.messageId);
    });
    await this.declareTopology(ch);
    gen.publish = ch;
    // A live array: a consumer registered during setup is picked up here or,
    // if after, by consume() itself (startConsumer is idempotent per generation).
    for (const reg of this.registrations) await this.startConsumer(reg, gen);
    gen.ready = true;
    this.current = gen;
    this.logger?.info(
      `RabbitMQ connected; topology ${this.topology.queue} declared, ${this.registrations.size} consumer(s) active`,
    );
    for (const wake of [...this.waiters]) wake();
  }

  private async declareTopology(ch: Channel) {
    const t = this.topology;
    await ch.assertExchange(t.exchange, 'direct', { durable: true });
    await ch.assertExchange(t.deadLetterExchange, 'direct', { durable: true });
    await ch.assertQueue(t.deadLetterQueue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
    await ch.bindQueue(t.deadLetterQueue, t.deadLetterExchange, ROUTING_KEY);
    await ch.assertQueue(t.queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        // RabbitMQ dead-letters once a message was returned *more* than
        // x-delivery-limit times (measured on 3.10: limit 2 → 3 deliveries).
        'x-delivery-limit': this.deliveryLimit - 1,
        'x-dead-letter-exchange': t.deadLetterExchange,
        'x-dead-letter-routing-key': ROUTING_KEY,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-max-length': this.maxLength,
      },
    });
    await ch.bindQueue(t.queue, t.exchange, ROUTING_KEY);
  }

  /**
   * A channel that closes while its connection stays up (a channel error, a
   * consumer cancelled by the server) is healed by closing the connection:
   * recovery then rebuilds everything through setup(), the one path that
   * restores state. Channels closed on purpose are forgotten first.
   */
  private watchChannel(
    ch: Channel,
    gen: Generation,
    what: string,
    expected: () => boolean = () => false,
  ) {
    ch.on('error', (err: Error) =>
      this.logger?.warn(`RabbitMQ ${what} channel error: ${err.message}`),
    );
    ch.on('close', () => {
      // Let the connection's own 'close' land first when it is the cause.
      setImmediate(() => {
        if (!gen.ready || expected()) return;
        this.abandon(gen, `the ${what} channel closed`);
      });
    });
  }

  /**
   * Gives up on a connection whose state is broken (a channel lost, a
   * consumer cancelled by the broker, a message returned unroutable): closes
   * it, so that recovery reconnects and setup() restores everything.
   */
  private abandon(gen: Generation, why: string) {
    if (gen.closed || this.closed) return;
    gen.closed = true;
    if (this.current === gen) this.current = undefined;
    this.logger?.warn(`RabbitMQ: ${why}; reconnecting to restore the queue`);
    gen.model.close().catch(noop);
  }

  async publish(
    job: DeploymentJob,
    options: { expiresInMs?: number } = {},
  ): Promise<void> {
    const content = Buffer.from(JSON.stringify(job));
    const ttl = options.expiresInMs ?? this.options.defaultExpiryMs;
    const properties: Options.Publish = {
      persistent: true,
      messageId: job.jobId,
      contentType: 'application/json',
      type: job.action,
      timestamp: Math.floor(Date.now() / 1000),
      headers: job.traceparent ? { traceparent: job.traceparent } : {},
      expiration:
        ttl === undefined ? undefined : String(Math.max(0, Math.round(ttl))),
    };
    await this.withConnection('publish', async gen => {
      const ch = gen.publish;
      if (!ch) throw new ConnectionLostError('no publish channel');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `RabbitMQ did not confirm job ${job.jobId} within ${this.confirmTimeoutMs} ms (is the broker blocking publishers?); it may still be queued`,
              ),
            ),
          this.confirmTimeoutMs,
        );
        const done = (err?: Error) => {
          clearTimeout(timer);
          if (gen.returned.delete(job.jobId)) {
            // Confirmed but routed nowhere: the queue or its binding is gone.
            this.abandon(gen, `job ${job.jobId} was unroutable`);
            reject(new ConnectionLostError('unroutable'));
          } else if (!err) resolve();
          else if (err.message === 'message nacked') {
            // reject-publish: the only reason this queue nacks.
            reject(new QueueFullError(5));
          } else {
            this.abandon(gen, `publish failed (${err.message})`);
            reject(new ConnectionLostError(err.message));
          }
        };
        try {
          ch.publish(
            this.topology.exchange,
            ROUTING_KEY,
            content,
            { ...properties, mandatory: true },
            err => done(err ? toError(err) : undefined),
          );
        } catch (err) {
          // The channel closed under us (IllegalOperationError).
          done(new Error(toError(err).message));
        }
      });
    });
  }

  async consume(
    handler: (job: DeploymentJob, delivery: JobDelivery) => Promise<void>,
    options: { prefetch: number },
  ): Promise<QueueConsumer> {
    return this.register({
      kind: 'jobs',
      prefetch: Math.max(1, Math.floor(options.prefetch)),
      onMessage: async (_reg, ch, msg) => {
        const job = parseJob(msg.content);
        if (!job) {
          this.logger?.error(
            `Rejecting an unreadable deployment job (messageId ${msg.properties.messageId}); it is dead-lettered as 'rejected'`,
          );
          ignoreClosed(() => ch.nack(msg, false, false));
          return;
        }
        const count = Number(msg.properties.headers?.['x-delivery-count'] ?? 0);
        const attempt = (Number.isFinite(count) ? count : 0) + 1;
        const delivery: JobDelivery = {
          attempt,
          redelivered: msg.fields.redelivered || attempt > 1,
        };
        let ok = true;
        try {
          await handler(job, delivery);
        } catch (err) {
          ok = false;
          this.logger?.warn(
            `Deployment job ${job.jobId} failed on attempt ${attempt} of ${
              this.deliveryLimit
            }: ${toError(err).message}`,
          );
        }
        // On a closed channel the broker has already requeued it: nothing to do.
        ignoreClosed(() => (ok ? ch.ack(msg) : ch.nack(msg, false, true)));
      },
    });
  }

  async consumeDeadLetters(
    handler: (job: DeploymentJob, reason: DeadLetterReason) => Promise<void>,
  ): Promise<QueueConsumer> {
    return this.register({
      kind: 'dead',
      prefetch: 10,
      onMessage: async (_reg, ch, msg) => {
        const job = parseJob(msg.content);
        if (!job) {
          this.logger?.error(
            `Dropping an unreadable dead-lettered deployment job (messageId ${msg.properties.messageId})`,
          );
          ignoreClosed(() => ch.ack(msg));
          return;
        }
        try {
          await handler(job, deadLetterReason(msg));
          ignoreClosed(() => ch.ack(msg));
        } catch (err) {
          this.logger?.warn(
            `Dead-letter handler failed for job ${
              job.jobId
            }; retrying in ${DEAD_LETTER_RETRY_MS} ms: ${toError(err).message}`,
          );
          // The dead-letter queue has no delivery limit: back off, then requeue.
          await sleep(DEAD_LETTER_RETRY_MS);
          ignoreClosed(() => ch.nack(msg, false, true));
        }
      },
    });
  }

  async depth(): Promise<{ ready: number; dead: number }> {
    return this.withConnection('depth', async gen => {
      const ch = gen.publish;
      if (!ch) throw new ConnectionLostError('no channel');
      try {
        const [q, d] = await Promise.all([
          ch.checkQueue(this.topology.queue),
          ch.checkQueue(this.topology.deadLetterQueue),
        ]);
        return { ready: q.messageCount, dead: d.messageCount };
      } catch (err) {
        // A missing queue closes the channel (404): rebuild, then try again.
        this.abandon(gen, `depth failed (${toError(err).message})`);
        throw new ConnectionLostError(toError(err).message);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const reg of this.registrations) reg.cancelled = true;
    this.registrations.clear();
    for (const wake of [...this.waiters]) wake();
    await this.connection?.close();
  }

  private async register(
    reg: Omit<Registration, 'running' | 'backlog' | 'cancelled'>,
  ): Promise<QueueConsumer> {
    const registration: Registration = {
      ...reg,
      running: 0,
      backlog: [],
      cancelled: false,
    };
    if (this.closed) throw new Error('the queue is closed');
    this.registrations.add(registration);
    try {
      await this.withConnection('consume', gen =>
        this.startConsumer(registration, gen),
      );
    } catch (err) {
      this.registrations.delete(registration);
      throw err;
    }
    return {
      cancel: async () => {
        if (registration.cancelled) return;
        registration.cancelled = true;
        this.registrations.delete(registration);
        registration.backlog.length = 0;
        // Closing the channel returns its unacked jobs to the queue, as when
        // a worker dies; handlers still running can no longer ack.
        await registration.channel?.close().catch(noop);
      },
    };
  }

  /** Opens the consumer's channel on `gen`; once per generation. */
  private startConsumer(reg: Registration, gen: Generation): Promise<void> {
    if (reg.gen === gen && reg.starting) return reg.starting;
    reg.gen = gen;
    reg.starting = this.openConsumer(reg, gen).catch(err => {
      // Cancelled while starting: not a reason to rebuild the connection.
      if (!reg.cancelled) throw err;
    });
    return reg.starting;
  }

  private async openConsumer(reg: Registration, gen: Generation) {
    const ch = await gen.model.createChannel();
    this.watchChannel(
      ch,
      gen,
      reg.kind === 'jobs' ? 'consumer' : 'dead-letter consumer',
      () => reg.cancelled || reg.channel !== ch,
    );
    reg.channel = ch;
    if (reg.cancelled) {
      await ch.close().catch(noop);
      return;
    }
    // Per-consumer prefetch (global QoS is not supported on quorum queues).
    await ch.prefetch(reg.prefetch, false);
    const queue =
      reg.kind === 'jobs' ? this.topology.queue : this.topology.deadLetterQueue;
    await ch.consume(
      queue,
      msg => {
        if (msg === null) {
          // Cancelled by the server (queue deleted): rebuild everything.
          if (!reg.cancelled) {
            this.abandon(gen, `the broker cancelled the consumer of ${queue}`);
          }
          return;
        }
        this.dispatch(reg, ch, msg);
      },
      { noAck: false },
    );
  }

  /**
   * Runs at most `prefetch` handlers at once per consumer, also across a
   * reconnect (handlers from the lost connection still count).
   */
  private dispatch(reg: Registration, ch: Channel, msg: ConsumeMessage) {
    if (reg.cancelled) return;
    if (reg.running >= reg.prefetch) {
      reg.backlog.push({ ch, msg });
      return;
    }
    reg.running += 1;
    reg
      .onMessage(reg, ch, msg)
      .catch(err =>
        this.logger?.error(
          `Deployment queue consumer failed: ${toError(err).message}`,
        ),
      )
      .finally(() => {
        reg.running -= 1;
        while (reg.backlog.length > 0 && !reg.cancelled) {
          const next = reg.backlog.shift()!;
          // Deliveries of a closed channel were requeued by the broker.
          if (next.ch === reg.channel && !reg.gen?.closed) {
            this.dispatch(reg, next.ch, next.msg);
            break;
          }
        }
      });
  }

  /**
   * Runs `fn` on a ready connection, waiting up to `reconnectWaitMs` for one;
   * if the connection drops during `fn`, waits for the next and runs it again.
   */
  private async withConnection<T>(
    what: string,
    fn: (gen: Generation) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + this.reconnectWaitMs;
    for (;;) {
      const gen = await this.connected(what, deadline);
      try {
        return await fn(gen);
      } catch (err) {
        if (err instanceof QueueFullError) throw err;
        if (!(err instanceof ConnectionLostError) && !gen.closed) throw err;
        if (this.closed) throw new Error('the queue is closed');
        if (Date.now() >= deadline) {
          throw new Error(
            `RabbitMQ connection lost during ${what} and not restored within ${
              this.reconnectWaitMs
            } ms: ${toError(err).message}`,
          );
        }
        // Next round waits for the next connection (gen is no longer current).
        // A publish interrupted here is sent again on it: at least once, the
        // same jobId (consumers are idempotent).
      }
    }
  }

  private connected(what: string, deadline: number): Promise<Generation> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const check = () => {
        const gen = this.current;
        if (!this.closed && !(gen?.ready && !gen.closed)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        if (this.closed) reject(new Error('the queue is closed'));
        else resolve(gen!);
      };
      this.waiters.add(check);
      timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `RabbitMQ is unavailable: no connection within ${this.reconnectWaitMs} ms for ${what} (reconnecting in the background)`,
          ),
        );
      }, Math.max(0, deadline - Date.now()));
      check();
    });
  }
}

function parseJob(content: Buffer): DeploymentJob | undefined {
  try {
    const job = JSON.parse(content.toString('utf8'));
    if (
      job &&
      typeof job === 'object' &&
      typeof job.jobId === 'string' &&
      (job.action === 'deploy' ||
        job.action === 'stop' ||
        job.action === 'build') &&
      typeof job.instanceId === 'string'
    ) {
      return job as DeploymentJob;
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** `x-first-death-reason`, else the newest `x-death` entry. */
export function deadLetterReason(msg: {
  properties: { headers?: Record<string, any> };
}): DeadLetterReason {
  const headers = msg.properties.headers ?? {};
  const death = Array.isArray(headers['x-death'])
    ? headers['x-death'][0]
    : undefined;
  const reason = String(
    headers['x-first-death-reason'] ?? death?.reason ?? 'rejected',
  );
  if (reason === 'expired' || reason === 'delivery_limit') return reason;
  // 'rejected' (a nack without requeue) and 'maxlen' (cannot happen with
  // reject-publish) are both a refusal.
  return 'rejected';
}

function ignoreClosed(fn: () => void) {
  try {
    fn();
  } catch {
    // IllegalOperationError: channel closed; the broker requeues unacked jobs.
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
