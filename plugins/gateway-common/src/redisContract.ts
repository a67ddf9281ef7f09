/**
 * What the gateway and gateway-admin exchange through Redis. gateway-admin
 * writes limits and revocations (its database is the source of truth) and
 * publishes a change event; every gateway replica reads them at start, on
 * each event, and on a periodic resync, and reports its live connections.
 *
 * @public
 */
export const GATEWAY_REDIS = Object.freeze({
  /** String: JSON {@link GatewayLimits}. */
  limitsKey: 'flagstage:gateway:limits',
  /** Hash: field {@link revocationField} → JSON {@link GatewayRevocation}. */
  revocationsKey: 'flagstage:gateway:revocations',
  /**
   * Sorted set: instance id → Unix ms until which every gateway refuses its
   * tokens. The deployment plugin adds an instance when it stops or expires
   * (and drops entries whose time has passed); gateways read it with the
   * revocations, on the `revocations` change event.
   */
  stoppedInstancesKey: 'flagstage:gateway:stopped-instances',
  /**
   * String per link token traded for a cookie (`SET NX` with the token's
   * expiry), so a link token opens an instance once across replicas.
   */
  usedLinkKeyPrefix: 'flagstage:gateway:used-link:',
  /** Pub/sub channel: JSON {@link GatewayChangeEvent}. */
  changesChannel: 'flagstage:gateway:changes',
  /** String per replica: JSON {@link GatewayConnectionsReport}, with a TTL. */
  connectionsKeyPrefix: 'flagstage:gateway:connections:',
  /** How often replicas report, and how long a report lives. */
  reportIntervalMs: 5000,
  reportTtlSeconds: 15,
});

/** Scopes a revocation can target. @public */
export const GATEWAY_REVOCATION_SCOPES = ['instance', 'team', 'token'] as const;

/** What a revocation targets: an instance id, a team id, or a token id. @public */
export type GatewayRevocationScope = (typeof GATEWAY_REVOCATION_SCOPES)[number];

/** One revocation; `value` is an instance id, a team id, or a {@link gatewayTokenId}. @public */
export type GatewayRevocation = {
  scope: GatewayRevocationScope;
  value: string;
  reason?: string;
  /** ISO time it was made. */
  at: string;
  /** Who made it (a Backstage user entity ref). */
  by?: string;
};

/** The field a revocation is stored under in the revocations hash. @public */
export function revocationField(
  scope: GatewayRevocationScope,
  value: string,
): string {
  return `${scope}:${value}`;
}

/** Published on {@link GATEWAY_REDIS}.changesChannel after a change. @public */
export type GatewayChangeEvent = { type: 'limits' } | { type: 'revocations' };

/** One live connection (or HTTP session's recent activity) a replica reports. @public */
export type GatewayLiveConnection = {
  id: string;
  proto: 'http' | 'tcp' | 'ws-tcp' | 'ws';
  iid: string;
  team: string;
  chal: string;
  clientIp: string;
  tokenId: string;
  /** ISO time it opened. */
  since: string;
  bytesIn: number;
  bytesOut: number;
};

/** A replica's report. @public */
export type GatewayConnectionsReport = {
  replica: string;
  at: string;
  connections: GatewayLiveConnection[];
};

/**
 * When Redis is unreachable, a gateway keeps the last limits it knew. For
 * revocations it either keeps enforcing the last known list and accepts
 * everything else (`open`, the default: contests keep running) or refuses
 * every new connection (`closed`).
 *
 * @public
 */
export type RevocationFailureMode = 'open' | 'closed';
