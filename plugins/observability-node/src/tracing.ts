import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Context } from '@opentelemetry/api';
import {
  ExportResultCode,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { serviceMeta } from './serviceMeta';

/** Options of {@link startTracing}. @public */
export type StartTracingOptions = {
  /** `backend`, `worker`, … (the resource's `service.name` is `flagstage-<service>`). */
  service: string;
  version: string;
  /**
   * OTLP/HTTP collector base URL (`http://otel-collector:4318`); spans go to
   * `<endpoint>/v1/traces`. None: spans get ids (logs and propagation) but
   * are not exported.
   */
  endpoint?: string;
  /**
   * Extra OpenTelemetry instrumentations, e.g. from
   * `@opentelemetry/auto-instrumentations-node`. Default none.
   */
  instrumentations?: NodeSDKConfiguration['instrumentations'];
};

/** Export counters of this process since start-up. @public */
export type SpanExportStats = { exported: number; dropped: number };

const stats: SpanExportStats = { exported: 0, dropped: 0 };

/** Counts what the OTLP exporter delivered and what it dropped. */
class CountingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
    this.inner.export(spans, result => {
      if (result.code === ExportResultCode.SUCCESS)
        stats.exported += spans.length;
      else stats.dropped += spans.length;
      done(result);
    });
  }
  shutdown() {
    return this.inner.shutdown();
  }
  forceFlush() {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * The SDK takes its span processors at start, but the collector endpoint may
 * only be known once config is read (the root logger factory): this
 * processor forwards to the exporting one once there is one, and drops
 * spans until then (ids still flow to logs and downstream calls).
 */
class ExportSwitch implements SpanProcessor {
  private inner?: SpanProcessor;
  async use(next: SpanProcessor | undefined) {
    const previous = this.inner;
    this.inner = next;
    await previous?.shutdown().catch(() => undefined);
  }
  onStart(span: Span, parentContext: Context) {
    this.inner?.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan) {
    this.inner?.onEnd(span);
  }
  async forceFlush() {
    // An undeliverable batch is dropped and counted, never thrown.
    await this.inner?.forceFlush().catch(() => undefined);
  }
  shutdown() {
    return this.use(undefined);
  }
}

let sdk: NodeSDK | undefined;
let exportSwitch: ExportSwitch | undefined;
let currentEndpoint: string | undefined;

/**
 * Starts the OpenTelemetry Node SDK for this process, once (later calls only
 * change the endpoint when one is given): W3C trace context propagation,
 * async-context tracking, a tracer provider whose spans go to an OTLP/HTTP
 * collector when an endpoint is set. Backstage's own spans (made through
 * `@opentelemetry/api`) and Flagstage's join the same traces. Metrics stay on
 * prom-client, logs on winston: the SDK's metric and log pipelines are off.
 *
 * @public
 */
export function startTracing(options: StartTracingOptions): void {
  if (!sdk) {
    exportSwitch = new ExportSwitch();
    sdk = new NodeSDK({
      resource: defaultResource().merge(
        resourceFromAttributes({
          'service.name': `flagstage-${options.service}`,
          'service.version': options.version,
        }),
      ),
      // Host and process detectors cost start-up time and say little here.
      autoDetectResources: false,
      textMapPropagator: new W3CTraceContextPropagator(),
      spanProcessors: [exportSwitch],
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: options.instrumentations ?? [],
    });
    sdk.start();
  }
  if (options.endpoint !== undefined) setSpanExportEndpoint(options.endpoint);
}

/** Starts tracing with this process's service meta unless already started. */
export function ensureTracing(): void {
  if (!sdk) startTracing(serviceMeta());
}

/**
 * Sends spans to the OTLP/HTTP collector at `endpoint` (base URL), or stops
 * exporting when undefined. Export failures drop the batch and count it;
 * telemetry never blocks or breaks the service.
 *
 * @public
 */
export function setSpanExportEndpoint(endpoint: string | undefined): void {
  ensureTracing();
  if (endpoint === currentEndpoint) return;
  currentEndpoint = endpoint;
  void exportSwitch!.use(
    endpoint
      ? new BatchSpanProcessor({
          exporter: new CountingExporter(
            new OTLPTraceExporter({
              url: `${endpoint.replace(/\/$/, '')}/v1/traces`,
              timeoutMillis: 5000,
            }),
          ),
        })
      : undefined,
  );
}

/** Exports the spans waiting in the batch now (tests, shutdown). @public */
export async function flushSpans(): Promise<void> {
  await exportSwitch?.forceFlush();
}

/** @public */
export function spanExportStats(): SpanExportStats {
  return { ...stats };
}

/** Flushes and stops the SDK (process shutdown). @public */
export async function shutdownTracing(): Promise<void> {
  await flushSpans();
  await sdk?.shutdown();
}

/**
 * For a process's `instrumentation` module, imported before anything else
 * (Backstage's OpenTelemetry set-up): starts tracing for `service` with the
 * collector from `OTEL_EXPORTER_OTLP_ENDPOINT` (config's
 * `observability.otlp.endpoint` is applied once config is read) and returns
 * the version: `FLAGSTAGE_VERSION`, else the package's. Main thread only.
 *
 * @public
 */
export function startProcessTracing(
  service: string,
  packageName: string,
): string {
  const version =
    process.env.FLAGSTAGE_VERSION ??
    JSON.parse(
      fs.readFileSync(resolvePackagePath(packageName, 'package.json'), 'utf8'),
    ).version;
  if (isMainThread) {
    startTracing({
      service,
      version,
      endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
    });
  }
  return version;
}
