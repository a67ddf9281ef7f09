import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from 'undici';
import type { GatewayConfig } from './config';
import type { Access, AccessControl, AccessRefusal } from './accessControl';
import type { AccessLog } from './accessLog';
import type { ConnectionCaps } from './connectionCaps';
import type { GatewayMetrics } from './metrics';
import type { LiveConnections } from './liveConnections';
import type { TokenBuckets } from './tokenBucket';
import type { UpstreamPools } from './upstreamPools';
import { REFUSALS } from './refusals';
import { clientIpOf } from './clientIp';

/** Name of the per-instance access cookie (HttpOnly, host-only). */
export const ACCESS_COOKIE = 'fsg_token';
/** Path on the bare gateway domain that upgrades to a TCP-over-WebSocket tunnel. */
export const WS_TCP_PATH = '/tcp';

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

export type HttpDeps = {
  config: GatewayConfig;
  access: AccessControl;
  perToken: TokenBuckets;
  perIp: TokenBuckets;
  caps: ConnectionCaps;
  log: AccessLog;
  metrics: GatewayMetrics;
  live: LiveConnections;
  pools: UpstreamPools;
  isDraining: () => boolean;
};

class BodyTooLargeError extends Error {}

/** `<iid>` for `<iid>.<domain>[:port]`, '' for the bare domain, undefined otherwise. */
export function instanceOfHost(
  host: string | undefined,
  domain: string,
): string | undefined {
  if (!host) return undefined;
  let h = host.toLowerCase();
  const colon = h.lastIndexOf(':');
  if (colon > 0 && !h.endsWith(']')) h = h.slice(0, colon);
  if (h === domain) return '';
  if (!h.endsWith(`.${domain}`)) return undefined;
  const label = h.slice(0, h.length - domain.length - 1);
  return label.length > 0 && !label.includes('.') ? label : undefined;
}

function cookieToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const at = header.indexOf(`${ACCESS_COOKIE}=`);
  if (at < 0 || (at > 0 && header[at - 1] !== ' ' && header[at - 1] !== ';'))
    return undefined;
  const start = at + ACCESS_COOKIE.length + 1;
  const end = header.indexOf(';', start);
  return header.slice(start, end < 0 ? undefined : end).trim();
}

/** Removes the gateway's cookie before the request reaches the instance. */
function withoutAccessCookie(header: string): string | undefined {
  const kept = header
    .split(';')
    .map(p => p.trim())
    .filter(p => p && !p.startsWith(`${ACCESS_COOKIE}=`));
  return kept.length ? kept.join('; ') : undefined;
}

/** A bearer value shaped like a gateway token (two base64url parts), else undefined (the app's own). */
function bearerToken(header: string | undefined): string | undefined {
  if (!header || !header.startsWith('Bearer ')) return undefined;
  const value = header.slice(7).trim();
  const dot = value.indexOf('.');
  return dot > 0 && dot === value.lastIndexOf('.') ? value : undefined;
}

/** Splits `?token=` off a URL: the token and the URL without it. */
function queryToken(url: string): { token?: string; rest: string } {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes('token=', q)) return { rest: url };
  const params = new URLSearchParams(url.slice(q + 1));
  const token = params.get('token') ?? undefined;
  params.delete('token');
  const query = params.toString();
  return { token, rest: url.slice(0, q) + (query ? `?${query}` : '') };
}

function refuse(
  res: ServerResponse,
  reason: keyof typeof REFUSALS,
  extraHeaders: Record<string, string> = {},
) {
  const { status, message } = REFUSALS[reason];
  const body = `${message}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(body);
}

function refuseUpgrade(socket: Duplex, reason: keyof typeof REFUSALS) {
  const { status, message } = REFUSALS[reason];
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${
      http.STATUS_CODES[status]
    }\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(
      body,
    )}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The HTTP side of the gateway: per-instance virtual hosts proxied with a
 * keep-alive pool, WebSocket pass-through, and TCP over WebSocket on the
 * bare domain.
 */
export function createHttpServer(deps: HttpDeps): http.Server {
  const { config, access, log, metrics, live } = deps;
  const server = http.createServer({
    keepAliveTimeout: config.keepAliveTimeoutMs,
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    maxHeaderSize: 16 * 1024,
    // Check header/request timeouts every second (Node's default is 30 s).
    connectionsCheckingInterval: 1000,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  function rateLimited(a: Access, ip: string): number {
    const waitToken = deps.perToken.take(a.tokenId);
    const waitIp = waitToken > 0 ? 0 : deps.perIp.take(ip);
    return Math.max(waitToken, waitIp);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const ip = clientIpOf(req, req.socket, config.trustProxy);
    const conn = `${req.socket.remotePort ?? 0}-${started.toFixed(0)}`;
    const host = req.headers.host;
    const iid = instanceOfHost(host, config.domain);
    const { token: fromQuery, rest } = queryToken(req.url ?? '/');
    const base = {
      proto: 'http' as const,
      conn,
      clientIp: ip,
      host,
      route: rest.split('?')[0],
      method: req.method,
    };
    const done = (
      status: number,
      reason?: string,
      a?: Access,
      bytesIn = 0,
      bytesOut = 0,
    ) => {
      const durationMs = performance.now() - started;
      metrics.requests.inc({ code: `${Math.floor(status / 100)}xx` });
      metrics.duration.observe(durationMs / 1000);
      if (reason) metrics.refusals.inc({ proto: 'http', reason });
      if (a) live.httpActivity(a, ip, bytesIn, bytesOut);
      log.log({
        ...base,
        team: a?.payload.team,
        chal: a?.payload.chal,
        tr: a?.payload.tr,
        iid: a?.payload.iid ?? iid,
        tokenId: a?.tokenId,
        status,
        reason,
        bytesIn,
        bytesOut,
        durationMs: Math.round(durationMs * 100) / 100,
      });
    };
    const deny = (
      reason: keyof typeof REFUSALS,
      a?: Access,
      headers?: Record<string, string>,
    ) => {
      refuse(res, reason, headers);
      done(REFUSALS[reason].status, reason, a);
    };

    if (deps.isDraining()) {
      res.setHeader('connection', 'close');
      deny('draining');
      return;
    }
    if (!iid) {
      deny('unknown_host');
      return;
    }

    // First visit: the token comes in the query; trade it for a host-only cookie.
    if (fromQuery !== undefined) {
      const checked = access.check(fromQuery, { proto: 'http', iid });
      if (!checked.ok) {
        deny(checked.reason);
        return;
      }
      const maxAge = Math.max(
        0,
        Math.floor(checked.access.payload.exp - Date.now() / 1000),
      );
      const cookie = `${ACCESS_COOKIE}=${fromQuery}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${
        config.secureCookies ? '; Secure' : ''
      }`;
      res.writeHead(302, {
        location: rest,
        'set-cookie': cookie,
        'cache-control': 'no-store',
        'content-length': 0,
      });
      res.end();
      done(302, undefined, checked.access);
      return;
    }

    const fromBearer = bearerToken(req.headers.authorization);
    const token = fromBearer ?? cookieToken(req.headers.cookie);
    const checked = access.check(token, { proto: 'http', iid });
    if (!checked.ok) {
      deny(checked.reason);
      return;
    }
    const a = checked.access;
    const wait = rateLimited(a, ip);
    if (wait > 0) {
      deny('rate_limited', a, {
        'retry-after': String(Math.max(1, Math.ceil(wait))),
      });
      return;
    }
    const maxBody = access.limits.http.maxBodyBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      res.setHeader('connection', 'close');
      deny('body_too_large', a);
      return;
    }

    const headers: string[] = [];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i];
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      if (lower === 'cookie') {
        const kept = withoutAccessCookie(raw[i + 1]);
        if (kept) headers.push(name, kept);
        continue;
      }
      if (lower === 'authorization' && fromBearer) continue;
      if (
        lower === 'x-forwarded-for' ||
        lower === 'x-forwarded-host' ||
        lower === 'x-forwarded-proto'
      )
        continue;
      headers.push(name, raw[i + 1]);
    }
    headers.push(
      'host',
      host ?? '',
      'x-forwarded-for',
      ip,
      'x-forwarded-host',
      host ?? '',
      'x-forwarded-proto',
      config.secureCookies ? 'https' : 'http',
    );

    let bytesIn = 0;
    let bytesOut = 0;
    const hasBody =
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      (declared > 0 || req.headers['transfer-encoding'] !== undefined);
    const body = hasBody
      ? (async function* counted() {
          for await (const chunk of req) {
            bytesIn += (chunk as Buffer).length;
            if (bytesIn > maxBody) throw new BodyTooLargeError();
            yield chunk as Buffer;
          }
        })()
      : null;

    let finished = false;
    let dispatched = 0;
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {},
      onError(err: Error) {
        if (finished) return;
        finished = true;
        if (!res.headersSent) {
          if (err instanceof BodyTooLargeError) {
            res.setHeader('connection', 'close');
            deny('body_too_large', a);
          } else {
            deny('upstream_unreachable', a);
          }
        } else {
          res.destroy();
          done(res.statusCode, 'upstream_aborted', a, bytesIn, bytesOut);
        }
      },
      onUpgrade() {},
      onHeaders(status: number, rawHeaders: Buffer[], resume: () => void) {
        metrics.upstream.observe(
          { proto: 'http' },
          (performance.now() - dispatched) / 1000,
        );
        const out: string[] = [];
        for (let i = 0; i < rawHeaders.length; i += 2) {
          const name = rawHeaders[i].toString('latin1');
          const lower = name.toLowerCase();
          if (
            lower === 'connection' ||
            lower === 'keep-alive' ||
            lower === 'transfer-encoding' ||
            lower === 'proxy-connection'
          )
            continue;
          out.push(name, rawHeaders[i + 1].toString('latin1'));
        }
        res.writeHead(status, out);
        res.on('drain', resume);
        return true;
      },
      onData(chunk: Buffer) {
        bytesOut += chunk.length;
        return res.write(chunk);
      },
      onComplete() {
        if (finished) return;
        finished = true;
        res.end();
        metrics.bytes.inc({ direction: 'in' }, bytesIn);
        metrics.bytes.inc({ direction: 'out' }, bytesOut);
        done(res.statusCode, undefined, a, bytesIn, bytesOut);
      },
    } as unknown as Dispatcher.DispatchHandler;

    const pool = deps.pools.get(a.payload.target);
    dispatched = performance.now();
    pool.dispatch(
      {
        origin: `http://${a.payload.target}`,
        path: rest,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: body as any,
      },
      handler,
    );
    res.on('close', () => {
      if (!finished) {
        finished = true;
        done(499, 'client_closed', a, bytesIn, bytesOut);
      }
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const ip = clientIpOf(req, socket, config.trustProxy);
    const iid = instanceOfHost(req.headers.host, config.domain);
    const { token: fromQuery, rest } = queryToken(req.url ?? '/');
    const token =
      fromQuery ??
      bearerToken(req.headers.authorization) ??
      cookieToken(req.headers.cookie);
    const fail = (reason: keyof typeof REFUSALS, proto: 'ws' | 'ws-tcp') => {
      metrics.refusals.inc({ proto, reason });
      log.log({
        proto,
        conn: randomUUID(),
        clientIp: ip,
        host: req.headers.host,
        route: rest.split('?')[0],
        reason,
        status: REFUSALS[reason].status,
        bytesIn: 0,
        bytesOut: 0,
        durationMs: 0,
      });
      refuseUpgrade(socket, reason);
    };
    if (deps.isDraining()) {
      fail('draining', 'ws');
      return;
    }
    if (iid === undefined) {
      fail('unknown_host', 'ws');
      return;
    }

    if (iid === '') {
      // TCP over WebSocket on the bare domain: a `tcp` token picks the target.
      if (rest.split('?')[0] !== WS_TCP_PATH) {
        fail('unknown_host', 'ws-tcp');
        return;
      }
      const checked = access.check(token, { proto: 'tcp' });
      if (!checked.ok) {
        fail(checked.reason as AccessRefusal, 'ws-tcp');
        return;
      }
      const release = deps.caps.acquire(ip, checked.access.tokenId);
      if (typeof release === 'string') {
        fail(release, 'ws-tcp');
        return;
      }
      wss.handleUpgrade(req, socket, head, ws =>
        bridgeWebSocketToTcp(deps, ws, checked.access, ip, release),
      );
      return;
    }

    // WebSocket pass-through to the instance.
    const checked = access.check(token, { proto: 'http', iid });
    if (!checked.ok) {
      fail(checked.reason as AccessRefusal, 'ws');
      return;
    }
    const a = checked.access;
    if (rateLimited(a, ip) > 0) {
      fail('rate_limited', 'ws');
      return;
    }
    const release = deps.caps.acquire(ip, a.tokenId);
    if (typeof release === 'string') {
      fail(release, 'ws');
      return;
    }
    passThroughUpgrade(deps, req, socket, head, a, ip, rest, release);
  });

  return server;
}

function passThroughUpgrade(
  deps: HttpDeps,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  a: Access,
  ip: string,
  path: string,
  release: () => void,
) {
  const { metrics, log, live } = deps;
  const started = performance.now();
  const id = randomUUID();
  const [host, port] = splitTarget(a.payload.target);
  const upstream = net.connect({ host, port });
  const lines = [`${req.method} ${path} HTTP/1.1`];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (lower === 'cookie') {
      const kept = withoutAccessCookie(raw[i + 1]);
      if (kept) lines.push(`${raw[i]}: ${kept}`);
    } else if (lower !== 'authorization' || !bearerToken(raw[i + 1])) {
      lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
  }
  lines.push(`X-Forwarded-For: ${ip}`);
  let reason = 'closed';
  const entry = live.open(id, 'ws', a, ip, () => {
    reason = 'revoked';
    socket.destroy();
    upstream.destroy();
  });
  metrics.connections.inc({ proto: 'ws' });
  metrics.openConnections.inc();
  const lifetime = setTimeout(() => {
    reason = 'lifetime';
    socket.destroy();
    upstream.destroy();
  }, deps.access.limits.tcp.maxLifetimeMs);
  const connecting = performance.now();
  upstream.on('connect', () => {
    metrics.upstream.observe(
      { proto: 'ws' },
      (performance.now() - connecting) / 1000,
    );
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  socket.on('data', (c: Buffer) => {
    entry.bytesIn += c.length;
  });
  upstream.on('data', (c: Buffer) => {
    entry.bytesOut += c.length;
  });
  upstream.on('error', () => {
    if (reason === 'closed') reason = 'upstream_error';
    if (entry.bytesOut === 0 && socket.writable)
      refuseUpgrade(socket, 'upstream_unreachable');
    else socket.destroy();
  });
  socket.on('error', () => upstream.destroy());
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(lifetime);
    release();
    live.end(id);
    metrics.openConnections.dec();
    metrics.bytes.inc({ direction: 'in' }, entry.bytesIn);
    metrics.bytes.inc({ direction: 'out' }, entry.bytesOut);
    log.log({
      proto: 'ws',
      conn: id,
      clientIp: ip,
      host: req.headers.host,
      route: path.split('?')[0],
      team: a.payload.team,
      chal: a.payload.chal,
      tr: a.payload.tr,
      iid: a.payload.iid,
      tokenId: a.tokenId,
      reason,
      bytesIn: entry.bytesIn,
      bytesOut: entry.bytesOut,
      durationMs: Math.round(performance.now() - started),
    });
  };
  socket.on('close', () => {
    upstream.destroy();
    end();
  });
  upstream.on('close', () => {
    socket.destroy();
    end();
  });
}

function bridgeWebSocketToTcp(
  deps: HttpDeps,
  ws: WebSocket,
  a: Access,
  ip: string,
  release: () => void,
) {
  const { metrics, log, live } = deps;
  const started = performance.now();
  const id = randomUUID();
  const [host, port] = splitTarget(a.payload.target);
  const upstream = net.connect({ host, port });
  const connecting = performance.now();
  upstream.once('connect', () =>
    metrics.upstream.observe(
      { proto: 'ws-tcp' },
      (performance.now() - connecting) / 1000,
    ),
  );
  let reason = 'closed';
  const entry = live.open(id, 'ws-tcp', a, ip, () => {
    reason = 'revoked';
    ws.terminate();
    upstream.destroy();
  });
  metrics.connections.inc({ proto: 'ws-tcp' });
  metrics.openConnections.inc();
  const lifetime = setTimeout(() => {
    reason = 'lifetime';
    ws.close(1001, 'connection lifetime reached');
    upstream.destroy();
  }, deps.access.limits.tcp.maxLifetimeMs);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const chunk = isBinary ? data : Buffer.from(data);
    entry.bytesIn += chunk.length;
    if (!upstream.write(chunk)) ws.pause();
  });
  upstream.on('drain', () => ws.resume());
  upstream.on('data', (chunk: Buffer) => {
    entry.bytesOut += chunk.length;
    ws.send(chunk, { binary: true });
  });
  upstream.on('error', () => {
    if (reason === 'closed') reason = 'upstream_error';
  });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(lifetime);
    release();
    live.end(id);
    metrics.openConnections.dec();
    metrics.bytes.inc({ direction: 'in' }, entry.bytesIn);
    metrics.bytes.inc({ direction: 'out' }, entry.bytesOut);
    log.log({
      proto: 'ws-tcp',
      conn: id,
      clientIp: ip,
      route: WS_TCP_PATH,
      team: a.payload.team,
      chal: a.payload.chal,
      tr: a.payload.tr,
      iid: a.payload.iid,
      tokenId: a.tokenId,
      reason,
      bytesIn: entry.bytesIn,
      bytesOut: entry.bytesOut,
      durationMs: Math.round(performance.now() - started),
    });
  };
  upstream.on('close', () => {
    if (ws.readyState === ws.OPEN)
      ws.close(
        1000,
        reason === 'upstream_error' ? 'instance unreachable' : 'closed',
      );
    end();
  });
  ws.on('close', () => {
    upstream.destroy();
    end();
  });
  ws.on('error', () => upstream.destroy());
}

export function splitTarget(target: string): [string, number] {
  const colon = target.lastIndexOf(':');
  let host = target.slice(0, colon);
  if (host.startsWith('[')) host = host.slice(1, -1);
  return [host, Number(target.slice(colon + 1))];
}
