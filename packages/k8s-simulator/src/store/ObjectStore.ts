import { randomUUID } from 'node:crypto';
import { matchesSelector, parseLabelSelector } from '../labelSelector';
import { ALL_KINDS, KINDS, apiVersionOf, type Kind } from '../kinds';
import { KubeSimulatorError, notFound } from '../KubeSimulatorError';
import { applyMergePatch } from '../patch/patches';

/** A change, as a watch streams it. */
export type WatchEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: any;
};

/** What the store tells the rest of the simulator. */
export type ObjectStoreListeners = {
  /** Every committed change, in resourceVersion order. */
  onEvent(kind: Kind, event: WatchEvent): void;
  /** An object was created (a copy); the workflow controller starts here. */
  onCreated(kind: Kind, obj: any): void;
  /** An object was deleted (its last state). */
  onDeleted(kind: Kind, obj: any): void;
};

/** Copies are handed out and taken in, so callers never share state with the store. */
export const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * The simulator's etcd: objects per kind, one global monotonically
 * increasing resourceVersion, and the recent events per kind that watches
 * resume from (`historyLimit` per kind; older versions are Expired).
 */
export class ObjectStore {
  private readonly objects = new Map<Kind, Map<string, any>>();
  private readonly history = new Map<
    Kind,
    { rv: number; event: WatchEvent }[]
  >();
  /** Per kind: watches resuming from a version below this get 410 Expired. */
  private readonly oldestResumable = new Map<Kind, number>();
  private rv = 1000;

  constructor(
    private readonly historyLimit: number,
    private readonly listeners: ObjectStoreListeners,
    /** How long a deleted namespace stays Terminating before its content goes. */
    private readonly namespaceTerminationMs = 20,
  ) {
    for (const kind of ALL_KINDS) {
      this.objects.set(kind, new Map());
      this.history.set(kind, []);
      this.oldestResumable.set(kind, 0);
    }
  }

  /** The current resourceVersion, as lists and bookmarks carry it. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /**
   * The kept events after `from`, or `expired` with the oldest version a
   * watch may still resume from when `from` is older than the history.
   */
  eventsSince(
    kind: Kind,
    from: number,
  ): { events: WatchEvent[] } | { expired: number } {
    const oldest = this.oldestResumable.get(kind)!;
    if (!Number.isFinite(from) || from < oldest) return { expired: oldest };
    return {
      events: this.history
        .get(kind)!
        .filter(h => h.rv > from)
        .map(h => h.event),
    };
  }

  /** Forgets every kept event: resuming from any version before now is Expired. */
  expireHistory() {
    for (const kind of ALL_KINDS) {
      this.history.set(kind, []);
      this.oldestResumable.set(kind, this.rv);
    }
  }

  private key(kind: Kind, namespace: string | undefined, name: string) {
    return `${KINDS[kind].namespaced ? namespace ?? '' : ''}/${name}`;
  }

  get(kind: Kind, namespace: string | undefined, name: string): any {
    const obj = this.objects.get(kind)!.get(this.key(kind, namespace, name));
    return obj ? clone(obj) : undefined;
  }

  list(
    kind: Kind,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): any[] {
    const selector = parseLabelSelector(opts.labelSelector);
    return [...this.objects.get(kind)!.values()]
      .filter(
        o =>
          (opts.namespace === undefined ||
            o.metadata.namespace === opts.namespace) &&
          matchesSelector(o.metadata.labels, selector),
      )
      .map(clone);
  }

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
    this.validateName(obj.metadata.name);
    if (info.namespaced) this.checkNamespaceOpen(obj.metadata.namespace);
    else delete obj.metadata.namespace;
    const name = obj.metadata.name;
    const k = this.key(kind, obj.metadata.namespace, name);
    if (this.objects.get(kind)!.has(k))
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
    this.listeners.onCreated(kind, clone(obj));
    return clone(obj);
  }

  private validateName(name: string | undefined) {
    if (!name)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        'metadata.name: Required value',
      );
    if (!DNS_1123_SUBDOMAIN.test(name) || name.length > 253)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        `metadata.name: Invalid value: "${name}"`,
      );
  }

  private checkNamespaceOpen(ns: string | undefined) {
    if (!ns)
      throw new KubeSimulatorError(
        422,
        'Invalid',
        'metadata.namespace: Required value',
      );
    const namespace = this.objects
      .get('namespaces')!
      .get(this.key('namespaces', undefined, ns));
    if (!namespace) throw notFound('namespaces', ns);
    if (namespace.status?.phase === 'Terminating')
      throw new KubeSimulatorError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${ns} because it is being terminated`,
      );
  }

  /** The stored object (not a copy) and its key; 404 when it does not exist. */
  private existing(kind: Kind, namespace: string | undefined, name: string) {
    const k = this.key(kind, namespace, name);
    const current = this.objects.get(kind)!.get(k);
    if (!current) throw notFound(kind, name);
    return { k, current };
  }

  /** A JSON merge patch; name, namespace and uid cannot change. */
  mergePatch(
    kind: Kind,
    namespace: string | undefined,
    name: string,
    patch: any,
  ): any {
    const { k, current } = this.existing(kind, namespace, name);
    const next = applyMergePatch(current, patch);
    next.metadata.name = current.metadata.name;
    next.metadata.namespace = current.metadata.namespace;
    next.metadata.uid = current.metadata.uid;
    this.commit(kind, k, next, 'MODIFIED');
    return clone(next);
  }

  /** A PUT: the body replaces the object, keeping its identity and kind. */
  replace(
    kind: Kind,
    namespace: string | undefined,
    name: string,
    body: any,
  ): any {
    const { k, current } = this.existing(kind, namespace, name);
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
    const k = this.key(kind, namespace, name);
    const current = this.objects.get(kind)!.get(k);
    if (!current) return false;
    if (kind === 'namespaces') {
      if (current.status?.phase !== 'Terminating') {
        const terminating = clone(current);
        terminating.status = { phase: 'Terminating' };
        this.commit(kind, k, terminating, 'MODIFIED');
        setTimeout(
          () => this.finishNamespace(name),
          this.namespaceTerminationMs,
        ).unref();
      }
      return true;
    }
    this.objects.get(kind)!.delete(k);
    this.listeners.onDeleted(kind, current);
    this.commit(kind, k, current, 'DELETED');
    return true;
  }

  private finishNamespace(name: string) {
    for (const kind of ALL_KINDS) {
      if (!KINDS[kind].namespaced) continue;
      for (const obj of this.list(kind, { namespace: name }))
        this.delete(kind, name, obj.metadata.name);
    }
    const k = this.key('namespaces', undefined, name);
    const ns = this.objects.get('namespaces')!.get(k);
    if (!ns) return;
    this.objects.get('namespaces')!.delete(k);
    this.commit('namespaces', k, ns, 'DELETED');
  }

  private commit(kind: Kind, k: string, obj: any, type: WatchEvent['type']) {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    if (type !== 'DELETED') this.objects.get(kind)!.set(k, obj);
    const event = { type, object: clone(obj) };
    const history = this.history.get(kind)!;
    history.push({ rv: this.rv, event });
    if (history.length > this.historyLimit) {
      const dropped = history.shift()!;
      this.oldestResumable.set(kind, dropped.rv);
    }
    this.listeners.onEvent(kind, event);
  }
}
