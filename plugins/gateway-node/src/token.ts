import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  GATEWAY_TOKEN_VERSION,
  MAX_GATEWAY_TOKEN_LENGTH,
  gatewayTokenClaimsProblem,
  type GatewayTokenClaims,
  type GatewayTokenPayload,
  type GatewayTokenVerification,
} from '@flagstage/plugin-gateway-common';

/** One signing key. `secret` should be at least 32 random bytes. @public */
export type GatewayKey = { kid: string; secret: Buffer | string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function keyBytes(secret: Buffer | string): Buffer {
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
}

function mac(secret: Buffer | string, data: string): Buffer {
  return createHmac('sha256', keyBytes(secret)).update(data, 'ascii').digest();
}

/**
 * Signs a gateway access token:
 * `base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * Throws on claims the gateway would refuse, so a bad token is never minted.
 *
 * @public
 */
export function signGatewayToken(
  claims: GatewayTokenClaims,
  key: GatewayKey,
): string {
  const payload: GatewayTokenPayload = {
    v: GATEWAY_TOKEN_VERSION,
    kid: key.kid,
    iid: claims.iid,
    team: claims.team,
    chal: claims.chal,
    proto: claims.proto,
    target: claims.target,
    exp: claims.exp,
    ...(claims.tr ? { tr: claims.tr } : {}),
  };
  const problem = gatewayTokenClaimsProblem(payload);
  if (problem) throw new TypeError(`invalid gateway token claim: ${problem}`);
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString(
    'base64url',
  );
  const token = `${body}.${mac(key.secret, body).toString('base64url')}`;
  if (token.length > MAX_GATEWAY_TOKEN_LENGTH)
    throw new TypeError('gateway token too long');
  return token;
}

/**
 * A set of verification keys by `kid`, so keys can rotate: sign with the new
 * key while the old one still verifies until its tokens expire.
 *
 * @public
 */
export class GatewayKeyring {
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: GatewayKey[] = []) {
    for (const k of keys) this.keys.set(k.kid, keyBytes(k.secret));
  }

  get(kid: string): Buffer | undefined {
    return this.keys.get(kid);
  }

  get size(): number {
    return this.keys.size;
  }

  kids(): string[] {
    return [...this.keys.keys()];
  }
}

/**
 * Verifies a token: size, shape, version, known `kid`, signature (constant
 * time), claims, expiry — in that order, so nothing unsigned is trusted
 * beyond choosing the key. `now` is in milliseconds.
 *
 * @public
 */
export function verifyGatewayToken(
  token: string,
  keyring: GatewayKeyring,
  now: number = Date.now(),
): GatewayTokenVerification {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  if (token.length > MAX_GATEWAY_TOKEN_LENGTH)
    return { ok: false, reason: 'oversized' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.'))
    return { ok: false, reason: 'malformed' };
  const body = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (!BASE64URL.test(body) || !BASE64URL.test(signature))
    return { ok: false, reason: 'malformed' };
  let payload: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { ok: false, reason: 'malformed' };
    payload = parsed;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (payload.v !== GATEWAY_TOKEN_VERSION)
    return { ok: false, reason: 'unsupported_version' };
  const key =
    typeof payload.kid === 'string' ? keyring.get(payload.kid) : undefined;
  if (!key) return { ok: false, reason: 'unknown_kid' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, body);
  // Re-encoding must round-trip: refuses non-canonical base64url spellings.
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== signature ||
    !timingSafeEqual(given, expected)
  )
    return { ok: false, reason: 'bad_signature' };
  if (gatewayTokenClaimsProblem(payload))
    return { ok: false, reason: 'bad_claims' };
  const claims = payload as unknown as GatewayTokenPayload;
  if (claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: claims };
}

/**
 * A short, stable, non-secret id of a token (first 32 hex characters of its
 * SHA-256), for logs, live-connection views and revocation by token.
 *
 * @public
 */
export function gatewayTokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 32);
}
