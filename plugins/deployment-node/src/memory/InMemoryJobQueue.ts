import {
  QueueFullError,
  type DeadLetterReason,
  type DeploymentJob,
  type JobDelivery,
  type JobQueue,
  type QueueConsumer,
} from '@flagstage/plugin-deployment-common';

type Message = {
  job: DeploymentJob;
  deliveries: number;
  expiresAt?: number;
};

type Consumer = {
  handler: (job: DeploymentJob, delivery: JobDelivery) => Promise<void>;
  prefetch: number;
  unacked: Set<Message>;
  cancelled: boolean;
};

type DeadLetter = {
  job: DeploymentJob;
  reason: DeadLetterReason;
  /** The dead-letter consumer handling it (unacked), if any. */
  holder?: DeadConsumer;
};

type DeadConsumer = {
  handler: (job: DeploymentJob, reason: DeadLetterReason) => Promise<void>;
  cancelled: boolean;
  busy: boolean;
};

/** @public */
export type InMemoryJobQueueOptions = {
  /** Deliveries before a failing job is dead-lettered. Default 5. */
  deliveryLimit?: number;
  /** Jobs waiting before publish refuses with QueueFullError. Default 10000. */
  maxLength?: number;
  /** Expiry for jobs published without one, in ms. Default: none. */
  defaultExpiryMs?: number;
};

/**
 * The deployment queue in process, for the embedded default: the same
 * semantics as the RabbitMQ queue — ack on handler success, redelivery on
 * failure or when a consumer goes away with jobs unacked, a delivery limit
 * that dead-letters, per-job expiry that dead-letters, a maximum length that
 * refuses publishes (backpressure). Jobs do not survive the process.
 *
 * @public
 */
export class InMemoryJobQueue implements JobQueue {
  private readonly ready: Message[] = [];
  private readonly dead: DeadLetter[] = [];
  private readonly consumers: Consumer[] = [];
  private readonly deadConsumers: DeadConsumer[] = [];
  private readonly expiryTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: InMemoryJobQueueOptions = {}) {
    this.expiryTimer = setInterval(() => this.expire(), 250);
    this.expiryTimer.unref();
  }

  async publish(
    job: DeploymentJob,
    options: { expiresInMs?: number } = {},
  ): Promise<void> {
    if (this.closed) throw new Error('the queue is closed');
    if (this.ready.length >= (this.options.maxLength ?? 10_000))
      throw new QueueFullError(5);
    const ttl = options.expiresInMs ?? this.options.defaultExpiryMs;
    // A copy: consumers never share the publisher's object.
    this.ready.push({
      job: JSON.parse(JSON.stringify(job)),
      deliveries: 0,
      expiresAt: ttl ? Date.now() + ttl : undefined,
    });
    this.schedule();
  }

  async consume(
    handler: (job: DeploymentJob, delivery: JobDelivery) => Promise<void>,
    options: { prefetch: number },
  ): Promise<QueueConsumer> {
    if (this.closed) throw new Error('the queue is closed');
    const consumer: Consumer = {
      handler,
      prefetch: Math.max(1, options.prefetch),
      unacked: new Set(),
      cancelled: false,
    };
    this.consumers.push(consumer);
    this.schedule();
    return {
      cancel: async () => {
        // Twice is harmless (it used to splice(-1) another consumer away).
        if (consumer.cancelled) return;
        consumer.cancelled = true;
        const i = this.consumers.indexOf(consumer);
        if (i >= 0) this.consumers.splice(i, 1);
        // Like a closed channel: what it had not acked goes back to the
        // front, in order — unless that was its last allowed delivery, which
        // RabbitMQ dead-letters as over the limit.
        const back = [...consumer.unacked].filter(m => {
          if (m.deliveries < this.deliveryLimit) return true;
          this.deadLetter(m.job, 'delivery_limit');
          return false;
        });
        this.ready.unshift(...back);
        consumer.unacked.clear();
        this.schedule();
      },
    };
  }

  async consumeDeadLetters(
    handler: (job: DeploymentJob, reason: DeadLetterReason) => Promise<void>,
  ): Promise<QueueConsumer> {
    if (this.closed) throw new Error('the queue is closed');
    const c: DeadConsumer = { handler, cancelled: false, busy: false };
    this.deadConsumers.push(c);
    this.scheduleDead();
    return {
      cancel: async () => {
        if (c.cancelled) return;
        c.cancelled = true;
        const i = this.deadConsumers.indexOf(c);
        if (i >= 0) this.deadConsumers.splice(i, 1);
        // What it held goes back, for another dead-letter consumer.
        for (const d of this.dead) if (d.holder === c) d.holder = undefined;
        this.scheduleDead();
      },
    };
  }

  async depth() {
    this.expire();
    return {
      ready: this.ready.length,
      // Waiting, not the ones being handled (as RabbitMQ counts ready messages).
      dead: this.dead.filter(d => !d.holder).length,
    };
  }

  async close() {
    this.closed = true;
    clearInterval(this.expiryTimer);
    for (const c of this.consumers) c.cancelled = true;
    this.consumers.length = 0;
    for (const c of this.deadConsumers) c.cancelled = true;
    this.deadConsumers.length = 0;
  }

  private get deliveryLimit() {
    return this.options.deliveryLimit ?? 5;
  }

  private expire(now = Date.now()) {
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const m = this.ready[i];
      if (m.expiresAt !== undefined && m.expiresAt <= now) {
        this.ready.splice(i, 1);
        this.deadLetter(m.job, 'expired');
      }
    }
  }

  private deadLetter(job: DeploymentJob, reason: DeadLetterReason) {
    this.dead.push({ job, reason });
    this.scheduleDead();
  }

  private scheduled = false;
  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch() {
    this.expire();
    let progressed = true;
    while (progressed && this.ready.length > 0) {
      progressed = false;
      for (const c of [...this.consumers]) {
        if (this.ready.length === 0) break;
        if (c.cancelled || c.unacked.size >= c.prefetch) continue;
        const m = this.ready.shift()!;
        m.deliveries += 1;
        c.unacked.add(m);
        progressed = true;
        const delivery: JobDelivery = {
          attempt: m.deliveries,
          redelivered: m.deliveries > 1,
        };
        const job = JSON.parse(JSON.stringify(m.job));
        // Called asynchronously: a handler that throws synchronously is a
        // failure like a rejection, not a crash of the dispatch loop.
        Promise.resolve()
          .then(() => c.handler(job, delivery))
          .then(
            () => this.settle(c, m, true),
            () => this.settle(c, m, false),
          );
      }
    }
  }

  private settle(c: Consumer, m: Message, ok: boolean) {
    // A cancelled consumer's jobs were already returned to the queue.
    if (!c.unacked.delete(m)) return;
    if (!ok) {
      if (m.deliveries >= this.deliveryLimit)
        this.deadLetter(m.job, 'delivery_limit');
      else this.ready.push(m);
    }
    this.schedule();
  }

  private scheduleDead() {
    for (const c of this.deadConsumers) {
      if (c.cancelled || c.busy) continue;
      const next = this.dead.find(d => !d.holder);
      if (!next) return;
      c.busy = true;
      next.holder = c;
      Promise.resolve()
        .then(() =>
          c.handler(JSON.parse(JSON.stringify(next.job)), next.reason),
        )
        .then(
          () => {
            c.busy = false;
            // Ack this one (not whatever is first now); a cancelled
            // consumer's ack is lost, as on a closed channel.
            if (next.holder === c) this.dead.splice(this.dead.indexOf(next), 1);
            this.scheduleDead();
          },
          () => {
            // Retried after a second (the dead-letter queue has no limit).
            setTimeout(() => {
              c.busy = false;
              if (next.holder === c) next.holder = undefined;
              this.scheduleDead();
            }, 1000).unref();
          },
        );
    }
  }
}
