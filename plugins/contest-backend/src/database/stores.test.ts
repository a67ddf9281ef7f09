import type { Knex } from 'knex';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { insertBareContest, migratedKnex } from '../__testUtils__/fixtures';
import { DatabaseContestStore } from './ContestStore';
import { DatabaseSubmissionStore } from './SubmissionStore';
import { DatabaseTeamStore } from './TeamStore';
import type { TeamRow } from './rows';

const now = new Date('2026-11-22T12:00:00Z').toISOString();

/** The stores' own decisions: unique inserts, guarded joins and leaves, literal search, atomic counters. */
describe.each(testDatabaseEngines())('contest stores on %s', engine => {
  let db: TestDatabase;
  let knex: Knex;
  let teams: DatabaseTeamStore;
  let contests: DatabaseContestStore;
  let submissions: DatabaseSubmissionStore;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    knex = await migratedKnex(db);
    teams = new DatabaseTeamStore(knex);
    contests = new DatabaseContestStore(knex);
    submissions = new DatabaseSubmissionStore(knex);
    await insertBareContest(knex);
  }, 30_000);
  afterAll(async () => {
    if (knex !== db?.knex) await knex?.destroy();
    await db?.destroy();
  });

  const team = (id: string, name: string): TeamRow => ({
    id,
    contest_id: 'c1',
    name,
    name_key: name.toLocaleLowerCase('en-US'),
    division: null,
    invite_code: `invite-${id}`,
    member_count: 0,
    banned: false,
    ban_reason: null,
    created_at: now,
  });
  const solve = {
    contest_id: 'c1',
    challenge_id: 'ch1',
    team_id: 't1',
    contestant_id: 'p1',
    solved_at: now,
  };
  const contestant = (id: string) => ({
    id,
    contest_id: 'c1',
    username: id,
    username_key: id,
    password_hash: 'x',
    team_id: null,
    created_at: now,
  });

  it('inserts a contest once per slug', async () => {
    const again = { ...(await contests.contestBySlug('c1'))!, id: 'c2' };
    expect(await contests.insertContest(again)).toBe(false);
    expect(await contests.insertContest({ ...again, slug: 'c2' })).toBe(true);
  });

  it('joins while seats are free, once per contestant, and leaves until the team solved something', async () => {
    expect(await teams.insertTeam(team('t1', 'One'))).toBe(true);
    expect(await teams.insertTeam(team('t1b', 'ONE'))).toBe(false);
    for (const id of ['p1', 'p2']) await teams.insertContestant(contestant(id));
    expect(await teams.join('p1', 't1', 1)).toBe('joined');
    expect(await teams.join('p2', 't1', 1)).toBe('full');
    expect(await teams.insertTeam(team('t2', 'Two'))).toBe(true);
    expect(await teams.join('p1', 't2', 4)).toBe('already_in_team');
    // The refused join gave its seat back (one transaction).
    expect((await teams.team('t2'))?.member_count).toBe(0);
    expect(await teams.leave('p2')).toBe('not_in_team');
    expect(await teams.leave('p1')).toBe('left');
    expect((await teams.team('t1'))?.member_count).toBe(0);
    expect(await teams.join('p1', 't1', 1)).toBe('joined');
    expect(await submissions.insertSolve(solve)).toBe(true);
    expect(await teams.leave('p1')).toBe('has_solves');
  });

  it('searches team names literally (LIKE wildcards escaped)', async () => {
    for (const [id, name] of [
      ['s1', 'Blue_Team'],
      ['s2', 'BlueXTeam'],
      ['s3', '100% Red'],
    ])
      await teams.insertTeam(team(id, name));
    const names = async (q: string) =>
      (await teams.search('c1', q)).map(t => t.name);
    expect(await names('e_t')).toEqual(['Blue_Team']);
    expect(await names('0%')).toEqual(['100% Red']);
    expect(await names('blue')).toEqual(['Blue_Team', 'BlueXTeam']);
  });

  it('counts up atomically per window and refuses a second solve', async () => {
    const counts = await Promise.all(
      Array.from({ length: 20 }, () => submissions.countUp('t1', 'ch1', 7)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await submissions.countUp('t1', 'ch1', 8)).toBe(1);
    expect(await submissions.insertSolve(solve)).toBe(false);
  });
});
