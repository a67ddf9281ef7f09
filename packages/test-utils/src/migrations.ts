import type { Knex } from 'knex';

/** Which of `tables` exist, as `{ table: exists }` (so a failure names the table). */
async function existing(knex: Knex, tables: string[]) {
  const found: Record<string, boolean> = {};
  for (const table of tables) found[table] = await knex.schema.hasTable(table);
  return found;
}

const all = (tables: string[], exists: boolean) =>
  Object.fromEntries(tables.map(table => [table, exists]));

/**
 * Checks a plugin's knex migrations on an empty database: up to the latest
 * (every table exists, nothing pending), down to nothing (no table left),
 * and up again. Leaves the database migrated.
 *
 * @public
 */
export async function expectMigrationsUpAndDown(
  knex: Knex,
  options: { directory: string; tables: string[] },
): Promise<void> {
  const { directory, tables } = options;
  await knex.migrate.latest({ directory });
  expect(await existing(knex, tables)).toEqual(all(tables, true));
  const [, pending] = await knex.migrate.list({ directory });
  expect(pending).toEqual([]);

  await knex.migrate.rollback({ directory }, true);
  expect(await existing(knex, tables)).toEqual(all(tables, false));

  await knex.migrate.latest({ directory });
  expect(await existing(knex, tables)).toEqual(all(tables, true));
}
