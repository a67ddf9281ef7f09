import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  BuildView,
  InstanceFilter,
  InstanceOutputLine,
  InstancePage,
  InstanceTransition,
  InstanceView,
  QueueSummary,
  WorkflowStatus,
} from '@flagstage/plugin-deployment-common';

/**
 * The deployment backend, as the portal uses it (the request and response
 * types are in `@flagstage/plugin-deployment-common`).
 *
 * @public
 */
export interface DeploymentApi {
  listInstances(filter?: InstanceFilter): Promise<InstancePage>;
  getInstance(id: string): Promise<InstanceView>;
  stopInstance(id: string): Promise<InstanceView>;
  extendInstance(id: string): Promise<InstanceView>;
  getTransitions(id: string): Promise<{ items: InstanceTransition[] }>;
  getOutput(
    id: string,
    tail?: number,
  ): Promise<{ items: InstanceOutputLine[] }>;
  /** The start workflow (Kubernetes driver); null with the local driver or before the first report. */
  getWorkflow(id: string): Promise<{ workflow: WorkflowStatus | null }>;
  getQueue(): Promise<QueueSummary>;
  /** A challenge's image builds, newest first (at most 20). */
  listBuilds(challengeRef: string): Promise<{ items: BuildView[] }>;
  /**
   * Queues a build of a challenge's image (202, QUEUED). Refused with 409
   * while one of the challenge's builds is QUEUED or RUNNING, 400 when the
   * challenge has no `spec.runtime.build`.
   */
  startBuild(challengeRef: string): Promise<BuildView>;
}

/** @public */
export const deploymentApiRef = createApiRef<DeploymentApi>({
  id: 'plugin.deployment.api',
});
