import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
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
import type { GatewayAdminApi } from './GatewayAdminApi';

/**
 * Talks to `/api/gateway-admin` with the signed-in user's token (fetchApi).
 * Non-2xx answers throw a ResponseError carrying the backend's error.
 *
 * @public
 */
export class GatewayAdminClient implements GatewayAdminApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async request<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('gateway-admin');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  getLimits() {
    return this.request<GatewayLimitsResponse>('/limits');
  }

  updateLimits(limits: GatewayLimitsDocument, baseVersion?: number) {
    return this.request<GatewayLimitsResponse>('/limits', {
      method: 'PUT',
      body: { limits, ...(baseVersion !== undefined ? { baseVersion } : {}) },
    });
  }

  listRevocations() {
    return this.request<GatewayRevocationsResponse>('/revocations');
  }

  revoke(request: GatewayRevokeRequest) {
    return this.request<GatewayRevokeResponse>('/revocations', {
      method: 'POST',
      body: request,
    });
  }

  unrevoke(scope: GatewayRevocationScope, value: string) {
    return this.request<GatewayUnrevokeResponse>(
      `/revocations/${encodeURIComponent(scope)}/${encodeURIComponent(value)}`,
      { method: 'DELETE' },
    );
  }

  getConnections(filter: { instance?: string; team?: string } = {}) {
    const query = new URLSearchParams();
    if (filter.instance) query.set('instance', filter.instance);
    if (filter.team) query.set('team', filter.team);
    const qs = query.toString();
    return this.request<GatewayConnectionsResponse>(
      `/connections${qs ? `?${qs}` : ''}`,
    );
  }

  getTopTalkers(limit = 10) {
    return this.request<GatewayTopTalkersResponse>(
      `/top-talkers?limit=${limit}`,
    );
  }
}
