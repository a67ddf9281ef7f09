import {
  createTestDatabase,
  expectMigrationsUpAndDown,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  isUniqueViolation,
  migrationsDirectory,
} from '@flagstage/backend-node';

const TABLES = ['gateway_limits', 'gateway_revocations'];
const migrationsDir = migrationsDirectory(
  '@flagstage/plugin-gateway-admin-backend',
);

describe.each(testDatabaseEngines())(
  'gateway-admin migrations on %s',
  engine => {
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

    it('holds one revocation per (scope, value) and one row per limits version', async () => {
      const { knex } = db;
      await knex.migrate.latest({ directory: migrationsDir });
      const now = new Date();
      const revocation = {
        scope: 'team',
        value: 't1',
        created_by: 'user:default/olga',
        created_at: now,
      };
      await knex('gateway_revocations').insert(revocation);
      await knex('gateway_revocations').insert({
        ...revocation,
        scope: 'instance',
      });
      const duplicate = await knex('gateway_revocations')
        .insert({ ...revocation, reason: 'again' })
        .then(
          () => undefined,
          e => e,
        );
      expect(isUniqueViolation(duplicate)).toBe(true);

      const version = {
        version: 1,
        limits: '{}',
        created_by: 'user:default/olga',
        created_at: now,
      };
      await knex('gateway_limits').insert(version);
      const again = await knex('gateway_limits')
        .insert(version)
        .then(
          () => undefined,
          e => e,
        );
      expect(isUniqueViolation(again)).toBe(true);
    });
  },
);
