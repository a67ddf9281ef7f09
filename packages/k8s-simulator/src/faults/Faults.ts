/** Chooses the workflows a fault applies to. */
export type WorkflowMatch = (workflow: any) => boolean;

/** The pod faults, in the order they are checked. */
export type PodFault = 'imagePullError' | 'stuckPending' | 'crash';

const POD_FAULTS: PodFault[] = ['imagePullError', 'stuckPending', 'crash'];

const everyWorkflow: WorkflowMatch = () => true;

/**
 * The fault injection API (`sim.faults`) and the state it sets, read by the
 * HTTP layer (errors, delays) and the workflow controller (pod and build
 * faults). `expireWatchHistory` is handed in: it reaches the store and the
 * open watches.
 */
export class Faults {
  /** The fraction (0..1) of requests answered 500. */
  errorRate = 0;
  /** How long every request waits before it is answered. */
  delayMs = 0;
  private podFaults: Record<PodFault, WorkflowMatch[]> = {
    imagePullError: [],
    stuckPending: [],
    crash: [],
  };
  private buildFailures: WorkflowMatch[] = [];
  private deadlines: Array<{ match: WorkflowMatch; ms: number }> = [];

  constructor(private readonly onExpireWatchHistory: () => void) {}

  /** Challenge pods of matching workflows fail to pull their image. */
  imagePullError = (match: WorkflowMatch = everyWorkflow) =>
    void this.podFaults.imagePullError.push(match);

  /** Challenge pods of matching workflows stay Pending with no reason. */
  stuckPending = (match: WorkflowMatch = everyWorkflow) =>
    void this.podFaults.stuckPending.push(match);

  /**
   * The challenge container of matching workflows exits with code 1. As a
   * kubelet does: under `restartPolicy: Never` (the challenge Job) the pod
   * ends phase Failed with the container's terminated state; under `Always`
   * it is restarted into CrashLoopBackOff.
   */
  crash = (match: WorkflowMatch = everyWorkflow) =>
    void this.podFaults.crash.push(match);

  /**
   * The Jobs of matching workflows reach their activeDeadlineSeconds after
   * `ms` instead (the worker never asks for less than 60 s).
   */
  jobDeadline = (ms: number, match: WorkflowMatch = everyWorkflow) =>
    void this.deadlines.push({ match, ms });

  /** Matching build-challenge workflows fail (Kaniko could not build). */
  buildFailure = (match: WorkflowMatch = everyWorkflow) =>
    void this.buildFailures.push(match);

  /** This fraction (0..1) of requests, watches included, is answered 500. */
  apiErrors = (rate: number) => {
    this.errorRate = rate;
  };

  /** Every request waits this long before it is answered. */
  slowResponses = (ms: number) => {
    this.delayMs = ms;
  };

  /**
   * Forgets the watch history: the next watch resuming from any version
   * older than now gets 410 Expired, and open watches are closed (as an API
   * server compaction and restart would), so informers must relist.
   */
  expireWatchHistory = () => this.onExpireWatchHistory();

  /** Removes every fault: pod faults apply only to workflows created later. */
  clear = () => {
    this.errorRate = 0;
    this.delayMs = 0;
    this.podFaults = { imagePullError: [], stuckPending: [], crash: [] };
    this.buildFailures = [];
    this.deadlines = [];
  };

  /** Whether this request should be answered with an injected 500. */
  failsNow(): boolean {
    return this.errorRate > 0 && Math.random() < this.errorRate;
  }

  /** Whether a build workflow should fail. */
  buildFails(workflow: any): boolean {
    return this.buildFailures.some(m => m(workflow));
  }

  /** When a workflow's Job reaches its deadline: the injected one, else its own. */
  jobDeadlineMs(workflow: any, activeDeadlineSeconds: number): number {
    const injected = this.deadlines.find(d => d.match(workflow));
    return injected ? injected.ms : activeDeadlineSeconds * 1000;
  }

  /** The pod fault that applies to a workflow, if any. */
  podFaultFor(workflow: any): PodFault | undefined {
    return POD_FAULTS.find(kind => this.podFaults[kind].some(m => m(workflow)));
  }
}
