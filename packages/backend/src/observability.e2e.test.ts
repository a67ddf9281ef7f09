import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import request from 'supertest';
import Transport from 'winston-transport';
import { mockServices } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleChallenges from '@flagstage/plugin-catalog-backend-module-challenges';
import contestPlugin from '@flagstage/plugin-contest-backend';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import observabilityPlugin from '@flagstage/plugin-observability-backend';
import {
  flagstageRootHttpRouterServiceFactory,
  flagstageRootLoggerServiceFactory,
} from '@flagstage/plugin-observability-node';
import { embeddedGatewayPlugin } from './embeddedGateway';
import {
  embeddedDefaultConfig,
  freePort,
  until,
  viaGateway,
} from './__testUtils__/e2e';

/**
 * Observability end to end on the embedded default, with the production
 * root logger (capturing every line) and root HTTP router: a scripted
 * contest (register, team, start the cookie jar with a known traceparent,
 * open it through the gateway, a wrong and a right flag, stop), then
 * - one trace id found in the contest request, the worker's lines and the
 *   gateway's lines for the instance;
 * - no secret value (password, session cookie, flag, gateway token, signing
 *   key) anywhere in the captured output;
 * - a real Prometheus (Debian's) scraping the backend and the gateway finds
 *   the expected series.
 */

jest.setTimeout(180_000);

const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';

class Capture extends Transport {
  lines: any[] = [];
  raw: string[] = [];
  log(info: any, done: () => void) {
    const text = info[Symbol.for('message')];
    this.raw.push(text);
    this.lines.push(JSON.parse(text));
    done();
  }
}

describe('observability on the embedded default', () => {
  const capture = new Capture();
  const signingKey = Buffer.alloc(32, 11).toString('base64');
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
  const password = 'correct horse battery staple 42';
  // A production backend (createBackend: real auth, discovery, scheduler,
  // database) with the production root logger and root router; only the
  // config is given inline.
  let server: string;
  let backendPort: number;
  /** /metrics and /health: the internal listener, not the public port. */
  let internalPort: number;
  let ports: { http: number; tcp: number; admin: number };
  let stopBackend: () => Promise<void>;
  const secrets: Record<string, string> = { password, signingKey };

  beforeAll(async () => {
    backendPort = await freePort();
    internalPort = await freePort();
    server = `http://localhost:${backendPort}`;
    ports = {
      http: await freePort(),
      tcp: await freePort(),
      admin: await freePort(),
    };
    const backend = createBackend();
    for (const feature of [
      flagstageRootLoggerServiceFactory({
        service: 'backend',
        version: 'test',
        transports: [capture],
      }),
      flagstageRootHttpRouterServiceFactory({ service: 'backend' }),
      mockServices.rootConfig.factory({
        data: {
          ...embeddedDefaultConfig({
            ports,
            key: { kid: 'obs', secret: signingKey },
            domain: 'gateway.test',
            backend: {
              baseUrl: `http://localhost:${backendPort}`,
              listen: { port: backendPort, host: '127.0.0.1' },
            },
            demoChallenges: ['challenge:default/web-cookie-jar'],
          }),
          observability: {
            internal: { port: internalPort, host: '127.0.0.1' },
          },
        },
      }),
      catalogPlugin,
      catalogModuleChallenges,
      contestPlugin,
      deploymentPlugin,
      deploymentWorkerPlugin,
      embeddedGatewayPlugin,
      observabilityPlugin,
    ] as any[])
      backend.add(feature);
    await backend.start();
    stopBackend = () => backend.stop();
    await until(
      'the demo contest',
      () =>
        request(server)
          .get('/api/contest/public/contests/demo')
          .then(r => r.status),
      status => status === 200,
      90_000,
    );
  });

  afterAll(async () => {
    await stopBackend?.();
  });

  it('plays a scripted contest, follows one trace id through the backend, the worker and the gateway, and logs no secret', async () => {
    const player = request.agent(server);
    const registered = await player
      .post('/api/contest/public/contests/demo/register')
      .send({ username: 'tracer', password });
    expect(registered.status).toBe(201);
    const cookie = String(registered.headers['set-cookie'])
      .split(';')[0]
      .split('=')[1];
    secrets.session = decodeURIComponent(cookie);
    await player.post('/api/contest/public/teams').send({ name: 'Tracers' });

    const started = await player
      .post('/api/contest/public/challenges/web-cookie-jar/instance')
      .set('traceparent', traceparent);
    expect(started.status).toBe(202);
    expect(started.headers['x-trace-id']).toBe(traceId);
    const running = await until(
      'RUNNING',
      () =>
        player
          .get('/api/contest/public/challenges/web-cookie-jar/instance')
          .then(r => r.body.instance),
      (i: any) => ['RUNNING', 'FAILED'].includes(i?.state),
    );
    expect(running.state).toBe('RUNNING');
    const url = new URL(running.access.url);
    secrets.gatewayToken = url.searchParams.get('token')!;
    const first = await viaGateway(
      ports.http,
      url.host,
      `${url.pathname}${url.search}`,
    );
    const gatewayCookie = String(first.headers['set-cookie']).split(';')[0];
    const forged = Buffer.from(
      JSON.stringify({ user: 'admin', admin: true }),
    ).toString('base64');
    const page = await viaGateway(ports.http, url.host, '/admin', {
      cookie: `${gatewayCookie}; session=${encodeURIComponent(forged)}`,
    });
    const flag = page.body.match(/flagstage\{[^}]+\}/)![0];
    secrets.flag = flag;
    const wrong = 'flagstage{not-the-flag-but-still-secret}';
    secrets.wrongFlag = wrong;
    for (const submission of [wrong, flag]) {
      await player
        .post('/api/contest/public/challenges/web-cookie-jar/submit')
        .send({ flag: submission });
    }
    await player.delete(
      '/api/contest/public/challenges/web-cookie-jar/instance',
    );
    await until(
      'stopped',
      () =>
        player
          .get('/api/contest/public/challenges/web-cookie-jar/instance')
          .then(r => r.body.instance?.state ?? 'NONE'),
      s => s === 'STOPPED' || s === 'NONE',
    );
    await new Promise(r => setTimeout(r, 1500)); // output flush, access lines

    // Every line has the fixed shape.
    for (const line of capture.lines) {
      expect(line).toMatchObject({
        timestamp: expect.any(String),
        level: expect.any(String),
        message: expect.any(String),
        service: 'backend',
        version: 'test',
      });
    }
    // One trace id from the start request to the worker and the gateway.
    const traced = capture.lines.filter(l => l.traceId === traceId);
    const worker = traced.filter(l => l.plugin === 'deployment-worker');
    expect(worker.map(l => l.message)).toContain('Deploying instance');
    expect(worker.find(l => l.message === 'Deploying instance')).toMatchObject({
      instanceId: running.id,
      challengeRef: 'challenge:default/web-cookie-jar',
    });
    const gateway = traced.filter(l => l.component === 'gateway');
    expect(gateway.length).toBeGreaterThan(0);
    expect(gateway[0]).toMatchObject({
      instanceId: running.id,
      challengeName: 'web-cookie-jar',
    });
    // The HTTP request lines of the trace include the contestant's start.
    expect(
      traced.some(
        l => l.plugin === 'rootHttpRouter' || /POST .*instance/.test(l.message),
      ),
    ).toBe(true);

    // No secret anywhere in what was logged.
    const all = capture.raw.join('\n');
    expect(capture.raw.length).toBeGreaterThan(20);
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, leaked: all.includes(value) }).toEqual({
        name,
        leaked: false,
      });
    }
  });

  const describePrometheus =
    fs.existsSync(PROMETHEUS) || process.env.CI === 'true'
      ? describe
      : describe.skip;
  if (!fs.existsSync(PROMETHEUS) && process.env.CI !== 'true')
    // eslint-disable-next-line no-console
    console.warn(
      `Skipping the Prometheus scrape test: no ${PROMETHEUS} (apt-get install prometheus)`,
    );

  describePrometheus('with Prometheus', () => {
    it('a real Prometheus scrapes the backend and the gateway and finds the expected series', async () => {
      // The public port keeps the probes only.
      expect((await request(server).get('/metrics')).status).toBe(404);
      expect((await request(server).get('/readyz')).status).toBe(200);
      const port = internalPort;
      const promPort = await freePort();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-prom-'));
      fs.writeFileSync(
        path.join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          `  - job_name: backend`,
          `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
          `  - job_name: gateway`,
          `    static_configs: [{ targets: ['127.0.0.1:${ports.admin}'] }]`,
          '',
        ].join('\n'),
      );
      let prom: ChildProcess | undefined;
      try {
        prom = spawn(
          PROMETHEUS,
          [
            `--config.file=${path.join(dir, 'prometheus.yml')}`,
            `--storage.tsdb.path=${path.join(dir, 'data')}`,
            `--web.listen-address=127.0.0.1:${promPort}`,
          ],
          { stdio: 'ignore' },
        );
        const query = async (q: string) => {
          const res = await fetch(
            `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(
              q,
            )}`,
          ).catch(() => undefined);
          if (!res?.ok) return [];
          return ((await res.json()) as any).data.result as any[];
        };
        const series = async (q: string) =>
          until(
            q,
            () => query(q),
            r => r.length > 0,
            60_000,
          );
        expect((await series('up{job="backend"} == 1')).length).toBe(1);
        expect((await series('up{job="gateway"} == 1')).length).toBe(1);
        const submissions = await series('flagstage_submissions_total');
        expect(submissions.map(s => s.metric.result).sort()).toEqual(
          expect.arrayContaining(['correct', 'incorrect']),
        );
        expect((await series('flagstage_solves_total'))[0].value[1]).toBe('1');
        await series('flagstage_instance_start_duration_seconds_count > 0');
        await series(
          'flagstage_deploy_jobs_total{action="deploy",result="ok"}',
        );
        await series('flagstage_instances{state="STOPPED"} >= 1');
        await series('flagstage_queue_depth');
        await series('flagstage_scoreboard_last_update_timestamp_seconds > 0');
        const routes = await series(
          'flagstage_http_requests_total{service="backend",method="POST"}',
        );
        expect(routes.map(r => r.metric.route)).toContain(
          '/api/contest/public/challenges/:name/submit',
        );
        // Bounded labels: no instance id, team or user anywhere in a label.
        const all = await query('{__name__=~"flagstage_.*"}');
        expect(JSON.stringify(all.map(s => s.metric))).not.toMatch(
          /tracer|Tracers/,
        );
        await series('flagstage_gateway_http_requests_total');
      } finally {
        prom?.kill('SIGTERM');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
