import type { TraceContext } from './traceContext';

/** A finished span, in the terms of OTLP. @public */
export type FinishedSpan = {
  trace: TraceContext;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer (OTLP SpanKind). */
  kind: 1 | 2 | 3 | 4 | 5;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean | undefined>;
  error?: boolean;
};

type AnyValue = {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
};

function value(v: string | number | boolean): AnyValue {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}

const attributes = (a: Record<string, string | number | boolean | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: value(v as string | number | boolean) }));

/**
 * Exports spans to an OpenTelemetry collector over OTLP/HTTP with the JSON
 * encoding (`POST <endpoint>/v1/traces`), batched: every `intervalMs` or when
 * `maxBatch` spans wait. Export failures drop the batch (telemetry never
 * blocks or breaks the service) and are counted.
 *
 * @public
 */
export class OtlpSpanExporter {
  private queue: FinishedSpan[] = [];
  private timer?: NodeJS.Timeout;
  dropped = 0;
  exported = 0;

  constructor(
    private readonly options: {
      /** Collector base URL, e.g. http://otel-collector:4318 */
      endpoint: string;
      service: string;
      version: string;
      headers?: Record<string, string>;
      intervalMs?: number;
      maxBatch?: number;
    },
  ) {
    this.timer = setInterval(
      () => void this.flush(),
      options.intervalMs ?? 2000,
    );
    this.timer.unref();
  }

  export(span: FinishedSpan) {
    if (this.queue.length >= 10_000) {
      this.dropped += 1;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= (this.options.maxBatch ?? 512)) void this.flush();
  }

  async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: attributes({
              'service.name': `flagstage-${this.options.service}`,
              'service.version': this.options.version,
            }),
          },
          scopeSpans: [
            {
              scope: { name: '@flagstage/plugin-observability-node' },
              spans: batch.map(s => ({
                traceId: s.trace.traceId,
                spanId: s.trace.spanId,
                parentSpanId: s.parentSpanId,
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: s.startNs.toString(),
                endTimeUnixNano: s.endNs.toString(),
                attributes: attributes(s.attributes),
                status: { code: s.error ? 2 : 1 },
              })),
            },
          ],
        },
      ],
    };
    try {
      const res = await fetch(
        `${this.options.endpoint.replace(/\/$/, '')}/v1/traces`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...this.options.headers,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        },
      );
      if (!res.ok) throw new Error(String(res.status));
      this.exported += batch.length;
    } catch {
      this.dropped += batch.length;
    }
  }

  async shutdown() {
    clearInterval(this.timer);
    await this.flush();
  }
}

let exporter: OtlpSpanExporter | undefined;

/** Sets (or clears) the process's span exporter; spans are recorded only when one is set. @public */
export function setSpanExporter(next: OtlpSpanExporter | undefined) {
  exporter = next;
}

/** Records a finished span if an exporter is configured. @public */
export function recordSpan(span: FinishedSpan) {
  exporter?.export(span);
}

/** The nanosecond clock spans use. @public */
export function nowNs(): bigint {
  return (
    BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n)
  );
}
