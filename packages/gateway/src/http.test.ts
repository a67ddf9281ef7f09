import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startGateway, type Gateway } from './gateway';
import {
  DOMAIN,
  get,
  KEY,
  logSink,
  startUpstreams,
  testConfig,
  token,
} from './__testUtils__/harness';

jest.setTimeout(30_000);

describe('gateway HTTP', () => {
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let gateway: Gateway;
  const sink = logSink();
  const host = `inst-1.${DOMAIN}`;

  beforeAll(async () => {
    upstreams = await startUpstreams();
    gateway = await startGateway(
      testConfig({}, { http: { maxBodyBytes: 1024 } }),
      { logWrite: sink.write, defaultMetrics: false },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await upstreams.close();
  });
  const valid = () => token({ target: upstreams.httpTarget });

  it('trades a query token for a host-only HttpOnly cookie and redirects without it', async () => {
    const t = valid();
    const first = await get(gateway, host, `/notes?id=3&token=${t}&x=y`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/notes?id=3&x=y');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`fsg_token=${t}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);

    const second = await get(gateway, host, '/notes?id=3&x=y', {
      headers: { cookie: `app=1; fsg_token=${t}` },
    });
    expect(second.status).toBe(200);
    const seen = JSON.parse(second.body);
    expect(seen.url).toBe('/notes?id=3&x=y');
    // The instance sees its own cookies and the original host, never the gateway token.
    expect(seen.headers.cookie).toBe('app=1');
    expect(seen.headers.host).toBe(host);
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(second.body).not.toContain(t);
  });

  it('accepts Authorization: Bearer for scripts and strips it; leaves the app’s own JWTs alone', async () => {
    const t = valid();
    const res = await get(gateway, host, '/api', {
      headers: { authorization: `Bearer ${t}` },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).headers.authorization).toBeUndefined();
    const jwt = 'aaa.bbb.ccc';
    const withJwt = await get(gateway, host, '/api', {
      headers: { authorization: `Bearer ${jwt}`, cookie: `fsg_token=${t}` },
    });
    expect(JSON.parse(withJwt.body).headers.authorization).toBe(
      `Bearer ${jwt}`,
    );
  });

  it.each([
    ['no token', () => ({}), 401],
    [
      'expired',
      () => ({
        cookie: `fsg_token=${token({
          target: upstreams.httpTarget,
          exp: Math.floor(Date.now() / 1000) - 1,
        })}`,
      }),
      401,
    ],
    [
      'forged signature',
      () => ({
        cookie: `fsg_token=${token(
          { target: upstreams.httpTarget },
          { kid: KEY.kid, secret: randomBytes(32) },
        )}`,
      }),
      401,
    ],
    [
      'unknown kid',
      () => ({
        cookie: `fsg_token=${token(
          { target: upstreams.httpTarget },
          { kid: 'other', secret: randomBytes(32) },
        )}`,
      }),
      401,
    ],
    [
      'another instance’s token',
      () => ({
        cookie: `fsg_token=${token({
          target: upstreams.httpTarget,
          iid: 'inst-2',
        })}`,
      }),
      403,
    ],
    [
      'a tcp token',
      () => ({
        cookie: `fsg_token=${token({
          target: upstreams.tcpTarget,
          proto: 'tcp',
        })}`,
      }),
      403,
    ],
    ['garbage', () => ({ cookie: 'fsg_token=garbage' }), 401],
  ])('refuses %s', async (_what, headers, status) => {
    const res = await get(gateway, host, '/', { headers: headers() });
    expect(res.status).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain('{');
  });

  it('refuses a bad token in the query without setting a cookie', async () => {
    const res = await get(
      gateway,
      host,
      `/?token=${token({ target: upstreams.httpTarget, iid: 'inst-2' })}`,
    );
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 404 for hosts outside the gateway domain', async () => {
    expect(
      (
        await get(gateway, 'example.com', '/', {
          headers: { authorization: `Bearer ${valid()}` },
        })
      ).status,
    ).toBe(404);
    expect((await get(gateway, `a.b.${DOMAIN}`, '/')).status).toBe(404);
  });

  it('enforces the body limit, declared or streamed', async () => {
    const t = valid();
    const ok = await get(gateway, host, '/upload', {
      method: 'POST',
      body: Buffer.alloc(1024),
      headers: { authorization: `Bearer ${t}` },
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).bodyLength).toBe(1024);
    const declared = await get(gateway, host, '/upload', {
      method: 'POST',
      body: Buffer.alloc(1025),
      headers: { authorization: `Bearer ${t}` },
    });
    expect(declared.status).toBe(413);
    const chunked = await get(gateway, host, '/upload', {
      method: 'POST',
      body: Buffer.alloc(4096),
      headers: { authorization: `Bearer ${t}`, 'transfer-encoding': 'chunked' },
    });
    expect(chunked.status).toBe(413);
  });

  it('streams large responses', async () => {
    const res = await get(gateway, host, '/big?size=3000000', {
      headers: { authorization: `Bearer ${valid()}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(3_000_000);
  });

  it('stops the upstream request when the client goes away mid-response', async () => {
    let upstreamClosed: number | undefined;
    const slow = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part\n'); // and never the rest
      res.on('close', () => {
        upstreamClosed = Date.now();
      });
    });
    await new Promise<void>(r => slow.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(slow.address() as net.AddressInfo).port}`;
    try {
      const client = net.connect(gateway.addresses.http, '127.0.0.1');
      client.write(
        `GET /slow HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token({
          target,
        })}\r\n\r\n`,
      );
      await new Promise<void>(resolve =>
        client.on('data', d => {
          if (String(d).includes('first part')) resolve();
        }),
      );
      const left = Date.now();
      client.destroy();
      const deadline = Date.now() + 5000;
      while (upstreamClosed === undefined && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 20));
      // Well before the 30 s upstream timeout.
      expect(upstreamClosed).toBeDefined();
      expect(upstreamClosed! - left).toBeLessThan(5000);
    } finally {
      slow.closeAllConnections();
      await new Promise(r => slow.close(r));
    }
  });

  it('answers 502 when the instance is not listening', async () => {
    const res = await get(gateway, host, '/', {
      headers: { authorization: `Bearer ${token({ target: '127.0.0.1:1' })}` },
    });
    expect(res.status).toBe(502);
  });

  it('passes WebSocket upgrades through to the instance', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.addresses.http}/chat`, {
      headers: { host, cookie: `fsg_token=${valid()}` },
    });
    const messages: string[] = [];
    ws.on('message', m => messages.push(m.toString()));
    await new Promise(r => ws.once('open', r));
    ws.send('ping');
    await new Promise(r => setTimeout(r, 200));
    expect(messages).toEqual(['hello /chat', 'ping']);
    ws.close();
    const refused = new WebSocket(
      `ws://127.0.0.1:${gateway.addresses.http}/chat`,
      { headers: { host } },
    );
    const status = await new Promise(r =>
      refused.on('unexpected-response', (_req, res) => r(res.statusCode)),
    );
    expect(status).toBe(401);
  });

  it('tunnels TCP over WebSocket with a tcp token', async () => {
    const t = token({ target: upstreams.tcpTarget, proto: 'tcp' });
    const ws = new WebSocket(
      `ws://127.0.0.1:${gateway.addresses.http}/tcp?token=${t}`,
      { headers: { host: DOMAIN } },
    );
    const received: Buffer[] = [];
    ws.on('message', m => received.push(m as Buffer));
    await new Promise(r => ws.once('open', r));
    ws.send(Buffer.from('over websocket\n'));
    await new Promise(r => setTimeout(r, 200));
    expect(Buffer.concat(received).toString()).toBe('banner\nover websocket\n');
    ws.close();
    const httpToken = new WebSocket(
      `ws://127.0.0.1:${gateway.addresses.http}/tcp?token=${valid()}`,
      { headers: { host: DOMAIN } },
    );
    const status = await new Promise(r =>
      httpToken.on('unexpected-response', (_req, res) => r(res.statusCode)),
    );
    expect(status).toBe(403);
  });

  it('refuses revoked instances, teams and tokens, and closes their open connections', async () => {
    const t = token({
      target: upstreams.tcpTarget,
      proto: 'tcp',
      iid: 'inst-9',
      team: 'team-9',
    });
    const socket = net.connect(gateway.addresses.tcp, '127.0.0.1');
    socket.write(`${t}\n`);
    await new Promise(r => socket.once('data', r));
    const closed = new Promise(r => socket.once('close', r));
    gateway.access.setRevocations([
      { scope: 'team', value: 'team-9', at: new Date().toISOString() },
    ]);
    await closed;
    const again = await get(gateway, `inst-9.${DOMAIN}`, '/', {
      headers: {
        authorization: `Bearer ${token({
          target: upstreams.httpTarget,
          iid: 'inst-9',
          team: 'team-9',
        })}`,
      },
    });
    expect(again.status).toBe(403);
    gateway.access.setRevocations([
      { scope: 'instance', value: 'inst-1', at: '' },
    ]);
    expect(
      (
        await get(gateway, host, '/', {
          headers: { authorization: `Bearer ${valid()}` },
        })
      ).status,
    ).toBe(403);
    gateway.access.setRevocations([]);
    expect(
      (
        await get(gateway, host, '/', {
          headers: { authorization: `Bearer ${valid()}` },
        })
      ).status,
    ).toBe(200);
  });

  it('logs one JSON line per request with team, challenge, instance, status and bytes, never the token', async () => {
    const t = valid();
    await get(gateway, host, `/logged?token=${t}`);
    await get(gateway, host, '/logged', {
      headers: { cookie: `fsg_token=${t}` },
    });
    await new Promise(r => setImmediate(r));
    const lines = sink.lines.filter(l => l.route === '/logged');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({
      message: 'access',
      service: 'gateway',
      proto: 'http',
      teamId: 'team-1',
      challengeName: 'web-cookie-jar',
      instanceId: 'inst-1',
      status: 200,
      clientIp: '127.0.0.1',
    });
    expect(lines[1].bytesOut).toBeGreaterThan(0);
    expect(typeof lines[1].durationMs).toBe('number');
    expect(lines[1].conn).toBeTruthy();
    expect(JSON.stringify(sink.lines)).not.toContain(t);
    expect(JSON.stringify(sink.lines)).not.toContain(t.split('.')[1]);
  });

  it('drops a slow client that never finishes its headers', async () => {
    const socket = net.connect(gateway.addresses.http, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    const started = Date.now();
    const drip = setInterval(() => socket.write('a'), 200);
    await new Promise(r => socket.once('close', r));
    clearInterval(drip);
    // headersTimeoutMs is 2000 in the test config; checked every second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it('serves health, readiness and metrics on the admin port', async () => {
    const base = `http://127.0.0.1:${gateway.addresses.admin}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /flagstage_gateway_http_requests_total\{code="2xx"\} \d+/,
    );
    expect(metrics).toMatch(
      /flagstage_gateway_refusals_total\{proto="http",reason="expired"\} 1/,
    );
    // Upstream time is observed for every proxied request.
    expect(metrics).toMatch(
      /flagstage_gateway_upstream_duration_seconds_count\{proto="http"\} [1-9]\d*/,
    );
    const health = await (await fetch(`${base}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', service: 'gateway' });
  });
});
