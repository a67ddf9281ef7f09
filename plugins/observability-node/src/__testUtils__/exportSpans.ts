/**
 * Run by otlp.test.ts in a plain Node process (the OTLP exporter loads
 * `http` with a dynamic import, which Jest's module sandbox refuses): starts
 * tracing against the collector given as argv[2], serves one request through
 * httpObservability, runs one consumer span, flushes, prints the export stats.
 */
import express from 'express';
import request from 'supertest';
import { httpObservability } from '../httpObservability';
import { withSpan } from '../traceContext';
import { flushSpans, spanExportStats, startTracing } from '../tracing';

async function main() {
  startTracing({ service: 'backend', version: '7', endpoint: process.argv[2] });
  const app = express();
  app.use(httpObservability('otlp-test'));
  app.get('/api/things/:id', (_req, res) => {
    res.json({});
  });
  await request(app)
    .get('/api/things/42')
    .set(
      'traceparent',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    );
  await withSpan(
    'deployment job deploy',
    {
      kind: 'consumer',
      parent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      attributes: { 'messaging.message.id': 'job-1' },
    },
    async () => undefined,
  );
  await flushSpans();
  process.stdout.write(JSON.stringify(spanExportStats()));
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(String(error));
    process.exit(1);
  },
);
