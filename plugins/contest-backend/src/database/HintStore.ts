import type { Knex } from 'knex';
import { insertUnique } from './insertUnique';
import { toIso } from '@flagstage/backend-node';
import type { HintUnlockRow } from './rows';

/** A hint's cost as the scoreboard subtracts it. */
export type HintPenalty = { teamId: string; points: number; at: string };

/** Hint unlocks (one per team, challenge and hint: the primary key). */
export interface HintStore {
  /** False when the team had already unlocked the hint (nothing charged). */
  insertUnlock(row: HintUnlockRow): Promise<boolean>;
  unlocks(
    teamId: string,
  ): Promise<Pick<HintUnlockRow, 'challenge_id' | 'hint_index'>[]>;
  penalties(contestId: string): Promise<HintPenalty[]>;
}

export class DatabaseHintStore implements HintStore {
  constructor(private readonly db: Knex) {}

  insertUnlock(row: HintUnlockRow) {
    return insertUnique(this.db, 'hint_unlocks', row);
  }

  async unlocks(teamId: string) {
    return this.db<HintUnlockRow>('hint_unlocks')
      .where({ team_id: teamId })
      .select('challenge_id', 'hint_index');
  }

  async penalties(contestId: string) {
    const rows: Pick<HintUnlockRow, 'team_id' | 'cost' | 'unlocked_at'>[] =
      await this.db('hint_unlocks')
        .join('teams', 'teams.id', 'hint_unlocks.team_id')
        .where('teams.contest_id', contestId)
        .select(
          'hint_unlocks.team_id',
          'hint_unlocks.cost',
          'hint_unlocks.unlocked_at',
        );
    return rows.map(u => ({
      teamId: u.team_id,
      points: Number(u.cost),
      at: toIso(u.unlocked_at),
    }));
  }
}
