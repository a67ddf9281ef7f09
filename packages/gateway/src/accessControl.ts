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
import type { TargetAllowlist } from './targetAllowlist';

/** A verified token, its non-secret id, and whether its target is allowed. */
export type Access = {
  payload: GatewayTokenPayload;
  tokenId: string;
  targetAllowed: boolean;
};

export type AccessRefusal =
  | GatewayTokenRefusal
  | 'missing_token'
  | 'wrong_protocol'
  | 'wrong_instance'
  | 'revoked'
  | 'revocations_unavailable'
  | 'target_not_allowed';

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
  /** Instances stopped or expired (deployment's revocations): id → until when (ms). */
  private stoppedInstances = new Map<string, number>();
  /** False while revocations could not be loaded (Redis down at start). */
  revocationsKnown = true;
  private listeners: Array<() => void> = [];

  constructor(
    private readonly keyring: GatewayKeyring,
    public limits: GatewayLimits,
    private readonly failureMode: RevocationFailureMode,
    private readonly targets: TargetAllowlist,
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
      access = {
        payload: result.payload,
        tokenId: gatewayTokenId(token),
        targetAllowed: this.targets.allows(result.payload.target),
      };
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
    if (!access.targetAllowed)
      return { ok: false, reason: 'target_not_allowed' };
    return { ok: true, access };
  }

  isRevoked(access: Pick<Access, 'payload' | 'tokenId'>): boolean {
    return (
      this.revokedInstances.has(access.payload.iid) ||
      this.stoppedInstances.has(access.payload.iid) ||
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

  /**
   * Replaces the stopped instances (id → ms until which their tokens are
   * refused); listeners close their open connections.
   */
  setStoppedInstances(stopped: Map<string, number>) {
    this.stoppedInstances = stopped;
    for (const listener of this.listeners) listener();
  }

  /** One more stopped instance (from the in-process publisher of the embedded gateway). */
  instanceStopped(iid: string, untilMs: number) {
    this.stoppedInstances.set(iid, untilMs);
    for (const listener of this.listeners) listener();
  }

  onRevocationsChanged(listener: () => void) {
    this.listeners.push(listener);
  }

  /** Drops expired tokens from the cache, and stopped instances whose tokens have all expired. */
  sweep(now = Date.now()) {
    for (const [iid, until] of this.stoppedInstances)
      if (until <= now) this.stoppedInstances.delete(iid);
    for (const [token, access] of this.verified) {
      if (access.payload.exp * 1000 <= now) this.verified.delete(token);
    }
  }
}
