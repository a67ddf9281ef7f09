/**
 * A real Kubernetes control plane for tests, built from the Go module proxy.
 *
 * @packageDocumentation
 */
export { ControlPlane } from './ControlPlane';
export type { ControlPlaneOptions, KubectlResult } from './ControlPlane';
export type { FaultImages } from './kwokStages';
export type { ExecutedStep } from './executor/ExecutorStandIn';
export { describeWithControlPlane } from './describeWithControlPlane';
export {
  controlPlaneGlobalSetup,
  controlPlaneGlobalTeardown,
  controlPlaneConnection,
  CONTROL_PLANE_ENV,
} from './globalSetup';
export type { ControlPlaneConnection } from './globalSetup';
export {
  ensureTools,
  pinnedVersions,
  toolsBuilt,
  controlPlaneUnavailableReason,
} from './tools';
export type { ControlPlaneTools } from './tools';
