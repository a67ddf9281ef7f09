/**
 * JSON shapes of the gateway-admin API (`/api/gateway-admin`). They mirror
 * the Redis contract of `@flagstage/plugin-gateway-common` (a Node-only
 * package the portal cannot import); the backend checks at compile time that
 * the two agree.
 */

/** Scopes a revocation can target. @public */
export const GATEWAY_REVOCATION_SCOPES = ['instance', 'team', 'token'] as const;

/** What a revocation targets: an instance id, a team id, or a token id. @public */
export type GatewayRevocationScopeName =
  (typeof GATEWAY_REVOCATION_SCOPES)[number];

/**
 * Gateway limits as the API carries them: sections (`http`, `tcp`) of
 * integer fields. The defaults returned by `GET /limits` list every field.
 *
 * @public
 */
export type GatewayLimitsDocument = Record<string, Record<string, number>>;

/**
 * Whether the state or the change was written to Redis, where the gateways
 * read it. `false` without Redis configured or while it is unreachable; the
 * warning then says what that means.
 *
 * @public
 */
export type GatewayPublishState = {
  published: boolean;
  warning?: string;
};

/** `GET /limits`, `PUT /limits`. @public */
export type GatewayLimitsResponse = GatewayPublishState & {
  limits: GatewayLimitsDocument;
  defaults: GatewayLimitsDocument;
  /** 0 while no operator has saved limits (the defaults apply). */
  version: number;
  updatedBy?: string;
  updatedAt?: string;
};

/** Body of `PUT /limits`. @public */
export type GatewayLimitsUpdate = {
  /** Missing fields take the defaults. */
  limits: GatewayLimitsDocument;
  /** The version the edit started from; a newer saved version answers 409. */
  baseVersion?: number;
};

/** One saved version of the limits, from `GET /limits/history`. @public */
export type GatewayLimitsVersion = {
  version: number;
  limits: GatewayLimitsDocument;
  updatedBy: string;
  updatedAt: string;
};

/** `GET /limits/history`. @public */
export type GatewayLimitsHistoryResponse = { items: GatewayLimitsVersion[] };

/** A revocation as stored in Redis and returned by the API. @public */
export type GatewayRevocationItem = {
  scope: GatewayRevocationScopeName;
  value: string;
  reason?: string;
  /** ISO time it was made. */
  at: string;
  /** Who made it (a user entity ref). */
  by?: string;
};

/** `GET /revocations`. @public */
export type GatewayRevocationsResponse = GatewayPublishState & {
  items: GatewayRevocationItem[];
};

/** Body of `POST /revocations`. @public */
export type GatewayRevokeRequest = {
  scope: GatewayRevocationScopeName;
  value: string;
  reason?: string;
};

/** `POST /revocations` (201). @public */
export type GatewayRevokeResponse = GatewayPublishState & {
  revocation: GatewayRevocationItem;
};

/** `DELETE /revocations/:scope/:value`. @public */
export type GatewayUnrevokeResponse = GatewayPublishState & {
  deleted: GatewayRevocationItem;
};

/** One live connection, with the gateway replica reporting it. @public */
export type GatewayConnectionItem = {
  id: string;
  proto: string;
  iid: string;
  team: string;
  chal: string;
  clientIp: string;
  tokenId: string;
  since: string;
  bytesIn: number;
  bytesOut: number;
  replica: string;
};

/** A replica whose report was read. @public */
export type GatewayReplicaReport = {
  replica: string;
  /** ISO time of its report. */
  at: string;
  connections: number;
};

/**
 * `GET /connections`. `available` is false without Redis (or while it is
 * unreachable); `note` then says why the list is empty.
 *
 * @public
 */
export type GatewayConnectionsResponse = {
  available: boolean;
  note?: string;
  replicas: GatewayReplicaReport[];
  connections: GatewayConnectionItem[];
};

/** Traffic of a team or an instance, summed over its live connections. @public */
export type GatewayTalker = {
  bytesIn: number;
  bytesOut: number;
  bytes: number;
  connections: number;
};

/** `GET /top-talkers`, ranked by bytes in + out. @public */
export type GatewayTopTalkersResponse = {
  available: boolean;
  note?: string;
  teams: Array<GatewayTalker & { team: string; instances: number }>;
  instances: Array<GatewayTalker & { iid: string; team: string; chal: string }>;
};

/** `GET /health` (unauthenticated). @public */
export type GatewayAdminHealth = {
  status: 'ok';
  redis: 'disabled' | 'up' | 'down';
};
