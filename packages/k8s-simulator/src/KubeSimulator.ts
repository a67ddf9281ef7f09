import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { WorkflowController } from './controllers/WorkflowController';
import { Faults, type PodFault } from './faults/Faults';
import { KubeApiHandler } from './http/KubeApiHandler';
import type { Kind } from './kinds';
import { notFound } from './KubeSimulatorError';
import { ObjectStore } from './store/ObjectStore';
import { PodLogStore } from './store/PodLogStore';
import { WatchHub } from './watch/WatchHub';

export type { Kind } from './kinds';
export { KubeSimulatorError } from './KubeSimulatorError';

/** Options of {@link KubeSimulator.start}. */
export type KubeSimulatorOptions = {
  /** Time from a challenge pod's creation to Ready. Default: 200 ms */
  podReadyDelayMs?: number;
  /** Where Workflows run. Default: argo */
  workflowNamespace?: string;
  /** Watch events kept per kind for resuming watches; older versions get 410. Default: 1000 */
  historyLimit?: number;
  /**
   * How long a start-challenge workflow stays Running after creating its
   * objects, as Argo's pods take time (benchmarks of the workflow budget).
   * Default: 0 (it succeeds at once)
   */
  workflowDurationMs?: number;
  /** How long a deleted namespace stays Terminating before its content goes. Default: 20 ms */
  namespaceTerminationMs?: number;
};

/** `sim.faults`: what tests may inject (see {@link Faults}). */
export type FaultInjection = Pick<
  Faults,
  | 'imagePullError'
  | 'stuckPending'
  | 'crash'
  | 'buildFailure'
  | 'jobDeadline'
  | 'apiErrors'
  | 'slowResponses'
  | 'expireWatchHistory'
  | 'clear'
>;

/**
 * A Kubernetes API simulator for tests — not a runtime. It speaks the REST
 * and watch protocol of the API server for the resources Flagstage uses, so
 * the real @kubernetes/client-node code talks to it over HTTP, and it runs
 * simulated controllers: a `start-challenge` Workflow materialises its
 * namespace, network policy, service, job and pod, and the pod goes Pending →
 * Running → Ready. Faults can be injected. No container ever runs.
 *
 * This class wires the parts: the object store (`store/`), the REST routing
 * (`http/`), watches (`watch/`), patches (`patch/`), faults (`faults/`) and
 * the workflow controller (`controllers/`).
 */
export class KubeSimulator {
  /**
   * Every HTTP request served, in order, with its status (500 for injected
   * errors). Watches are recorded with method `WATCH`; `path` includes the
   * query string.
   */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly store: ObjectStore;
  private readonly watches: WatchHub;
  private readonly podLogs = new PodLogStore();
  private readonly faultState: Faults;
  private readonly controller: WorkflowController;
  private server!: http.Server;
  private baseUrl = '';

  /** The fault injection API. */
  readonly faults: FaultInjection;

  /** The server's base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  private constructor(readonly options: Required<KubeSimulatorOptions>) {
    this.store = new ObjectStore(
      options.historyLimit,
      {
        onEvent: (kind, event) => this.watches.broadcast(kind, event),
        onCreated: (kind, obj) => {
          if (kind === 'workflows') this.controller.onCreated(obj);
        },
        onDeleted: (kind, obj) => {
          if (kind === 'pods') this.podLogs.delete(obj.metadata.uid);
        },
      },
      options.namespaceTerminationMs,
    );
    this.watches = new WatchHub(this.store);
    this.faultState = new Faults(() => {
      this.store.expireHistory();
      this.watches.closeAll();
    });
    this.faults = this.faultState;
    this.controller = new WorkflowController(this);
  }

  /** Starts the simulator on a free port of 127.0.0.1. */
  static async start(
    options: KubeSimulatorOptions = {},
  ): Promise<KubeSimulator> {
    const sim = new KubeSimulator({
      podReadyDelayMs: options.podReadyDelayMs ?? 200,
      workflowNamespace: options.workflowNamespace ?? 'argo',
      historyLimit: options.historyLimit ?? 1000,
      workflowDurationMs: options.workflowDurationMs ?? 0,
      namespaceTerminationMs: options.namespaceTerminationMs ?? 20,
    });
    sim.create('namespaces', {
      metadata: { name: sim.options.workflowNamespace },
    });
    sim.create('namespaces', { metadata: { name: 'default' } });
    const handler = new KubeApiHandler({
      store: sim.store,
      watches: sim.watches,
      faults: sim.faultState,
      podLogs: sim.podLogs,
      record: entry => sim.requests.push(entry),
    });
    sim.server = http.createServer((req, res) => handler.serve(req, res));
    sim.server.keepAliveTimeout = 1000;
    await new Promise<void>(resolve =>
      sim.server.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = sim.server.address() as AddressInfo;
    sim.baseUrl = `http://127.0.0.1:${port}`;
    return sim;
  }

  /** A kubeconfig for the real client: plain HTTP needs skipTLSVerify in client-node 2.x. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'simulator', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'simulator', token: 'simulator-token' }],
      contexts: [
        { name: 'simulator', cluster: 'simulator', user: 'simulator' },
      ],
      currentContext: 'simulator',
    });
    return kc;
  }

  /**
   * Backstage's `kubernetes` config block declaring this simulator as the
   * cluster `name` (any token is accepted), for app configs whose Flagstage
   * processes name their cluster (`deploymentWorker.kubernetes.cluster`).
   */
  kubernetesConfig(name = 'simulator', token = 'simulator-token') {
    return {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name,
              url: this.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: token,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    };
  }

  /** Ends every watch, stops the controllers and closes the server. */
  async close(): Promise<void> {
    this.controller.stop();
    this.watches.closeAll();
    this.server.closeAllConnections?.();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Whether a build workflow should fail (used by the simulated controller). */
  buildFails(workflow: any): boolean {
    return this.faultState.buildFails(workflow);
  }

  /** When a workflow's Job reaches its deadline (used by the simulated controller). */
  jobDeadlineMs(workflow: any, activeDeadlineSeconds: number): number {
    return this.faultState.jobDeadlineMs(workflow, activeDeadlineSeconds);
  }

  /** The pod fault that applies to a workflow, if any (used by the simulated controller). */
  podFaultFor(workflow: any): PodFault | undefined {
    return this.faultState.podFaultFor(workflow);
  }

  /**
   * Sets what `GET /api/v1/namespaces/{ns}/pods/{name}/log` answers for a pod
   * (all its containers, or only `container`). The log belongs to this pod
   * object: a pod deleted and created again under the same name starts with
   * an empty log, as on a real node. 404 {@link KubeSimulatorError} if the pod
   * does not exist.
   */
  setPodLog(
    namespace: string,
    name: string,
    text: string,
    container?: string,
  ): void {
    const pod = this.store.get('pods', namespace, name);
    if (!pod) throw notFound('pods', name);
    this.podLogs.set(pod.metadata.uid, text, container);
  }

  // ---- direct state access (no HTTP) ------------------------------------------

  /** An object by name (a copy), without HTTP; `namespace` is ignored for namespaces. */
  get(
    kind: Kind,
    namespace: string | undefined,
    name: string,
  ): any | undefined {
    return this.store.get(kind, namespace, name);
  }

  /** Objects of a kind (copies), optionally in one namespace and matching a label selector. */
  list(
    kind: Kind,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): any[] {
    return this.store.list(kind, opts);
  }

  /**
   * Creates an object as the API would and emits ADDED; a Workflow starts the
   * simulated controller. Throws {@link KubeSimulatorError} as the API would
   * answer: 409 if it exists, 404 without its namespace, 403 while that
   * namespace terminates, 422 for a bad name.
   */
  create(kind: Kind, input: any): any {
    return this.store.create(kind, input);
  }

  /**
   * Applies a JSON merge patch (RFC 7386) to an object and emits MODIFIED;
   * 404 {@link KubeSimulatorError} if it does not exist. Name, namespace and
   * uid cannot change.
   */
  patch(
    kind: Kind,
    namespace: string | undefined,
    name: string,
    patch: any,
  ): any {
    return this.store.mergePatch(kind, namespace, name, patch);
  }

  /**
   * Deletes an object. A namespace goes Terminating, then everything in it
   * is deleted, then the namespace itself. Returns false if it did not exist.
   */
  delete(kind: Kind, namespace: string | undefined, name: string): boolean {
    return this.store.delete(kind, namespace, name);
  }
}
