/**
 * JSON shapes of the gateway-admin API (`/api/gateway-admin`). Revocations
 * and live connections are the gateway contract's own types, from
 * `@flagstage/plugin-gateway-common`.
 */
import type {
  GatewayLiveConnection,
  GatewayRevocation,
  GatewayRevocationScope,
} from '@flagstage/plugin-gateway-common';

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

/** `GET /revocations`. @public */
export type GatewayRevocationsResponse = GatewayPublishState & {
  items: GatewayRevocation[];
};

/** Body of `POST /revocations`. @public */
export type GatewayRevokeRequest = {
  scope: GatewayRevocationScope;
  value: string;
  reason?: string;
};

/** `POST /revocations` (201). @public */
export type GatewayRevokeResponse = GatewayPublishState & {
  revocation: GatewayRevocation;
};

/** `DELETE /revocations/:scope/:value`. @public */
export type GatewayUnrevokeResponse = GatewayPublishState & {
  deleted: GatewayRevocation;
};

/**
 * One live connection, with the gateway replica reporting it. `proto` is
 * kept as reported (a newer replica may report a protocol this build does
 * not know).
 *
 * @public
 */
export type GatewayConnectionItem = Omit<GatewayLiveConnection, 'proto'> & {
  proto: string;
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
  instances: Array<
    GatewayTalker & Pick<GatewayLiveConnection, 'iid' | 'team' | 'chal'>
  >;
};

/** `GET /health` (unauthenticated). @public */
export type GatewayAdminHealth = {
  status: 'ok';
  redis: 'disabled' | 'up' | 'down';
};
