import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { toEpochMs } from '@flagstage/backend-node';
import { sha256Hex } from '../services/flags';

/** Session lifetime. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Server-side contestant sessions: the cookie holds a random token, the
 * database only its SHA-256, so a database leak yields no usable session and
 * a session can be revoked.
 */
export class SessionStore {
  constructor(private readonly db: Knex) {}

  async create(contestantId: string, now = new Date()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db('contestant_sessions').insert({
      token_hash: sha256Hex(token),
      contestant_id: contestantId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    });
    return token;
  }

  /** The contestant id of a live session, or undefined. */
  async resolve(
    token: string | undefined,
    now = new Date(),
  ): Promise<string | undefined> {
    if (!token || token.length > 128) return undefined;
    const row = await this.db('contestant_sessions')
      .where({ token_hash: sha256Hex(token) })
      .whereNull('revoked_at')
      .first();
    if (!row) return undefined;
    return toEpochMs(row.expires_at) > now.getTime()
      ? row.contestant_id
      : undefined;
  }

  async revoke(token: string | undefined, now = new Date()): Promise<void> {
    if (!token) return;
    await this.db('contestant_sessions')
      .where({ token_hash: sha256Hex(token) })
      .update({ revoked_at: now.toISOString() });
  }

  async revokeAllFor(contestantId: string, now = new Date()): Promise<void> {
    await this.db('contestant_sessions')
      .where({ contestant_id: contestantId })
      .whereNull('revoked_at')
      .update({ revoked_at: now.toISOString() });
  }
}
