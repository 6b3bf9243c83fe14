import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@release-readiness/plugin-backend',
  'migrations',
);

/**
 * Brings the plugin's schema up to date, unless the deployment manages
 * migrations itself (`backend.database.skipMigrations` or the plugin's own
 * setting). Knex's migration lock makes concurrent starts of several replicas
 * safe: one migrates, the others wait for it.
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
