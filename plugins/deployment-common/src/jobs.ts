/**
 * A unit of work for the worker. `deploy` starts the runtime for an
 * instance, `stop` tears it down. Jobs carry ids only; the worker reads the
 * instance row (the source of truth), so a redelivered or stale job is a
 * no-op once the instance has moved on.
 *
 * @public
 */
export type DeploymentJob = {
  /** Unique per publish (the AMQP messageId); redeliveries share it. */
  jobId: string;
  /** `build`: build a challenge's image; `instanceId` is then the build id. */
  action: 'deploy' | 'stop' | 'build';
  instanceId: string;
  contestId: string;
  teamId: string;
  /** Challenge entity ref, e.g. `challenge:default/web-cookie-jar`. */
  challengeRef: string;
  /** `spec.runtime` of the challenge as it was when requested (informational; the worker re-reads the instance). */
  spec?: Record<string, unknown>;
  /** ISO time the start or stop was requested. */
  requestedAt: string;
  /** W3C traceparent of the request that caused it (also an AMQP header). */
  traceparent?: string;
};

/** What a consumer learns about a delivery. @public */
export type JobDelivery = {
  /** 1 on the first delivery, 2 on the first redelivery, … */
  attempt: number;
  redelivered: boolean;
};

/** Why a job reached the dead-letter queue. @public */
export type DeadLetterReason = 'expired' | 'rejected' | 'delivery_limit';

/**
 * Thrown by {@link JobQueue.publish} when the queue is at its maximum
 * length: backpressure, surfaced to API callers as 503 with Retry-After.
 *
 * @public
 */
export class QueueFullError extends Error {
  name = 'QueueFullError';
  constructor(readonly retryAfterSeconds = 5) {
    super('The deployment queue is full; try again shortly');
  }
}

/** A running consumer. @public */
export type QueueConsumer = { cancel(): Promise<void> };

/**
 * The deployment queue, implemented on RabbitMQ (quorum queue, publisher
 * confirms, per-message expiry, dead-letter exchange, max length with
 * reject-publish) and in process for the embedded default, with the same
 * semantics. One contract test suite runs against both.
 *
 * @public
 */
export interface JobQueue {
  /** Resolves once the broker has confirmed the job; rejects with QueueFullError under backpressure. */
  publish(
    job: DeploymentJob,
    options?: { expiresInMs?: number },
  ): Promise<void>;
  /**
   * Delivers jobs to `handler`, at most `prefetch` unacknowledged at once.
   * Handler resolves → ack. Handler rejects → the job is redelivered, until
   * the delivery limit, then dead-lettered with `delivery_limit`.
   */
  consume(
    handler: (job: DeploymentJob, delivery: JobDelivery) => Promise<void>,
    options: { prefetch: number },
  ): Promise<QueueConsumer>;
  /** Delivers dead-lettered jobs (expired, rejected, over the delivery limit). Handler resolves → ack. */
  consumeDeadLetters(
    handler: (job: DeploymentJob, reason: DeadLetterReason) => Promise<void>,
  ): Promise<QueueConsumer>;
  /** Jobs waiting (ready, not yet delivered) and dead letters waiting. */
  depth(): Promise<{ ready: number; dead: number }>;
  close(): Promise<void>;
}
