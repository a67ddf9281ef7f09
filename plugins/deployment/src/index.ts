/**
 * Portal pages for challenge instances: the list with live states, the
 * deploy queue, stop and extend, and each instance's timeline and output.
 *
 * @packageDocumentation
 */
export {
  default,
  challengeBuildsCard,
  deploymentApi,
  instancesPage,
} from './plugin';
export { deploymentApiRef, DeploymentClient } from './api';
export type { DeploymentApi } from './api';
export { instanceRouteRef, rootRouteRef } from './routes';
