/*
 * Imported first by index.ts, as Backstage's OpenTelemetry set-up does with
 * its instrumentation module: the OpenTelemetry Node SDK (W3C trace context,
 * async context, OTLP/HTTP export when OTEL_EXPORTER_OTLP_ENDPOINT or
 * observability.otlp.endpoint is set) is running before any plugin starts,
 * so Backstage's spans and Flagstage's share one trace per request.
 */
import { startProcessTracing } from '@flagstage/plugin-observability-node';

/** The worker's version (FLAGSTAGE_VERSION, else package.json). */
export const version = startProcessTracing('worker', 'worker');
