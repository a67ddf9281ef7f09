import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  GatewayConnectionsResponse,
  GatewayLimitsDocument,
  GatewayLimitsResponse,
  GatewayRevocationsResponse,
  GatewayRevokeRequest,
  GatewayRevokeResponse,
  GatewayTopTalkersResponse,
  GatewayUnrevokeResponse,
} from '@flagstage/plugin-gateway-admin-common';
import type { GatewayRevocationScope } from '@flagstage/plugin-gateway-common';

/** The gateway-admin backend, as the portal uses it. @public */
export interface GatewayAdminApi {
  getLimits(): Promise<GatewayLimitsResponse>;
  updateLimits(
    limits: GatewayLimitsDocument,
    baseVersion?: number,
  ): Promise<GatewayLimitsResponse>;
  listRevocations(): Promise<GatewayRevocationsResponse>;
  revoke(request: GatewayRevokeRequest): Promise<GatewayRevokeResponse>;
  unrevoke(
    scope: GatewayRevocationScope,
    value: string,
  ): Promise<GatewayUnrevokeResponse>;
  getConnections(filter?: {
    instance?: string;
    team?: string;
  }): Promise<GatewayConnectionsResponse>;
  getTopTalkers(limit?: number): Promise<GatewayTopTalkersResponse>;
}

/** @public */
export const gatewayAdminApiRef = createApiRef<GatewayAdminApi>({
  id: 'plugin.gateway-admin.api',
});
