import net, { type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { MAX_GATEWAY_TOKEN_LENGTH } from '@flagstage/plugin-gateway-common';
import type { HttpDeps } from './httpServer';
import type { Access } from './accessControl';
import { splitTarget } from './httpServer';
import { REFUSALS } from './refusals';
import { clientIpOf } from './clientIp';

/**
 * The raw TCP listener: the client's first line is its token (within the
 * authentication timeout); then bytes are piped both ways until either side
 * closes or the lifetime cap is reached. Refusals get one line
 * `ERR <reason>: <message>` before the close.
 */
export function createTcpServer(deps: HttpDeps): net.Server {
  const { access, log, metrics, live } = deps;
  // Half-open: a client may finish sending and still read the instance's answer.
  const server = net.createServer({ allowHalfOpen: true });

  server.on('connection', (socket: Socket) => {
    const started = performance.now();
    const ip = clientIpOf(undefined, socket, false);
    const id = randomUUID();
    let buffered = Buffer.alloc(0);
    let settled = false;

    let authTimer: NodeJS.Timeout | undefined = undefined;
    const refuse = (reason: keyof typeof REFUSALS) => {
      settled = true;
      clearTimeout(authTimer);
      metrics.refusals.inc({ proto: 'tcp', reason });
      log.log({
        proto: 'tcp',
        conn: id,
        clientIp: ip,
        reason,
        bytesIn: 0,
        bytesOut: 0,
        durationMs: Math.round(performance.now() - started),
      });
      socket.end(`ERR ${reason}: ${REFUSALS[reason].message}\n`);
      socket.destroySoon?.();
    };
    authTimer = setTimeout(() => {
      if (!settled) {
        settled = true;
        metrics.refusals.inc({ proto: 'tcp', reason: 'auth_timeout' });
        log.log({
          proto: 'tcp',
          conn: id,
          clientIp: ip,
          reason: 'auth_timeout',
          bytesIn: 0,
          bytesOut: 0,
          durationMs: Math.round(performance.now() - started),
        });
        socket.end('ERR auth_timeout: send your token on the first line\n');
        setTimeout(() => socket.destroy(), 1000).unref();
      }
    }, access.limits.tcp.authTimeoutMs);
    socket.on('error', () => {});
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
        if (buffered.length > MAX_GATEWAY_TOKEN_LENGTH + 2) refuse('oversized');
        return;
      }
      socket.off('data', onData);
      socket.pause();
      if (deps.isDraining()) {
        refuse('draining');
        return;
      }
      const token = buffered
        .subarray(0, nl)
        .toString('latin1')
        .replace(/\r$/, '')
        .trim();
      const rest = buffered.subarray(nl + 1);
      const checked = access.check(token, { proto: 'tcp' });
      if (!checked.ok) {
        refuse(checked.reason);
        return;
      }
      const release = deps.caps.acquire(ip, checked.access.tokenId);
      if (typeof release === 'string') {
        refuse(release);
        return;
      }
      settled = true;
      clearTimeout(authTimer);
      pipe(socket, rest, checked.access, release);
    };
    socket.on('data', onData);

    function pipe(
      client: Socket,
      first: Buffer,
      a: Access,
      release: () => void,
    ) {
      const [host, port] = splitTarget(a.payload.target);
      const upstream = net.connect({ host, port });
      const connecting = performance.now();
      let reason = 'closed';
      // Bytes after the token line, read from the sockets' own counters.
      const headerBytes = client.bytesRead - first.length;
      const bytes = (): [number, number] => [
        Math.max(0, client.bytesRead - headerBytes),
        upstream.bytesRead,
      ];
      const entry = live.open(
        id,
        'tcp',
        a,
        ip,
        () => {
          reason = 'revoked';
          client.destroy();
          upstream.destroy();
        },
        bytes,
      );
      metrics.connections.inc({ proto: 'tcp' });
      metrics.openConnections.inc();
      const lifetime = setTimeout(() => {
        reason = 'lifetime';
        client.destroy();
        upstream.destroy();
      }, access.limits.tcp.maxLifetimeMs);
      upstream.on('connect', () => {
        metrics.upstream.observe(
          { proto: 'tcp' },
          (performance.now() - connecting) / 1000,
        );
        if (first.length) upstream.write(first);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (reason === 'closed') reason = 'upstream_error';
        if (upstream.bytesRead === 0 && client.writable)
          client.end(
            `ERR upstream_unreachable: ${REFUSALS.upstream_unreachable.message}\n`,
          );
      });
      client.on('error', () => upstream.destroy());
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearTimeout(lifetime);
        release();
        [entry.bytesIn, entry.bytesOut] = bytes();
        live.end(id);
        metrics.openConnections.dec();
        metrics.bytes.inc({ direction: 'in' }, entry.bytesIn);
        metrics.bytes.inc({ direction: 'out' }, entry.bytesOut);
        log.log({
          proto: 'tcp',
          conn: id,
          clientIp: ip,
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
      client.on('close', () => {
        upstream.destroy();
        end();
      });
      upstream.on('close', () => {
        client.end();
        end();
      });
    }
  });
  return server;
}
