import type http from 'node:http';
import { parseLabelSelector } from '../labelSelector';
import { KINDS, apiVersionOf } from '../kinds';
import { KubeSimulatorError, notFound } from '../KubeSimulatorError';
import type { Faults } from '../faults/Faults';
import { applyJsonPatch, patchTypeOf } from '../patch/patches';
import type { ObjectStore } from '../store/ObjectStore';
import type { PodLogStore } from '../store/PodLogStore';
import { matchesFields, parseFieldSelector } from '../store/fieldSelector';
import type { WatchHub } from '../watch/WatchHub';
import { podLogBody } from './podLog';
import {
  readJsonBody,
  sendJson,
  sendStatus,
  type RecordRequest,
} from './responses';
import { routePath, type Route } from './routePath';

type Req = http.IncomingMessage;
type Res = http.ServerResponse;

/** What the handler serves from. */
export type KubeApiHandlerDeps = {
  store: ObjectStore;
  watches: WatchHub;
  faults: Faults;
  podLogs: PodLogStore;
  record: RecordRequest;
};

const needsName = (method: string) =>
  new KubeSimulatorError(405, 'MethodNotAllowed', `${method} needs a name`);

/**
 * The REST side of the simulator: maps a request (method + path) to the
 * store, the watch hub or the pod log subresource, and every
 * {@link KubeSimulatorError} to a `Status` answer. Injected faults (delay,
 * 500s) apply before anything else.
 */
export class KubeApiHandler {
  constructor(private readonly deps: KubeApiHandlerDeps) {}

  /** Serves one request; an unexpected error becomes a 500 Status. */
  serve(req: Req, res: Res) {
    this.handle(req, res).catch(e => {
      if (!res.headersSent)
        sendStatus(this.deps.record, req, res, 500, 'InternalError', String(e));
    });
  }

  private async handle(req: Req, res: Res) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const { faults } = this.deps;
    if (faults.delayMs > 0)
      await new Promise(r => setTimeout(r, faults.delayMs));
    try {
      if (faults.failsNow())
        throw new KubeSimulatorError(
          500,
          'InternalError',
          'simulated API server error',
        );
      const route = routePath(url.pathname);
      const ns = KINDS[route.kind].namespaced ? route.namespace : undefined;
      if (
        route.kind === 'pods' &&
        route.name &&
        route.subresource === 'log' &&
        req.method === 'GET'
      ) {
        this.podLog(req, res, { ...route, name: route.name }, url);
        return;
      }
      // `/status` reads and writes the whole object here (no spec/status
      // split); `log` is served for pods (above); exec, eviction and the like
      // are not simulated.
      if (route.subresource !== undefined && route.subresource !== 'status')
        throw new KubeSimulatorError(
          404,
          'NotFound',
          `the ${route.subresource} subresource is not simulated`,
        );
      await this.byMethod(req, res, { ...route, namespace: ns }, url);
    } catch (e) {
      if (!(e instanceof KubeSimulatorError)) throw e;
      sendStatus(this.deps.record, req, res, e.code, e.reason, e.message);
    }
  }

  private async byMethod(req: Req, res: Res, route: Route, url: URL) {
    const { store, record } = this.deps;
    const { kind, namespace, name } = route;
    const method = req.method ?? '';
    if (method === 'GET') {
      if (!name) this.getCollection(req, res, route, url.searchParams);
      else {
        const obj = store.get(kind, namespace, name);
        if (!obj) throw notFound(kind, name);
        sendJson(record, req, res, 200, obj);
      }
      return;
    }
    if (method === 'POST') {
      const body = await readJsonBody(req);
      body.metadata = { ...(body.metadata ?? {}) };
      if (KINDS[kind].namespaced) body.metadata.namespace = route.namespace;
      sendJson(record, req, res, 201, store.create(kind, body));
      return;
    }
    if (!['PUT', 'PATCH', 'DELETE'].includes(method))
      throw new KubeSimulatorError(
        405,
        'MethodNotAllowed',
        `${method} is not supported`,
      );
    if (!name) throw needsName(method);
    const named = { ...route, name };
    if (method === 'PUT') {
      const body = await readJsonBody(req);
      sendJson(
        record,
        req,
        res,
        200,
        store.replace(kind, namespace, name, body),
      );
    } else if (method === 'PATCH') await this.patch(req, res, named);
    else this.delete(req, res, named);
  }

  /** A list, or a watch with `?watch=true`. */
  private getCollection(req: Req, res: Res, route: Route, q: URLSearchParams) {
    const { store, watches, record } = this.deps;
    const { kind, namespace } = route;
    const info = KINDS[kind];
    const selector = q.get('labelSelector') ?? undefined;
    try {
      parseLabelSelector(selector);
    } catch (e) {
      throw new KubeSimulatorError(400, 'BadRequest', (e as Error).message);
    }
    const fields = parseFieldSelector(q.get('fieldSelector') ?? undefined);
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      record({ method: 'WATCH', path: req.url ?? '', status: 200 });
      watches.watch(req, res, {
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
    sendJson(record, req, res, 200, {
      kind: `${info.kind}List`,
      apiVersion: apiVersionOf(info),
      metadata: { resourceVersion: store.resourceVersion },
      items: store
        .list(kind, { namespace, labelSelector: selector })
        .filter(o => matchesFields(o, fields)),
    });
  }

  /** JSON patch, merge patch, or strategic merge patch (as a merge patch). */
  private async patch(req: Req, res: Res, route: Route & { name: string }) {
    const { store, record } = this.deps;
    const { kind, namespace, name } = route;
    const type = patchTypeOf(String(req.headers['content-type'] ?? ''));
    const body = await readJsonBody(req);
    if (type === 'apply')
      throw new KubeSimulatorError(
        415,
        'UnsupportedMediaType',
        'server-side apply is not simulated',
      );
    if (type === 'merge') {
      sendJson(
        record,
        req,
        res,
        200,
        store.mergePatch(kind, namespace, name, body),
      );
      return;
    }
    const current = store.get(kind, namespace, name);
    if (!current) throw notFound(kind, name);
    const next = applyJsonPatch(current, body);
    sendJson(record, req, res, 200, store.replace(kind, namespace, name, next));
  }

  /** 200 with the object while it terminates (namespaces), else a Success Status. */
  private delete(req: Req, res: Res, route: Route & { name: string }) {
    const { store, record } = this.deps;
    const { kind, namespace, name } = route;
    const before = store.get(kind, namespace, name);
    if (!before || !store.delete(kind, namespace, name))
      throw notFound(kind, name);
    const after = store.get(kind, namespace, name);
    sendJson(
      record,
      req,
      res,
      200,
      after ?? {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind, uid: before.metadata.uid },
      },
    );
  }

  private podLog(
    req: Req,
    res: Res,
    route: Route & { name: string },
    url: URL,
  ) {
    const { store, podLogs, record } = this.deps;
    const pod = store.get('pods', route.namespace, route.name);
    const body = podLogBody(pod, route.name, url.searchParams, (uid, c) =>
      podLogs.textOf(uid, c),
    );
    record({ method: req.method ?? '', path: req.url ?? '', status: 200 });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  }
}
