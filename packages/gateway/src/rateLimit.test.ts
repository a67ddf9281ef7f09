import http from 'node:http';
import { startGateway, type Gateway } from './gateway';
import {
  DOMAIN,
  get,
  startUpstreams,
  testConfig,
  token,
} from './__testUtils__/harness';
import { TokenBuckets } from './tokenBucket';

jest.setTimeout(30_000);

describe('token buckets', () => {
  it('allows the burst, then the rate, and reports the wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(10, 20, () => now);
    let allowed = 0;
    for (let i = 0; i < 30; i++) if (buckets.take('k') === 0) allowed += 1;
    expect(allowed).toBe(20);
    expect(buckets.take('k')).toBeCloseTo(0.1, 5);
    now += 1000;
    allowed = 0;
    for (let i = 0; i < 30; i++) if (buckets.take('k') === 0) allowed += 1;
    expect(allowed).toBe(10);
    expect(buckets.take('other')).toBe(0);
    now += 10_000;
    buckets.sweep();
    expect(buckets.size).toBe(0);
  });
});

/**
 * Drives the gateway as fast as a keep-alive client can for a fixed time and
 * checks that the accepted rate, after the initial burst, is within 5 % of
 * the configured rate.
 */
describe('gateway rate limits', () => {
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let gateway: Gateway;

  beforeAll(async () => {
    upstreams = await startUpstreams();
    gateway = await startGateway(
      testConfig(
        {},
        {
          http: {
            perTokenRps: 100,
            perTokenBurst: 100,
            perIpRps: 150,
            perIpBurst: 150,
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

  async function drive(tokens: string[], seconds: number) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const deadline = Date.now() + seconds * 1000;
    const started = Date.now();
    let ok = 0;
    let limited = 0;
    let retryAfter = '';
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (Date.now() < deadline) {
          const t = tokens[worker % tokens.length];
          const res = await get(gateway, `inst-1.${DOMAIN}`, '/', {
            agent,
            headers: { authorization: `Bearer ${t}` },
          });
          if (res.status === 200) ok += 1;
          else if (res.status === 429) {
            limited += 1;
            retryAfter = String(res.headers['retry-after']);
          } else throw new Error(`unexpected ${res.status}`);
        }
      }),
    );
    agent.destroy();
    return { ok, limited, retryAfter, elapsed: (Date.now() - started) / 1000 };
  }

  it('holds the per-token rate to at most 5 % over its limit', async () => {
    const t = token({ target: upstreams.httpTarget, team: 'rate-token' });
    const { ok, limited, retryAfter, elapsed } = await drive([t], 3);
    const rate = (ok - 100) / elapsed;
    expect(limited).toBeGreaterThan(0);
    expect(retryAfter).toBe('1');
    // The limit is never exceeded by more than 5 %. Below it, the figure
    // measures the client more than the gateway (a loaded CI machine cannot
    // always keep 8 connections busy), so the lower bound only shows the
    // limiter, not the client, set the pace.
    expect(rate).toBeLessThan(105);
    expect(rate).toBeGreaterThan(75);
  });

  it('holds the per-IP rate to at most 5 % over its limit across tokens', async () => {
    const tokens = [1, 2, 3, 4].map(i =>
      token({ target: upstreams.httpTarget, team: `rate-ip-${i}` }),
    );
    // Four tokens could do 400/s; the address is held to 150/s.
    await new Promise(r => setTimeout(r, 1100));
    const { ok, elapsed } = await drive(tokens, 3);
    const rate = (ok - 150) / elapsed;
    expect(rate).toBeLessThan(150 * 1.05);
    expect(rate).toBeGreaterThan(150 * 0.75);
  });
});
