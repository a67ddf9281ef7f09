/**
 * Flagstage observability for every backend process: Prometheus metrics
 * (one registry per process), JSON logs with trace ids and redaction, the
 * W3C trace context on OpenTelemetry (SDK start-up, OTLP export, carriers),
 * and health endpoints.
 *
 * @packageDocumentation
 */
export * from './traceContext';
export * from './redact';
export * from './logFormat';
export * from './rootLogger';
export * from './metrics';
export * from './httpObservability';
export * from './rootHttpRouter';
export * from './health';
export * from './serviceMeta';
export * from './tracing';
export * from './healthChecksExtensionPoint';
