import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { DeploymentApiClient } from '@flagstage/plugin-deployment-common';
import type { DeploymentApi } from './DeploymentApi';

/**
 * Talks to `/api/deployment` with the signed-in user's token (fetchApi):
 * the shared {@link @flagstage/plugin-deployment-common#DeploymentApiClient}
 * with the portal's discovery and fetch APIs. Non-2xx answers throw a
 * ResponseError carrying the backend's error.
 *
 * @public
 */
export class DeploymentClient
  extends DeploymentApiClient
  implements DeploymentApi
{
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super(options);
  }
}
