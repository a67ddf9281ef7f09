/* Where a scoreboard recompute's time goes, measured outside the service: its queries, the row conversion, the ranking and the JSON size. */
import type { Knex } from 'knex';
import { toBool, toIso } from '@flagstage/backend-node';
import { effectiveScoring } from '@flagstage/plugin-contest-backend';
import {
  buildScoreboard,
  type ScoreboardSolve,
} from '@flagstage/plugin-contest-common';
import { since, stats } from './common';

/** Six runs (the first, a warm-up, left out of the figures); ms per part. */
export async function measureBreakdown(knex: Knex, contestId: string) {
  // 1. Where a recompute's time goes, outside the service: the same
  //    queries as ScoreboardService.compute (all solves, as a cold one
  //    reads them), the row conversion, and the ranking on that input.
  const phase: Record<string, number[]> = {
    teamsQuery: [],
    challengesQuery: [],
    solvesQueryAll: [],
    solvesQueryLast5000: [],
    hintsQuery: [],
    toInput: [],
    buildScoreboard: [],
    boardJson: [],
  };
  let boardBytes = 0;
  const timed = async <T>(k: string, f: () => Promise<T> | T) => {
    const t = process.hrtime.bigint();
    const r = await f();
    phase[k].push(since(t));
    return r;
  };
  const maxId = Number(
    (await knex('solves').max({ m: 'id' }))[0].m as string | number,
  );
  for (let i = 0; i < 6; i++) {
    const ts = await timed('teamsQuery', () =>
      knex('teams')
        .where({ contest_id: contestId })
        .select('id', 'name', 'division', 'banned'),
    );
    const cs = await timed('challengesQuery', () =>
      knex('contest_challenges')
        .where({ contest_id: contestId })
        .select('id', 'scoring'),
    );
    const ss = await timed('solvesQueryAll', () =>
      knex('solves')
        .where({ contest_id: contestId })
        .andWhere('id', '>', 0)
        .orderBy('id')
        .select('id', 'team_id', 'challenge_id', 'solved_at'),
    );
    await timed('solvesQueryLast5000', () =>
      knex('solves')
        .where({ contest_id: contestId })
        .andWhere('id', '>', maxId - 5000)
        .orderBy('id')
        .select('id', 'team_id', 'challenge_id', 'solved_at'),
    );
    const us = await timed('hintsQuery', () =>
      knex('hint_unlocks')
        .join('teams', 'teams.id', 'hint_unlocks.team_id')
        .where('teams.contest_id', contestId)
        .select(
          'hint_unlocks.team_id',
          'hint_unlocks.cost',
          'hint_unlocks.unlocked_at',
        ),
    );
    const input = await timed('toInput', () => ({
      teams: ts.map((x: any) => ({
        id: x.id,
        name: x.name,
        division: x.division,
        banned: toBool(x.banned),
      })),
      challenges: cs.map((x: any) => ({
        id: x.id,
        scoring: effectiveScoring(x.scoring, null),
      })),
      solves: ss.map(
        (x: any): ScoreboardSolve => ({
          teamId: x.team_id,
          challengeId: x.challenge_id,
          solvedAt: toIso(x.solved_at)!,
        }),
      ),
      penalties: us.map((x: any) => ({
        teamId: x.team_id,
        points: Number(x.cost),
        at: toIso(x.unlocked_at)!,
      })),
    }));
    const board = await timed('buildScoreboard', () =>
      buildScoreboard({
        ...input,
        contestId,
        computedAt: new Date().toISOString(),
        frozen: false,
      }),
    );
    boardBytes = await timed(
      'boardJson',
      () => JSON.stringify(board.entries).length,
    );
  }
  // The first run warms the JIT and PostgreSQL's buffers; leave it out.
  const breakdown = Object.fromEntries(
    Object.entries(phase).map(([k, v]) => [k, stats(v.slice(1))]),
  );
  return { breakdown, fullBoardJsonBytes: boardBytes };
}
