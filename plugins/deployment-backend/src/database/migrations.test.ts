import {
  createTestDatabase,
  expectMigrationsUpAndDown,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { migrationsDirectory } from '@flagstage/backend-node';

describe.each(testDatabaseEngines())('deployment migrations on %s', engine => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 30_000);
  afterAll(() => db?.destroy());

  it('migrates up, down to nothing, and up again', async () => {
    await expectMigrationsUpAndDown(db.knex, {
      directory: migrationsDirectory('@flagstage/plugin-deployment-backend'),
      tables: [
        'instances',
        'instance_transitions',
        'team_instance_counts',
        'instance_output',
        'instance_workflows',
        'builds',
      ],
    });
  });
});
