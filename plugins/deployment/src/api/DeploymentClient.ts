import { DeploymentApiClient } from '@flagstage/plugin-deployment-common';
import type { DeploymentApi } from './DeploymentApi';

/**
 * Talks to `/api/deployment` with the signed-in user's token: the shared
 * DeploymentApiClient of `@flagstage/plugin-deployment-common`, built with
 * the portal's `{ discoveryApi, fetchApi }`. Non-2xx answers throw a
 * ResponseError carrying the backend's error.
 *
 * @public
 */
export class DeploymentClient
  extends DeploymentApiClient
  implements DeploymentApi {}
