import {
  DEFAULT_GATEWAY_LIMITS,
  parseGatewayLimits,
  type GatewayLimits,
  type RevocationFailureMode,
} from '@flagstage/plugin-gateway-common';
import {
  parseGatewayKeys,
  type GatewayKey,
} from '@flagstage/plugin-gateway-node';

/** Everything the gateway is configured with. */
export type GatewayConfig = {
  /** Where HTTP, WebSocket and TCP-over-WebSocket are served. Default 0.0.0.0:8080. */
  httpHost: string;
  httpPort: number;
  /** Raw TCP listener (first line: the token). Default 0.0.0.0:8081. */
  tcpHost: string;
  tcpPort: number;
  /** /healthz, /readyz, /metrics. Default 0.0.0.0:9090. */
  adminHost: string;
  adminPort: number;
  /** Instances are served at `<instance id>.<domain>`. Default `gateway.localhost`. */
  domain: string;
  /** Set `Secure` on the access cookie (the gateway is reached over https). Default false. */
  secureCookies: boolean;
  /** Take the client IP from the first X-Forwarded-For hop (behind a trusted load balancer). Default false. */
  trustProxy: boolean;
  /** Verification keys (`kid:base64secret` pairs). */
  keys: GatewayKey[];
  /** Limits used until (or without) Redis. */
  limits: GatewayLimits;
  /** Optional Redis for limits, revocations and live-connection reports. */
  redisUrl?: string;
  /** Prefix for every Redis key and channel (must match gateway-admin). Default ''. */
  redisKeyPrefix: string;
  revocationFailureMode: RevocationFailureMode;
  /** Name of this replica in reports and logs. Default: the host name. */
  replica: string;
  /** Seconds to let connections finish on shutdown. Default 20. */
  drainSeconds: number;
  /** Idle time before a client's keep-alive connection closes. Default 5000 ms. */
  keepAliveTimeoutMs: number;
  /** Time a client has to send request headers. Default 10000 ms. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request. Default 60000 ms. */
  requestTimeoutMs: number;
  /** Upstream: time to response headers / between body chunks. Default 30000 ms. */
  upstreamTimeoutMs: number;
};

function int(value: string | undefined, fallback: number, name: string) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer`);
  return n;
}

/** Reads the configuration from the environment (see README). */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  let limits = DEFAULT_GATEWAY_LIMITS;
  if (env.GATEWAY_LIMITS) {
    const parsed = parseGatewayLimits(JSON.parse(env.GATEWAY_LIMITS));
    if (!parsed.ok)
      throw new Error(`GATEWAY_LIMITS: ${parsed.problems.join('; ')}`);
    limits = parsed.limits;
  }
  const mode = env.GATEWAY_REVOCATION_FAILURE_MODE ?? 'open';
  if (mode !== 'open' && mode !== 'closed')
    throw new Error('GATEWAY_REVOCATION_FAILURE_MODE must be open or closed');
  const keys = parseGatewayKeys(env.GATEWAY_KEYS);
  if (keys.length === 0)
    throw new Error('GATEWAY_KEYS is required (kid:base64secret,…)');
  return {
    httpHost: env.GATEWAY_HTTP_HOST ?? '0.0.0.0',
    httpPort: int(env.GATEWAY_HTTP_PORT, 8080, 'GATEWAY_HTTP_PORT'),
    tcpHost: env.GATEWAY_TCP_HOST ?? '0.0.0.0',
    tcpPort: int(env.GATEWAY_TCP_PORT, 8081, 'GATEWAY_TCP_PORT'),
    adminHost: env.GATEWAY_ADMIN_HOST ?? '0.0.0.0',
    adminPort: int(env.GATEWAY_ADMIN_PORT, 9090, 'GATEWAY_ADMIN_PORT'),
    domain: (env.GATEWAY_DOMAIN ?? 'gateway.localhost').toLowerCase(),
    secureCookies: env.GATEWAY_SECURE_COOKIES === 'true',
    trustProxy: env.GATEWAY_TRUST_PROXY === 'true',
    keys,
    limits,
    redisUrl: env.GATEWAY_REDIS_URL || undefined,
    redisKeyPrefix: env.GATEWAY_REDIS_KEY_PREFIX ?? '',
    revocationFailureMode: mode,
    replica: env.GATEWAY_REPLICA ?? env.HOSTNAME ?? 'gateway',
    drainSeconds: int(env.GATEWAY_DRAIN_SECONDS, 20, 'GATEWAY_DRAIN_SECONDS'),
    keepAliveTimeoutMs: int(
      env.GATEWAY_KEEPALIVE_TIMEOUT_MS,
      5000,
      'GATEWAY_KEEPALIVE_TIMEOUT_MS',
    ),
    headersTimeoutMs: int(
      env.GATEWAY_HEADERS_TIMEOUT_MS,
      10_000,
      'GATEWAY_HEADERS_TIMEOUT_MS',
    ),
    requestTimeoutMs: int(
      env.GATEWAY_REQUEST_TIMEOUT_MS,
      60_000,
      'GATEWAY_REQUEST_TIMEOUT_MS',
    ),
    upstreamTimeoutMs: int(
      env.GATEWAY_UPSTREAM_TIMEOUT_MS,
      30_000,
      'GATEWAY_UPSTREAM_TIMEOUT_MS',
    ),
  };
}
