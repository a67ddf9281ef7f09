import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { httpObservability } from './httpObservability';
import { OtlpSpanExporter, setSpanExporter } from './otlp';

describe('OTLP span export', () => {
  afterEach(() => setSpanExporter(undefined));

  it('sends one server span per request to the collector, in the caller’s trace', async () => {
    const received: any[] = [];
    const collector = http.createServer((req, res) => {
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
    await new Promise<void>(r => collector.listen(0, '127.0.0.1', () => r()));
    const exporter = new OtlpSpanExporter({
      endpoint: `http://127.0.0.1:${
        (collector.address() as AddressInfo).port
      }/`,
      service: 'backend',
      version: '7',
      intervalMs: 60_000,
    });
    setSpanExporter(exporter);
    try {
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
      await exporter.flush();
      expect(received).toHaveLength(1);
      expect(received[0].path).toBe('/v1/traces');
      expect(received[0].type).toBe('application/json');
      const resource = received[0].body.resourceSpans[0];
      expect(resource.resource.attributes).toEqual(
        expect.arrayContaining([
          { key: 'service.name', value: { stringValue: 'flagstage-backend' } },
        ]),
      );
      const span = resource.scopeSpans[0].spans[0];
      expect(span).toMatchObject({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        name: 'GET /api/things/:id',
        kind: 2,
        status: { code: 1 },
      });
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThanOrEqual(
        BigInt(span.startTimeUnixNano),
      );
      expect(span.attributes).toEqual(
        expect.arrayContaining([
          { key: 'http.route', value: { stringValue: '/api/things/:id' } },
          { key: 'http.response.status_code', value: { intValue: '200' } },
        ]),
      );
      expect(exporter.exported).toBe(1);
    } finally {
      collector.close();
    }
  });

  it('drops a batch it cannot deliver without throwing', async () => {
    const exporter = new OtlpSpanExporter({
      endpoint: 'http://127.0.0.1:1',
      service: 'backend',
      version: '7',
      intervalMs: 60_000,
    });
    setSpanExporter(exporter);
    const app = express();
    app.use(httpObservability('otlp-test'));
    app.get('/x', (_req, res) => {
      res.end();
    });
    await request(app).get('/x');
    await expect(exporter.flush()).resolves.toBeUndefined();
    expect(exporter.dropped).toBe(1);
    await exporter.shutdown();
  });
});
