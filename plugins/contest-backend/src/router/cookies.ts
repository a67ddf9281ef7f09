import type { Request, Response } from 'express';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../services/sessions';

/** Reads one cookie without a cookie-parser dependency. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Session cookie: HttpOnly, SameSite=Lax, Secure over https, scoped to the public API. */
export function setSessionCookie(
  res: Response,
  token: string,
  options: { secure: boolean; path: string },
) {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    `Path=${options.path}`,
    `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}

export function clearSessionCookie(
  res: Response,
  options: { secure: boolean; path: string },
) {
  const parts = [
    `${SESSION_COOKIE}=`,
    `Path=${options.path}`,
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}
