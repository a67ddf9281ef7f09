import {
  createTestDatabase,
  expectMigrationsUpAndDown,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { migrationsDirectory } from '@flagstage/backend-node';
import { insertBareContest } from '../__testUtils__/fixtures';

const migrationsDir = migrationsDirectory('@flagstage/plugin-contest-backend');

const TABLES = [
  'contests',
  'contest_challenges',
  'teams',
  'contestants',
  'contestant_sessions',
  'submissions',
  'solves',
  'submission_windows',
  'hint_unlocks',
  'announcements',
  'flag_incidents',
  'throttle_windows',
];

describe.each(testDatabaseEngines())('contest migrations on %s', engine => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 30_000);
  afterAll(() => db?.destroy());

  it('migrates up, down to nothing, and up again', async () => {
    await expectMigrationsUpAndDown(db.knex, {
      directory: migrationsDir,
      tables: TABLES,
    });
  });

  it('holds one solve per team and challenge by a unique constraint', async () => {
    const { knex } = db;
    await knex.migrate.latest({ directory: migrationsDir });
    const now = new Date().toISOString();
    await insertBareContest(knex);
    await knex('teams').insert({
      id: 't1',
      contest_id: 'c1',
      name: 'T',
      name_key: 't',
      invite_code: 'code-1',
    });
    const solve = {
      contest_id: 'c1',
      challenge_id: 'ch1',
      team_id: 't1',
      contestant_id: 'p1',
      solved_at: now,
    };
    await knex('solves').insert(solve);
    await expect(knex('solves').insert(solve)).rejects.toThrow(/unique/i);
  });

  it('gives existing names their confusable skeleton, unique per contest, and goes back down', async () => {
    const { knex } = db;
    await knex.migrate.rollback({ directory: migrationsDir }, true);
    // Only the first migration: the schema as rows were written before.
    await knex.migrate.up({ directory: migrationsDir });
    await insertBareContest(knex);
    const team = (id: string, name: string, at: string) =>
      knex('teams').insert({
        id,
        contest_id: 'c1',
        name,
        name_key: name.toLowerCase(),
        invite_code: `code-${id}`,
        created_at: at,
      });
    await team('t1', 'Paypal', '2026-01-01T00:00:00Z');
    // Cyrillic а: another name_key, the same skeleton.
    await team('t2', 'Pаypal', '2026-01-02T00:00:00Z');
    await knex('contestants').insert({
      id: 'p1',
      contest_id: 'c1',
      username: 'alice',
      username_key: 'alice',
      password_hash: 'x',
      team_id: 't1',
    });
    await knex.migrate.latest({ directory: migrationsDir });
    const teams = await knex('teams').orderBy('id').select('name_skeleton');
    expect(teams.map(t => t.name_skeleton)).toEqual(['paypal', 'paypal#t2']);
    const me = await knex('contestants').where({ id: 'p1' }).first();
    expect(me).toMatchObject({ username_skeleton: 'alice', teams_created: 1 });
    await expect(
      team('t3', 'PAYPAL\u200b', '2026-01-03T00:00:00Z').then(() =>
        knex('teams').where({ id: 't3' }).update({ name_skeleton: 'paypal' }),
      ),
    ).rejects.toThrow(/unique/i);
    await knex.migrate.down({ directory: migrationsDir });
    expect(await knex.schema.hasColumn('teams', 'name_skeleton')).toBe(false);
    expect(await knex.schema.hasTable('throttle_windows')).toBe(false);
    expect(await knex('teams').count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);
  });
});
