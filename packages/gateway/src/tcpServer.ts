import net, { type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { MAX_GATEWAY_TOKEN_LENGTH } from '@flagstage/plugin-gateway-common';
import type { GatewayDeps } from './gatewayDeps';
import type { Access } from './accessControl';
import { REFUSALS, type RefusalReason } from './refusals';
import { clientIpOf } from './clientIp';
import {
  connectUpstream,
  logRefusal,
  trackConnection,
} from './trackedConnection';

/**
 * The raw TCP listener: the client's first line is its token (within the
 * authentication timeout); then bytes are piped both ways until either side
 * closes or the lifetime cap is reached. Refusals get one line
 * `ERR <reason>: <message>` before the close.
 */
export function createTcpServer(deps: GatewayDeps): net.Server {
  // Half-open: a client may finish sending and still read the instance's answer.
  const server = net.createServer({ allowHalfOpen: true });
  server.on('connection', (socket: Socket) => accept(deps, socket));
  return server;
}

/**
 * Counts a new connection against its address before anything is read: an
 * address that sent too many invalid tokens lately is refused at once, and
 * one holding too many connections still waiting for their token line is
 * closed (counted in the refusal metric, not logged line by line: that is
 * what a flood looks like).
 */
function accept(deps: GatewayDeps, socket: Socket) {
  const ip = clientIpOf(undefined, socket, false);
  socket.on('error', () => {});
  const quickRefusal = (reason: RefusalReason) => {
    deps.metrics.refusals.inc({ proto: 'tcp', reason });
    socket.end(`ERR ${reason}: ${REFUSALS[reason].message}\n`);
    socket.destroySoon?.();
  };
  if (deps.invalidTokens.wait(ip) > 0) {
    quickRefusal('rate_limited');
    return;
  }
  const release = deps.caps.acquireUnauthenticated(ip);
  if (!release) {
    quickRefusal('per_ip');
    return;
  }
  socket.once('close', release);
  authenticate(deps, socket, ip, release);
}

type Admitted = { access: Access; release: () => void };

/** Checks a token line: draining, token, caps; a refusal or the access with its cap slot. */
function admit(
  deps: GatewayDeps,
  token: string,
  ip: string,
): Admitted | RefusalReason {
  if (deps.isDraining()) return 'draining';
  const checked = deps.access.check(token, { proto: 'tcp' });
  if (!checked.ok) {
    // An invalid token (not a refusal of a valid one) spends the address's budget.
    if (REFUSALS[checked.reason].status === 401) deps.invalidTokens.take(ip);
    return checked.reason;
  }
  const release = deps.caps.acquire(ip, checked.access.tokenId);
  if (typeof release === 'string') return release;
  return { access: checked.access, release };
}

/** Waits for the token line (within the auth timeout), then pipes to the instance or refuses. */
function authenticate(
  deps: GatewayDeps,
  socket: Socket,
  ip: string,
  authenticated: () => void,
) {
  const started = performance.now();
  const id = randomUUID();
  let buffered = Buffer.alloc(0);
  let settled = false;

  let authTimer: NodeJS.Timeout | undefined = undefined;
  const logRefused = (reason: RefusalReason | 'auth_timeout') =>
    logRefusal(deps, {
      proto: 'tcp',
      conn: id,
      clientIp: ip,
      reason,
      durationMs: Math.round(performance.now() - started),
    });
  const refuse = (reason: RefusalReason) => {
    settled = true;
    clearTimeout(authTimer);
    logRefused(reason);
    socket.end(`ERR ${reason}: ${REFUSALS[reason].message}\n`);
    socket.destroySoon?.();
  };
  authTimer = setTimeout(() => {
    if (!settled) {
      settled = true;
      logRefused('auth_timeout');
      socket.end('ERR auth_timeout: send your token on the first line\n');
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  }, deps.access.limits.tcp.authTimeoutMs);
  socket.once('end', () => {
    // The client finished before authenticating: nothing to answer.
    if (!settled) {
      settled = true;
      clearTimeout(authTimer);
      socket.destroy();
    }
  });
  socket.on('close', () => clearTimeout(authTimer));

  const onData = (chunk: Buffer) => {
    if (settled) return;
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const nl = buffered.indexOf(10);
    if (nl < 0) {
      if (buffered.length > MAX_GATEWAY_TOKEN_LENGTH + 2) {
        deps.invalidTokens.take(ip);
        refuse('oversized');
      }
      return;
    }
    socket.off('data', onData);
    socket.pause();
    const token = buffered
      .subarray(0, nl)
      .toString('latin1')
      .replace(/\r$/, '')
      .trim();
    const admitted = admit(deps, token, ip);
    if (typeof admitted === 'string') {
      refuse(admitted);
      return;
    }
    settled = true;
    clearTimeout(authTimer);
    authenticated();
    pipeToInstance(deps, socket, buffered.subarray(nl + 1), admitted, {
      id,
      ip,
      started,
    });
  };
  socket.on('data', onData);
}

/** Pipes an admitted client to its instance until either side closes. */
function pipeToInstance(
  deps: GatewayDeps,
  client: Socket,
  first: Buffer,
  { access: a, release }: Admitted,
  { id, ip, started }: { id: string; ip: string; started: number },
) {
  const upstream = connectUpstream(deps.metrics, 'tcp', a.payload.target);
  // Bytes after the token line, read from the sockets' own counters.
  const headerBytes = client.bytesRead - first.length;
  const tracked = trackConnection(deps, {
    proto: 'tcp',
    access: a,
    clientIp: ip,
    release,
    close: () => {
      client.destroy();
      upstream.destroy();
    },
    bytes: () => [
      Math.max(0, client.bytesRead - headerBytes),
      upstream.bytesRead,
    ],
    id,
    started,
  });
  upstream.on('connect', () => {
    if (first.length) upstream.write(first);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
  upstream.on('error', () => {
    tracked.upstreamFailed();
    if (upstream.bytesRead === 0 && client.writable)
      client.end(
        `ERR upstream_unreachable: ${REFUSALS.upstream_unreachable.message}\n`,
      );
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => {
    upstream.destroy();
    tracked.end();
  });
  upstream.on('close', () => {
    client.end();
    tracked.end();
  });
}
