import type { GatewayKey } from './token';

/** Shortest accepted secret, in decoded bytes (HMAC-SHA256 key strength). */
const MIN_SECRET_BYTES = 32;

/**
 * Parses `kid:base64secret` pairs separated by commas (the gateway's
 * `GATEWAY_KEYS`). Throws on a pair without a kid or a secret shorter than
 * 32 bytes decoded; `name` prefixes the error messages.
 *
 * @public
 */
export function parseGatewayKeys(
  spec: string | undefined,
  name = 'GATEWAY_KEYS',
): GatewayKey[] {
  if (!spec) return [];
  return spec.split(',').map(pair => {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new Error(`${name}: expected kid:base64secret pairs`);
    const kid = pair.slice(0, colon).trim();
    const secret = Buffer.from(pair.slice(colon + 1).trim(), 'base64');
    if (secret.length < MIN_SECRET_BYTES)
      throw new Error(
        `${name}: the secret of "${kid}" is shorter than ${MIN_SECRET_BYTES} bytes`,
      );
    return { kid, secret };
  });
}
