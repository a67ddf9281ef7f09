import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Folder of this plugin's knex migrations. */
export const migrationsDir = resolvePackagePath(
  '@flagstage/plugin-contest-backend',
  'migrations',
);

/** Applies pending migrations unless the deployment runs them separately. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}

/** Opens the plugin database and migrates it when allowed. */
export async function connectDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await applyDatabaseMigrations(knex);
  }
  return knex;
}
