import type { InstanceState } from './instanceStates';

/**
 * How a contestant reaches a RUNNING instance. Holds a gateway token: it is
 * returned only to services acting for the instance's team, never logged.
 *
 * @public
 */
export type InstanceAccess =
  | { protocol: 'http'; url: string; expiresAt: string }
  | {
      protocol: 'tcp';
      token: string;
      host: string;
      port: number;
      /** `nc` with the token as the first line. */
      command: string;
      /** The same over WebSocket, for networks that only let HTTP out. */
      websocketCommand: string;
      expiresAt: string;
    };

/**
 * An instance as the deployment API returns it: no secrets; `access` only
 * for services acting for the team (`?access=true`).
 *
 * @public
 */
export type InstanceView = {
  id: string;
  contestId: string;
  teamId: string;
  /** Full entity ref of the challenge, `challenge:default/name`. */
  challengeRef: string;
  /** The challenge's name. */
  challenge: string;
  state: InstanceState;
  failureReason: string | null;
  protocol: 'http' | 'tcp';
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  extendCount: number;
  /** When it may be extended (ISO), while RUNNING and extensions remain. */
  extendableFrom: string | null;
  access?: InstanceAccess;
};

/**
 * One page of `GET /instances`, newest first. Pass `nextCursor` back as
 * `cursor` for the next page; null on the last page.
 *
 * @public
 */
export type InstancePage = { items: InstanceView[]; nextCursor: string | null };

/** One node of an Argo workflow (a step or task), as the portal shows it. @public */
export type WorkflowNodeStatus = {
  name: string;
  displayName: string;
  type: string;
  phase: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
};

/**
 * The start workflow of an instance (Kubernetes driver): its phase and node
 * statuses as last observed by the worker.
 *
 * @public
 */
export type WorkflowStatus = {
  name: string;
  phase: string;
  message?: string;
  nodes: WorkflowNodeStatus[];
  observedAt: string;
};
