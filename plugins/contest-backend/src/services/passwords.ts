import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost: N=2^17, r=8, p=1, OWASP's current recommendation. One hash
 * takes 128 MiB (128·N·r bytes) and about 0.4 s of one libuv thread on a
 * 2-vCPU machine; `bench/contest/login.ts` measures it.
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** Above 128·N·r so Node accepts the cost, with room for the old hashes' lower ones. */
const MAX_MEMORY = 256 * 1024 * 1024;

type Params = { N: number; r: number; p: number };

function derive(password: string, salt: Buffer, params: Params) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password,
      salt,
      KEY_LENGTH,
      { ...params, maxmem: MAX_MEMORY },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** Hashes a password with scrypt: `scrypt$N$r$p$salt$hash` (base64url), at `params` (tests of rehashing pass a lower one). */
export async function hashPassword(
  password: string,
  params: Params = SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

function parse(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  return { params: { N: Number(n), r: Number(r), p: Number(p) }, salt, hash };
}

/** Checks a password against a stored hash in constant time, at the parameters stored with it. */
export async function verifyPassword(
  password: string,
  stored: string,
): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.hash, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(parsed.salt, 'base64url'),
    parsed.params,
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Was the hash made at a lower cost than today's (so a successful login should rehash)? */
export function needsRehash(stored: string): boolean {
  const params = parse(stored)?.params;
  return (
    !params ||
    params.N < SCRYPT_PARAMS.N ||
    params.r < SCRYPT_PARAMS.r ||
    params.p < SCRYPT_PARAMS.p
  );
}
