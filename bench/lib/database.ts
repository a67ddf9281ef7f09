/* A throw-away PostgreSQL database for one benchmark run. */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

export const PG_URL =
  process.env.FLAGSTAGE_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** Benchmarks talk to this machine only. */
export function assertLoopback(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    throw new Error(`benchmarks only target 127.0.0.1, not ${host}`);
}

/**
 * BENCH_PG_SYNCHRONOUS_COMMIT=off sets synchronous_commit for the benchmark's
 * connections (a diagnostic: how much of the latency is waiting for WAL
 * flushes). Default: the server's setting.
 */
const SYNCHRONOUS_COMMIT = process.env.BENCH_PG_SYNCHRONOUS_COMMIT;

export type FreshDatabase = {
  knex: Knex;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
  name: string;
};

function adminKnex(): Knex {
  return knexFactory({
    client: 'pg',
    connection: PG_URL,
    pool: { min: 0, max: 1 },
  });
}

/** A new `flagstage_bench_<hex>` database with a plugin's migrations applied. */
export async function freshDatabase(options: {
  poolMax: number;
  /** The plugin's `migrations` folder. */
  migrations: string;
}): Promise<FreshDatabase> {
  assertLoopback(PG_URL);
  const name = `flagstage_bench_${randomBytes(4).toString('hex')}`;
  const admin = adminKnex();
  await admin.raw('CREATE DATABASE ??', [name]);
  await admin.destroy();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: {
      min: 0,
      max: options.poolMax,
      ...(SYNCHRONOUS_COMMIT && {
        afterCreate: (conn: any, done: (e: unknown, c: unknown) => void) =>
          conn.query(
            `SET synchronous_commit = ${
              SYNCHRONOUS_COMMIT === 'off' ? 'off' : 'on'
            }`,
            (e: unknown) => done(e, conn),
          ),
      }),
    },
  });
  const drop = async () => {
    await knex.destroy();
    const dropper = adminKnex();
    await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await dropper.destroy();
  };
  try {
    await knex.migrate.latest({ directory: options.migrations });
  } catch (e) {
    await drop();
    throw e;
  }
  return { knex, name, drop };
}
