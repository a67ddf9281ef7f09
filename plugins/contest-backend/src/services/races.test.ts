import type { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  HOUR,
  migratedKnex,
  PLAIN_FLAGS,
  testChallenges,
} from '../__testUtils__/fixtures';
import { createContestServices, type ContestServices } from '.';

/**
 * Concurrency is carried by the database (unique constraints, guarded
 * updates, atomic upserts), so these run many requests at once through a
 * pool of 20 connections against real PostgreSQL (and SQLite, serialised).
 */
describe.each(testDatabaseEngines())('contest races on %s', engine => {
  let db: TestDatabase;
  let knex: Knex;
  let services: ContestServices;
  let solveEvents: number;
  const now = new Date();

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    knex = await migratedKnex(db, 20);
  }, 30_000);
  afterAll(async () => {
    services?.scoreboards.stop();
    if (knex !== db?.knex) await knex?.destroy();
    await db?.destroy();
  });
  beforeEach(() => {
    solveEvents = 0;
    services = createContestServices({
      db: knex,
      cache: mockServices.cache.mock(),
      logger: mockServices.logger.mock(),
      onScoreChange: () => {
        solveEvents += 1;
      },
    });
  });

  let n = 0;
  async function contest(extra: { teamSizeLimit?: number; rate?: number }) {
    n += 1;
    const c = await services.contests.createContest({
      slug: `race-${n}`,
      name: `Race ${n}`,
      startsAt: new Date(now.getTime() - HOUR).toISOString(),
      endsAt: new Date(now.getTime() + HOUR).toISOString(),
      teamSizeLimit: extra.teamSizeLimit ?? 4,
      submissionRatePerMinute: extra.rate ?? 600,
    });
    for (const e of Object.values(testChallenges))
      await services.contests.attachChallenge(c.slug, e, { hidden: false });
    return c;
  }
  async function registered(slug: string, name: string) {
    return services.teams.register(slug, {
      username: name,
      password: 'a long enough password',
    });
  }

  it('100 concurrent correct submissions from one team make one solve and one score change', async () => {
    const c = await contest({});
    const captain = await registered(c.slug, 'captain');
    const team = await services.teams.createTeam(captain.id, {
      name: 'Racers',
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        services.submissions.submit(
          captain.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          now,
        ),
      ),
    );
    const outcomes = results.map(r => r.outcome);
    expect(outcomes.filter(o => o === 'correct')).toHaveLength(1);
    expect(outcomes.filter(o => o === 'already_solved')).toHaveLength(99);
    const solves = await knex('solves').where({ team_id: team.id });
    expect(solves).toHaveLength(1);
    expect(solveEvents).toBe(1);
    const submissions = await knex('submissions').where({ team_id: team.id });
    expect(submissions).toHaveLength(100);

    const board = await services.scoreboards.recompute(c.id, now);
    const entry = board.live.entries.find(e => e.teamId === team.id)!;
    // ctfd-linear 500 - 50 × (1 solve - 1) = 500, counted once.
    expect(entry.score).toBe(500);
  }, 60_000);

  it('concurrent joins at the team size limit: the limit holds', async () => {
    const c = await contest({ teamSizeLimit: 4 });
    const captain = await registered(c.slug, 'owner');
    const team = await services.teams.createTeam(captain.id, {
      name: 'Crowded',
    });
    const joiners = await Promise.all(
      Array.from({ length: 30 }, (_, i) => registered(c.slug, `joiner${i}`)),
    );
    const results = await Promise.allSettled(
      joiners.map(j => services.teams.joinTeam(j.id, team.invite_code)),
    );
    const joined = results.filter(r => r.status === 'fulfilled');
    const refused = results.filter(r => r.status === 'rejected');
    expect(joined).toHaveLength(3);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason.name).toBe('ConflictError');
    const members = await knex('contestants').where({ team_id: team.id });
    expect(members).toHaveLength(4);
    expect((await services.teams.team(team.id)).member_count).toBe(4);
  }, 60_000);

  it('one contestant joining many teams at once lands in exactly one', async () => {
    const c = await contest({ teamSizeLimit: 4 });
    const teams = [];
    for (let i = 0; i < 10; i++) {
      const owner = await registered(c.slug, `cap${i}`);
      teams.push(
        await services.teams.createTeam(owner.id, { name: `Team ${i}` }),
      );
    }
    const hopper = await registered(c.slug, 'hopper');
    const results = await Promise.allSettled(
      teams.map(t => services.teams.joinTeam(hopper.id, t.invite_code)),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const counts = await knex('teams')
      .whereIn(
        'id',
        teams.map(t => t.id),
      )
      .sum({ s: 'member_count' });
    expect(Number(counts[0].s)).toBe(11);
  }, 60_000);

  it('concurrent hint unlocks charge once', async () => {
    const c = await contest({});
    const members: { id: string }[] = [];
    const captain = await registered(c.slug, 'hcap');
    const team = await services.teams.createTeam(captain.id, {
      name: 'Hinted',
    });
    members.push(captain);
    for (let i = 0; i < 3; i++) {
      const m = await registered(c.slug, `hm${i}`);
      await services.teams.joinTeam(m.id, team.invite_code);
      members.push(m);
    }
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        services.hints.unlockHint(members[i % 4].id, 'vault', 1, now),
      ),
    );
    expect(results.filter(r => r.charged)).toHaveLength(1);
    expect(results.every(r => r.content === 'ids start at zero')).toBe(true);
    const unlocks = await knex('hint_unlocks').where({ team_id: team.id });
    expect(unlocks).toHaveLength(1);
    const board = await services.scoreboards.recompute(c.id, now);
    expect(board.live.entries.find(e => e.teamId === team.id)?.score ?? 0).toBe(
      -25,
    );
  }, 60_000);

  it('the rate limit holds under concurrent submissions', async () => {
    const c = await contest({ rate: 10 });
    const captain = await registered(c.slug, 'spammer');
    await services.teams.createTeam(captain.id, { name: 'Spam' });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        services.submissions.submit(captain.id, 'pattern', `guess-${i}`, now),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(10);
    const rejected = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(
      rejected.every(r => r.reason.name === 'TooManySubmissionsError'),
    ).toBe(true);
  }, 60_000);
});
