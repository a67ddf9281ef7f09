import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { migrationsDirectory } from '@flagstage/backend-node';

const migrationsDir = migrationsDirectory(
  '@flagstage/plugin-deployment-backend',
);

const TABLES = [
  'instances',
  'instance_transitions',
  'team_instance_counts',
  'instance_output',
  'instance_workflows',
  'builds',
];

describe.each(testDatabaseEngines())('deployment migrations on %s', engine => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 30_000);
  afterAll(() => db?.destroy());

  it('migrates up, down to nothing, and up again', async () => {
    const { knex } = db;
    await knex.migrate.latest({ directory: migrationsDir });
    for (const table of TABLES) {
      expect({ table, exists: await knex.schema.hasTable(table) }).toEqual({
        table,
        exists: true,
      });
    }
    const [, pending] = await knex.migrate.list({ directory: migrationsDir });
    expect(pending).toEqual([]);

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    for (const table of TABLES) {
      expect({ table, exists: await knex.schema.hasTable(table) }).toEqual({
        table,
        exists: false,
      });
    }

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('builds')).toBe(true);
  });
});
