import net from 'node:net';
import { startGateway, type Gateway } from './gateway';
import {
  logSink,
  startUpstreams,
  testConfig,
  token,
} from './__testUtils__/harness';

jest.setTimeout(30_000);

function connect(gateway: Gateway) {
  const socket = net.connect(gateway.addresses.tcp, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (c: Buffer) => received.push(c));
  const closed = new Promise<void>(r => socket.once('close', () => r()));
  return { socket, text: () => Buffer.concat(received).toString(), closed };
}

describe('gateway TCP', () => {
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let gateway: Gateway;
  const sink = logSink();

  beforeAll(async () => {
    upstreams = await startUpstreams();
    gateway = await startGateway(
      testConfig({}, { tcp: { authTimeoutMs: 300, maxLifetimeMs: 1500 } }),
      { logWrite: sink.write, defaultMetrics: false },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await upstreams.close();
  });
  const tcpToken = (claims = {}) =>
    token({ target: upstreams.tcpTarget, proto: 'tcp', ...claims });

  it('pipes both ways after a valid token line, including bytes sent with it', async () => {
    const c = connect(gateway);
    c.socket.write(`${tcpToken()}\r\nfirst\n`);
    await new Promise(r => setTimeout(r, 100));
    c.socket.write('second\n');
    await new Promise(r => setTimeout(r, 100));
    expect(c.text()).toBe('banner\nfirst\nsecond\n');
    c.socket.end();
    await c.closed;
    await new Promise(r => setImmediate(r));
    const line = sink.lines.find(l => l.proto === 'tcp' && l.bytesIn === 13);
    expect(line).toMatchObject({
      teamId: 'team-1',
      instanceId: 'inst-1',
      reason: 'closed',
    });
    expect(line.bytesOut).toBe(20);
  });

  it('keeps the answer flowing after the client half-closes', async () => {
    const c = connect(gateway);
    c.socket.end(`${tcpToken()}\nlast words\n`);
    await c.closed;
    expect(c.text()).toBe('banner\nlast words\n');
  });

  it('closes a client that sends no token within the authentication timeout', async () => {
    const c = connect(gateway);
    const started = Date.now();
    await c.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(c.text()).toMatch(/^ERR auth_timeout/);
  });

  it.each([
    [
      'an http token',
      () => token({ target: upstreams.tcpTarget }),
      'ERR wrong_protocol',
    ],
    [
      'an expired token',
      () => tcpToken({ exp: Math.floor(Date.now() / 1000) - 5 }),
      'ERR expired',
    ],
    ['garbage', () => 'hello', 'ERR malformed'],
  ])('refuses %s with one ERR line', async (_what, make, expected) => {
    const c = connect(gateway);
    c.socket.write(`${make()}\n`);
    await c.closed;
    expect(c.text().startsWith(expected)).toBe(true);
    expect(c.text()).not.toContain('banner');
  });

  it('refuses an endless first line', async () => {
    const c = connect(gateway);
    c.socket.write('a'.repeat(5000));
    await c.closed;
    expect(c.text()).toMatch(/^ERR oversized/);
  });

  it('ends connections at the lifetime cap', async () => {
    const c = connect(gateway);
    c.socket.write(`${tcpToken()}\n`);
    const started = Date.now();
    await c.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    // The gateway's side of the close (and its log line) follows shortly.
    await new Promise(r => setTimeout(r, 100));
    expect(
      sink.lines.some(l => l.proto === 'tcp' && l.reason === 'lifetime'),
    ).toBe(true);
  });
});

describe('gateway connection caps under a burst', () => {
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let gateway: Gateway;

  beforeAll(async () => {
    upstreams = await startUpstreams();
    gateway = await startGateway(
      testConfig(
        {},
        {
          tcp: {
            maxConnections: 40,
            maxConnectionsPerIp: 25,
            maxConnectionsPerToken: 15,
          },
        },
      ),
      { logWrite: () => {}, defaultMetrics: false },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await upstreams.close();
  });

  /** Opens `n` connections at once with one token from a given local address; counts how many get the banner. */
  async function burst(n: number, tok: string, localAddress = '127.0.0.1') {
    const results = await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<{ socket: net.Socket; ok: boolean }>(resolve => {
            const socket = net.connect({
              port: gateway.addresses.tcp,
              host: '127.0.0.1',
              localAddress,
            });
            let text = '';
            socket.on('data', d => {
              text += d.toString();
              if (text.startsWith('banner')) resolve({ socket, ok: true });
              if (text.startsWith('ERR')) resolve({ socket, ok: false });
            });
            socket.on('error', () => resolve({ socket, ok: false }));
            socket.write(`${tok}\n`);
          }),
      ),
    );
    return results;
  }

  it('holds the per-token cap (15) under 30 concurrent connections', async () => {
    const results = await burst(
      30,
      token({ target: upstreams.tcpTarget, proto: 'tcp', team: 'cap-a' }),
    );
    expect(results.filter(r => r.ok)).toHaveLength(15);
    expect(gateway.caps.open).toBe(15);
    for (const r of results) r.socket.destroy();
    await new Promise(r => setTimeout(r, 100));
    expect(gateway.caps.open).toBe(0);
  });

  it('holds the per-IP cap (25) across tokens, and the total cap (40) across addresses', async () => {
    const tokens = [1, 2, 3].map(i =>
      token({ target: upstreams.tcpTarget, proto: 'tcp', team: `cap-${i}` }),
    );
    const fromOne = (
      await Promise.all(tokens.map(t => burst(12, t, '127.0.0.1')))
    ).flat();
    expect(fromOne.filter(r => r.ok)).toHaveLength(25);
    const fromOthers = (
      await Promise.all([
        burst(
          12,
          token({ target: upstreams.tcpTarget, proto: 'tcp', team: 'cap-4' }),
          '127.0.0.2',
        ),
        burst(
          12,
          token({ target: upstreams.tcpTarget, proto: 'tcp', team: 'cap-5' }),
          '127.0.0.3',
        ),
      ])
    ).flat();
    expect(fromOthers.filter(r => r.ok)).toHaveLength(15);
    expect(gateway.caps.open).toBe(40);
    for (const r of [...fromOne, ...fromOthers]) r.socket.destroy();
  });
});
