import type { Config } from '@backstage/config';
import { configFromEnv, type GatewayConfig } from './config';

/**
 * The embedded gateway's configuration from the portal backend's config
 * (development): `gateway.embedded.*` (see config.d.ts), the signing keys of
 * `deployment.gateway.keys`, and gateway-admin's Redis so the gateway
 * follows its limits and revocations. Undefined unless
 * `gateway.embedded.enabled` is true.
 */
export function embeddedGatewayConfig(
  config: Config,
): GatewayConfig | undefined {
  const embedded = config.getOptionalConfig('gateway.embedded');
  if (!embedded?.getOptionalBoolean('enabled')) return undefined;
  const keys = (config.getOptionalConfigArray('deployment.gateway.keys') ?? [])
    .map(k => `${k.getString('kid')}:${k.getString('secret')}`)
    .join(',');
  const targets = embedded.getOptionalConfig('allowedTargets');
  const joined = (key: string) =>
    targets?.getOptionalStringArray(key)?.join(',');
  return configFromEnv({
    // The committed development key is accepted unless the backend runs as production.
    GATEWAY_MODE:
      process.env.NODE_ENV === 'production' ? 'production' : 'development',
    GATEWAY_KEYS: keys,
    GATEWAY_ALLOWED_CIDRS: joined('cidrs'),
    GATEWAY_ALLOWED_HOSTS: joined('hosts') ?? '',
    // Default: the local driver's instances (loopback, the OS's ephemeral ports).
    GATEWAY_ALLOWED_LOOPBACK_PORTS: joined('loopbackPorts') ?? '32768-65535',
    GATEWAY_HTTP_HOST: '127.0.0.1',
    GATEWAY_HTTP_PORT: String(embedded.getOptionalNumber('httpPort') ?? 8080),
    GATEWAY_TCP_HOST: '127.0.0.1',
    GATEWAY_TCP_PORT: String(embedded.getOptionalNumber('tcpPort') ?? 8081),
    GATEWAY_ADMIN_HOST: '127.0.0.1',
    GATEWAY_ADMIN_PORT: String(embedded.getOptionalNumber('adminPort') ?? 9091),
    GATEWAY_DOMAIN: embedded.getOptionalString('domain') ?? 'gateway.localhost',
    GATEWAY_REPLICA: 'embedded',
    GATEWAY_REDIS_URL: config.getOptionalString('gatewayAdmin.redis.url') ?? '',
    GATEWAY_REDIS_KEY_PREFIX:
      config.getOptionalString('gatewayAdmin.redis.keyPrefix') ?? '',
    GATEWAY_DRAIN_SECONDS: '1',
  });
}
