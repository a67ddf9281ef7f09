/**
 * Flagstage deployment backend: instances, their state and the job publisher.
 *
 * @packageDocumentation
 */
export { deploymentPlugin as default } from './plugin';
export {
  readDeploymentConfig,
  deploymentConfigProblems,
  type DeploymentConfig,
} from './config';
/** The view types live in deployment-common; re-exported for existing importers. */
export type {
  InstanceAccess,
  InstanceView,
} from '@flagstage/plugin-deployment-common';
// The plugin's parts, for the deploy benchmark (bench/deploy), which
// assembles them without a Backstage backend.
export { InstanceStore } from './database/InstanceStore';
export { InstanceService } from './services/InstanceService';
export { createRouter } from './router';
export { Callers } from './router/callers';
