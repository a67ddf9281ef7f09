import type { CookieOptions, Request, Response } from 'express';
import { parse } from 'cookie';
import { SESSION_TTL_MS } from '../database/SessionStore';

/** Cookie carrying the contestant session token. */
export const SESSION_COOKIE = 'flagstage_session';

/** Where the session cookie goes: Secure over https, scoped to the public API. */
export type SessionCookieOptions = { secure: boolean; path: string };

function attributes(options: SessionCookieOptions): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: options.path,
  };
}

/** The session token from the request's cookies (the `cookie` package parses and decodes). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** Session cookie: HttpOnly, SameSite=Lax, Secure over https, for the session's lifetime. */
export function setSessionCookie(
  res: Response,
  token: string,
  options: SessionCookieOptions,
) {
  res.cookie(SESSION_COOKIE, token, {
    ...attributes(options),
    maxAge: SESSION_TTL_MS,
  });
}

export function clearSessionCookie(
  res: Response,
  options: SessionCookieOptions,
) {
  // Max-Age=0 as well as Express's past Expires: clients honour either.
  res.clearCookie(SESSION_COOKIE, { ...attributes(options), maxAge: 0 });
}
