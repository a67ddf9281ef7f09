import { createHash } from 'node:crypto';
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

/** SHA-256 of the signing secret committed in app-config.yaml for development. */
const DEVELOPMENT_KEY_SHA256 =
  '34fc87781d067e8a3f350c6ee73de2dd811ce5e1fc51709961017ed4875b4eec';

/**
 * Whether a key is the development key committed in the repository: anyone
 * can mint tokens with it, so only a gateway in development mode accepts it.
 *
 * @public
 */
export function isDevelopmentGatewayKey(key: { secret: Buffer | string }) {
  const bytes =
    typeof key.secret === 'string' ? Buffer.from(key.secret) : key.secret;
  return (
    createHash('sha256').update(bytes).digest('hex') === DEVELOPMENT_KEY_SHA256
  );
}
