import knexFactory, { type Knex } from 'knex';
import {
  isCI,
  isServiceReachable,
  testServiceUrls,
  uniqueTestId,
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

/**
 * Creates an empty database: SQLite in memory, or a new PostgreSQL database
 * (`flagstage_test_<id>`) on the configured server, dropped by `destroy`.
 *
 * @public
 */
export async function createTestDatabase(
  engine: TestDatabaseEngine,
): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const config = {
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    };
    const knex = knexFactory(config);
    return { engine, config, knex, destroy: () => knex.destroy() };
  }
  const adminUrl = testServiceUrls.postgres;
  const name = `flagstage_test_${uniqueTestId()}`;
  const admin = knexFactory({
    client: 'pg',
    connection: adminUrl,
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config = { client: 'pg', connection: url.toString() };
  const knex = knexFactory({ ...config, pool: { min: 0, max: 5 } });
  return {
    engine,
    config,
    knex,
    async destroy() {
      await knex.destroy();
      const dropper = knexFactory({
        client: 'pg',
        connection: adminUrl,
        pool: { min: 0, max: 1 },
      });
      try {
        await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await dropper.destroy();
      }
    },
  };
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
