import knexFactory, { type Knex } from 'knex';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  backstageTestIds,
  isCI,
  isServiceReachable,
  testServiceUrls,
} from './services';

/** A database engine tests run against. @public */
export type TestDatabaseEngine = 'sqlite' | 'postgres';

/** A fresh database for one suite. @public */
export type TestDatabase = {
  engine: TestDatabaseEngine;
  /** Knex connection config usable as Backstage `backend.database`. */
  config: { client: string; connection: any; useNullAsDefault?: boolean };
  knex: Knex;
  /** Closes the connection and drops the database. */
  destroy(): Promise<void>;
};

const databaseIds = {
  sqlite: 'SQLITE_3',
  postgres: backstageTestIds.postgres,
} as const;

// One TestDatabases per test file: created when a test file imports this
// module, i.e. while Jest collects it, which is when `afterAll` (its final
// cleanup) may still be registered. Docker is never used: the connection
// string always comes from FLAGSTAGE_TEST_POSTGRES_URL.
const databases =
  typeof afterAll === 'function'
    ? TestDatabases.create({
        ids: Object.values(databaseIds),
        disableDocker: true,
      })
    : undefined;

/**
 * Creates an empty database through Backstage's `TestDatabases`: SQLite in
 * memory, or a new PostgreSQL database on the configured server, dropped by
 * `destroy` (and at the latest when the test file ends).
 *
 * @public
 */
export async function createTestDatabase(
  engine: TestDatabaseEngine,
): Promise<TestDatabase> {
  if (!databases) {
    throw new Error('createTestDatabase runs inside Jest test files only');
  }
  const knex = await databases.init(databaseIds[engine]);
  if (engine === 'sqlite') {
    const config = {
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    };
    return { engine, config, knex, destroy: () => knex.destroy() };
  }
  const name: string = knex.client.config.connection.database;
  const url = new URL(testServiceUrls.postgres);
  url.pathname = `/${name}`;
  return {
    engine,
    config: { client: 'pg', connection: url.toString() },
    knex,
    async destroy() {
      await knex.destroy();
      await dropPostgresDatabase(name);
    },
  };
}

// TestDatabases drops its databases only when the test file ends; suites
// that create many expect each one gone when they destroy it.
async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = knexFactory({
    client: 'pg',
    connection: testServiceUrls.postgres,
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  } finally {
    await admin.destroy();
  }
}

/**
 * The engines a database test should run on: always SQLite; PostgreSQL when
 * it answers (required in CI, where its absence throws).
 *
 * @public
 */
export function testDatabaseEngines(): TestDatabaseEngine[] {
  if (isServiceReachable('postgres')) return ['sqlite', 'postgres'];
  if (isCI) {
    throw new Error('PostgreSQL is not reachable and CI=true requires it');
  }
  // eslint-disable-next-line no-console
  console.warn(
    'PostgreSQL not reachable: database tests run on SQLite only. Start it as described in the README.',
  );
  return ['sqlite'];
}
