import { createHmac, randomBytes } from 'node:crypto';
import {
  MAX_GATEWAY_TOKEN_LENGTH,
  type GatewayTokenClaims,
} from '@flagstage/plugin-gateway-common';
import {
  GatewayKeyring,
  gatewayTokenId,
  signGatewayToken,
  verifyGatewayToken,
} from './token';

const k1 = { kid: 'k1', secret: randomBytes(32) };
const k2 = { kid: 'k2', secret: randomBytes(32) };
const keyring = new GatewayKeyring([k1, k2]);
const now = Date.parse('2026-11-22T12:00:00Z');
const claims: GatewayTokenClaims = {
  iid: 'inst-1',
  team: 'team-1',
  chal: 'web-cookie-jar',
  proto: 'http',
  target: 'inst-1.ns.svc.cluster.local:3333',
  exp: now / 1000 + 3600,
};

/** Signs an arbitrary payload object with k1 (to test claim validation past the signature). */
function signRaw(payload: object, key = k1) {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const sig = createHmac('sha256', key.secret).update(body).digest('base64url');
  return `${body}.${sig}`;
}

describe('gateway tokens', () => {
  it('round-trips signed claims', () => {
    const token = signGatewayToken(claims, k1);
    expect(verifyGatewayToken(token, keyring, now)).toEqual({
      ok: true,
      payload: { v: 1, kid: 'k1', ...claims },
    });
  });

  it('verifies tokens of every key in the ring (rotation)', () => {
    const old = signGatewayToken(claims, k1);
    const fresh = signGatewayToken(claims, k2);
    expect(verifyGatewayToken(old, keyring, now).ok).toBe(true);
    expect(verifyGatewayToken(fresh, keyring, now).ok).toBe(true);
    const rotated = new GatewayKeyring([k2]);
    expect(verifyGatewayToken(old, rotated, now)).toEqual({
      ok: false,
      reason: 'unknown_kid',
    });
  });

  it('refuses expired tokens, at the second', () => {
    const token = signGatewayToken(claims, k1);
    expect(verifyGatewayToken(token, keyring, claims.exp * 1000 - 1).ok).toBe(
      true,
    );
    expect(verifyGatewayToken(token, keyring, claims.exp * 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses forged signatures, a key with the same kid but another secret, and tampered payloads', () => {
    const token = signGatewayToken(claims, k1);
    const forged = signGatewayToken(claims, {
      kid: 'k1',
      secret: randomBytes(32),
    });
    expect(verifyGatewayToken(forged, keyring, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const [body, sig] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = Buffer.from(
      JSON.stringify({ ...payload, team: 'team-2' }),
    ).toString('base64url');
    expect(verifyGatewayToken(`${tampered}.${sig}`, keyring, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // A signature of the right bytes in a non-canonical spelling is refused too.
    expect(verifyGatewayToken(`${body}.${sig}=`, keyring, now).ok).toBe(false);
  });

  it('refuses wrong versions, unknown kids, malformed and oversized input', () => {
    expect(
      verifyGatewayToken(signRaw({ ...claims, v: 2, kid: 'k1' }), keyring, now),
    ).toEqual({
      ok: false,
      reason: 'unsupported_version',
    });
    expect(
      verifyGatewayToken(signRaw({ ...claims, v: 1, kid: 'k9' }), keyring, now),
    ).toEqual({
      ok: false,
      reason: 'unknown_kid',
    });
    for (const bad of [
      '',
      '.',
      'abc',
      'a.b.c',
      '!!.!!',
      `${Buffer.from('[1]').toString('base64url')}.AA`,
      `${Buffer.from('null').toString('base64url')}.AA`,
    ]) {
      expect({ bad, r: verifyGatewayToken(bad, keyring, now).ok }).toEqual({
        bad,
        r: false,
      });
    }
    expect(
      verifyGatewayToken(
        'a'.repeat(MAX_GATEWAY_TOKEN_LENGTH + 1),
        keyring,
        now,
      ),
    ).toEqual({
      ok: false,
      reason: 'oversized',
    });
    expect(verifyGatewayToken(undefined as any, keyring, now).ok).toBe(false);
  });

  it('refuses correctly signed tokens with bad claims', () => {
    const base = { ...claims, v: 1, kid: 'k1' };
    for (const patch of [
      { proto: 'udp' },
      { target: 'no-port' },
      { target: 'host:99999' },
      { target: 'host:0' },
      { target: 'a b:80' },
      { iid: '' },
      { team: 'x'.repeat(200) },
      { chal: 'white space' },
      { exp: 'tomorrow' },
      { exp: 1.5 },
    ]) {
      expect({
        patch,
        r: verifyGatewayToken(signRaw({ ...base, ...patch }), keyring, now),
      }).toEqual({
        patch,
        r: { ok: false, reason: 'bad_claims' },
      });
    }
    expect(
      verifyGatewayToken(
        signRaw({ ...base, target: '[::1]:8080' }),
        keyring,
        now,
      ).ok,
    ).toBe(true);
  });

  it('will not sign claims the gateway would refuse', () => {
    expect(() => signGatewayToken({ ...claims, target: 'nope' }, k1)).toThrow(
      /target/,
    );
    expect(() =>
      signGatewayToken({ ...claims, proto: 'udp' as any }, k1),
    ).toThrow(/proto/);
  });

  it('derives a stable, non-secret token id', () => {
    const token = signGatewayToken(claims, k1);
    expect(gatewayTokenId(token)).toMatch(/^[0-9a-f]{32}$/);
    expect(gatewayTokenId(token)).toBe(gatewayTokenId(token));
    expect(gatewayTokenId(token)).not.toBe(gatewayTokenId(`${token}x`));
    expect(token).not.toContain(gatewayTokenId(token));
  });

  it('fuzz: accepts none of 12,000 random and mutated tokens', () => {
    const valid = signGatewayToken(claims, k1);
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"';
    let seed = 0x2f6b1d;
    const rand = (n: number) => {
      // 32-bit LCG in exact integer arithmetic.
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const mutate = (t: string) => {
      const chars = t.split('');
      const ops = 1 + rand(4);
      for (let i = 0; i < ops; i++) {
        const at = rand(chars.length + 1);
        switch (rand(5)) {
          case 0:
            chars[at] = alphabet[rand(alphabet.length)];
            break;
          case 1:
            chars.splice(at, 1);
            break;
          case 2:
            chars.splice(at, 0, alphabet[rand(alphabet.length)]);
            break;
          case 3:
            chars.splice(at, 0, ...chars.slice(0, rand(8)));
            break;
          default: {
            const j = rand(chars.length);
            [chars[at], chars[j]] = [chars[j], chars[at]];
          }
        }
      }
      return chars.join('');
    };
    let accepted = 0;
    let tried = 0;
    const reasons = new Map<string, number>();
    for (let i = 0; i < 12_000; i++) {
      let candidate: string;
      if (i % 3 === 0) {
        candidate = Array.from(
          { length: rand(300) },
          () => alphabet[rand(alphabet.length)],
        ).join('');
      } else if (i % 3 === 1) {
        candidate = mutate(valid);
      } else {
        // Signed with a wrong key but otherwise perfect, or a re-signed mutation of the payload.
        const [body] = valid.split('.');
        candidate = `${mutate(body)}.${createHmac('sha256', randomBytes(32))
          .update(body)
          .digest('base64url')}`;
      }
      if (candidate === valid) continue;
      tried += 1;
      const result = verifyGatewayToken(candidate, keyring, now);
      if (result.ok) accepted += 1;
      else reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
    }
    expect(tried).toBeGreaterThanOrEqual(10_000);
    expect(accepted).toBe(0);
    expect(reasons.get('malformed')).toBeGreaterThan(0);
    expect(reasons.get('bad_signature')).toBeGreaterThan(0);
  });
});
