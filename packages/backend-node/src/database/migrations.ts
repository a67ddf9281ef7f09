import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** The `migrations` folder of a backend plugin package. */
export function migrationsDirectory(packageName: string): string {
  return resolvePackagePath(packageName, 'migrations');
}

/**
 * Opens a plugin's database and applies its pending knex migrations, unless
 * the deployment runs migrations separately (`backend.database.plugin.<id>.
 * migrations.skip`, which Backstage exposes as `database.migrations.skip`).
 */
export async function connectAndMigrate(options: {
  database: DatabaseService;
  /** Package whose `migrations/` folder holds the plugin's migrations. */
  packageName: string;
}): Promise<Knex> {
  const knex = await options.database.getClient();
  if (!options.database.migrations?.skip) {
    await knex.migrate.latest({
      directory: migrationsDirectory(options.packageName),
    });
  }
  return knex;
}
