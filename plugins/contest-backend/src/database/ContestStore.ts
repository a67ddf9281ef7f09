import type { Knex } from 'knex';
import { insertUnique } from './insertUnique';
import type { ContestChallengeRow, ContestRow } from './rows';

/** Contests and the challenges attached to them. */
export interface ContestStore {
  listContests(): Promise<ContestRow[]>;
  contestBySlug(slug: string): Promise<ContestRow | undefined>;
  contestById(id: string): Promise<ContestRow | undefined>;
  /** Ids of the contests ending after `endsAfter` (ISO). */
  contestIdsEndingAfter(endsAfter: string): Promise<string[]>;
  /** False when the slug is taken. */
  insertContest(row: ContestRow): Promise<boolean>;
  updateContest(id: string, columns: Partial<ContestRow>): Promise<void>;
  /** Deletes a contest and everything in it, in one transaction. */
  deleteContest(id: string): Promise<void>;

  listChallenges(contestId: string): Promise<ContestChallengeRow[]>;
  /** Every attached challenge of every contest (for the catalog re-sync). */
  allChallenges(): Promise<ContestChallengeRow[]>;
  /** One catalog challenge wherever it is attached. */
  challengesByRef(entityRef: string): Promise<ContestChallengeRow[]>;
  /** Id and scoring of a contest's challenges (what the scoreboard reads). */
  challengeScorings(
    contestId: string,
  ): Promise<Pick<ContestChallengeRow, 'id' | 'scoring'>[]>;
  challenge(
    contestId: string,
    by: { name: string } | { entityRef: string },
  ): Promise<ContestChallengeRow | undefined>;
  /** Inserts a challenge, or merges `update` into the one with the same (contest, entity ref). */
  upsertChallenge(
    insert: ContestChallengeRow,
    update: Partial<ContestChallengeRow>,
  ): Promise<ContestChallengeRow>;
  /** Removes a challenge and what refers to it; false (and nothing removed) once a team solved it. */
  deleteUnsolvedChallenge(challengeId: string): Promise<boolean>;
}

class ChallengeHasSolves extends Error {}

export class DatabaseContestStore implements ContestStore {
  constructor(private readonly db: Knex) {}

  async listContests() {
    return this.db<ContestRow>('contests').orderBy('starts_at', 'desc');
  }

  async contestBySlug(slug: string) {
    return this.db<ContestRow>('contests').where({ slug }).first();
  }

  async contestById(id: string) {
    return this.db<ContestRow>('contests').where({ id }).first();
  }

  async contestIdsEndingAfter(endsAfter: string) {
    const rows: { id: string }[] = await this.db('contests')
      .where('ends_at', '>', endsAfter)
      .select('id');
    return rows.map(r => r.id);
  }

  insertContest(row: ContestRow) {
    return insertUnique(this.db, 'contests', row);
  }

  async updateContest(id: string, columns: Partial<ContestRow>) {
    await this.db('contests').where({ id }).update(columns);
  }

  async deleteContest(id: string) {
    await this.db.transaction(async tx => {
      // Explicit order: SQLite only cascades with foreign keys enabled.
      const of = (table: string) =>
        tx(table).where({ contest_id: id }).select('id');
      await tx('submission_windows').whereIn('team_id', of('teams')).delete();
      await tx('hint_unlocks')
        .whereIn('challenge_id', of('contest_challenges'))
        .delete();
      for (const table of [
        'flag_incidents',
        'solves',
        'submissions',
        'announcements',
      ]) {
        await tx(table).where({ contest_id: id }).delete();
      }
      await tx('contestant_sessions')
        .whereIn('contestant_id', of('contestants'))
        .delete();
      for (const table of ['contestants', 'teams', 'contest_challenges'])
        await tx(table).where({ contest_id: id }).delete();
      await tx('contests').where({ id }).delete();
    });
  }

  async listChallenges(contestId: string) {
    return this.db<ContestChallengeRow>('contest_challenges')
      .where({ contest_id: contestId })
      .orderBy('name');
  }

  async allChallenges() {
    return this.db<ContestChallengeRow>('contest_challenges');
  }

  async challengesByRef(entityRef: string) {
    return this.db<ContestChallengeRow>('contest_challenges').where({
      entity_ref: entityRef,
    });
  }

  async challengeScorings(contestId: string) {
    return this.db<ContestChallengeRow>('contest_challenges')
      .where({ contest_id: contestId })
      .select('id', 'scoring');
  }

  async challenge(
    contestId: string,
    by: { name: string } | { entityRef: string },
  ) {
    return this.db<ContestChallengeRow>('contest_challenges')
      .where(
        'name' in by
          ? { contest_id: contestId, name: by.name }
          : { contest_id: contestId, entity_ref: by.entityRef },
      )
      .first();
  }

  async upsertChallenge(
    insert: ContestChallengeRow,
    update: Partial<ContestChallengeRow>,
  ) {
    await this.db('contest_challenges')
      .insert(insert)
      .onConflict(['contest_id', 'entity_ref'])
      .merge(update);
    return (await this.challenge(insert.contest_id, {
      entityRef: insert.entity_ref,
    }))!;
  }

  async deleteUnsolvedChallenge(challengeId: string) {
    try {
      await this.db.transaction(async tx => {
        const [{ n }] = await tx('solves')
          .where({ challenge_id: challengeId })
          .count({ n: '*' });
        if (Number(n) > 0) throw new ChallengeHasSolves();
        for (const table of [
          'submission_windows',
          'hint_unlocks',
          'flag_incidents',
          'submissions',
        ]) {
          await tx(table).where({ challenge_id: challengeId }).delete();
        }
        await tx('contest_challenges').where({ id: challengeId }).delete();
      });
      return true;
    } catch (e) {
      if (e instanceof ChallengeHasSolves) return false;
      throw e;
    }
  }
}
