import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_GATEWAY_LIMITS,
  parseGatewayLimits,
  type GatewayLimits,
  type GatewayRevocation,
  type GatewayRevocationScope,
} from '@flagstage/plugin-gateway-common';
import { isUniqueViolation, toIso } from '@flagstage/backend-node';
import type { LimitsRow, RevocationRow } from '../database/rows';

/** The limits in force: the latest saved version, or the defaults (version 0). */
export type LimitsState = {
  limits: GatewayLimits;
  version: number;
  updatedBy?: string;
  updatedAt?: string;
};

function limitsFromRow(row: LimitsRow): LimitsState {
  const parsed = parseGatewayLimits(JSON.parse(row.limits));
  if (!parsed.ok) {
    // Saved rows were validated by the same function; this only happens if
    // the contract tightened since. Loud, rather than publishing a guess.
    throw new Error(
      `Stored gateway limits version ${
        row.version
      } no longer validate: ${parsed.problems.join('; ')}`,
    );
  }
  return {
    limits: parsed.limits,
    version: row.version,
    updatedBy: row.created_by,
    updatedAt: toIso(row.created_at),
  };
}

/** A revocation row in the contract's shape (the JSON the gateways read). */
export function revocationFromRow(row: RevocationRow): GatewayRevocation {
  return {
    scope: row.scope as GatewayRevocationScope,
    value: row.value,
    ...(row.reason ? { reason: row.reason } : {}),
    at: toIso(row.created_at),
    by: row.created_by,
  };
}

/** Limits and revocations in the plugin database, the source of truth. */
export class GatewayAdminStore {
  constructor(private readonly db: Knex) {}

  async currentLimits(): Promise<LimitsState> {
    const row = await this.db<LimitsRow>('gateway_limits')
      .orderBy('version', 'desc')
      .first();
    return row
      ? limitsFromRow(row)
      : { limits: DEFAULT_GATEWAY_LIMITS, version: 0 };
  }

  /**
   * Saves a new version. With `baseVersion`, refuses (409) when another
   * version was saved since; two concurrent saves of the same next version
   * collide on the primary key and the loser gets 409 too.
   */
  async saveLimits(
    limits: GatewayLimits,
    by: string,
    baseVersion?: number,
  ): Promise<LimitsState> {
    try {
      return await this.db.transaction(async tx => {
        const latest = await tx<LimitsRow>('gateway_limits').max({
          v: 'version',
        });
        const current = Number(latest[0]?.v ?? 0);
        if (baseVersion !== undefined && baseVersion !== current) {
          throw new ConflictError(
            `The limits changed since version ${baseVersion} (now version ${current}); reload and edit again`,
          );
        }
        const row: LimitsRow = {
          version: current + 1,
          limits: JSON.stringify(limits),
          created_by: by,
          created_at: new Date(),
        };
        await tx('gateway_limits').insert(row);
        return limitsFromRow(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          'The limits were changed concurrently; reload and edit again',
        );
      }
      throw e;
    }
  }

  async limitsHistory(limit: number): Promise<LimitsState[]> {
    const rows = await this.db<LimitsRow>('gateway_limits')
      .orderBy('version', 'desc')
      .limit(limit);
    return rows.map(limitsFromRow);
  }

  /** Every revocation, newest first. */
  async listRevocations(): Promise<GatewayRevocation[]> {
    const rows = await this.db<RevocationRow>('gateway_revocations')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
    return rows.map(revocationFromRow);
  }

  /** Adds a revocation; 409 when that (scope, value) is already revoked. */
  async createRevocation(input: {
    scope: GatewayRevocationScope;
    value: string;
    reason?: string;
    by: string;
  }): Promise<GatewayRevocation> {
    const row = {
      scope: input.scope,
      value: input.value,
      reason: input.reason || null,
      created_by: input.by,
      created_at: new Date(),
    };
    try {
      await this.db('gateway_revocations').insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `${input.scope} ${input.value} is already revoked`,
        );
      }
      throw e;
    }
    return revocationFromRow({ id: 0, ...row });
  }

  /** Lifts a revocation; 404 when there is none. Returns what was removed. */
  async deleteRevocation(
    scope: GatewayRevocationScope,
    value: string,
  ): Promise<GatewayRevocation> {
    return this.db.transaction(async tx => {
      const row = await tx<RevocationRow>('gateway_revocations')
        .where({ scope, value })
        .first();
      if (!row) throw new NotFoundError(`${scope} ${value} is not revoked`);
      const deleted = await tx('gateway_revocations')
        .where({ id: row.id })
        .delete();
      if (deleted === 0) {
        throw new NotFoundError(`${scope} ${value} is not revoked`);
      }
      return revocationFromRow(row);
    });
  }
}
