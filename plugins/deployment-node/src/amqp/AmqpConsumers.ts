import type { Channel, ConsumeMessage } from 'amqplib';
import type { QueueConsumer } from '@flagstage/plugin-deployment-common';
import {
  runInTraceContext,
  extractTraceContext,
} from '@flagstage/plugin-observability-node';
import {
  noop,
  type AmqpConnection,
  type Generation,
  type JobQueueLogger,
} from './AmqpConnection';
import { toError } from './jobMessages';

/** One consume() or consumeDeadLetters() call, across reconnects. */
export type Registration = {
  kind: 'jobs' | 'dead';
  prefetch: number;
  onMessage(ch: Channel, msg: ConsumeMessage): Promise<void>;
  running: number;
  backlog: { ch: Channel; msg: ConsumeMessage }[];
  cancelled: boolean;
  gen?: Generation;
  starting?: Promise<void>;
  channel?: Channel;
};

/**
 * The queue's consumers: each on its own channel with per-consumer prefetch
 * and manual acks, re-opened on every new connection, at most `prefetch`
 * handlers running at once.
 */
export class AmqpConsumers {
  private readonly registrations = new Set<Registration>();

  constructor(
    private readonly connection: AmqpConnection,
    private readonly queues: { jobs: string; dead: string },
    private readonly logger?: JobQueueLogger,
  ) {}

  get size() {
    return this.registrations.size;
  }

  /** Re-opens every live consumer on a new connection (from setup). */
  async startAll(gen: Generation) {
    // A live set: a consumer registered during setup is picked up here or,
    // if after, by register() itself (startConsumer is idempotent per generation).
    for (const reg of this.registrations) await this.startConsumer(reg, gen);
  }

  cancelAll() {
    for (const reg of this.registrations) reg.cancelled = true;
    this.registrations.clear();
  }

  async register(
    reg: Pick<Registration, 'kind' | 'prefetch' | 'onMessage'>,
  ): Promise<QueueConsumer> {
    const registration: Registration = {
      ...reg,
      running: 0,
      backlog: [],
      cancelled: false,
    };
    if (this.connection.closed) throw new Error('the queue is closed');
    this.registrations.add(registration);
    try {
      await this.connection.withConnection('consume', gen =>
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
    this.connection.watchChannel(
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
    const queue = this.queues[reg.kind];
    await ch.consume(
      queue,
      msg => {
        if (msg === null) {
          // Cancelled by the server (queue deleted): rebuild everything.
          if (!reg.cancelled) {
            this.connection.abandon(
              gen,
              `the broker cancelled the consumer of ${queue}`,
            );
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
   * reconnect (handlers from the lost connection still count). Each runs in
   * the trace context its message carries (the AMQP headers' traceparent).
   */
  private dispatch(reg: Registration, ch: Channel, msg: ConsumeMessage) {
    if (reg.cancelled) return;
    if (reg.running >= reg.prefetch) {
      reg.backlog.push({ ch, msg });
      return;
    }
    reg.running += 1;
    runInTraceContext(extractTraceContext(msg.properties.headers), () =>
      reg.onMessage(ch, msg),
    )
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
}
