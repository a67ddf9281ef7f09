export {
  deploymentApiRef,
  type BuildStatus,
  type BuildView,
  type DeploymentApi,
  type InstanceFilter,
  type InstanceOutputLine,
  type InstanceTransition,
  type InstancePage,
  type InstanceView,
  type QueueSummary,
  type WorkflowStatus,
} from './DeploymentApi';
export { DeploymentClient } from './DeploymentClient';
