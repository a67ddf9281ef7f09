import type { Request, RequestHandler } from 'express';
import { NotAllowedError } from '@backstage/errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** 415: a state-changing request with a body that is not JSON. */
export class UnsupportedMediaTypeError extends Error {
  name = 'UnsupportedMediaTypeError';
  constructor() {
    super('Send the request body as application/json');
  }
}

/** `scheme://host[:port]` of a URL, or undefined when it is not one. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function hasBody(req: Request) {
  const length = req.headers['content-length'];
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  );
}

/**
 * Refuses cross-site state-changing requests to the cookie-authenticated
 * contestant API. Instances are served from subdomains of the same site, so
 * SameSite=Lax cookies alone do not stop a hostile instance page: the check
 * is by exact origin. A POST/PUT/PATCH/DELETE passes when its `Origin` is one
 * of `allowedOrigins` or the origin the request itself was addressed to (the
 * play app is served by the backend); without `Origin`, a `Sec-Fetch-Site`
 * other than `same-origin` is refused, and a request with neither header
 * comes from no browser (curl, a bot) and carries no ambient cookie risk.
 * A request with a body must be `application/json` (415 otherwise), which a
 * cross-site form or a CORS "simple" request cannot send; bodiless ones
 * (logout, stop, leave) need only the origin check.
 */
export function stateChangeGuard(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map(o => originOf(o) ?? o));
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method)) {
      next();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const own = originOf(`${req.protocol}://${req.get('host')}`);
      if (origin !== own && !allowed.has(origin))
        throw new NotAllowedError('Cross-origin request refused');
    } else {
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin')
        throw new NotAllowedError('Cross-site request refused');
    }
    if (hasBody(req) && !req.is('application/json'))
      throw new UnsupportedMediaTypeError();
    next();
  };
}
