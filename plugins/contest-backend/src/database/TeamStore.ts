import type { Knex } from 'knex';
import { insertUnique } from './insertUnique';
import type { ContestantRow, TeamRow } from './rows';

export type JoinOutcome = 'joined' | 'full' | 'already_in_team';
export type LeaveOutcome = 'left' | 'not_in_team' | 'has_solves';

/** Contestants and teams. */
export interface TeamStore {
  /** False when the username is taken in the contest. */
  insertContestant(row: ContestantRow): Promise<boolean>;
  contestant(id: string): Promise<ContestantRow | undefined>;
  contestantByUsername(
    contestId: string,
    usernameKey: string,
  ): Promise<ContestantRow | undefined>;
  team(id: string): Promise<TeamRow | undefined>;
  teamByInviteCode(
    contestId: string,
    inviteCode: string,
  ): Promise<TeamRow | undefined>;
  /** False when the team name is taken in the contest. */
  insertTeam(row: TeamRow): Promise<boolean>;
  /**
   * One transaction: a guarded UPDATE takes a seat only while
   * member_count < limit, and the contestant is claimed only while it has no
   * team; concurrent joins at the limit get `full`.
   */
  join(
    contestantId: string,
    teamId: string,
    limit: number,
  ): Promise<JoinOutcome>;
  /**
   * Takes one of the contestant's team-creation slots while fewer than
   * `limit` are used (a guarded UPDATE: concurrent creates cannot pass it);
   * false when none is left.
   */
  claimTeamSlot(contestantId: string, limit: number): Promise<boolean>;
  /** Gives a slot back (the team could not be created). */
  releaseTeamSlot(contestantId: string): Promise<void>;
  /** Replaces the stored password hash (rehash at a higher cost). */
  setPasswordHash(contestantId: string, hash: string): Promise<void>;
  /** Leaves the team unless the team has solves (points would follow the member). */
  leave(contestantId: string): Promise<LeaveOutcome>;
  /**
   * False when no such team is in the contest. A ban (and its lifting)
   * carries to the team's current members, who then may not create or join
   * teams.
   */
  setBanned(
    contestId: string,
    teamId: string,
    banned: boolean,
    reason: string | null,
  ): Promise<boolean>;
  /** Up to 500 teams by name key; `query` matches a part of the name literally. */
  search(contestId: string, query?: string): Promise<TeamRow[]>;
  /** Ids of the contest's teams other than `exceptTeamId`. */
  otherTeamIds(contestId: string, exceptTeamId: string): Promise<string[]>;
  /** What the scoreboard needs of each team. */
  boardTeams(
    contestId: string,
  ): Promise<
    Pick<TeamRow, 'id' | 'name' | 'division' | 'banned' | 'member_count'>[]
  >;
}

class JoinRefused extends Error {
  constructor(readonly outcome: JoinOutcome) {
    super(outcome);
  }
}

export class DatabaseTeamStore implements TeamStore {
  constructor(private readonly db: Knex) {}

  insertContestant(row: ContestantRow) {
    return insertUnique(this.db, 'contestants', row);
  }

  async contestant(id: string) {
    return this.db<ContestantRow>('contestants').where({ id }).first();
  }

  async contestantByUsername(contestId: string, usernameKey: string) {
    return this.db<ContestantRow>('contestants')
      .where({ contest_id: contestId, username_key: usernameKey })
      .first();
  }

  async team(id: string) {
    return this.db<TeamRow>('teams').where({ id }).first();
  }

  async teamByInviteCode(contestId: string, inviteCode: string) {
    return this.db<TeamRow>('teams')
      .where({ invite_code: inviteCode, contest_id: contestId })
      .first();
  }

  insertTeam(row: TeamRow) {
    return insertUnique(this.db, 'teams', row);
  }

  async join(contestantId: string, teamId: string, limit: number) {
    try {
      await this.db.transaction(async tx => {
        const seat = await tx('teams')
          .where({ id: teamId })
          .andWhere('member_count', '<', limit)
          .increment('member_count', 1);
        if (seat === 0) throw new JoinRefused('full');
        const claimed = await tx('contestants')
          .where({ id: contestantId })
          .whereNull('team_id')
          .update({ team_id: teamId });
        if (claimed === 0) throw new JoinRefused('already_in_team');
      });
      return 'joined' as const;
    } catch (e) {
      if (e instanceof JoinRefused) return e.outcome;
      throw e;
    }
  }

  async claimTeamSlot(contestantId: string, limit: number) {
    const claimed = await this.db('contestants')
      .where({ id: contestantId })
      .andWhere('teams_created', '<', limit)
      .increment('teams_created', 1);
    return claimed > 0;
  }

  async releaseTeamSlot(contestantId: string) {
    await this.db('contestants')
      .where({ id: contestantId })
      .andWhere('teams_created', '>', 0)
      .decrement('teams_created', 1);
  }

  async setPasswordHash(contestantId: string, hash: string) {
    await this.db('contestants')
      .where({ id: contestantId })
      .update({ password_hash: hash });
  }

  async leave(contestantId: string) {
    return this.db.transaction(async (tx): Promise<LeaveOutcome> => {
      const me = await tx<ContestantRow>('contestants')
        .where({ id: contestantId })
        .first();
      if (!me?.team_id) return 'not_in_team';
      const [{ n }] = await tx('solves')
        .where({ team_id: me.team_id })
        .count({ n: '*' });
      if (Number(n) > 0) return 'has_solves';
      const left = await tx('contestants')
        .where({ id: contestantId, team_id: me.team_id })
        .update({ team_id: null });
      if (left === 1)
        await tx('teams')
          .where({ id: me.team_id })
          .decrement('member_count', 1);
      return 'left';
    });
  }

  async setBanned(
    contestId: string,
    teamId: string,
    banned: boolean,
    reason: string | null,
  ) {
    return this.db.transaction(async tx => {
      const updated = await tx('teams')
        .where({ id: teamId, contest_id: contestId })
        .update({ banned, ban_reason: banned ? reason : null });
      if (updated > 0)
        await tx('contestants').where({ team_id: teamId }).update({ banned });
      return updated > 0;
    });
  }

  async search(contestId: string, query?: string) {
    const q = this.db<TeamRow>('teams').where({ contest_id: contestId });
    if (query) {
      // Wildcards in the query are literal; SQLite needs the ESCAPE clause spelled out.
      const pattern = `%${query
        .toLocaleLowerCase('en-US')
        .replace(/[%_\\]/g, '\\$&')}%`;
      q.andWhereRaw(`?? LIKE ? ESCAPE '\\'`, ['name_key', pattern]);
    }
    return q.orderBy('name_key').limit(500);
  }

  async otherTeamIds(contestId: string, exceptTeamId: string) {
    const rows: { id: string }[] = await this.db('teams')
      .where({ contest_id: contestId })
      .whereNot({ id: exceptTeamId })
      .select('id');
    return rows.map(r => r.id);
  }

  async boardTeams(contestId: string) {
    return this.db<TeamRow>('teams')
      .where({ contest_id: contestId })
      .select('id', 'name', 'division', 'banned', 'member_count');
  }
}
