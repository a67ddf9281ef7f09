import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Access } from './accessControl';
import type { GatewayDeps } from './gatewayDeps';
import { REFUSALS, refuse, type RefusalReason } from './refusals';
import { clientIpOf } from './clientIp';
import { instanceOfHost } from './virtualHosts';
import { accessFields } from './trackedConnection';
import {
  accessCookie,
  bearerToken,
  cookieToken,
  queryToken,
  withoutAccessCookie,
} from './tokenSources';
import {
  upstreamResponseHandler,
  type ResponseProgress,
} from './upstreamResponse';

/** Request headers that describe the client's hop, not the request: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'proxy-authorization',
]);

/** The request body grew past the limit while streaming. */
export class BodyTooLargeError extends Error {}

/** Seconds until a request of this token and client IP is allowed; 0 when it is. */
export function rateLimitWait(
  deps: Pick<GatewayDeps, 'perToken' | 'perIp'>,
  a: Access,
  ip: string,
): number {
  const waitToken = deps.perToken.take(a.tokenId);
  const waitIp = waitToken > 0 ? 0 : deps.perIp.take(ip);
  return Math.max(waitToken, waitIp);
}

/** How a request ended, for the log line, metrics and live view. */
export type RequestOutcome = {
  /** Logs, counts and reports the request; call once. */
  done(
    status: number,
    reason?: string,
    a?: Access,
    bytesIn?: number,
    bytesOut?: number,
  ): void;
  /** Answers with a refusal and records it. */
  deny(
    reason: RefusalReason,
    a?: Access,
    headers?: Record<string, string>,
  ): void;
};

function requestOutcome(
  deps: GatewayDeps,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  ip: string,
  iid: string | undefined,
): RequestOutcome {
  const { metrics, live, log } = deps;
  const started = performance.now();
  const base = {
    proto: 'http' as const,
    conn: `${req.socket.remotePort ?? 0}-${started.toFixed(0)}`,
    clientIp: ip,
    host: req.headers.host,
    route,
    method: req.method,
  };
  const outcome: RequestOutcome = {
    done(status, reason, a, bytesIn = 0, bytesOut = 0) {
      const durationMs = performance.now() - started;
      metrics.requests.inc({ code: `${Math.floor(status / 100)}xx` });
      metrics.duration.observe(durationMs / 1000);
      if (reason) metrics.refusals.inc({ proto: 'http', reason });
      if (a) live.httpActivity(a, ip, bytesIn, bytesOut);
      log.log({
        ...base,
        ...(a ? accessFields(a) : { instanceId: iid }),
        status,
        reason,
        bytesIn,
        bytesOut,
        durationMs: Math.round(durationMs * 100) / 100,
      });
    },
    deny(reason, a, headers) {
      refuse(res, reason, headers);
      outcome.done(REFUSALS[reason].status, reason, a);
    },
  };
  return outcome;
}

const FORWARDED = new Set([
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/**
 * The request's headers as the instance gets them, as raw name/value pairs,
 * for HTTP and WebSocket alike: no hop-by-hop headers (an upgrade keeps its
 * `Connection`/`Upgrade`), no gateway cookie or bearer token, and the
 * client's `X-Forwarded-*` replaced by the gateway's own.
 */
export function forwardedHeaders(
  req: IncomingMessage,
  ip: string,
  secure: boolean,
  upgrade = false,
): string[] {
  const host = req.headers.host ?? '';
  const headers: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    const lower = name.toLowerCase();
    if (FORWARDED.has(lower)) continue;
    if (
      HOP_BY_HOP.has(lower) &&
      !(upgrade && (lower === 'connection' || lower === 'upgrade'))
    )
      continue;
    if (lower === 'cookie') {
      const kept = withoutAccessCookie(raw[i + 1]);
      if (kept) headers.push(name, kept);
      continue;
    }
    if (lower === 'authorization' && bearerToken(raw[i + 1])) continue;
    headers.push(name, raw[i + 1]);
  }
  headers.push(
    'host',
    host,
    'x-forwarded-for',
    ip,
    'x-forwarded-host',
    host,
    'x-forwarded-proto',
    secure ? 'https' : 'http',
  );
  return headers;
}

/**
 * Where the link trade redirects: the request's path and query on this same
 * host. `//host`, `/\host`, absolute URLs and dot segments that would leave
 * the host become a path on it.
 */
export function sameHostPath(url: string): string {
  const base = 'http://gateway.invalid';
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return '/';
  }
  if (parsed.origin !== base) return '/';
  return parsed.pathname.replace(/^[/\\]+/, '/') + parsed.search;
}

/** The request body, counted as it streams, failing past `maxBody`; null without one. */
function countedBody(
  req: IncomingMessage,
  declared: number,
  maxBody: number,
  count: (bytes: number) => number,
): AsyncGenerator<Buffer> | null {
  const hasBody =
    req.method !== 'GET' &&
    req.method !== 'HEAD' &&
    (declared > 0 || req.headers['transfer-encoding'] !== undefined);
  if (!hasBody) return null;
  return (async function* counted() {
    for await (const chunk of req) {
      if (count((chunk as Buffer).length) > maxBody)
        throw new BodyTooLargeError();
      yield chunk as Buffer;
    }
  })();
}

/**
 * The HTTP proxy: per-instance virtual hosts (`<instance id>.<domain>`),
 * the token from the link (traded for a cookie), a bearer header or the
 * cookie, rate limits and body limit, then a keep-alive pool to the instance.
 */
export function createRequestHandler(deps: GatewayDeps) {
  const { config, access } = deps;
  return (req: IncomingMessage, res: ServerResponse) => {
    const ip = clientIpOf(req, req.socket, config.trustProxy);
    const iid = instanceOfHost(req.headers.host, config.domain);
    const { token: fromQuery, rest } = queryToken(req.url ?? '/');
    const outcome = requestOutcome(deps, req, res, rest.split('?')[0], ip, iid);
    if (deps.isDraining()) {
      res.setHeader('connection', 'close');
      outcome.deny('draining');
      return;
    }
    if (!iid) {
      outcome.deny('unknown_host');
      return;
    }

    // First visit: the token comes in the query; trade it for a host-only cookie.
    if (fromQuery !== undefined) {
      tradeLinkToken(deps, req, res, { token: fromQuery, iid, rest }, outcome);
      return;
    }

    const fromBearer = bearerToken(req.headers.authorization);
    const checked = access.check(
      fromBearer ?? cookieToken(req.headers.cookie),
      {
        proto: 'http',
        iid,
      },
    );
    if (!checked.ok) {
      outcome.deny(checked.reason);
      return;
    }
    const wait = rateLimitWait(deps, checked.access, ip);
    if (wait > 0) {
      outcome.deny('rate_limited', checked.access, {
        'retry-after': String(Math.max(1, Math.ceil(wait))),
      });
      return;
    }
    forward(deps, req, res, rest, ip, checked.access, outcome);
  };
}

/**
 * Trades a link token for the cookie, once: a second trade of the same
 * token is refused, unless it comes from the browser that holds the cookie
 * (a reload of the link), which is sent on without a new cookie.
 */
function tradeLinkToken(
  deps: GatewayDeps,
  req: IncomingMessage,
  res: ServerResponse,
  link: { token: string; iid: string; rest: string },
  outcome: RequestOutcome,
) {
  const checked = deps.access.check(link.token, {
    proto: 'http',
    iid: link.iid,
  });
  if (!checked.ok) {
    outcome.deny(checked.reason);
    return;
  }
  const a = checked.access;
  const redirect = (cookie?: string) => {
    res.writeHead(302, {
      location: sameHostPath(link.rest),
      ...(cookie ? { 'set-cookie': cookie } : {}),
      'cache-control': 'no-store',
      'content-length': 0,
    });
    res.end();
    outcome.done(302, undefined, a);
  };
  if (cookieToken(req.headers.cookie) === link.token) {
    redirect();
    return;
  }
  deps.links.claim(a.tokenId, a.payload.exp).then(
    first => {
      if (!first) outcome.deny('link_used', a);
      else
        redirect(
          accessCookie(link.token, a.payload.exp, deps.config.secureCookies),
        );
    },
    () => outcome.deny('revocations_unavailable', a),
  );
}

/** Streams an allowed request to its instance and the answer back. */
function forward(
  deps: GatewayDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ip: string,
  a: Access,
  outcome: RequestOutcome,
) {
  const maxBody = deps.access.limits.http.maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBody) {
    res.setHeader('connection', 'close');
    outcome.deny('body_too_large', a);
    return;
  }
  const progress: ResponseProgress = { in: 0, out: 0, finished: false };
  const body = countedBody(req, declared, maxBody, n => (progress.in += n));
  const headers = forwardedHeaders(req, ip, deps.config.secureCookies);
  const handler = upstreamResponseHandler({
    res,
    metrics: deps.metrics,
    progress,
    failed(err) {
      if (res.headersSent) {
        res.destroy();
        outcome.done(
          res.statusCode,
          'upstream_aborted',
          a,
          progress.in,
          progress.out,
        );
      } else if (err instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        outcome.deny('body_too_large', a);
      } else {
        outcome.deny('upstream_unreachable', a);
      }
    },
    completed() {
      outcome.done(res.statusCode, undefined, a, progress.in, progress.out);
    },
  });
  deps.pools.get(a.payload.target).dispatch(
    {
      origin: `http://${a.payload.target}`,
      path,
      method: req.method as Dispatcher.HttpMethod,
      headers,
      // undici streams async iterables; its DispatchOptions type does not list them.
      body: body as unknown as Dispatcher.DispatchOptions['body'],
    },
    handler,
  );
  res.on('close', () => {
    if (!progress.finished) {
      progress.finished = true;
      // The client is gone: stop the upstream request instead of holding its
      // pool connection until the upstream timeout.
      handler.abort(new Error('client closed'));
      outcome.done(499, 'client_closed', a, progress.in, progress.out);
    }
  });
}
