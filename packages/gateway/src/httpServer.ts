import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { GatewayDeps } from './gatewayDeps';
import { REFUSALS, refuseUpgrade, type RefusalReason } from './refusals';
import { clientIpOf } from './clientIp';
import { instanceOfHost } from './virtualHosts';
import { bearerToken, cookieToken, queryToken } from './tokenSources';
import { logRefusal } from './trackedConnection';
import { createRequestHandler, rateLimitWait } from './httpProxy';
import { passThroughUpgrade } from './webSocketPassThrough';
import { WS_TCP_PATH, bridgeWebSocketToTcp } from './webSocketTcpBridge';

/**
 * The HTTP side of the gateway: per-instance virtual hosts proxied with a
 * keep-alive pool (httpProxy), WebSocket pass-through, and TCP over
 * WebSocket on the bare domain.
 */
export function createHttpServer(deps: GatewayDeps): http.Server {
  const { config } = deps;
  const server = http.createServer({
    keepAliveTimeout: config.keepAliveTimeoutMs,
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    maxHeaderSize: 16 * 1024,
    // Check header/request timeouts every second (Node's default is 30 s).
    connectionsCheckingInterval: 1000,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('request', createRequestHandler(deps));
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    handleUpgrade(deps, wss, { req, socket, head }),
  );
  return server;
}

type Refuse = (reason: RefusalReason, proto: 'ws' | 'ws-tcp') => void;
type Upgrade = { req: IncomingMessage; socket: Socket; head: Buffer };

/** Logs, counts and answers a refused upgrade. */
function upgradeRefusal(
  deps: GatewayDeps,
  { req, socket }: Upgrade,
  ip: string,
  route: string,
): Refuse {
  return (reason, proto) => {
    logRefusal(deps, {
      proto,
      conn: randomUUID(),
      clientIp: ip,
      host: req.headers.host,
      route,
      reason,
      status: REFUSALS[reason].status,
      durationMs: 0,
    });
    refuseUpgrade(socket, reason);
  };
}

/** Routes an upgrade: TCP over WebSocket on the bare domain, pass-through on an instance's host. */
function handleUpgrade(
  deps: GatewayDeps,
  wss: WebSocketServer,
  upgrade: Upgrade,
) {
  const { config, access } = deps;
  const { req, socket, head } = upgrade;
  const ip = clientIpOf(req, socket, config.trustProxy);
  const iid = instanceOfHost(req.headers.host, config.domain);
  const { token: fromQuery, rest } = queryToken(req.url ?? '/');
  const route = rest.split('?')[0];
  const token =
    fromQuery ??
    bearerToken(req.headers.authorization) ??
    cookieToken(req.headers.cookie);
  const fail = upgradeRefusal(deps, upgrade, ip, route);
  if (deps.isDraining()) {
    fail('draining', 'ws');
    return;
  }
  if (iid === undefined) {
    fail('unknown_host', 'ws');
    return;
  }
  if (iid === '') {
    tunnelUpgrade(deps, wss, upgrade, { token, route, ip, fail });
    return;
  }

  // WebSocket pass-through to the instance.
  const checked = access.check(token, { proto: 'http', iid });
  if (!checked.ok) {
    fail(checked.reason, 'ws');
    return;
  }
  const a = checked.access;
  if (rateLimitWait(deps, a, ip) > 0) {
    fail('rate_limited', 'ws');
    return;
  }
  const release = deps.caps.acquire(ip, a.tokenId);
  if (typeof release === 'string') {
    fail(release, 'ws');
    return;
  }
  passThroughUpgrade(deps, req, socket, head, a, ip, rest, release);
}

/** TCP over WebSocket on the bare domain: a `tcp` token picks the target. */
function tunnelUpgrade(
  deps: GatewayDeps,
  wss: WebSocketServer,
  { req, socket, head }: Upgrade,
  c: { token?: string; route: string; ip: string; fail: Refuse },
) {
  if (c.route !== WS_TCP_PATH) {
    c.fail('unknown_host', 'ws-tcp');
    return;
  }
  const checked = deps.access.check(c.token, { proto: 'tcp' });
  if (!checked.ok) {
    c.fail(checked.reason, 'ws-tcp');
    return;
  }
  const release = deps.caps.acquire(c.ip, checked.access.tokenId);
  if (typeof release === 'string') {
    c.fail(release, 'ws-tcp');
    return;
  }
  wss.handleUpgrade(req, socket, head, ws =>
    bridgeWebSocketToTcp(deps, ws, checked.access, c.ip, release),
  );
}
