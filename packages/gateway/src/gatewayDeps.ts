import type { GatewayConfig } from './config';
import type { AccessControl } from './accessControl';
import type { AccessLog } from './accessLog';
import type { ConnectionCaps } from './connectionCaps';
import type { GatewayMetrics } from './metrics';
import type { LiveConnections } from './liveConnections';
import type { TokenBuckets } from './tokenBucket';
import type { UpstreamPools } from './upstreamPools';
import type { LinkTokenLedger } from './linkTokens';

/** What the gateway's listeners share: configuration, policy, limiters, log, metrics. */
export type GatewayDeps = {
  config: GatewayConfig;
  access: AccessControl;
  perToken: TokenBuckets;
  perIp: TokenBuckets;
  /** Invalid TCP token lines per client IP. */
  invalidTokens: TokenBuckets;
  caps: ConnectionCaps;
  log: AccessLog;
  metrics: GatewayMetrics;
  live: LiveConnections;
  pools: UpstreamPools;
  links: LinkTokenLedger;
  isDraining: () => boolean;
};
