import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { HealthCheck } from './health';

/**
 * Lets backend modules add dependency checks to the observability plugin's
 * `/health` and `/readyz` (e.g. the deployment job queue, from the package
 * that owns it), so the observability plugin depends on nobody's services.
 *
 * @public
 */
export interface HealthChecksExtensionPoint {
  addHealthCheck(...checks: HealthCheck[]): void;
}

/**
 * The observability plugin's extension point for dependency checks.
 *
 * @public
 */
export const healthChecksExtensionPoint =
  createExtensionPoint<HealthChecksExtensionPoint>({
    id: 'observability.health-checks',
  });
