import net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Access } from './accessControl';
import type { AccessLogEntry } from './accessLog';
import type { GatewayDeps } from './gatewayDeps';
import type { GatewayMetrics } from './metrics';

/** A long-lived connection's protocol. */
export type LongLivedProto = 'tcp' | 'ws' | 'ws-tcp';

/** Why a long-lived connection ended, as its log line says. */
export type EndReason = 'closed' | 'revoked' | 'lifetime' | 'upstream_error';

export type TrackedConnection = {
  id: string;
  /** Byte counters, for connections that count chunk by chunk. */
  entry: { bytesIn: number; bytesOut: number };
  readonly reason: EndReason;
  /** The upstream failed (unless the connection was already being closed). */
  upstreamFailed(): void;
  /** Releases the caps and live entry, counts the bytes and logs one line; once. */
  end(): void;
};

/**
 * The bookkeeping every long-lived connection (TCP, WebSocket, TCP over
 * WebSocket) shares: a live entry that revocations can close, the connection
 * metrics, the lifetime cap, and one access log line at the end.
 */
export function trackConnection(
  deps: Pick<GatewayDeps, 'access' | 'live' | 'metrics' | 'log'>,
  options: {
    proto: LongLivedProto;
    access: Access;
    clientIp: string;
    /** Gives back the connection's cap slot. */
    release: () => void;
    /** Closes both sides, on revocation or at the lifetime cap. */
    close: (why: 'revoked' | 'lifetime') => void;
    /** Reads the byte counters from the sockets, when they can be read there. */
    bytes?: () => [number, number];
    /** Extra log fields (host, route). */
    logFields?: Pick<AccessLogEntry, 'host' | 'route'>;
    id?: string;
    started?: number;
  },
): TrackedConnection {
  const { access, live, metrics, log } = deps;
  const { proto, access: a, clientIp, bytes } = options;
  const id = options.id ?? randomUUID();
  const started = options.started ?? performance.now();
  let reason: EndReason = 'closed';
  const closeFor = (why: 'revoked' | 'lifetime') => {
    reason = why;
    options.close(why);
  };
  const entry = live.open(
    id,
    proto,
    a,
    clientIp,
    () => closeFor('revoked'),
    bytes,
  );
  metrics.connections.inc({ proto });
  metrics.openConnections.inc();
  const lifetime = setTimeout(
    () => closeFor('lifetime'),
    access.limits.tcp.maxLifetimeMs,
  );
  let ended = false;
  return {
    id,
    entry,
    get reason() {
      return reason;
    },
    upstreamFailed() {
      if (reason === 'closed') reason = 'upstream_error';
    },
    end() {
      if (ended) return;
      ended = true;
      clearTimeout(lifetime);
      options.release();
      if (bytes) [entry.bytesIn, entry.bytesOut] = bytes();
      live.end(id);
      metrics.openConnections.dec();
      metrics.bytes.inc({ direction: 'in' }, entry.bytesIn);
      metrics.bytes.inc({ direction: 'out' }, entry.bytesOut);
      log.log({
        proto,
        conn: id,
        clientIp,
        ...options.logFields,
        ...accessFields(a),
        reason,
        bytesIn: entry.bytesIn,
        bytesOut: entry.bytesOut,
        durationMs: Math.round(performance.now() - started),
      });
    },
  };
}

/** The log fields naming whose access a line is about (never the token). */
export function accessFields(
  a: Access,
): Pick<
  AccessLogEntry,
  'teamId' | 'challengeName' | 'traceId' | 'instanceId' | 'tokenId'
> {
  return {
    teamId: a.payload.team,
    challengeName: a.payload.chal,
    traceId: a.payload.tr,
    instanceId: a.payload.iid,
    tokenId: a.tokenId,
  };
}

/** Logs and counts a refused long-lived connection (nothing proxied). */
export function logRefusal(
  deps: Pick<GatewayDeps, 'metrics' | 'log'>,
  line: Omit<AccessLogEntry, 'bytesIn' | 'bytesOut'> & { reason: string },
) {
  deps.metrics.refusals.inc({ proto: line.proto, reason: line.reason });
  deps.log.log({ ...line, bytesIn: 0, bytesOut: 0 });
}

/** `host:port` (IPv6 in brackets) → host and port. */
export function splitTarget(target: string): [string, number] {
  const colon = target.lastIndexOf(':');
  let host = target.slice(0, colon);
  if (host.startsWith('[')) host = host.slice(1, -1);
  return [host, Number(target.slice(colon + 1))];
}

/** Opens the TCP connection to an instance; its connect time goes to the upstream histogram. */
export function connectUpstream(
  metrics: GatewayMetrics,
  proto: LongLivedProto,
  target: string,
): net.Socket {
  const [host, port] = splitTarget(target);
  const upstream = net.connect({ host, port });
  const connecting = performance.now();
  upstream.once('connect', () =>
    metrics.upstream.observe(
      { proto },
      (performance.now() - connecting) / 1000,
    ),
  );
  return upstream;
}
