import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ensureTracing } from './tracing';

/** The W3C trace context of the work in progress. @public */
export type TraceContext = {
  traceId: string; // 32 lowercase hex
  spanId: string; // 16 lowercase hex
  sampled: boolean;
};

// Parsing and formatting use the propagator directly, so they work whether
// or not this process started the SDK.
const w3c = new W3CTraceContextPropagator();
type Carrier = Record<string, unknown>;
const getter: TextMapGetter<Carrier> = {
  keys: carrier => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    // amqplib hands header values back as Buffers in some encodings.
    return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  },
};
const setter: TextMapSetter<Carrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/**
 * Parses a W3C `traceparent` header. Returns undefined for anything
 * malformed, including the all-zero ids the spec forbids.
 *
 * @public
 */
export function parseTraceparent(
  header: string | undefined | null,
): { traceId: string; parentSpanId: string; sampled: boolean } | undefined {
  if (!header) return undefined;
  const extracted = w3c.extract(
    ROOT_CONTEXT,
    { traceparent: header.trim().toLowerCase() },
    getter,
  );
  const span = trace.getSpanContext(extracted);
  if (!span || !isSpanContextValid(span)) return undefined;
  return {
    traceId: span.traceId,
    parentSpanId: span.spanId,
    sampled: (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
  };
}

/** The `traceparent` header value for a context. @public */
export function formatTraceparent(ctx: TraceContext): string {
  const carrier: Carrier = {};
  w3c.inject(
    trace.setSpanContext(ROOT_CONTEXT, {
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      traceFlags: ctx.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    }),
    carrier,
    setter,
  );
  return carrier.traceparent as string;
}

/**
 * The trace context carried by `carrier` (HTTP headers, AMQP message
 * headers, annotations mapped to `traceparent`), or the root context.
 *
 * @public
 */
export function extractTraceContext(carrier: Carrier | undefined): Context {
  return carrier ? w3c.extract(ROOT_CONTEXT, carrier, getter) : ROOT_CONTEXT;
}

/**
 * Writes the trace context of `ctx` (default: the active one) into `carrier`
 * as `traceparent`; nothing when there is no valid span.
 *
 * @public
 */
export function injectTraceContext(
  carrier: Carrier,
  ctx: Context = context.active(),
): void {
  w3c.inject(ctx, carrier, setter);
}

/** The trace context of the current async execution, if any. @public */
export function currentTrace(): TraceContext | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !isSpanContextValid(span)) return undefined;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    sampled: (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
  };
}

/** The `traceparent` to send on an outgoing call from here, if in a trace. @public */
export function currentTraceparent(): string | undefined {
  const carrier: Carrier = {};
  injectTraceContext(carrier);
  return carrier.traceparent as string | undefined;
}

/** Options of {@link startSpan} and {@link withSpan}. @public */
export type FlagstageSpanOptions = {
  kind?: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /**
   * The parent: a `traceparent` (a job's, a token's) or a context extracted
   * from a carrier. Default: the active span.
   */
  parent?: string | Context;
  attributes?: Attributes;
};

const KINDS = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

function parentContext(parent: FlagstageSpanOptions['parent']): Context {
  if (parent === undefined) return context.active();
  if (typeof parent !== 'string') return parent;
  return extractTraceContext({ traceparent: parent.trim().toLowerCase() });
}

/**
 * Starts a span of Flagstage's tracer (a child of `options.parent`, else of
 * the active span, else a new trace). The caller ends it; see
 * {@link withSpan} for the common case.
 *
 * @public
 */
export function startSpan(
  name: string,
  options: FlagstageSpanOptions = {},
): { span: Span; context: Context } {
  ensureTracing();
  const parent = parentContext(options.parent);
  const span = trace
    .getTracer('@flagstage/plugin-observability-node')
    .startSpan(
      name,
      {
        kind: KINDS[options.kind ?? 'internal'],
        attributes: options.attributes,
      },
      parent,
    );
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` in a trace context, e.g. with a span active (log lines inside carry its ids). @public */
export function runInTraceContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/**
 * Runs `fn` inside a new span (see {@link startSpan}) and ends it when `fn`
 * returns or its promise settles; a throw or rejection marks it as an error.
 *
 * @public
 */
export function withSpan<T>(
  name: string,
  options: FlagstageSpanOptions,
  fn: (span: Span) => T,
): T {
  const { span, context: ctx } = startSpan(name, options);
  const fail = (error: unknown) => {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.recordException(error instanceof Error ? error : String(error));
    span.end();
    throw error;
  };
  let result: T;
  try {
    result = context.with(ctx, () => fn(span));
  } catch (error) {
    return fail(error);
  }
  if (result instanceof Promise) {
    return result.then(value => {
      span.end();
      return value;
    }, fail) as T;
  }
  span.end();
  return result;
}
