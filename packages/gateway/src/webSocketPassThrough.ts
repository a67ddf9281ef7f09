import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Access } from './accessControl';
import type { GatewayDeps } from './gatewayDeps';
import { refuseUpgrade } from './refusals';
import { forwardedHeaders } from './httpProxy';
import { connectUpstream, trackConnection } from './trackedConnection';

/** The upgrade request as the instance gets it: the same headers as a proxied HTTP request. */
function upgradeRequestHead(
  req: IncomingMessage,
  path: string,
  ip: string,
  secure: boolean,
): string {
  const lines = [`${req.method} ${path} HTTP/1.1`];
  const headers = forwardedHeaders(req, ip, secure, true);
  for (let i = 0; i < headers.length; i += 2)
    lines.push(`${headers[i]}: ${headers[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * WebSocket pass-through: the instance answers the upgrade itself; the
 * gateway replays the request head (minus its token) on a TCP connection to
 * the instance and pipes bytes both ways.
 */
export function passThroughUpgrade(
  deps: GatewayDeps,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  a: Access,
  ip: string,
  path: string,
  release: () => void,
) {
  const upstream = connectUpstream(deps.metrics, 'ws', a.payload.target);
  const tracked = trackConnection(deps, {
    proto: 'ws',
    access: a,
    clientIp: ip,
    release,
    close: () => {
      socket.destroy();
      upstream.destroy();
    },
    logFields: { host: req.headers.host, route: path.split('?')[0] },
  });
  const { entry } = tracked;
  upstream.on('connect', () => {
    upstream.write(
      upgradeRequestHead(req, path, ip, deps.config.secureCookies),
    );
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
    tracked.upstreamFailed();
    if (entry.bytesOut === 0 && socket.writable)
      refuseUpgrade(socket, 'upstream_unreachable');
    else socket.destroy();
  });
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => {
    upstream.destroy();
    tracked.end();
  });
  upstream.on('close', () => {
    socket.destroy();
    tracked.end();
  });
}
