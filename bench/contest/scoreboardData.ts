/* The scoreboard benchmark's data: one contest with many teams, challenges (every scoring formula), skewed solves and hint unlocks, inserted in bulk. */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { SCORING_FUNCTIONS } from '@flagstage/plugin-challenge-common';

/** Every scoring formula, one challenge in five each. */
const FORMULAS = SCORING_FUNCTIONS;

/** Inserts the contest and ANALYZEs; returns its id and the rows the benchmark reuses. */
export async function loadBenchContest(
  knex: Knex,
  size: { teams: number; challenges: number; solves: number },
) {
  const contestId = randomUUID();
  const start = Date.now() - 48 * 3600_000;
  await knex('contests').insert({
    id: contestId,
    slug: 'bench',
    name: 'Bench',
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + 96 * 3600_000).toISOString(),
    divisions: JSON.stringify(['open', 'student']),
    flag_secret: 'x'.repeat(64),
  });
  const challenges = Array.from({ length: size.challenges }, (_, i) => {
    const f = FORMULAS[i % FORMULAS.length];
    const scoring =
      f === 'static'
        ? { function: f, value: 100 + i }
        : {
            function: f,
            initial: 500,
            minimum: 100,
            ...(f === 'rctf' ? {} : { decay: f === 'ctfd-linear' ? 2 : 200 }),
          };
    return {
      id: randomUUID(),
      contest_id: contestId,
      entity_ref: `challenge:default/c${i}`,
      name: `c${i}`,
      title: `C${i}`,
      category: 'misc',
      difficulty: 'easy',
      type: 'static',
      scoring: JSON.stringify(scoring),
      flags: '[]',
      hidden: false,
    };
  });
  await knex.batchInsert('contest_challenges', challenges, 100);
  const teams = Array.from({ length: size.teams }, (_, i) => ({
    id: randomUUID(),
    contest_id: contestId,
    name: `Team ${i}`,
    name_key: `team ${i}`,
    division: i % 4 === 0 ? 'student' : 'open',
    invite_code: randomUUID(),
    member_count: 1,
    banned: i % 500 === 0,
  }));
  await knex.batchInsert('teams', teams, 1000);
  // Distinct (team, challenge) pairs, skewed: low-numbered challenges are solved more.
  const pairs = new Set<number>();
  let seed = 12345;
  // xorshift32: exact in 32-bit integer arithmetic (a float LCG degenerates into a short cycle).
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  while (pairs.size < size.solves) {
    const c = Math.min(
      size.challenges - 1,
      Math.floor(size.challenges * rand() ** 2),
    );
    pairs.add(Math.floor(rand() * size.teams) * size.challenges + c);
  }
  const solves = [...pairs].map(p => ({
    contest_id: contestId,
    challenge_id: challenges[p % size.challenges].id,
    team_id: teams[Math.floor(p / size.challenges)].id,
    contestant_id: 'bench',
    solved_at: new Date(start + rand() * 40 * 3600_000).toISOString(),
  }));
  await knex.batchInsert('solves', solves, 5000);
  const unlocks = teams.slice(0, 2000).map((t, i) => ({
    team_id: t.id,
    challenge_id: challenges[i % size.challenges].id,
    hint_index: 0,
    cost: 10,
    unlocked_at: new Date(start + rand() * 40 * 3600_000).toISOString(),
  }));
  await knex.batchInsert('hint_unlocks', unlocks, 1000);
  await knex.raw('ANALYZE');
  return { contestId, challenges, teams, unlocks };
}
