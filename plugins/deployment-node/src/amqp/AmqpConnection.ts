import { hostname } from 'node:os';
import * as amqp from 'amqplib';
import type {
  Channel,
  ChannelModel,
  ConfirmChannel,
  RecoveringChannelModel,
} from 'amqplib';
import { QueueFullError } from '@flagstage/plugin-deployment-common';
import { redactUrl } from '@flagstage/backend-node';
import { toError } from './jobMessages';

/** The few logger methods the queue uses (a Backstage `LoggerService` fits). @public */
export type JobQueueLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** One connection's worth of state; replaced after every reconnect. */
export type Generation = {
  model: ChannelModel;
  publish?: ConfirmChannel;
  /** messageIds the broker returned as unroutable (mandatory publishes). */
  returned: Set<string>;
  /** True once topology and consumers are in place. */
  ready: boolean;
  closed: boolean;
};

/** The connection dropped (or was abandoned) while an operation ran. */
export class ConnectionLostError extends Error {}

export const noop = () => {};

type AmqpConnectionOptions = {
  url: string;
  connectionName?: string;
  /** How long operations wait for a (re)connection. */
  reconnectWaitMs: number;
  /** What a failed start-up could not do, for its error message. */
  purpose: string;
  logger?: JobQueueLogger;
  /**
   * Restores everything on a new connection (topology, publish channel,
   * consumers) and returns what to log once it is ready. Throwing closes the
   * connection and schedules another attempt.
   */
  setup(gen: Generation): Promise<string>;
};

/**
 * A RabbitMQ connection with amqplib's built-in recovery (ADR 0004): after
 * any connection loss the `setup` hook restores state on the new
 * connection; operations issued while disconnected wait up to
 * `reconnectWaitMs` for it ({@link AmqpConnection.withConnection}).
 */
export class AmqpConnection {
  private connection?: RecoveringChannelModel;
  private current?: Generation;
  private readonly waiters = new Set<() => void>();
  closed = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  /** Connects, retrying briefly: ~3 s, then a wrong URL fails start-up visibly. */
  async start() {
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
    this.logEvents(connection);
    try {
      await connection.waitForConnect();
    } catch (err) {
      throw new Error(
        `Could not connect to RabbitMQ at ${redactUrl(this.options.url)} and ${
          this.options.purpose
        }: ${toError(err).message}`,
      );
    }
  }

  private logEvents(connection: RecoveringChannelModel) {
    const logger = this.options.logger;
    // Without an 'error' listener an emitted error would be thrown.
    connection.on('error', (err: Error) =>
      logger?.warn(`RabbitMQ connection error: ${err.message}`),
    );
    connection.on('disconnect', (err: Error) =>
      logger?.warn(`RabbitMQ connection lost (${err.message}); reconnecting`),
    );
    connection.on('connect-failed', (err: Error) =>
      logger?.warn(`RabbitMQ connection attempt failed: ${err.message}`),
    );
    connection.on('reconnect-failed', (err: Error) =>
      logger?.error(`RabbitMQ recovery gave up: ${err.message}`),
    );
    connection.on('blocked', (reason: string) =>
      logger?.warn(`RabbitMQ is blocking publishes: ${reason}`),
    );
  }

  /**
   * amqplib's recovery calls this after every successful (re)connect, before
   * it reports the connection usable.
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
    const summary = await this.options.setup(gen);
    gen.ready = true;
    this.current = gen;
    this.options.logger?.info(`RabbitMQ connected; ${summary}`);
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * A channel that closes while its connection stays up (a channel error, a
   * consumer cancelled by the server) is healed by closing the connection:
   * recovery then rebuilds everything through setup(), the one path that
   * restores state. Channels closed on purpose are forgotten first.
   */
  watchChannel(
    ch: Channel,
    gen: Generation,
    what: string,
    expected: () => boolean = () => false,
  ) {
    ch.on('error', (err: Error) =>
      this.options.logger?.warn(
        `RabbitMQ ${what} channel error: ${err.message}`,
      ),
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
  abandon(gen: Generation, why: string) {
    if (gen.closed || this.closed) return;
    gen.closed = true;
    if (this.current === gen) this.current = undefined;
    this.options.logger?.warn(
      `RabbitMQ: ${why}; reconnecting to restore the queue`,
    );
    gen.model.close().catch(noop);
  }

  /**
   * Runs `fn` on a ready connection, waiting up to `reconnectWaitMs` for one;
   * if the connection drops during `fn`, waits for the next and runs it again.
   */
  async withConnection<T>(
    what: string,
    fn: (gen: Generation) => Promise<T>,
  ): Promise<T> {
    const waitMs = this.options.reconnectWaitMs;
    const deadline = Date.now() + waitMs;
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
            `RabbitMQ connection lost during ${what} and not restored within ${waitMs} ms: ${
              toError(err).message
            }`,
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
            `RabbitMQ is unavailable: no connection within ${this.options.reconnectWaitMs} ms for ${what} (reconnecting in the background)`,
          ),
        );
      }, Math.max(0, deadline - Date.now()));
      check();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    await this.connection?.close();
  }
}
