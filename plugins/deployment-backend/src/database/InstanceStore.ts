import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  isActiveState,
  type InstanceState,
  type WorkflowStatus,
} from '@flagstage/plugin-deployment-common';
import { isUniqueViolation, toIso } from '@flagstage/backend-node';

export type InstanceRow = {
  id: string;
  contest_id: string;
  team_id: string;
  challenge_ref: string;
  challenge_name: string;
  state: InstanceState;
  failure_reason: string | null;
  protocol: 'http' | 'tcp';
  endpoint: string | null;
  active_key: string | null;
  requested_by: string;
  extend_count: number;
  traceparent: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  expires_at: string | Date;
};

export type Transition = {
  from: InstanceState | null;
  to: InstanceState;
  reason: string | null;
  actor: string | null;
  at: string;
};

const activeKey = (contestId: string, teamId: string, challengeRef: string) =>
  `${contestId}|${teamId}|${challengeRef}`;

/**
 * Instance rows and their transitions. Every change that can race is decided
 * by the database: the unique active key, the guarded team counter, and
 * `UPDATE … WHERE state IN (expected)`.
 */
export class InstanceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts a REQUESTED instance, holding its (contest, team, challenge) slot
   * and a seat under the team cap. Loses with ConflictError to an active
   * instance of the same slot, or when the team is at its cap.
   */
  async create(input: {
    contestId: string;
    teamId: string;
    challengeRef: string;
    challengeName: string;
    protocol: 'http' | 'tcp';
    requestedBy: string;
    ttlSeconds: number;
    maxActivePerTeam: number;
    traceparent?: string;
    /** QUEUED: requested and marked queued in one transaction (the caller publishes next). */
    initialState?: 'REQUESTED' | 'QUEUED';
    now?: Date;
  }): Promise<InstanceRow> {
    const now = input.now ?? new Date();
    const row: InstanceRow = {
      id: randomUUID(),
      contest_id: input.contestId,
      team_id: input.teamId,
      challenge_ref: input.challengeRef,
      challenge_name: input.challengeName,
      state: input.initialState ?? 'REQUESTED',
      failure_reason: null,
      protocol: input.protocol,
      endpoint: null,
      active_key: activeKey(input.contestId, input.teamId, input.challengeRef),
      requested_by: input.requestedBy,
      extend_count: 0,
      traceparent: input.traceparent ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      expires_at: new Date(
        now.getTime() + input.ttlSeconds * 1000,
      ).toISOString(),
    };
    try {
      await this.db.transaction(async tx => {
        await tx('team_instance_counts')
          .insert({
            contest_id: input.contestId,
            team_id: input.teamId,
            active: 0,
          })
          .onConflict(['contest_id', 'team_id'])
          .ignore();
        const seat = await tx('team_instance_counts')
          .where({ contest_id: input.contestId, team_id: input.teamId })
          .andWhere('active', '<', input.maxActivePerTeam)
          .increment('active', 1);
        if (seat === 0) {
          throw new ConflictError(
            `Your team already has ${input.maxActivePerTeam} active instances; stop one first`,
          );
        }
        await tx('instances').insert(row);
        const requested = {
          instance_id: row.id,
          from_state: null,
          to_state: 'REQUESTED',
          reason: null,
          actor: input.requestedBy,
          at: now.toISOString(),
        };
        await tx('instance_transitions').insert(
          row.state === 'QUEUED'
            ? [
                requested,
                {
                  ...requested,
                  from_state: 'REQUESTED',
                  to_state: 'QUEUED',
                  actor: 'deployment-backend',
                },
              ]
            : [requested],
        );
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(
          'An instance of this challenge is already active for your team',
        );
      throw e;
    }
    return row;
  }

  async get(id: string): Promise<InstanceRow> {
    const row = await this.db<InstanceRow>('instances').where({ id }).first();
    if (!row) throw new NotFoundError(`No instance ${id}`);
    return row;
  }

  async findActive(contestId: string, teamId: string, challengeRef: string) {
    return this.db<InstanceRow>('instances')
      .where({ active_key: activeKey(contestId, teamId, challengeRef) })
      .first();
  }

  /**
   * Compare-and-set: moves the instance to `to` only if it is in one of
   * `from`. Returns the updated row, or undefined when the race was lost.
   * Leaving the active states frees the slot and the team seat.
   */
  async transition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options: {
      reason?: string;
      actor?: string;
      endpoint?: string | null;
      now?: Date;
    } = {},
  ): Promise<InstanceRow | undefined> {
    const now = options.now ?? new Date();
    const ending = !isActiveState(to);
    return this.db.transaction(async tx => {
      const current = await tx<InstanceRow>('instances').where({ id }).first();
      if (!current || !from.includes(current.state)) return undefined;
      const patch: Record<string, unknown> = {
        state: to,
        updated_at: now.toISOString(),
      };
      if (options.endpoint !== undefined) patch.endpoint = options.endpoint;
      if (to === 'FAILED')
        patch.failure_reason = (options.reason ?? 'failed').slice(0, 500);
      if (ending) patch.active_key = null;
      const changed = await tx('instances')
        .where({ id, state: current.state })
        .update(patch);
      if (changed === 0) return undefined;
      if (ending && isActiveState(current.state)) {
        await tx('team_instance_counts')
          .where({ contest_id: current.contest_id, team_id: current.team_id })
          .andWhere('active', '>', 0)
          .decrement('active', 1);
      }
      await tx('instance_transitions').insert({
        instance_id: id,
        from_state: current.state,
        to_state: to,
        reason: options.reason?.slice(0, 500) ?? null,
        actor: options.actor ?? null,
        at: now.toISOString(),
      });
      return { ...current, ...patch } as InstanceRow;
    });
  }

  /** Pushes the expiry of a RUNNING instance out, counting the extension (compare-and-set on the count). */
  async extend(
    id: string,
    expectedCount: number,
    newExpiry: Date,
    actor: string,
  ) {
    return this.db.transaction(async tx => {
      const changed = await tx('instances')
        .where({ id, state: 'RUNNING', extend_count: expectedCount })
        .update({
          extend_count: expectedCount + 1,
          expires_at: newExpiry.toISOString(),
          updated_at: new Date().toISOString(),
        });
      if (changed === 0) return false;
      await tx('instance_transitions').insert({
        instance_id: id,
        from_state: 'RUNNING',
        to_state: 'RUNNING',
        reason: `extended to ${newExpiry.toISOString()}`,
        actor,
        at: new Date().toISOString(),
      });
      return true;
    });
  }

  async transitions(id: string): Promise<Transition[]> {
    const rows = await this.db('instance_transitions')
      .where({ instance_id: id })
      .orderBy('id');
    return rows.map((r: any) => ({
      from: r.from_state,
      to: r.to_state,
      reason: r.reason,
      actor: r.actor,
      at: toIso(r.at),
    }));
  }

  async list(filter: {
    contestId?: string;
    teamId?: string;
    challengeRef?: string;
    states?: InstanceState[];
    limit?: number;
    /** Page cursor: rows strictly older than this (created_at, id), newest first. */
    before?: { createdAt: string; id: string };
  }): Promise<InstanceRow[]> {
    const q = this.db<InstanceRow>('instances');
    if (filter.contestId) q.where('contest_id', filter.contestId);
    if (filter.teamId) q.where('team_id', filter.teamId);
    if (filter.challengeRef) q.where('challenge_ref', filter.challengeRef);
    if (filter.states?.length) q.whereIn('state', filter.states);
    const before = filter.before;
    if (before)
      q.where(w =>
        w
          .where('created_at', '<', before.createdAt)
          .orWhere(w2 =>
            w2
              .where('created_at', before.createdAt)
              .andWhere('id', '<', before.id),
          ),
      );
    return q
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.min(filter.limit ?? 200, 1000));
  }

  /** Instances still REQUESTED or QUEUED long after they were created (their job never ran). */
  async stuckQueued(olderThan: Date, limit = 500): Promise<InstanceRow[]> {
    return this.db<InstanceRow>('instances')
      .whereIn('state', ['REQUESTED', 'QUEUED'])
      .andWhere('created_at', '<=', olderThan.toISOString())
      .limit(limit);
  }

  /** RUNNING instances past their expiry. */
  async expired(now = new Date(), limit = 500): Promise<InstanceRow[]> {
    return this.db<InstanceRow>('instances')
      .where('state', 'RUNNING')
      .andWhere('expires_at', '<=', now.toISOString())
      .limit(limit);
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db('instances')
      .groupBy('state')
      .select('state')
      .count({ n: '*' });
    return Object.fromEntries(rows.map((r: any) => [r.state, Number(r.n)]));
  }

  /** Appends captured output, keeping the last `keep` lines per instance. */
  async appendOutput(
    id: string,
    lines: { stream: string; line: string; at: string }[],
    keep = 500,
  ) {
    if (lines.length === 0) return;
    await this.db('instance_output').insert(
      lines.map(l => ({
        instance_id: id,
        stream: l.stream,
        line: l.line.slice(0, 4000),
        at: l.at,
      })),
    );
    const cutoff = await this.db('instance_output')
      .where({ instance_id: id })
      .orderBy('id', 'desc')
      .offset(keep)
      .first('id');
    if (cutoff)
      await this.db('instance_output')
        .where({ instance_id: id })
        .andWhere('id', '<=', cutoff.id)
        .delete();
  }

  async output(id: string, tail = 200) {
    const rows = await this.db('instance_output')
      .where({ instance_id: id })
      .orderBy('id', 'desc')
      .limit(Math.min(tail, 500));
    return rows
      .reverse()
      .map((r: any) => ({ stream: r.stream, line: r.line, at: toIso(r.at) }));
  }

  /** Records the start workflow's status; an older observation than the stored one is ignored. */
  async setWorkflow(id: string, status: WorkflowStatus): Promise<boolean> {
    const row = {
      instance_id: id,
      name: status.name,
      phase: status.phase,
      message: status.message?.slice(0, 1000) ?? null,
      nodes: JSON.stringify(status.nodes),
      observed_at: new Date(status.observedAt).toISOString(),
    };
    // Insert the first report; every report then goes through the guarded
    // update, so concurrent or reordered reports settle on the newest.
    await this.db('instance_workflows')
      .insert(row)
      .onConflict('instance_id')
      .ignore();
    const updated = await this.db('instance_workflows')
      .where({ instance_id: id })
      .andWhere('observed_at', '<=', row.observed_at)
      .update(row);
    return updated > 0;
  }

  async workflow(id: string): Promise<WorkflowStatus | undefined> {
    const r = await this.db('instance_workflows')
      .where({ instance_id: id })
      .first();
    if (!r) return undefined;
    return {
      name: r.name,
      phase: r.phase,
      message: r.message ?? undefined,
      nodes: JSON.parse(r.nodes),
      observedAt: toIso(r.observed_at),
    };
  }
}
