import type { Knex } from 'knex';
import type { CacheService } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import {
  createTestDatabase,
  createTestRedisCache,
  describeWithServices,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  capturingLogger,
  FIXED_TIME_TEAM_RULES,
  HOUR,
  migratedKnex,
  PLAIN_FLAGS,
  testChallenges,
} from '../../__testUtils__/fixtures';
import { createContestServices } from '..';
import type { ContestAdminService } from '../ContestAdminService/types';
import type { HintService } from '../HintService/types';
import type { SubmissionService } from '../SubmissionService/types';
import type { TeamService } from '../TeamService/types';
import type { ScoreboardService } from './types';

const start = new Date('2026-11-20T10:00:00Z');
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

function suite(cacheFactory: () => CacheService) {
  let db: TestDatabase;
  let knex: Knex;
  let contests: ContestAdminService;
  let teamService: TeamService;
  let submissions: SubmissionService;
  let hints: HintService;
  let scoreboards: ScoreboardService;
  let log: ReturnType<typeof capturingLogger>;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    knex = await migratedKnex(db);
  });
  afterAll(() => db.destroy());
  beforeEach(() => {
    log = capturingLogger();
    // Solves request recomputes, as in the plugin.
    ({
      contests,
      teams: teamService,
      submissions,
      hints,
      scoreboards,
    } = createContestServices({
      db: knex,
      cache: cacheFactory(),
      logger: log,
      teamRules: FIXED_TIME_TEAM_RULES,
    }));
  });
  afterEach(() => scoreboards.stop());

  async function contestWithTeams(teamNames: string[], freezeHours?: number) {
    n += 1;
    const c = await contests.createContest({
      slug: `board-${n}`,
      name: 'Board',
      startsAt: start.toISOString(),
      endsAt: at(10).toISOString(),
      freezeAt:
        freezeHours === undefined ? null : at(freezeHours).toISOString(),
      divisions: ['open', 'student'],
    });
    for (const e of Object.values(testChallenges))
      await contests.attachChallenge(c.slug, e, { hidden: false });
    const players: Record<string, { id: string; teamId: string }> = {};
    for (const name of teamNames) {
      const p = await teamService.register(c.slug, {
        username: `${name.toLowerCase()}${n}`,
        password: 'long enough password',
      });
      const team = await teamService.createTeam(p.id, {
        name,
        division: name.startsWith('S') ? 'student' : 'open',
      });
      players[name] = { id: p.id, teamId: team.id };
    }
    return { contest: c, players };
  }

  it('ranks by score, breaks ties by the earlier last solve, and excludes banned teams', async () => {
    const { contest, players } = await contestWithTeams([
      'Alpha',
      'Bravo',
      'Student',
      'Cheater',
    ]);
    await submissions.submit(
      players.Bravo.id,
      'pattern',
      PLAIN_FLAGS.pattern,
      at(1),
    );
    await submissions.submit(
      players.Alpha.id,
      'pattern',
      PLAIN_FLAGS.pattern,
      at(2),
    );
    await submissions.submit(
      players.Cheater.id,
      'warmup',
      PLAIN_FLAGS.warmup,
      at(0.5),
    );
    await submissions.submit(
      players.Student.id,
      'warmup',
      PLAIN_FLAGS.warmup,
      at(3),
    );
    await contests.setBanned(contest.id, players.Cheater.teamId, true);

    const { live } = await scoreboards.recompute(contest.id, at(4));
    // warmup is ctfd-linear 500/50/min 100: one counted solve (the banned team's does not count) → 500.
    expect(live.entries.map(e => [e.pos, e.team, e.score])).toEqual([
      [1, 'Student', 500],
      [2, 'Bravo', 100],
      [3, 'Alpha', 100],
    ]);
    const values = await scoreboards.challengeValues(contest.id);
    const warmup = await contests.challengeByName(contest.id, 'warmup');
    expect(values.get(warmup.id)).toEqual({ value: 500, solves: 1 });
    expect(live.top10Series.map(s => s.team).sort()).toEqual([
      'Alpha',
      'Bravo',
      'Student',
    ]);
  });

  it('serves reads from the cache: a read is a lookup until the next recompute', async () => {
    const { contest, players } = await contestWithTeams(['Alpha']);
    const cold = await scoreboards.read(contest.id, { live: true });
    expect(cold.entries[0].score).toBe(0);
    await knex('solves').insert({
      contest_id: contest.id,
      challenge_id: (await contests.challengeByName(contest.id, 'pattern')).id,
      team_id: players.Alpha.teamId,
      contestant_id: players.Alpha.id,
      solved_at: at(1).toISOString(),
    });
    // Written behind the service's back: the cached board does not move...
    expect(
      (await scoreboards.read(contest.id, { live: true })).entries[0].score,
    ).toBe(0);
    // ...until a recompute, which stores a new board.
    await scoreboards.recompute(contest.id, at(2));
    expect(
      (await scoreboards.read(contest.id, { live: true })).entries[0].score,
    ).toBe(100);
  });

  it('debounces recompute requests: a burst of solves costs one recompute', async () => {
    const { contest } = await contestWithTeams(['Alpha']);
    for (let i = 0; i < 50; i++) scoreboards.requestRecompute(contest.id);
    await new Promise(r => setTimeout(r, 600));
    expect(
      log.lines.filter(l => l.includes('Scoreboard recomputed')),
    ).toHaveLength(1);
  });

  it('freezes the public board at freezeAt (solves and hint costs) while the live one moves', async () => {
    const { contest, players } = await contestWithTeams(
      ['Alpha', 'Student'],
      5,
    );
    await submissions.submit(
      players.Alpha.id,
      'pattern',
      PLAIN_FLAGS.pattern,
      at(1),
    );
    await submissions.submit(
      players.Student.id,
      'warmup',
      PLAIN_FLAGS.warmup,
      at(6),
    );
    await hints.unlockHint(players.Alpha.id, 'vault', 1, at(7));

    const before = await scoreboards.recompute(contest.id, at(4));
    expect(before.public.frozen).toBe(false);
    const after = await scoreboards.recompute(contest.id, at(8));
    expect(after.public.frozen).toBe(true);
    // Student's only solve is after the freeze: the public board, which lists
    // teams with (pre-freeze) solves only, must not show it at all.
    expect(after.public.entries.map(e => [e.team, e.score])).toEqual([
      ['Alpha', 100],
    ]);
    expect(after.live.entries.map(e => [e.team, e.score])).toEqual([
      ['Student', 500],
      ['Alpha', 75],
    ]);
    const students = await scoreboards.read(contest.id, {
      live: true,
      division: 'student',
    });
    expect(students.entries.map(e => [e.pos, e.team])).toEqual([
      [1, 'Student'],
    ]);
    expect(await scoreboards.ctftime(contest.id)).toEqual({
      standings: [{ pos: 1, team: 'Alpha', score: 100 }],
    });
  });

  it('queues one more recompute when asked during a computation, so no change is missed', async () => {
    const { contest, players } = await contestWithTeams(['Alpha']);
    const first = scoreboards.recompute(contest.id, at(1));
    // Solve while the first computation is in flight.
    await submissions.submit(
      players.Alpha.id,
      'pattern',
      PLAIN_FLAGS.pattern,
      at(1),
    );
    const second = scoreboards.recompute(contest.id, at(2));
    const third = scoreboards.recompute(contest.id, at(2));
    await first;
    const latest = await second;
    await third;
    // Three requests, at most three computations (the last two share one if queued).
    expect(
      log.lines.filter(l => l.includes('Scoreboard recomputed')).length,
    ).toBeLessThanOrEqual(3);
    expect(latest.live.entries[0].score).toBe(100);
    expect(
      (await scoreboards.read(contest.id, { live: true })).entries[0].score,
    ).toBe(100);
  });

  it('stores pages of 100 per board and division, and the challenge values', async () => {
    const { contest } = await contestWithTeams([]);
    const teams = Array.from({ length: 250 }, (_, i) => ({
      id: `bulk-${n}-${i}`,
      contest_id: contest.id,
      name: `Bulk ${i}`,
      name_key: `bulk ${n} ${i}`,
      division: i % 5 === 0 ? 'student' : 'open',
      invite_code: `bulk-${n}-${i}`,
      member_count: 1,
      banned: false,
      created_at: at(0).toISOString(),
    }));
    await knex.batchInsert('teams', teams, 100);
    const pattern = await contests.challengeByName(contest.id, 'pattern');
    // Team i solves at minute 250 - i: earlier teams rank higher on the tie.
    await knex.batchInsert(
      'solves',
      teams.map((t, i) => ({
        contest_id: contest.id,
        challenge_id: pattern.id,
        team_id: t.id,
        contestant_id: 'x',
        solved_at: new Date(start.getTime() + (250 - i) * 60_000).toISOString(),
      })),
      100,
    );
    await scoreboards.recompute(contest.id, at(9));
    const page2 = await scoreboards.read(contest.id, { live: true, page: 2 });
    expect(page2).toMatchObject({
      page: 2,
      pages: 3,
      total: 250,
      pageSize: 100,
    });
    expect(page2.entries.map(e => e.pos)).toEqual(
      Array.from({ length: 100 }, (_, i) => 101 + i),
    );
    expect(page2.top10Series).toEqual([]);
    const first = await scoreboards.read(contest.id, { live: true });
    expect(first.entries[0].team).toBe('Bulk 249');
    expect(first.top10Series).toHaveLength(10);
    const students = await scoreboards.read(contest.id, {
      live: true,
      division: 'student',
    });
    expect(students).toMatchObject({ total: 50, pages: 1 });
    expect(students.entries.map(e => e.pos)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(
      await scoreboards.readText(contest.id, { live: true, page: 4 }),
    ).toBeUndefined();
    expect(
      await scoreboards.readText(contest.id, { live: true, division: 'pro' }),
    ).toBeUndefined();
    expect((await scoreboards.ctftime(contest.id)).standings).toHaveLength(250);
    expect(
      (await scoreboards.challengeValues(contest.id)).get(pattern.id),
    ).toEqual({ value: 100, solves: 250 });
  });

  it('picks up solves committed out of id order between full reloads', async () => {
    const { contest, players } = await contestWithTeams(['Alpha', 'Bravo']);
    const [warmup, pattern] = await Promise.all([
      contests.challengeByName(contest.id, 'warmup'),
      contests.challengeByName(contest.id, 'pattern'),
    ]);
    const [{ id: later }] = await knex('solves')
      .insert({
        id: 900_000 + n,
        contest_id: contest.id,
        challenge_id: warmup.id,
        team_id: players.Alpha.teamId,
        contestant_id: 'x',
        solved_at: at(1).toISOString(),
      })
      .returning('id');
    await scoreboards.recompute(contest.id, at(2));
    // A transaction that took a lower id commits after the recompute read the higher one.
    await knex('solves').insert({
      id: Number(later) - 10,
      contest_id: contest.id,
      challenge_id: pattern.id,
      team_id: players.Bravo.teamId,
      contestant_id: 'x',
      solved_at: at(1.5).toISOString(),
    });
    const { live } = await scoreboards.recompute(contest.id, at(3));
    expect(live.entries.map(e => [e.team, e.score])).toEqual([
      ['Alpha', 500],
      ['Bravo', 100],
    ]);
  });

  it('recomputes the contests that are running or ended within a day', async () => {
    const { contest } = await contestWithTeams(['Alpha']);
    await scoreboards.recomputeActive(at(9));
    expect(log.lines.some(l => l.includes(contest.id))).toBe(true);
    log.lines.length = 0;
    await scoreboards.recomputeActive(at(10 + 25));
    expect(log.lines.some(l => l.includes(contest.id))).toBe(false);
  });
}

// Registrations and logins hash at the production scrypt cost (N=2^17).
jest.setTimeout(60_000);
describe('ScoreboardService with the memory cache', () => {
  suite(() =>
    CacheManager.fromConfig(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
    ).forPlugin('contest'),
  );
});

describeWithServices(['redis'])(
  'ScoreboardService with the Redis cache',
  () => {
    suite(() => createTestRedisCache().cache);
  },
);
