import {
  DEFAULT_GATEWAY_LIMITS,
  parseGatewayLimits,
  type GatewayLimits,
  type RevocationFailureMode,
} from '@flagstage/plugin-gateway-common';
import {
  isDevelopmentGatewayKey,
  parseGatewayKeys,
  type GatewayKey,
} from '@flagstage/plugin-gateway-node';
import { parseCidr, type AllowedTargets } from './targetAllowlist';

/** `development` accepts the committed development key and defaults to loopback targets. */
export type GatewayMode = 'development' | 'production';

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
  /** Default `production`: real keys required, instance Services as targets. */
  mode: GatewayMode;
  /** Verification keys (`kid:base64secret` pairs). */
  keys: GatewayKey[];
  /** Where tokens may send the gateway (see targetAllowlist.ts). */
  allowedTargets: AllowedTargets;
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

/** The Kubernetes driver's instance Services: `challenge.fs-<id>.svc.cluster.local`. */
const INSTANCE_SERVICES = '.fs-*.svc.cluster.local';
/** The local driver's ports: the OS's ephemeral range (Linux 32768–60999, others 49152–65535). */
const LOCAL_DRIVER_PORTS: [number, number] = [32768, 65535];

function list(value: string): string[] {
  return value
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);
}

function portRanges(value: string, name: string): Array<[number, number]> {
  return list(value).map(range => {
    const [from, to = from] = range.split('-').map(Number);
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 1 ||
      to > 65535 ||
      from > to
    )
      throw new Error(`${name}: "${range}" is not a port or port-port range`);
    return [from, to];
  });
}

/** The target allowlist from the environment, with the mode's defaults. */
function allowedTargetsFromEnv(
  env: NodeJS.ProcessEnv,
  mode: GatewayMode,
): AllowedTargets {
  const dev = mode === 'development';
  const cidrs = list(env.GATEWAY_ALLOWED_CIDRS ?? '');
  for (const cidr of cidrs) parseCidr(cidr, 'GATEWAY_ALLOWED_CIDRS');
  return {
    cidrs,
    hosts: list(env.GATEWAY_ALLOWED_HOSTS ?? (dev ? '' : INSTANCE_SERVICES)),
    loopbackPorts: portRanges(
      env.GATEWAY_ALLOWED_LOOPBACK_PORTS ??
        (dev ? LOCAL_DRIVER_PORTS.join('-') : ''),
      'GATEWAY_ALLOWED_LOOPBACK_PORTS',
    ),
  };
}

/** Keys from GATEWAY_KEYS: required; the committed development key only in development. */
function keysFromEnv(env: NodeJS.ProcessEnv, mode: GatewayMode): GatewayKey[] {
  const keys = parseGatewayKeys(env.GATEWAY_KEYS);
  if (keys.length === 0)
    throw new Error('GATEWAY_KEYS is required (kid:base64secret,…)');
  const dev = keys.find(isDevelopmentGatewayKey);
  if (dev && mode !== 'development')
    throw new Error(
      `GATEWAY_KEYS: "${dev.kid}" is the development key committed in the repository; generate a real key (openssl rand -base64 32), or set GATEWAY_MODE=development`,
    );
  return keys;
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
  const gatewayMode = env.GATEWAY_MODE ?? 'production';
  if (gatewayMode !== 'development' && gatewayMode !== 'production')
    throw new Error('GATEWAY_MODE must be development or production');
  return {
    mode: gatewayMode,
    keys: keysFromEnv(env, gatewayMode),
    allowedTargets: allowedTargetsFromEnv(env, gatewayMode),
    httpHost: env.GATEWAY_HTTP_HOST ?? '0.0.0.0',
    httpPort: int(env.GATEWAY_HTTP_PORT, 8080, 'GATEWAY_HTTP_PORT'),
    tcpHost: env.GATEWAY_TCP_HOST ?? '0.0.0.0',
    tcpPort: int(env.GATEWAY_TCP_PORT, 8081, 'GATEWAY_TCP_PORT'),
    adminHost: env.GATEWAY_ADMIN_HOST ?? '0.0.0.0',
    adminPort: int(env.GATEWAY_ADMIN_PORT, 9090, 'GATEWAY_ADMIN_PORT'),
    domain: (env.GATEWAY_DOMAIN ?? 'gateway.localhost').toLowerCase(),
    secureCookies: env.GATEWAY_SECURE_COOKIES === 'true',
    trustProxy: env.GATEWAY_TRUST_PROXY === 'true',
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
