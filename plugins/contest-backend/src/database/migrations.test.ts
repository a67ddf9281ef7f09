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
});
