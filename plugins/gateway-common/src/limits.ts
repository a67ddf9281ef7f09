/**
 * Gateway limits: what operators edit in gateway-admin and every gateway
 * replica applies. Rates are token buckets (`rps` refill, `burst` capacity).
 *
 * @public
 */
export type GatewayLimits = {
  http: {
    /** Requests per second per token, and the bucket size. Default 300 / 600. */
    perTokenRps: number;
    perTokenBurst: number;
    /** Requests per second per client IP, and the bucket size. Default 500 / 1000. */
    perIpRps: number;
    perIpBurst: number;
    /** Largest request body. Default 10 MiB. */
    maxBodyBytes: number;
  };
  tcp: {
    /** Open TCP (and TCP-over-WebSocket) connections per replica. Default 4000. */
    maxConnections: number;
    /** Per client IP. Default 1000. */
    maxConnectionsPerIp: number;
    /** Per token. Default 15. */
    maxConnectionsPerToken: number;
    /** Time for the client to send its token line. Default 5000 ms. */
    authTimeoutMs: number;
    /** Raw TCP connections per client IP still waiting for their token line. Default 32. */
    maxUnauthenticatedPerIp: number;
    /** Invalid token lines per client IP a minute (also the burst); then its connections are refused at once. Default 60. */
    invalidTokensPerIpPerMinute: number;
    /** Longest a connection may live. Default 300000 ms. */
    maxLifetimeMs: number;
  };
};

/** The defaults (from the seed platform). @public */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = Object.freeze({
  http: Object.freeze({
    perTokenRps: 300,
    perTokenBurst: 600,
    perIpRps: 500,
    perIpBurst: 1000,
    maxBodyBytes: 10 * 1024 * 1024,
  }),
  tcp: Object.freeze({
    maxConnections: 4000,
    maxConnectionsPerIp: 1000,
    maxConnectionsPerToken: 15,
    authTimeoutMs: 5000,
    maxUnauthenticatedPerIp: 32,
    invalidTokensPerIpPerMinute: 60,
    maxLifetimeMs: 300_000,
  }),
}) as GatewayLimits;

const BOUNDS: Record<string, Record<string, [number, number]>> = {
  http: {
    perTokenRps: [1, 1_000_000],
    perTokenBurst: [1, 10_000_000],
    perIpRps: [1, 1_000_000],
    perIpBurst: [1, 10_000_000],
    maxBodyBytes: [0, 1024 * 1024 * 1024],
  },
  tcp: {
    maxConnections: [1, 1_000_000],
    maxConnectionsPerIp: [1, 1_000_000],
    maxConnectionsPerToken: [1, 100_000],
    authTimeoutMs: [100, 120_000],
    maxUnauthenticatedPerIp: [1, 100_000],
    invalidTokensPerIpPerMinute: [1, 1_000_000],
    maxLifetimeMs: [1000, 7 * 24 * 3600 * 1000],
  },
};

/** Result of {@link parseGatewayLimits}. @public */
export type GatewayLimitsParse =
  | { ok: true; limits: GatewayLimits }
  | { ok: false; problems: string[] };

/**
 * Validates limits (e.g. from Redis or an admin form): unknown sections or
 * fields, non-integers and out-of-range values are problems; missing fields
 * take the defaults.
 *
 * @public
 */
export function parseGatewayLimits(input: unknown): GatewayLimitsParse {
  const problems: string[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: ['limits must be an object'] };
  }
  const out: any = {
    http: { ...DEFAULT_GATEWAY_LIMITS.http },
    tcp: { ...DEFAULT_GATEWAY_LIMITS.tcp },
  };
  for (const [section, value] of Object.entries(input)) {
    const bounds = BOUNDS[section];
    if (!bounds) {
      problems.push(`${section}: unknown section`);
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${section}: must be an object`);
      continue;
    }
    for (const [field, v] of Object.entries(value)) {
      const range = bounds[field];
      if (!range) {
        problems.push(`${section}.${field}: unknown field`);
      } else if (typeof v !== 'number' || !Number.isInteger(v)) {
        problems.push(`${section}.${field}: must be an integer`);
      } else if (v < range[0] || v > range[1]) {
        problems.push(
          `${section}.${field}: must be between ${range[0]} and ${range[1]}`,
        );
      } else {
        out[section][field] = v;
      }
    }
  }
  if (out.http.perTokenBurst < out.http.perTokenRps)
    problems.push('http.perTokenBurst: must be at least perTokenRps');
  if (out.http.perIpBurst < out.http.perIpRps)
    problems.push('http.perIpBurst: must be at least perIpRps');
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, limits: out as GatewayLimits };
}
