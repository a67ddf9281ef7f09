import type http from 'node:http';
import { matchesSelector, parseLabelSelector } from '../labelSelector';
import { KINDS, apiVersionOf, type Kind } from '../kinds';
import type { ObjectStore, WatchEvent } from '../store/ObjectStore';
import { matchesFields, type FieldRequirement } from '../store/fieldSelector';

/** A watch request, parsed. */
export type WatchRequest = {
  kind: Kind;
  namespace: string | undefined;
  selector: string | undefined;
  fields: FieldRequirement[];
  resourceVersion: string | null;
  timeoutSeconds: number;
  bookmarks: boolean;
};

type Watcher = {
  kind: Kind;
  namespace?: string;
  selector: ReturnType<typeof parseLabelSelector>;
  fields: FieldRequirement[];
  res: http.ServerResponse;
};

/**
 * Bookmarks are sent this often on watches that asked for them (a real API
 * server sends one about every minute). They also keep client-node's 30 s
 * inactivity timeout from firing on a quiet watch.
 */
const BOOKMARK_INTERVAL_MS = 5000;

const line = (event: unknown) => `${JSON.stringify(event)}\n`;

/**
 * The open watches: each is a chunked response of newline-delimited JSON
 * events, fed by {@link WatchHub.broadcast} for every change the store
 * commits.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly store: ObjectStore) {}

  /** Sends a committed change to every watch of that kind it matches. */
  broadcast(kind: Kind, event: WatchEvent) {
    for (const w of this.watchers) if (w.kind === kind) this.send(w, event);
  }

  /** Ends every open watch (clients reconnect, or the simulator closes). */
  closeAll() {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  private send(w: Watcher, event: WatchEvent) {
    if (
      w.namespace !== undefined &&
      event.object.metadata?.namespace !== w.namespace
    )
      return;
    if (!matchesSelector(event.object.metadata?.labels, w.selector)) return;
    if (!matchesFields(event.object, w.fields)) return;
    if (!w.res.writableEnded) w.res.write(line(event));
  }

  /**
   * A watch: newline-delimited JSON events on a chunked response. Without a
   * resourceVersion (or with "0") it starts with the current objects as
   * ADDED; with one it replays the kept history after it, or answers a
   * single ERROR event with a 410 Expired Status and ends if that version is
   * older than the history kept. `timeoutSeconds` ends the stream cleanly.
   */
  watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    opts: WatchRequest,
  ) {
    const { kind, namespace, selector } = opts;
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
      const since = this.store.eventsSince(kind, from);
      if ('expired' in since) {
        res.end(line(expiredEvent(opts.resourceVersion, since.expired)));
        return;
      }
      for (const event of since.events) this.send(watcher, event);
    } else {
      // No version: the current state as ADDED events, then changes.
      for (const obj of this.store.list(kind, {
        namespace,
        labelSelector: selector,
      }))
        this.send(watcher, { type: 'ADDED', object: obj });
    }
    this.watchers.add(watcher);
    const timers = this.timersFor(res, opts);
    const done = () => {
      this.watchers.delete(watcher);
      for (const t of timers) clearTimeout(t);
    };
    req.on('close', done);
    res.on('close', done);
  }

  /** The bookmark interval and the `timeoutSeconds` end of one watch. */
  private timersFor(res: http.ServerResponse, opts: WatchRequest) {
    const timers: NodeJS.Timeout[] = [];
    if (opts.bookmarks) {
      const info = KINDS[opts.kind];
      const bookmark = () => {
        if (!res.writableEnded)
          res.write(
            line({
              type: 'BOOKMARK',
              object: {
                kind: info.kind,
                apiVersion: apiVersionOf(info),
                metadata: { resourceVersion: this.store.resourceVersion },
              },
            }),
          );
      };
      bookmark();
      timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
    }
    if (opts.timeoutSeconds > 0)
      timers.push(setTimeout(() => res.end(), opts.timeoutSeconds * 1000));
    for (const t of timers) t.unref();
    return timers;
  }
}

/** The ERROR event a watch resuming from a compacted version gets: 410 Gone. */
function expiredEvent(requested: string | null, oldest: number) {
  return {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${requested} (${oldest})`,
      reason: 'Expired',
      code: 410,
    },
  };
}
