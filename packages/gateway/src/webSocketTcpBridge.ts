import type { WebSocket } from 'ws';
import type { Access } from './accessControl';
import type { GatewayDeps } from './gatewayDeps';
import { connectUpstream, trackConnection } from './trackedConnection';

/** Path on the bare gateway domain that upgrades to a TCP-over-WebSocket tunnel. */
export const WS_TCP_PATH = '/tcp';

/**
 * TCP over WebSocket: each binary message goes to the instance's TCP port
 * as bytes, each chunk back as one binary message. The WebSocket pauses
 * while the TCP side is full.
 */
export function bridgeWebSocketToTcp(
  deps: GatewayDeps,
  ws: WebSocket,
  a: Access,
  ip: string,
  release: () => void,
) {
  const upstream = connectUpstream(deps.metrics, 'ws-tcp', a.payload.target);
  const tracked = trackConnection(deps, {
    proto: 'ws-tcp',
    access: a,
    clientIp: ip,
    release,
    close: why => {
      if (why === 'lifetime') ws.close(1001, 'connection lifetime reached');
      else ws.terminate();
      upstream.destroy();
    },
    logFields: { route: WS_TCP_PATH },
  });
  const { entry } = tracked;
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
  upstream.on('error', () => tracked.upstreamFailed());
  upstream.on('close', () => {
    if (ws.readyState === ws.OPEN)
      ws.close(
        1000,
        tracked.reason === 'upstream_error' ? 'instance unreachable' : 'closed',
      );
    tracked.end();
  });
  ws.on('close', () => {
    upstream.destroy();
    tracked.end();
  });
  ws.on('error', () => upstream.destroy());
}
