/**
 * Where an HTTP or WebSocket client's gateway token comes from: the access
 * link's `?token=` (traded for a cookie on first visit), an
 * `Authorization: Bearer` header shaped like a gateway token, or the
 * per-instance cookie. Each is removed before the request reaches the
 * instance.
 */

/** Name of the per-instance access cookie (HttpOnly, host-only). */
export const ACCESS_COOKIE = 'fsg_token';

/** The access cookie's value in a `Cookie` header, if present. */
export function cookieToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const at = header.indexOf(`${ACCESS_COOKIE}=`);
  if (at < 0 || (at > 0 && header[at - 1] !== ' ' && header[at - 1] !== ';'))
    return undefined;
  const start = at + ACCESS_COOKIE.length + 1;
  const end = header.indexOf(';', start);
  return header.slice(start, end < 0 ? undefined : end).trim();
}

/** Removes the gateway's cookie before the request reaches the instance. */
export function withoutAccessCookie(header: string): string | undefined {
  const kept = header
    .split(';')
    .map(p => p.trim())
    .filter(p => p && !p.startsWith(`${ACCESS_COOKIE}=`));
  return kept.length ? kept.join('; ') : undefined;
}

/** A bearer value shaped like a gateway token (two base64url parts), else undefined (the app's own). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header || !header.startsWith('Bearer ')) return undefined;
  const value = header.slice(7).trim();
  const dot = value.indexOf('.');
  return dot > 0 && dot === value.lastIndexOf('.') ? value : undefined;
}

/** Splits the access link's `?token=` off a URL: the token and the URL without it. */
export function queryToken(url: string): { token?: string; rest: string } {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes('token=', q)) return { rest: url };
  const params = new URLSearchParams(url.slice(q + 1));
  const token = params.get('token') ?? undefined;
  params.delete('token');
  const query = params.toString();
  return { token, rest: url.slice(0, q) + (query ? `?${query}` : '') };
}

/** The `Set-Cookie` value that trades a link token for the access cookie, until the token expires. */
export function accessCookie(
  token: string,
  expSeconds: number,
  secure: boolean,
  now = Date.now(),
): string {
  const maxAge = Math.max(0, Math.floor(expSeconds - now / 1000));
  return `${ACCESS_COOKIE}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${
    secure ? '; Secure' : ''
  }`;
}
