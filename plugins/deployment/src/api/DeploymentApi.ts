import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  BuildStatus,
  BuildView,
  InstancePage,
  InstanceState,
  InstanceView,
  WorkflowStatus,
} from '@flagstage/plugin-deployment-common';

export type {
  BuildStatus,
  BuildView,
  InstancePage,
  InstanceView,
  WorkflowStatus,
};

/** One recorded state change. `from` is null for the first (→ REQUESTED). @public */
export type InstanceTransition = {
  from: InstanceState | null;
  to: InstanceState;
  reason: string | null;
  actor: string | null;
  at: string;
};

/** One captured line of an instance's output. @public */
export type InstanceOutputLine = {
  stream: 'stdout' | 'stderr' | 'driver';
  line: string;
  at: string;
};

/** Deploy queue depth and instance counts per state. @public */
export type QueueSummary = {
  /** Jobs waiting for the worker. */
  ready: number;
  /** Dead letters waiting. */
  dead: number;
  /** Instances per state; states without instances may be missing. */
  instances: Partial<Record<InstanceState, number>>;
};

/** Filters of the instance list; empty values are left out. @public */
export type InstanceFilter = {
  contestId?: string;
  teamId?: string;
  challengeRef?: string;
  states?: InstanceState[];
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
};

/** The deployment backend, as the portal uses it. @public */
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
