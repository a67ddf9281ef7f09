import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { PluginApiFetch, queryString } from '@flagstage/plugin-flagstage-react';
import type { GatewayAdminApi } from './GatewayAdminApi';

/**
 * Talks to `/api/gateway-admin` with the signed-in user's token (fetchApi).
 * Non-2xx answers throw a ResponseError carrying the backend's error. Each
 * method takes its types from {@link GatewayAdminApi}.
 *
 * @public
 */
export class GatewayAdminClient implements GatewayAdminApi {
  private readonly http: PluginApiFetch;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = new PluginApiFetch('gateway-admin', options);
  }

  getLimits: GatewayAdminApi['getLimits'] = () => this.http.json('/limits');

  updateLimits: GatewayAdminApi['updateLimits'] = (limits, baseVersion) =>
    this.http.json('/limits', {
      method: 'PUT',
      body: { limits, ...(baseVersion !== undefined ? { baseVersion } : {}) },
    });

  listRevocations: GatewayAdminApi['listRevocations'] = () =>
    this.http.json('/revocations');

  revoke: GatewayAdminApi['revoke'] = request =>
    this.http.json('/revocations', { method: 'POST', body: request });

  unrevoke: GatewayAdminApi['unrevoke'] = (scope, value) =>
    this.http.json(
      `/revocations/${encodeURIComponent(scope)}/${encodeURIComponent(value)}`,
      { method: 'DELETE' },
    );

  getConnections: GatewayAdminApi['getConnections'] = (filter = {}) =>
    this.http.json(
      `/connections${queryString({
        instance: filter.instance,
        team: filter.team,
      })}`,
    );

  getTopTalkers: GatewayAdminApi['getTopTalkers'] = (limit = 10) =>
    this.http.json(`/top-talkers?limit=${limit}`);
}
