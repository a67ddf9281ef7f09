import http, { type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessRefusal } from './accessControl';
import type { CapRefusal } from './connectionCaps';

/** Every reason the gateway refuses a request or connection. */
export type RefusalReason =
  | AccessRefusal
  | CapRefusal
  | 'unknown_host'
  | 'link_used'
  | 'rate_limited'
  | 'body_too_large'
  | 'upstream_unreachable'
  | 'draining';

/** The one catalogue of what a refused client is told. Never echoes the token. */
export const REFUSALS: Record<
  RefusalReason,
  { status: number; message: string }
> = {
  missing_token: {
    status: 401,
    message: 'Open this instance through the link on the contest page.',
  },
  malformed: {
    status: 401,
    message:
      'This access link is not valid. Open the instance again from the contest page.',
  },
  oversized: {
    status: 401,
    message:
      'This access link is not valid. Open the instance again from the contest page.',
  },
  unsupported_version: {
    status: 401,
    message:
      'This access link is from an older version. Open the instance again from the contest page.',
  },
  unknown_kid: {
    status: 401,
    message:
      'This access link is no longer valid. Open the instance again from the contest page.',
  },
  bad_signature: {
    status: 401,
    message:
      'This access link is not valid. Open the instance again from the contest page.',
  },
  bad_claims: {
    status: 401,
    message:
      'This access link is not valid. Open the instance again from the contest page.',
  },
  expired: {
    status: 401,
    message:
      'This access link has expired. Open the instance again from the contest page.',
  },
  wrong_protocol: {
    status: 403,
    message: 'This link is for another kind of connection.',
  },
  wrong_instance: {
    status: 403,
    message: 'This link belongs to another instance.',
  },
  revoked: {
    status: 403,
    message: 'Access to this instance has been revoked.',
  },
  target_not_allowed: {
    status: 403,
    message: 'This instance cannot be reached through the gateway.',
  },
  link_used: {
    status: 403,
    message:
      'This access link was already used. Open the instance again from the contest page.',
  },
  revocations_unavailable: {
    status: 503,
    message: 'The gateway cannot check access right now; try again shortly.',
  },
  unknown_host: { status: 404, message: 'No instance here.' },
  rate_limited: { status: 429, message: 'Too many requests; slow down.' },
  body_too_large: { status: 413, message: 'The request body is too large.' },
  upstream_unreachable: {
    status: 502,
    message: 'The instance is not answering (it may be starting or stopped).',
  },
  draining: { status: 503, message: 'The gateway is restarting; try again.' },
  total: {
    status: 503,
    message: 'The gateway is at its connection limit; try again shortly.',
  },
  per_ip: { status: 429, message: 'Too many connections from your address.' },
  per_token: { status: 429, message: 'Too many connections with this link.' },
};

/** Answers an HTTP request with the refusal's status and message. */
export function refuse(
  res: ServerResponse,
  reason: RefusalReason,
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

/** Answers an upgrade request (a raw socket, no response object yet) and closes it. */
export function refuseUpgrade(socket: Duplex, reason: RefusalReason) {
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
