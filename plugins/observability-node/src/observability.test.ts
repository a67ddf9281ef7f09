import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import Transport from 'winston-transport';
import { WinstonLogger } from '@backstage/backend-defaults/rootLogger';
import {
  currentTrace,
  currentTraceparent,
  extractTraceContext,
  formatTraceparent,
  injectTraceContext,
  parseTraceparent,
  withSpan,
} from './traceContext';
import { REDACTED, redactFields } from './redact';
import { flagstageLogFormat } from './logFormat';
import { httpObservability } from './httpObservability';
import { metricsRegistry } from './metrics';
import { createHealthRouter, runHealthChecks } from './health';

class Capture extends Transport {
  lines: any[] = [];
  log(info: any, done: () => void) {
    this.lines.push(JSON.parse(info[Symbol.for('message')]));
    done();
  }
}

describe('trace context', () => {
  it('parses and continues W3C traceparent, refusing malformed and all-zero ids', () => {
    const header = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(parseTraceparent(header)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
      sampled: true,
    });
    for (const bad of [
      '',
      'garbage',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
    ])
      expect(parseTraceparent(bad)).toBeUndefined();
    expect(parseTraceparent(` ${header.toUpperCase()} `)?.traceId).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    const next = withSpan('child', { parent: header }, () => currentTrace()!);
    expect(next.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(next.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(next.spanId).not.toBe('b7ad6b7169203331');
    const fresh = withSpan(
      'root',
      { parent: 'nonsense' },
      () => currentTrace()!,
    );
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe(next.traceId);
    expect(formatTraceparent(next)).toMatch(
      /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
    );
  });

  it('follows async work and is absent outside', async () => {
    expect(currentTrace()).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
    let inside: ReturnType<typeof currentTrace>;
    await withSpan('work', {}, async () => {
      inside = currentTrace();
      await new Promise(r => setTimeout(r, 5));
      expect(currentTrace()).toEqual(inside);
      expect(parseTraceparent(currentTraceparent())).toEqual({
        traceId: inside!.traceId,
        parentSpanId: inside!.spanId,
        sampled: true,
      });
    });
    expect(inside?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(currentTrace()).toBeUndefined();
  });

  it('carries the context through message headers (AMQP, annotations)', () => {
    const header = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const headers: Record<string, unknown> = {};
    injectTraceContext(headers, extractTraceContext({ traceparent: header }));
    expect(headers).toEqual({ traceparent: header });
    // amqplib may hand a header back as a Buffer.
    const fromBuffer = withSpan(
      'consume',
      { parent: extractTraceContext({ traceparent: Buffer.from(header) }) },
      () => currentTrace()!,
    );
    expect(fromBuffer.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(withSpan('x', {}, () => currentTraceparent())).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
  });

  it('ends the span and rethrows when the work fails', async () => {
    await expect(
      withSpan('fails', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(() =>
      withSpan('throws', {}, () => {
        throw new Error('sync boom');
      }),
    ).toThrow('sync boom');
    expect(currentTrace()).toBeUndefined();
  });
});

describe('log lines', () => {
  const logger = (capture: Capture) =>
    WinstonLogger.create({
      meta: {},
      format: flagstageLogFormat({ service: 'backend', version: '1.2.3' }),
      transports: [capture],
    });

  it('are JSON with the fixed fields, the trace ids and the domain ids, secrets redacted by name', () => {
    const capture = new Capture();
    const log = logger(capture).child({ plugin: 'contest' });
    const t = withSpan('log', {}, () => {
      log.info('Flag submitted', {
        contest: 'c1',
        team: 't1',
        challenge: 'web',
        flag: 'flagstage{leak}',
        password: 'hunter2hunter2',
        nested: { sessionToken: 'abc', authorization: 'Bearer x', ok: 1 },
        headers: [{ cookie: 'fs_session=zzz' }],
      });
      return currentTrace()!;
    });
    const line = capture.lines[0];
    expect(line).toMatchObject({
      level: 'info',
      message: 'Flag submitted',
      service: 'backend',
      version: '1.2.3',
      traceId: t.traceId,
      spanId: t.spanId,
      plugin: 'contest',
      contest: 'c1',
      team: 't1',
      challenge: 'web',
      flag: REDACTED,
      password: REDACTED,
      nested: { sessionToken: REDACTED, authorization: REDACTED, ok: 1 },
      headers: [{ cookie: REDACTED }],
    });
    expect(Date.parse(line.timestamp)).not.toBeNaN();
    expect(JSON.stringify(capture.lines)).not.toMatch(
      /leak|hunter2|zzz|Bearer x/,
    );
  });

  it('redacts configured secret values anywhere in the line', () => {
    const capture = new Capture();
    const l = logger(capture);
    l.addRedactions(['s3cr3t-value']);
    l.warn('connection to amqp://user:s3cr3t-value@host failed');
    expect(capture.lines[0].message).toBe(
      'connection to amqp://user:***@host failed',
    );
  });

  it('redactFields keeps structure, cuts cycles and keeps errors readable', () => {
    const a: any = { token: 'x', list: [1, { secret: 2 }] };
    a.self = a;
    expect(redactFields(a)).toEqual({
      token: REDACTED,
      list: [1, { secret: REDACTED }],
      self: '[Circular]',
    });
    expect(redactFields({ error: new Error('boom') })).toMatchObject({
      error: { name: 'Error', message: 'boom' },
    });
    // "flagstage" in a name is not a flag.
    expect(redactFields({ flagstageVersion: '1' })).toEqual({
      flagstageVersion: '1',
    });
  });
});

describe('HTTP observability', () => {
  it('labels by route template, continues the trace, and counts statuses', async () => {
    const app = express();
    app.use(httpObservability('test-svc'));
    const plugin = Router();
    const seen: string[] = [];
    plugin.get('/contests/:slug/scoreboard', async (_req, res) => {
      seen.push(currentTrace()!.traceId);
      res.json({ ok: true });
    });
    plugin.post('/fail', async () => {
      throw Object.assign(new Error('x'), { status: 400 });
    });
    app.use('/api/contest', plugin);
    const res = await request(app)
      .get('/api/contest/contests/demo/scoreboard')
      .set(
        'traceparent',
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      );
    expect(res.status).toBe(200);
    expect(res.headers['x-trace-id']).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(seen).toEqual(['0af7651916cd43dd8448eb211c80319c']);
    await request(app).get('/api/contest/contests/other/scoreboard');
    await request(app).get('/nowhere');
    const text = await metricsRegistry.metrics();
    expect(text).toContain(
      'flagstage_http_requests_total{service="test-svc",route="/api/contest/contests/:slug/scoreboard",method="GET",status="200"} 2',
    );
    expect(text).toMatch(
      /flagstage_http_requests_total\{service="test-svc",route="unmatched",method="GET",status="404"\} 1/,
    );
    expect(text).not.toContain('demo');
    expect(text).toMatch(
      /flagstage_http_request_duration_seconds_count\{service="test-svc",route="\/api\/contest\/contests\/:slug\/scoreboard",method="GET"\} 2/,
    );
  });
});

describe('health', () => {
  it('reports each dependency with latency; a down critical dependency makes it down, a non-critical one degraded', async () => {
    const report = await runHealthChecks(
      [
        { name: 'database', critical: true, check: async () => 'sqlite' },
        {
          name: 'kubernetes',
          critical: false,
          check: async () => {
            throw new Error('ECONNREFUSED');
          },
        },
        { name: 'queue', critical: false, check: async () => 'disabled' },
      ],
      { service: 's', version: '1' },
    );
    expect(report).toMatchObject({
      status: 'degraded',
      service: 's',
      version: '1',
      dependencies: {
        database: { status: 'ok', detail: 'sqlite', critical: true },
        kubernetes: { status: 'down', detail: 'ECONNREFUSED' },
        queue: { status: 'disabled' },
      },
    });
    expect(report.dependencies.database.latencyMs).toBeGreaterThanOrEqual(0);
    const slow = await runHealthChecks(
      [
        {
          name: 'database',
          critical: true,
          check: () => new Promise(r => setTimeout(r, 500)),
        },
      ],
      { service: 's', version: '1' },
      50,
    );
    expect(slow.status).toBe('down');
    expect(slow.dependencies.database.detail).toMatch(/no answer within 50 ms/);
  });

  it('serves /healthz, /readyz, /health and /metrics', async () => {
    let dbUp = true;
    const app = express();
    app.use(
      createHealthRouter({
        service: 'backend',
        version: '9',
        checks: () => [
          {
            name: 'database',
            critical: true,
            check: async () => {
              if (!dbUp) throw new Error('down');
            },
          },
        ],
      }),
    );
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(200);
    dbUp = false;
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    const health = await request(app).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'down',
      service: 'backend',
      version: '9',
      dependencies: { database: { status: 'down' } },
    });
    const metrics = await request(app).get('/metrics');
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
  });
});
