import {
  GatewayKeyring,
  gatewayTokenId,
  verifyGatewayToken,
} from '@flagstage/plugin-gateway-node';
import type {
  GatewayLimits,
  GatewayProtocol,
  GatewayRevocation,
  GatewayTokenPayload,
  GatewayTokenRefusal,
  RevocationFailureMode,
} from '@flagstage/plugin-gateway-common';

/** A verified token and its non-secret id. */
export type Access = { payload: GatewayTokenPayload; tokenId: string };

export type AccessRefusal =
  | GatewayTokenRefusal
  | 'missing_token'
  | 'wrong_protocol'
  | 'wrong_instance'
  | 'revoked'
  | 'revocations_unavailable';

const CACHE_LIMIT = 50_000;

/**
 * Token checks and the current policy (limits and revocations) of one
 * gateway replica. Verified tokens are cached by their text until expiry, so
 * a keep-alive client costs one HMAC, not one per request; revocations are
 * checked on every request against in-memory sets.
 */
export class AccessControl {
  private readonly verified = new Map<string, Access>();
  private revokedInstances = new Set<string>();
  private revokedTeams = new Set<string>();
  private revokedTokens = new Set<string>();
  /** False while revocations could not be loaded (Redis down at start). */
  revocationsKnown = true;
  private listeners: Array<() => void> = [];

  constructor(
    private readonly keyring: GatewayKeyring,
    public limits: GatewayLimits,
    private readonly failureMode: RevocationFailureMode,
  ) {}

  /** Verifies (or recalls) a token and checks protocol, instance and revocations. */
  check(
    token: string | undefined,
    expect: { proto: GatewayProtocol; iid?: string },
    now = Date.now(),
  ): { ok: true; access: Access } | { ok: false; reason: AccessRefusal } {
    if (!token) return { ok: false, reason: 'missing_token' };
    let access = this.verified.get(token);
    if (access && access.payload.exp * 1000 <= now) {
      this.verified.delete(token);
      access = undefined;
      return { ok: false, reason: 'expired' };
    }
    if (!access) {
      const result = verifyGatewayToken(token, this.keyring, now);
      if (!result.ok) return result;
      access = { payload: result.payload, tokenId: gatewayTokenId(token) };
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(token, access);
    }
    const p = access.payload;
    if (p.proto !== expect.proto)
      return { ok: false, reason: 'wrong_protocol' };
    if (expect.iid !== undefined && p.iid.toLowerCase() !== expect.iid)
      return { ok: false, reason: 'wrong_instance' };
    if (!this.revocationsKnown && this.failureMode === 'closed')
      return { ok: false, reason: 'revocations_unavailable' };
    if (this.isRevoked(access)) return { ok: false, reason: 'revoked' };
    return { ok: true, access };
  }

  isRevoked(access: Access): boolean {
    return (
      this.revokedInstances.has(access.payload.iid) ||
      this.revokedTeams.has(access.payload.team) ||
      this.revokedTokens.has(access.tokenId)
    );
  }

  /** Replaces the revocation list; listeners close connections that are now revoked. */
  setRevocations(list: GatewayRevocation[]) {
    this.revokedInstances = new Set(
      list.filter(r => r.scope === 'instance').map(r => r.value),
    );
    this.revokedTeams = new Set(
      list.filter(r => r.scope === 'team').map(r => r.value),
    );
    this.revokedTokens = new Set(
      list.filter(r => r.scope === 'token').map(r => r.value),
    );
    this.revocationsKnown = true;
    for (const listener of this.listeners) listener();
  }

  onRevocationsChanged(listener: () => void) {
    this.listeners.push(listener);
  }

  /** Drops expired tokens from the cache. */
  sweep(now = Date.now()) {
    for (const [token, access] of this.verified) {
      if (access.payload.exp * 1000 <= now) this.verified.delete(token);
    }
  }
}
