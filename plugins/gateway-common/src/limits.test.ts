import { DEFAULT_GATEWAY_LIMITS, parseGatewayLimits } from './limits';
import { revocationField } from './redisContract';

describe('gateway limits', () => {
  it('fills defaults and keeps valid overrides', () => {
    expect(parseGatewayLimits({})).toEqual({
      ok: true,
      limits: DEFAULT_GATEWAY_LIMITS,
    });
    const parsed = parseGatewayLimits({
      http: { perTokenRps: 50, perTokenBurst: 100 },
      tcp: { maxConnectionsPerToken: 3 },
    });
    expect(parsed).toEqual({
      ok: true,
      limits: {
        http: {
          ...DEFAULT_GATEWAY_LIMITS.http,
          perTokenRps: 50,
          perTokenBurst: 100,
        },
        tcp: { ...DEFAULT_GATEWAY_LIMITS.tcp, maxConnectionsPerToken: 3 },
      },
    });
  });

  it('names every problem', () => {
    const parsed = parseGatewayLimits({
      http: { perTokenRps: -1, perIpRps: 1.5, nope: 1 },
      udp: {},
      tcp: 'x',
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([
      'http.perTokenRps: must be between 1 and 1000000',
      'http.perIpRps: must be an integer',
      'http.nope: unknown field',
      'udp: unknown section',
      'tcp: must be an object',
    ]);
    expect(parseGatewayLimits(null)).toEqual({
      ok: false,
      problems: ['limits must be an object'],
    });
    expect(parseGatewayLimits({ http: { perTokenRps: 700 } })).toEqual({
      ok: false,
      problems: ['http.perTokenBurst: must be at least perTokenRps'],
    });
  });

  it('the defaults are the seed platform’s', () => {
    expect(DEFAULT_GATEWAY_LIMITS.http).toMatchObject({
      perTokenRps: 300,
      perTokenBurst: 600,
      perIpRps: 500,
      perIpBurst: 1000,
      maxBodyBytes: 10485760,
    });
    expect(DEFAULT_GATEWAY_LIMITS.tcp).toMatchObject({
      maxConnections: 4000,
      maxConnectionsPerIp: 1000,
      maxConnectionsPerToken: 15,
      authTimeoutMs: 5000,
      maxLifetimeMs: 300000,
    });
    expect(Object.isFrozen(DEFAULT_GATEWAY_LIMITS.http)).toBe(true);
    expect(revocationField('team', 't1')).toBe('team:t1');
  });
});
