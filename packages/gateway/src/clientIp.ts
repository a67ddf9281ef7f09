import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** The client address: the socket's, or the first X-Forwarded-For hop when the proxy in front is trusted. */
export function clientIpOf(
  req: IncomingMessage | undefined,
  socket: Socket,
  trustProxy: boolean,
): string {
  if (trustProxy && req) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)
      ?.split(',')[0]
      ?.trim();
    if (first) return first;
  }
  const ip = socket.remoteAddress ?? 'unknown';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
