import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Folder of this plugin's knex migrations. */
export const migrationsDir = resolvePackagePath(
  '@flagstage/plugin-gateway-admin-backend',
  'migrations',
);

/** Opens the plugin database and migrates it unless the deployment runs migrations separately. */
export async function connectDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return knex;
}
