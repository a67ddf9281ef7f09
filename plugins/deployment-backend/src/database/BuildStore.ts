import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  BuildStatus,
  BuildView,
} from '@flagstage/plugin-deployment-common';
import { isUniqueViolation, toIso } from '@flagstage/backend-node';

export type BuildRow = {
  id: string;
  challenge_ref: string;
  status: BuildStatus;
  active_key: string | null;
  image: string | null;
  workflow: string | null;
  message: string | null;
  token_hash: string | null;
  requested_by: string;
  created_at: string | Date;
  updated_at: string | Date;
  finished_at: string | Date | null;
};

/** The API view of a build row (never the token hash). */
export function buildView(row: BuildRow): BuildView {
  return {
    id: row.id,
    challengeRef: row.challenge_ref,
    status: row.status,
    image: row.image,
    workflow: row.workflow,
    message: row.message,
    requestedBy: row.requested_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    finishedAt: toIso(row.finished_at),
  };
}

/**
 * Build rows. One active build per challenge (unique `active_key`); every
 * status change is `UPDATE … WHERE status IN (expected)`.
 */
export class BuildStore {
  constructor(private readonly db: Knex) {}

  /** A QUEUED build; ConflictError while another build of the challenge is active. */
  async create(challengeRef: string, requestedBy: string): Promise<BuildRow> {
    const now = new Date().toISOString();
    const row = {
      id: randomUUID(),
      challenge_ref: challengeRef,
      status: 'QUEUED' as const,
      active_key: challengeRef,
      image: null,
      workflow: null,
      message: null,
      token_hash: null,
      requested_by: requestedBy,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    try {
      await this.db('builds').insert(row);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(
          `${challengeRef} is already being built; wait for that build to finish`,
        );
      throw e;
    }
    return row;
  }

  async get(id: string): Promise<BuildRow> {
    const row = await this.db<BuildRow>('builds').where({ id }).first();
    if (!row) throw new NotFoundError(`No build ${id}`);
    return row;
  }

  async list(challengeRef: string, limit = 20): Promise<BuildRow[]> {
    return this.db<BuildRow>('builds')
      .where({ challenge_ref: challengeRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }

  /**
   * Compare-and-set: moves a build from one of `from` to `to` with the given
   * fields; undefined if it was not in `from` (it moved on).
   */
  async transition(
    id: string,
    from: BuildStatus[],
    to: BuildStatus,
    fields: Partial<
      Pick<BuildRow, 'image' | 'workflow' | 'message' | 'token_hash'>
    > = {},
  ): Promise<BuildRow | undefined> {
    const now = new Date().toISOString();
    const ended = to === 'SUCCEEDED' || to === 'FAILED';
    const changed = await this.db('builds')
      .where({ id })
      .whereIn('status', from)
      .update({
        ...fields,
        status: to,
        updated_at: now,
        ...(ended && { active_key: null, finished_at: now, token_hash: null }),
      });
    return changed ? this.get(id) : undefined;
  }
}
