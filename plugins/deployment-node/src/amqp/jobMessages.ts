import type { Options } from 'amqplib';
import type {
  DeadLetterReason,
  DeploymentJob,
} from '@flagstage/plugin-deployment-common';
import {
  extractTraceContext,
  injectTraceContext,
} from '@flagstage/plugin-observability-node';

/**
 * The properties of a job's message: persistent JSON, messageId = jobId,
 * the action as type, an expiry when given, and the trace context in the
 * AMQP headers (the AMQP trace carrier: `traceparent`, written by the W3C
 * propagator from the job's own traceparent).
 */
export function jobMessageProperties(
  job: DeploymentJob,
  ttlMs: number | undefined,
): Options.Publish {
  const headers: Record<string, unknown> = {};
  if (job.traceparent) {
    injectTraceContext(
      headers,
      extractTraceContext({ traceparent: job.traceparent }),
    );
  }
  return {
    persistent: true,
    messageId: job.jobId,
    contentType: 'application/json',
    type: job.action,
    timestamp: Math.floor(Date.now() / 1000),
    headers,
    expiration:
      ttlMs === undefined ? undefined : String(Math.max(0, Math.round(ttlMs))),
  };
}

/** The job in a message body, or undefined when it is not one. */
export function parseJob(content: Buffer): DeploymentJob | undefined {
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

export function ignoreClosed(fn: () => void) {
  try {
    fn();
  } catch {
    // IllegalOperationError: channel closed; the broker requeues unacked jobs.
  }
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
