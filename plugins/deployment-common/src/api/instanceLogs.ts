/*
 * The log views of an instance (the observability plugin's
 * `/logs/workflows/:id` and `/logs/pods/:id`): the observability backend reads
 * them from Kubernetes, the portal shows them. Both sides already depend on
 * this package, so the shapes live here once.
 */

/** Logs of one container. @public */
export type ContainerLog = {
  pod: string;
  container: string;
  /** The pod's phase when it was read (Pending, Running, Succeeded, Failed). */
  phase?: string;
  log: string;
};

/** The pod logs of an instance's Argo start workflow. @public */
export type WorkflowLogs = {
  workflow: string;
  namespace: string;
  /** One per step pod, oldest first; empty when the pods are gone (or never ran). */
  pods: ContainerLog[];
};

/** The challenge pod's log of an instance. @public */
export type PodLogs = ContainerLog & { namespace: string };

/** Options of a pod log read. @public */
export type PodLogOptions = {
  /** Last lines only. */
  tailLines?: number;
  /** Lines of the last seconds only (the challenge pod). */
  sinceSeconds?: number;
};
