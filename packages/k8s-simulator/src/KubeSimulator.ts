import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { matchesSelector, parseLabelSelector } from './labelSelector';
import { WorkflowController } from './WorkflowController';

/** The resources the simulator serves. */
export type Kind =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'secrets'
  | 'serviceaccounts'
  | 'jobs'
  | 'networkpolicies'
  | 'workflows';

type KindInfo = {
  group: string; // '' for core
  version: string;
  kind: string;
  namespaced: boolean;
};

const KINDS: Record<Kind, KindInfo> = {
  namespaces: {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    namespaced: false,
  },
  pods: { group: '', version: 'v1', kind: 'Pod', namespaced: true },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true },
  secrets: { group: '', version: 'v1', kind: 'Secret', namespaced: true },
  serviceaccounts: {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    namespaced: true,
  },
  jobs: { group: 'batch', version: 'v1', kind: 'Job', namespaced: true },
  networkpolicies: {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  workflows: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Workflow',
    namespaced: true,
  },
};

const apiVersionOf = (info: KindInfo) =>
  info.group ? `${info.group}/${info.version}` : info.version;

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
};

/**
 * An API error as the simulator answers it: `code` is the HTTP status and
 * `reason` the Kubernetes Status reason (`NotFound`, `AlreadyExists`, …).
 * The direct-access methods (`create`, `patch`) throw it too.
 */
export class KubeSimulatorError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeSimulatorError';
  }
}

type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: any };
type Watcher = {
  kind: Kind;
  namespace?: string;
  selector: ReturnType<typeof parseLabelSelector>;
  fields: FieldRequirement[];
  res: http.ServerResponse;
};
type FieldRequirement = { path: string; value: string; negate: boolean };

/**
 * Bookmarks are sent this often on watches that asked for them (a real API
 * server sends one about every minute). They also keep client-node's 30 s
 * inactivity timeout from firing on a quiet watch.
 */
const BOOKMARK_INTERVAL_MS = 5000;

/**
 * The field selectors the simulator understands: `metadata.name`,
 * `metadata.namespace`, `status.phase` with `=`, `==` or `!=`, joined by
 * commas. Anything else is a 400, as on a real server for an unsupported
 * field label.
 */
function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector) return [];
  return selector
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
    .map(part => {
      const m = part.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
      if (!m)
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `invalid field selector: "${part}"`,
        );
      if (
        !['metadata.name', 'metadata.namespace', 'status.phase'].includes(m[1])
      )
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `field label not supported: ${m[1]}`,
        );
      return { path: m[1], value: m[3].trim(), negate: m[2] === '!=' };
    });
}

function matchesFields(obj: any, fields: FieldRequirement[]): boolean {
  return fields.every(f => {
    const actual = f.path
      .split('.')
      .reduce((o: any, k) => (o === undefined ? undefined : o[k]), obj);
    const equal = String(actual ?? '') === f.value;
    return f.negate ? !equal : equal;
  });
}
type Match = (workflow: any) => boolean;

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

/** RFC 7386 JSON merge patch. */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const out =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch (add, replace, remove, test): client-node's default patch type. */
function jsonPatch(target: any, ops: any[]): any {
  if (!Array.isArray(ops))
    throw new KubeSimulatorError(
      400,
      'BadRequest',
      'a JSON patch is an array of operations',
    );
  const doc = clone(target);
  for (const op of ops) {
    const path = String(op.path ?? '')
      .split('/')
      .slice(1)
      .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (path.length === 0)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        'a JSON patch path cannot be the root',
      );
    let parent = doc;
    for (const token of path.slice(0, -1)) {
      if (parent[token] === undefined) {
        if (op.op !== 'add')
          throw new KubeSimulatorError(
            422,
            'Invalid',
            `path ${op.path} does not exist`,
          );
        parent[token] = {};
      }
      parent = parent[token];
    }
    const last = path[path.length - 1];
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent))
          parent.splice(
            last === '-' ? parent.length : Number(last),
            0,
            op.value,
          );
        else parent[last] = op.value;
        break;
      case 'replace':
        if (!(last in parent))
          throw new KubeSimulatorError(
            422,
            'Invalid',
            `path ${op.path} does not exist`,
          );
        parent[last] = op.value;
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value))
          throw new KubeSimulatorError(
            422,
            'Invalid',
            `test failed at ${op.path}`,
          );
        break;
      default:
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `unsupported patch op ${op.op}`,
        );
    }
  }
  return doc;
}

/**
 * A Kubernetes API simulator for tests — not a runtime. It speaks the REST
 * and watch protocol of the API server for the resources Flagstage uses, so
 * the real @kubernetes/client-node code talks to it over HTTP, and it runs
 * simulated controllers: a `start-challenge` Workflow materialises its
 * namespace, network policy, service, job and pod, and the pod goes Pending →
 * Running → Ready. Faults can be injected. No container ever runs.
 */
export class KubeSimulator {
  /**
   * Every HTTP request served, in order, with its status (500 for injected
   * errors). Watches are recorded with method `WATCH`; `path` includes the
   * query string.
   */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly store = new Map<Kind, Map<string, any>>();
  private readonly history = new Map<
    Kind,
    { rv: number; event: WatchEvent }[]
  >();
  /** Per kind: watches resuming from a version below this get 410 Expired. */
  private readonly oldestResumable = new Map<Kind, number>();
  private readonly watchers = new Set<Watcher>();
  private rv = 1000;
  private errorRate = 0;
  private delayMs = 0;
  private readonly faultSets = {
    imagePullError: [] as Match[],
    stuckPending: [] as Match[],
    crashLoop: [] as Match[],
    buildFailure: [] as Match[],
  };
  private readonly controller: WorkflowController;
  /** Pod logs by pod uid, then container (`*`: every container of the pod). */
  private readonly podLogs = new Map<string, Map<string, string>>();
  private server!: http.Server;
  private baseUrl = '';

  /** The server's base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  private constructor(readonly options: Required<KubeSimulatorOptions>) {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      this.store.set(kind, new Map());
      this.history.set(kind, []);
      this.oldestResumable.set(kind, 0);
    }
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
    });
    sim.create('namespaces', {
      metadata: { name: sim.options.workflowNamespace },
    });
    sim.create('namespaces', { metadata: { name: 'default' } });
    sim.server = http.createServer((req, res) => {
      sim.handle(req, res).catch(e => {
        if (!res.headersSent)
          sim.sendStatus(res, req, 500, 'InternalError', String(e));
      });
    });
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

  /** Ends every watch, stops the controllers and closes the server. */
  async close(): Promise<void> {
    this.controller.stop();
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    this.server.closeAllConnections?.();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  // ---- faults ---------------------------------------------------------------

  readonly faults = {
    /** Challenge pods of matching workflows fail to pull their image. */
    imagePullError: (match: Match = () => true) =>
      void this.faultSets.imagePullError.push(match),
    /** Challenge pods of matching workflows stay Pending with no reason. */
    stuckPending: (match: Match = () => true) =>
      void this.faultSets.stuckPending.push(match),
    /** Challenge pods of matching workflows crash-loop. */
    crashLoop: (match: Match = () => true) =>
      void this.faultSets.crashLoop.push(match),
    /** Matching build-challenge workflows fail (Kaniko could not build). */
    buildFailure: (match: Match = () => true) =>
      void this.faultSets.buildFailure.push(match),
    /** This fraction (0..1) of requests, watches included, is answered 500. */
    apiErrors: (rate: number) => {
      this.errorRate = rate;
    },
    /** Every request waits this long before it is answered. */
    slowResponses: (ms: number) => {
      this.delayMs = ms;
    },
    /**
     * Forgets the watch history: the next watch resuming from any version
     * older than now gets 410 Expired, and open watches are closed (as an API
     * server compaction and restart would), so informers must relist.
     */
    expireWatchHistory: () => {
      for (const kind of this.store.keys()) {
        this.history.set(kind, []);
        this.oldestResumable.set(kind, this.rv);
      }
      for (const w of this.watchers) w.res.end();
      this.watchers.clear();
    },
    /** Removes every fault: pod faults apply only to workflows created later. */
    clear: () => {
      this.errorRate = 0;
      this.delayMs = 0;
      this.faultSets.imagePullError = [];
      this.faultSets.stuckPending = [];
      this.faultSets.crashLoop = [];
      this.faultSets.buildFailure = [];
    },
  };

  /** Whether a build workflow should fail (used by the simulated controller). */
  buildFails(workflow: any): boolean {
    return this.faultSets.buildFailure.some(m => m(workflow));
  }

  /** The pod fault that applies to a workflow, if any (used by the simulated controller). */
  podFaultFor(
    workflow: any,
  ): 'imagePullError' | 'stuckPending' | 'crashLoop' | undefined {
    for (const kind of ['imagePullError', 'stuckPending', 'crashLoop'] as const)
      if (this.faultSets[kind].some(m => m(workflow))) return kind;
    return undefined;
  }

  // ---- pod logs -------------------------------------------------------------------

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
    const pod = this.store.get('pods')!.get(this.key(namespace, name));
    if (!pod)
      throw new KubeSimulatorError(404, 'NotFound', `pods "${name}" not found`);
    const byContainer = this.podLogs.get(pod.metadata.uid) ?? new Map();
    byContainer.set(container ?? '*', text);
    this.podLogs.set(pod.metadata.uid, byContainer);
  }

  /**
   * The `log` subresource of a pod as the API server answers it: text/plain;
   * `container` is required when the pod has several (400 otherwise, as is an
   * unknown one); `tailLines` keeps the last lines and `limitBytes` cuts the
   * answer. `sinceSeconds`, `timestamps`, `previous` and `follow` are accepted
   * and ignored: no container runs, so the simulator keeps no line times.
   */
  private podLog(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    namespace: string | undefined,
    name: string,
    q: URLSearchParams,
  ) {
    const pod = this.get('pods', namespace, name);
    if (!pod)
      throw new KubeSimulatorError(404, 'NotFound', `pods "${name}" not found`);
    const containers: string[] = [
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.containers ?? []),
    ].map((c: { name: string }) => c.name);
    const main: string[] = (pod.spec?.containers ?? []).map(
      (c: { name: string }) => c.name,
    );
    let container = q.get('container') ?? '';
    if (!container) {
      if (main.length !== 1)
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${name}, choose one of: [${main.join(
            ' ',
          )}]`,
        );
      container = main[0];
    }
    if (!containers.includes(container))
      throw new KubeSimulatorError(
        400,
        'BadRequest',
        `container ${container} is not valid for pod ${name}`,
      );
    const nonNegative = (param: string) => {
      const raw = q.get(param);
      if (raw === null) return undefined;
      if (!/^\d+$/.test(raw))
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `${param}: Invalid value: "${raw}"`,
        );
      return Number(raw);
    };
    const tailLines = nonNegative('tailLines');
    const limitBytes = nonNegative('limitBytes');
    const logs = this.podLogs.get(pod.metadata.uid);
    let text = logs?.get(container) ?? logs?.get('*') ?? '';
    if (tailLines !== undefined) {
      const lines = text.split('\n');
      // A final newline ends the last line; it does not start another one.
      if (lines[lines.length - 1] === '') lines.pop();
      text = lines
        .slice(Math.max(0, lines.length - tailLines))
        .map(l => `${l}\n`)
        .join('');
    }
    let body = Buffer.from(text, 'utf8');
    if (limitBytes !== undefined) body = body.subarray(0, limitBytes);
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      status: 200,
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  }

  // ---- direct state access -----------------------------------------------------

  private key(namespace: string | undefined, name: string) {
    return `${namespace ?? ''}/${name}`;
  }

  /** An object by name (a copy), without HTTP; `namespace` is ignored for namespaces. */
  get(
    kind: Kind,
    namespace: string | undefined,
    name: string,
  ): any | undefined {
    const obj = this.store
      .get(kind)!
      .get(this.key(KINDS[kind].namespaced ? namespace : undefined, name));
    return obj ? clone(obj) : undefined;
  }

  /** Objects of a kind (copies), optionally in one namespace and matching a label selector. */
  list(
    kind: Kind,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): any[] {
    const selector = parseLabelSelector(opts.labelSelector);
    return [...this.store.get(kind)!.values()]
      .filter(
        o =>
          (opts.namespace === undefined ||
            o.metadata.namespace === opts.namespace) &&
          matchesSelector(o.metadata.labels, selector),
      )
      .map(clone);
  }

  /**
   * Creates an object as the API would and emits ADDED; a Workflow starts the
   * simulated controller. Throws {@link KubeSimulatorError} as the API would
   * answer: 409 if it exists, 404 without its namespace, 403 while that
   * namespace terminates, 422 for a bad name.
   */
  create(kind: Kind, input: any): any {
    const info = KINDS[kind];
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata = obj.metadata ?? {};
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = `${obj.metadata.generateName}${randomUUID().slice(
        0,
        5,
      )}`;
    const name = obj.metadata.name;
    if (!name)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        'metadata.name: Required value',
      );
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        `metadata.name: Invalid value: "${name}"`,
      );
    if (info.namespaced) {
      const ns = obj.metadata.namespace;
      if (!ns)
        throw new KubeSimulatorError(
          422,
          'Invalid',
          'metadata.namespace: Required value',
        );
      const namespace = this.store
        .get('namespaces')!
        .get(this.key(undefined, ns));
      if (!namespace)
        throw new KubeSimulatorError(
          404,
          'NotFound',
          `namespaces "${ns}" not found`,
        );
      if (namespace.status?.phase === 'Terminating')
        throw new KubeSimulatorError(
          403,
          'Forbidden',
          `unable to create new content in namespace ${ns} because it is being terminated`,
        );
    } else delete obj.metadata.namespace;
    const k = this.key(obj.metadata.namespace, name);
    if (this.store.get(kind)!.has(k))
      throw new KubeSimulatorError(
        409,
        'AlreadyExists',
        `${kind} "${name}" already exists`,
      );
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = new Date().toISOString();
    if (kind === 'namespaces') {
      obj.status = { phase: 'Active' };
      // Set by the API server on every namespace since Kubernetes 1.21;
      // network policies select namespaces by it.
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': name,
      };
    }
    this.commit(kind, k, obj, 'ADDED');
    if (kind === 'workflows') this.controller.onCreated(clone(obj));
    return clone(obj);
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
    const k = this.key(KINDS[kind].namespaced ? namespace : undefined, name);
    const current = this.store.get(kind)!.get(k);
    if (!current)
      throw new KubeSimulatorError(
        404,
        'NotFound',
        `${kind} "${name}" not found`,
      );
    const next = mergePatch(clone(current), patch);
    next.metadata.name = current.metadata.name;
    next.metadata.namespace = current.metadata.namespace;
    next.metadata.uid = current.metadata.uid;
    this.commit(kind, k, next, 'MODIFIED');
    return clone(next);
  }

  private replace(
    kind: Kind,
    namespace: string | undefined,
    name: string,
    body: any,
  ) {
    const k = this.key(namespace, name);
    const current = this.store.get(kind)!.get(k);
    if (!current)
      throw new KubeSimulatorError(
        404,
        'NotFound',
        `${kind} "${name}" not found`,
      );
    const next = clone(body);
    next.apiVersion = current.apiVersion;
    next.kind = current.kind;
    next.metadata = {
      ...next.metadata,
      name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
    };
    this.commit(kind, k, next, 'MODIFIED');
    return clone(next);
  }

  /**
   * Deletes an object. A namespace goes Terminating, then everything in it
   * is deleted, then the namespace itself. Returns false if it did not exist.
   */
  delete(kind: Kind, namespace: string | undefined, name: string): boolean {
    const k = this.key(kind === 'namespaces' ? undefined : namespace, name);
    const current = this.store.get(kind)!.get(k);
    if (!current) return false;
    if (kind === 'namespaces') {
      if (current.status?.phase !== 'Terminating') {
        const terminating = clone(current);
        terminating.status = { phase: 'Terminating' };
        this.commit(kind, k, terminating, 'MODIFIED');
        setTimeout(() => this.finishNamespace(name), 20).unref();
      }
      return true;
    }
    this.store.get(kind)!.delete(k);
    if (kind === 'pods') this.podLogs.delete(current.metadata.uid);
    this.commit(kind, k, current, 'DELETED');
    return true;
  }

  private finishNamespace(name: string) {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      if (!KINDS[kind].namespaced) continue;
      for (const obj of this.list(kind, { namespace: name }))
        this.delete(kind, name, obj.metadata.name);
    }
    const k = this.key(undefined, name);
    const ns = this.store.get('namespaces')!.get(k);
    if (!ns) return;
    this.store.get('namespaces')!.delete(k);
    this.commit('namespaces', k, ns, 'DELETED');
  }

  private commit(kind: Kind, k: string, obj: any, type: WatchEvent['type']) {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    if (type !== 'DELETED') this.store.get(kind)!.set(k, obj);
    const event = { type, object: clone(obj) };
    const history = this.history.get(kind)!;
    history.push({ rv: this.rv, event });
    if (history.length > this.options.historyLimit) {
      const dropped = history.shift()!;
      this.oldestResumable.set(kind, dropped.rv);
    }
    for (const w of this.watchers) if (w.kind === kind) this.send(w, event);
  }

  private send(w: Watcher, event: WatchEvent) {
    if (
      w.namespace !== undefined &&
      event.object.metadata?.namespace !== w.namespace
    )
      return;
    if (!matchesSelector(event.object.metadata?.labels, w.selector)) return;
    if (!matchesFields(event.object, w.fields)) return;
    if (!w.res.writableEnded) w.res.write(`${JSON.stringify(event)}\n`);
  }

  // ---- HTTP -------------------------------------------------------------------

  private route(pathname: string): {
    kind: Kind;
    namespace?: string;
    name?: string;
    subresource?: string;
  } {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let rest: string[];
    let group = '';
    if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
    else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1];
      rest = parts.slice(3);
    } else
      throw new KubeSimulatorError(
        404,
        'NotFound',
        `the server could not find ${pathname}`,
      );
    const find = (plural: string) => {
      const info = KINDS[plural as Kind];
      if (!info || info.group !== group)
        throw new KubeSimulatorError(
          404,
          'NotFound',
          `the server could not find ${pathname}`,
        );
      return plural as Kind;
    };
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      return {
        kind: find(rest[2]),
        namespace: rest[1],
        name: rest[3],
        subresource: rest[4],
      };
    }
    return { kind: find(rest[0]), name: rest[1], subresource: rest[2] };
  }

  private sendStatus(
    res: http.ServerResponse,
    req: http.IncomingMessage,
    code: number,
    reason: string,
    message: string,
  ) {
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      status: code,
    });
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      }),
    );
  }

  private sendJson(
    res: http.ServerResponse,
    req: http.IncomingMessage,
    code: number,
    body: unknown,
  ) {
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      status: code,
    });
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async body(req: http.IncomingMessage): Promise<any> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new KubeSimulatorError(400, 'BadRequest', 'the body is not JSON');
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (this.delayMs > 0) await new Promise(r => setTimeout(r, this.delayMs));
    try {
      if (this.errorRate > 0 && Math.random() < this.errorRate)
        throw new KubeSimulatorError(
          500,
          'InternalError',
          'simulated API server error',
        );
      const { kind, namespace, name, subresource } = this.route(url.pathname);
      if (
        kind === 'pods' &&
        name &&
        subresource === 'log' &&
        req.method === 'GET'
      ) {
        this.podLog(req, res, namespace, name, url.searchParams);
        return;
      }
      // `/status` reads and writes the whole object here (no spec/status
      // split); `log` is served for pods (above); exec, eviction and the like
      // are not simulated.
      if (subresource !== undefined && subresource !== 'status')
        throw new KubeSimulatorError(
          404,
          'NotFound',
          `the ${subresource} subresource is not simulated`,
        );
      const info = KINDS[kind];
      const q = url.searchParams;
      switch (req.method) {
        case 'GET': {
          if (name) {
            const obj = this.get(
              kind,
              info.namespaced ? namespace : undefined,
              name,
            );
            if (!obj)
              throw new KubeSimulatorError(
                404,
                'NotFound',
                `${kind} "${name}" not found`,
              );
            this.sendJson(res, req, 200, obj);
            return;
          }
          const selector = q.get('labelSelector') ?? undefined;
          try {
            parseLabelSelector(selector);
          } catch (e) {
            throw new KubeSimulatorError(
              400,
              'BadRequest',
              String((e as Error).message),
            );
          }
          const fields = parseFieldSelector(
            q.get('fieldSelector') ?? undefined,
          );
          if (q.get('watch') === 'true' || q.get('watch') === '1') {
            this.watch(req, res, {
              kind,
              namespace,
              selector,
              fields,
              resourceVersion: q.get('resourceVersion'),
              timeoutSeconds: Number(q.get('timeoutSeconds') ?? 0),
              bookmarks: q.get('allowWatchBookmarks') === 'true',
            });
            return;
          }
          this.sendJson(res, req, 200, {
            kind: `${info.kind}List`,
            apiVersion: apiVersionOf(info),
            metadata: { resourceVersion: String(this.rv) },
            items: this.list(kind, {
              namespace,
              labelSelector: selector,
            }).filter(o => matchesFields(o, fields)),
          });
          return;
        }
        case 'POST': {
          const body = await this.body(req);
          body.metadata = { ...(body.metadata ?? {}) };
          if (info.namespaced) body.metadata.namespace = namespace;
          this.sendJson(res, req, 201, this.create(kind, body));
          return;
        }
        case 'PUT': {
          if (!name)
            throw new KubeSimulatorError(
              405,
              'MethodNotAllowed',
              'PUT needs a name',
            );
          this.sendJson(
            res,
            req,
            200,
            this.replace(
              kind,
              info.namespaced ? namespace : undefined,
              name,
              await this.body(req),
            ),
          );
          return;
        }
        case 'PATCH': {
          if (!name)
            throw new KubeSimulatorError(
              405,
              'MethodNotAllowed',
              'PATCH needs a name',
            );
          const type = String(req.headers['content-type'] ?? '');
          const ns = info.namespaced ? namespace : undefined;
          const body = await this.body(req);
          if (type.includes('json-patch+json')) {
            const current = this.get(kind, ns, name);
            if (!current)
              throw new KubeSimulatorError(
                404,
                'NotFound',
                `${kind} "${name}" not found`,
              );
            this.sendJson(
              res,
              req,
              200,
              this.replace(kind, ns, name, jsonPatch(current, body)),
            );
            return;
          }
          if (type.includes('apply-patch'))
            throw new KubeSimulatorError(
              415,
              'UnsupportedMediaType',
              'server-side apply is not simulated',
            );
          // merge-patch+json and strategic-merge-patch+json (as a merge patch)
          this.sendJson(res, req, 200, this.patch(kind, ns, name, body));
          return;
        }
        case 'DELETE': {
          if (!name)
            throw new KubeSimulatorError(
              405,
              'MethodNotAllowed',
              'DELETE needs a name',
            );
          const ns = info.namespaced ? namespace : undefined;
          const before = this.get(kind, ns, name);
          if (!before || !this.delete(kind, ns, name))
            throw new KubeSimulatorError(
              404,
              'NotFound',
              `${kind} "${name}" not found`,
            );
          const after = this.get(kind, ns, name);
          this.sendJson(
            res,
            req,
            200,
            after ?? {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: { name, kind, uid: before.metadata.uid },
            },
          );
          return;
        }
        default:
          throw new KubeSimulatorError(
            405,
            'MethodNotAllowed',
            `${req.method} is not supported`,
          );
      }
    } catch (e) {
      if (e instanceof KubeSimulatorError)
        this.sendStatus(res, req, e.code, e.reason, e.message);
      else throw e;
    }
  }

  /**
   * A watch: newline-delimited JSON events on a chunked response. Without a
   * resourceVersion (or with "0") it starts with the current objects as
   * ADDED; with one it replays the kept history after it, or answers a
   * single ERROR event with a 410 Expired Status and ends if that version is
   * older than the history kept. `timeoutSeconds` ends the stream cleanly.
   */
  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    opts: {
      kind: Kind;
      namespace: string | undefined;
      selector: string | undefined;
      fields: FieldRequirement[];
      resourceVersion: string | null;
      timeoutSeconds: number;
      bookmarks: boolean;
    },
  ) {
    const { kind, namespace, selector } = opts;
    this.requests.push({ method: 'WATCH', path: req.url ?? '', status: 200 });
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    // Headers at once, or client-node waits for its request timeout.
    res.flushHeaders();
    const watcher: Watcher = {
      kind,
      namespace,
      selector: parseLabelSelector(selector),
      fields: opts.fields,
      res,
    };
    const from = opts.resourceVersion ? Number(opts.resourceVersion) : 0;
    if (from !== 0) {
      const oldest = this.oldestResumable.get(kind)!;
      if (!Number.isFinite(from) || from < oldest) {
        res.end(
          `${JSON.stringify({
            type: 'ERROR',
            object: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: `too old resource version: ${opts.resourceVersion} (${oldest})`,
              reason: 'Expired',
              code: 410,
            },
          })}\n`,
        );
        return;
      }
      for (const h of this.history.get(kind)!)
        if (h.rv > from) this.send(watcher, h.event);
    } else {
      // No version: the current state as ADDED events, then changes.
      for (const obj of this.list(kind, { namespace, labelSelector: selector }))
        this.send(watcher, { type: 'ADDED', object: obj });
    }
    this.watchers.add(watcher);
    const timers: NodeJS.Timeout[] = [];
    if (opts.bookmarks) {
      const bookmark = () => {
        const info = KINDS[kind];
        if (!res.writableEnded)
          res.write(
            `${JSON.stringify({
              type: 'BOOKMARK',
              object: {
                kind: info.kind,
                apiVersion: apiVersionOf(info),
                metadata: { resourceVersion: String(this.rv) },
              },
            })}\n`,
          );
      };
      bookmark();
      timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
    }
    if (opts.timeoutSeconds > 0)
      timers.push(setTimeout(() => res.end(), opts.timeoutSeconds * 1000));
    for (const t of timers) t.unref();
    const done = () => {
      this.watchers.delete(watcher);
      for (const t of timers) clearTimeout(t);
    };
    req.on('close', done);
    res.on('close', done);
  }
}
