import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the plugin's knex migrations live. */
export const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@release-readiness/plugin-backend',
  'migrations',
);

/**
 * Brings the plugin's schema up to date, unless the deployment manages
 * migrations itself (`database.migrations.skip`). Knex's migration lock makes
 * concurrent starts of several replicas safe: one migrates, the others wait.
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  }
  return client;
}
