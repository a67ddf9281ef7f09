import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The W3C trace context of the work in progress. @public */
export type TraceContext = {
  traceId: string; // 32 lowercase hex
  spanId: string; // 16 lowercase hex
  sampled: boolean;
  /** The caller's span, when this context continues one. */
  parentSpanId?: string;
};

const storage = new AsyncLocalStorage<TraceContext>();
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const newSpanId = () => randomBytes(8).toString('hex');
const newTraceId = () => randomBytes(16).toString('hex');

/**
 * Parses a W3C `traceparent` header (version 00). Returns undefined for
 * anything malformed, including the all-zero ids the spec forbids.
 *
 * @public
 */
export function parseTraceparent(
  header: string | undefined | null,
): { traceId: string; parentSpanId: string; sampled: boolean } | undefined {
  const m = header?.trim().toLowerCase().match(TRACEPARENT);
  if (!m || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return undefined;
  return {
    traceId: m[1],
    parentSpanId: m[2],
    sampled: (parseInt(m[3], 16) & 1) === 1,
  };
}

/** The `traceparent` header value for a context. @public */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${
    context.sampled ? '01' : '00'
  }`;
}

/**
 * A new span continuing `traceparent` (same trace id, new span id), or a new
 * trace when there is none or it is malformed.
 *
 * @public
 */
export function continueTrace(traceparent?: string | null): TraceContext {
  const parent = parseTraceparent(traceparent);
  return {
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    sampled: parent?.sampled ?? true,
    parentSpanId: parent?.parentSpanId,
  };
}

/** Runs `fn` inside a trace context (log lines inside carry its ids). @public */
export function runInTrace<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The trace context of the current async execution, if any. @public */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The `traceparent` to send on an outgoing call from here, if in a trace. @public */
export function currentTraceparent(): string | undefined {
  const c = storage.getStore();
  return c ? formatTraceparent({ ...c, spanId: newSpanId() }) : undefined;
}
