/** Version of the token format this code signs and accepts. @public */
export const GATEWAY_TOKEN_VERSION = 1;
/** Longest token accepted, in characters; longer input is refused unparsed. @public */
export const MAX_GATEWAY_TOKEN_LENGTH = 2048;
/** Longest id field (instance, team, challenge, kid). */
const MAX_ID_LENGTH = 128;

/** What a token opens. `tcp` also covers TCP over WebSocket. @public */
export type GatewayProtocol = 'http' | 'tcp';

/**
 * The signed claims: version, key id, instance, team, challenge, protocol,
 * upstream `host:port`, and expiry in Unix seconds.
 *
 * @public
 */
export type GatewayTokenPayload = {
  v: number;
  kid: string;
  iid: string;
  team: string;
  chal: string;
  proto: GatewayProtocol;
  target: string;
  exp: number;
  /**
   * The W3C trace id of the request that started the instance (32 hex), so
   * the gateway's log lines for the instance carry it. Optional.
   */
  tr?: string;
};

/** Claims the signer supplies; `v` and `kid` come from the signer. @public */
export type GatewayTokenClaims = Omit<GatewayTokenPayload, 'v' | 'kid'>;

/** Why a token was refused. @public */
export type GatewayTokenRefusal =
  | 'malformed'
  | 'oversized'
  | 'unsupported_version'
  | 'unknown_kid'
  | 'bad_signature'
  | 'bad_claims'
  | 'expired';

/** Result of verifying a token (`verifyGatewayToken` in the -node package). @public */
export type GatewayTokenVerification =
  | { ok: true; payload: GatewayTokenPayload }
  | { ok: false; reason: GatewayTokenRefusal };

const ID = /^[A-Za-z0-9._:/@-]+$/;
const TARGET =
  /^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$|^\[[0-9a-fA-F:.]+\]:[0-9]{1,5}$/;

/**
 * The first claim of a (signed or to-be-signed) payload that is not
 * well-formed (types, lengths, charset, port range), or undefined. Both the
 * signer and the verifier use it, so a token that would be refused is
 * never minted.
 *
 * @public
 */
export function gatewayTokenClaimsProblem(
  p: Record<string, unknown>,
): string | undefined {
  for (const field of ['kid', 'iid', 'team', 'chal'] as const) {
    const value = p[field];
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > MAX_ID_LENGTH ||
      !ID.test(value)
    )
      return field;
  }
  if (p.proto !== 'http' && p.proto !== 'tcp') return 'proto';
  if (typeof p.target !== 'string' || !TARGET.test(p.target)) return 'target';
  const port = Number(p.target.slice(p.target.lastIndexOf(':') + 1));
  if (!(port >= 1 && port <= 65535)) return 'target';
  if (typeof p.exp !== 'number' || !Number.isSafeInteger(p.exp) || p.exp <= 0)
    return 'exp';
  if (
    p.tr !== undefined &&
    (typeof p.tr !== 'string' || !/^[0-9a-f]{32}$/.test(p.tr))
  )
    return 'tr';
  return undefined;
}
