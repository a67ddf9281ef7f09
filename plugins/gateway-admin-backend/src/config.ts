import type { Config } from '@backstage/config';

/** gatewayAdmin.* with defaults (see config.d.ts). */
export type GatewayAdminConfig = {
  redis?: { url: string; keyPrefix: string };
  resyncIntervalSeconds: number;
};

export function readGatewayAdminConfig(config: Config): GatewayAdminConfig {
  const url = config.getOptionalString('gatewayAdmin.redis.url');
  const resyncIntervalSeconds =
    config.getOptionalNumber('gatewayAdmin.resyncIntervalSeconds') ?? 30;
  if (!(resyncIntervalSeconds >= 1)) {
    throw new Error('gatewayAdmin.resyncIntervalSeconds must be at least 1');
  }
  return {
    redis: url
      ? {
          url,
          keyPrefix:
            config.getOptionalString('gatewayAdmin.redis.keyPrefix') ?? '',
        }
      : undefined,
    resyncIntervalSeconds,
  };
}
