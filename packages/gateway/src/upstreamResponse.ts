import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { GatewayMetrics } from './metrics';

/** Response headers that describe the upstream hop: never passed to the client. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
]);

/** Bytes moved so far and whether the request was settled (logged) already. */
export type ResponseProgress = { in: number; out: number; finished: boolean };

/**
 * The upstream's response headers as the client gets them: the raw list
 * (name case and repeated headers kept) when undici has it, else the parsed
 * object; hop-by-hop headers dropped.
 */
function clientHeaders(
  raw: Dispatcher.DispatchController['rawHeaders'],
  parsed: IncomingHttpHeaders,
): string[] {
  const out: string[] = [];
  const text = (v: Buffer | string) =>
    typeof v === 'string' ? v : v.toString('latin1');
  const keep = (name: string, value: string) => {
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, value);
  };
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i += 2)
      keep(text(raw[i]), text(raw[i + 1]));
    return out;
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) keep(name, v);
  }
  return out;
}

/**
 * undici's dispatch handler for one proxied request: streams the response
 * to the client with backpressure (the controller pauses the upstream while
 * the client's socket is full and resumes on `drain`), observes the time to
 * response headers, and settles the request once: `completed` after the
 * last byte, `failed` on an upstream or request-body error.
 */
export function upstreamResponseHandler(options: {
  res: ServerResponse;
  metrics: GatewayMetrics;
  progress: ResponseProgress;
  failed: (err: Error) => void;
  completed: () => void;
}): Dispatcher.DispatchHandler & { abort(reason: Error): void } {
  const { res, metrics, progress } = options;
  const dispatched = performance.now();
  let request: Dispatcher.DispatchController | undefined;
  return {
    /** Gives up the upstream request (the client went away): frees its pool connection at once. */
    abort(reason) {
      request?.abort(reason);
    },
    // Its presence tells undici this handler speaks the controller API.
    onRequestStart(controller) {
      request = controller;
    },
    onResponseStart(controller, status, headers) {
      metrics.upstream.observe(
        { proto: 'http' },
        (performance.now() - dispatched) / 1000,
      );
      res.writeHead(status, clientHeaders(controller.rawHeaders, headers));
      res.on('drain', () => controller.resume());
    },
    onResponseData(controller, chunk) {
      progress.out += chunk.length;
      if (!res.write(chunk)) controller.pause();
    },
    onResponseEnd() {
      if (progress.finished) return;
      progress.finished = true;
      res.end();
      metrics.bytes.inc({ direction: 'in' }, progress.in);
      metrics.bytes.inc({ direction: 'out' }, progress.out);
      options.completed();
    },
    onResponseError(_controller, err) {
      if (progress.finished) return;
      progress.finished = true;
      options.failed(err);
    },
  };
}
