import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SpanExportStats } from './tracing';

const execFileAsync = promisify(execFile);

/** The parts of an OTLP/HTTP JSON ExportTraceServiceRequest the tests read. */
type KeyValue = {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
};
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code?: number };
};
type ExportTraceServiceRequest = {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }>;
  }>;
};

/** A loopback OTLP/HTTP collector that keeps what it receives. */
async function startCollector() {
  const received: Array<{
    path?: string;
    type?: string;
    body: ExportTraceServiceRequest;
  }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      received.push({
        path: req.url,
        type: req.headers['content-type'],
        body: JSON.parse(body),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { received, url, close: () => server.close() };
}

const spansOf = (body: ExportTraceServiceRequest) =>
  body.resourceSpans.flatMap(r => r.scopeSpans.flatMap(s => s.spans));

/** Runs __testUtils__/exportSpans.ts in plain Node against `endpoint`. */
async function exportSpans(endpoint: string): Promise<SpanExportStats> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'exportSpans.ts'),
      endpoint,
    ],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

describe('OTLP span export (OpenTelemetry SDK, OTLP/HTTP exporter)', () => {
  // A child Node process each; an unreachable collector is retried for the
  // exporter's 5 s timeout before the batch is dropped.
  jest.setTimeout(30_000);

  it('sends the server span of a request and a job’s consumer span to the collector, in the callers’ traces', async () => {
    const collector = await startCollector();
    try {
      const stats = await exportSpans(collector.url);
      expect(stats).toEqual({ exported: 2, dropped: 0 });
      expect(collector.received.length).toBeGreaterThanOrEqual(1);
      for (const r of collector.received) {
        expect(r.path).toBe('/v1/traces');
        expect(r.type).toBe('application/json');
      }
      const resource = collector.received[0].body.resourceSpans[0];
      expect(resource.resource.attributes).toEqual(
        expect.arrayContaining([
          { key: 'service.name', value: { stringValue: 'flagstage-backend' } },
          { key: 'service.version', value: { stringValue: '7' } },
        ]),
      );
      const spans = collector.received.flatMap(r => spansOf(r.body));
      expect(spans).toHaveLength(2);
      const server = spans.find(s => s.kind === 2)!; // SPAN_KIND_SERVER
      expect(server).toMatchObject({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        name: 'GET /api/things/:id',
        status: { code: 1 }, // STATUS_CODE_OK
      });
      expect(server.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(server.endTimeUnixNano)).toBeGreaterThanOrEqual(
        BigInt(server.startTimeUnixNano),
      );
      expect(server.attributes).toEqual(
        expect.arrayContaining([
          { key: 'http.route', value: { stringValue: '/api/things/:id' } },
        ]),
      );
      const status = server.attributes.find(
        a => a.key === 'http.response.status_code',
      );
      expect(Number(status?.value.intValue)).toBe(200);
      const consumer = spans.find(s => s.kind === 5)!; // SPAN_KIND_CONSUMER
      expect(consumer).toMatchObject({
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        parentSpanId: '00f067aa0ba902b7',
        name: 'deployment job deploy',
      });
    } finally {
      collector.close();
    }
  });

  it('drops a batch it cannot deliver without throwing, and counts it', async () => {
    expect(await exportSpans('http://127.0.0.1:1')).toEqual({
      exported: 0,
      dropped: 2,
    });
  });
});
