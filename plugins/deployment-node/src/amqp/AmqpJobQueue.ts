import {
  QueueFullError,
  type DeadLetterReason,
  type DeploymentJob,
  type JobDelivery,
  type JobQueue,
  type QueueConsumer,
} from '@flagstage/plugin-deployment-common';
import {
  AmqpConnection,
  ConnectionLostError,
  type Generation,
  type JobQueueLogger,
} from './AmqpConnection';
import { AmqpConsumers } from './AmqpConsumers';
import {
  deadLetterReason,
  ignoreClosed,
  jobMessageProperties,
  parseJob,
  sleep,
  toError,
} from './jobMessages';
import {
  declareTopology,
  ROUTING_KEY,
  topologyNames,
  type AmqpJobQueueTopology,
} from './topology';

export type { JobQueueLogger } from './AmqpConnection';
export type { AmqpJobQueueTopology } from './topology';
export { deadLetterReason } from './jobMessages';

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

const DEAD_LETTER_RETRY_MS = 1000;

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
    await queue.connection.start();
    return queue;
  }

  readonly topology: AmqpJobQueueTopology;
  private readonly deliveryLimit: number;
  private readonly maxLength: number;
  private readonly confirmTimeoutMs: number;
  private readonly logger?: JobQueueLogger;
  private readonly connection: AmqpConnection;
  private readonly consumers: AmqpConsumers;

  private constructor(private readonly options: AmqpJobQueueOptions) {
    this.topology = topologyNames(options.prefix ?? '');
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
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
    this.logger = options.logger;
    this.connection = new AmqpConnection({
      url: options.url,
      connectionName: options.connectionName,
      reconnectWaitMs: options.reconnectWaitMs ?? 5000,
      purpose: `declare ${this.topology.queue}`,
      logger: options.logger,
      setup: gen => this.setup(gen),
    });
    this.consumers = new AmqpConsumers(
      this.connection,
      { jobs: this.topology.queue, dead: this.topology.deadLetterQueue },
      options.logger,
    );
  }

  /** Restores the publish channel, the topology and every consumer on a new connection. */
  private async setup(gen: Generation): Promise<string> {
    const ch = await gen.model.createConfirmChannel();
    this.connection.watchChannel(ch, gen, 'publish');
    // basic.return precedes the confirm of the same message.
    ch.on('return', (msg: { properties: { messageId?: string } }) => {
      if (msg.properties.messageId) gen.returned.add(msg.properties.messageId);
    });
    await declareTopology(ch, this.topology, {
      deliveryLimit: this.deliveryLimit,
      maxLength: this.maxLength,
    });
    gen.publish = ch;
    await this.consumers.startAll(gen);
    return `topology ${this.topology.queue} declared, ${this.consumers.size} consumer(s) active`;
  }

  async publish(
    job: DeploymentJob,
    options: { expiresInMs?: number } = {},
  ): Promise<void> {
    const content = Buffer.from(JSON.stringify(job));
    const properties = jobMessageProperties(
      job,
      options.expiresInMs ?? this.options.defaultExpiryMs,
    );
    await this.connection.withConnection('publish', async gen => {
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
            this.connection.abandon(gen, `job ${job.jobId} was unroutable`);
            reject(new ConnectionLostError('unroutable'));
          } else if (!err) resolve();
          else if (err.message === 'message nacked') {
            // reject-publish: the only reason this queue nacks.
            reject(new QueueFullError(5));
          } else {
            this.connection.abandon(gen, `publish failed (${err.message})`);
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
    return this.consumers.register({
      kind: 'jobs',
      prefetch: Math.max(1, Math.floor(options.prefetch)),
      onMessage: async (ch, msg) => {
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
    return this.consumers.register({
      kind: 'dead',
      prefetch: 10,
      onMessage: async (ch, msg) => {
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
    return this.connection.withConnection('depth', async gen => {
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
        this.connection.abandon(gen, `depth failed (${toError(err).message})`);
        throw new ConnectionLostError(toError(err).message);
      }
    });
  }

  async close(): Promise<void> {
    if (this.connection.closed) return;
    this.consumers.cancelAll();
    await this.connection.close();
  }
}
