import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isPostgres } from './dialect';
import { useWriteAheadLog } from './sqliteJournal';

/** Where the plugin's knex migrations live. */
export const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@release-readiness/plugin-backend',
  'migrations',
);

/**
 * Whether a migration failed only because another process was migrating the
 * same database at the same moment, so that trying again shortly succeeds:
 *
 * - knex's lock row is taken (`MigrationLocked`): another replica migrates;
 * - two processes created knex's own bookkeeping tables at once: PostgreSQL
 *   reports the loser as "relation already exists" (42P07), "duplicate
 *   object" (42710) or a unique violation in its system catalogs (23505 on a
 *   `pg_…` constraint, e.g. `pg_type_typname_nsp_index`).
 *
 * A unique violation in the plugin's own tables is a real failure and is not
 * retried.
 *
 * @public
 */
export function isConcurrentMigration(error: unknown): boolean {
  const e = error as { name?: string; code?: string; constraint?: string };
  if (!e) return false;
  if (e.name === 'MigrationLocked') return true;
  if (e.code === '42P07' || e.code === '42710') return true;
  return e.code === '23505' && String(e.constraint ?? '').startsWith('pg_');
}

/**
 * Runs a migration, and while another process holds the migration lock (or
 * wins the race to create knex's tables), waits and runs it again, for up to
 * `timeoutMs`. When the other process is done, the second run finds nothing
 * left to do. A lock left by a process that died mid-migration is still an
 * error after the timeout, naming the way out.
 *
 * @public
 */
export async function migrateWithRetry<T>(
  migrate: () => Promise<T>,
  options: {
    logger?: Pick<LoggerService, 'info'>;
    what?: string;
    timeoutMs?: number;
    intervalMs?: number;
  } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      return await migrate();
    } catch (error) {
      if (!isConcurrentMigration(error)) throw error;
      if (Date.now() > deadline) {
        throw new Error(
          `${
            options.what ?? 'The database'
          } stayed locked for migrations for ${timeoutMs} ms. If no other backend is migrating it, a crashed one left knex's lock taken: run 'knex migrate:unlock' (or set is_locked = 0 in the knex_migrations_lock table). Last error: ${
            (error as Error).message
          }`,
        );
      }
      if (!waited) {
        options.logger?.info(
          `${
            options.what ?? 'The database'
          } is being migrated by another process; waiting for it (${
            (error as Error).message
          })`,
        );
        waited = true;
      }
      // Jitter keeps replicas that lost together from colliding again.
      const interval = options.intervalMs ?? 250;
      await new Promise(r =>
        setTimeout(r, interval + Math.random() * interval),
      );
    }
  }
}

/** The databases whose migration lock the current async call chain holds. */
const lockHolders = new AsyncLocalStorage<Set<Knex>>();

/**
 * Runs `migrate` while holding a PostgreSQL advisory lock on the database, so
 * that replicas starting together migrate one after the other. Knex's own
 * lock cannot do this on a fresh database: two processes that both find its
 * lock table missing both create it and both insert its row, and with two
 * rows knex considers the table locked forever. On SQLite (one process) it
 * just runs `migrate`.
 *
 * @public
 */
export async function withMigrationLock<T>(
  knex: Knex,
  migrate: () => Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  if (!isPostgres(knex)) return migrate();
  // Already held for this database by the caller itself (a wrapped migrate
  // inside a locked one): taking it again from another connection would wait
  // for ourselves. Other migrations of the same process still wait their turn.
  const held = lockHolders.getStore();
  if (held?.has(knex)) return migrate();
  return lockHolders.run(new Set([...(held ?? []), knex]), () =>
    lockedMigration(knex, migrate, options),
  );
}

async function lockedMigration<T>(
  knex: Knex,
  migrate: () => Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  // A session lock lives on one connection: take one from the pool for it.
  const connection = await knex.client.acquireConnection();
  const key = "hashtext('knex-migrations:' || current_database())";
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const result = await connection.query(
        `SELECT pg_try_advisory_lock(${key}) AS locked`,
      );
      if (result.rows[0]?.locked) break;
      if (Date.now() > deadline) {
        throw new Error(
          'Another process has been migrating this database for too long; gave up waiting for it',
        );
      }
      const interval = options.intervalMs ?? 250;
      await new Promise(r =>
        setTimeout(r, interval + Math.random() * interval),
      );
    }
    try {
      return await migrate();
    } finally {
      await connection.query(`SELECT pg_advisory_unlock(${key})`);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/**
 * On SQLite, turns on the write-ahead log (sqliteJournal.ts). Then brings
 * the plugin's schema up to date, unless the deployment manages
 * migrations itself (`database.migrations.skip`).
 *
 * Several replicas may start at the same moment on one database: knex's lock
 * lets one of them migrate, and makes the others fail with `MigrationLocked`
 * (or lose the race to create knex's own tables). Those wait and try again, so
 * every replica starts, after the schema is up to date.
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
  logger?: Pick<LoggerService, 'info'>,
): Promise<Knex> {
  const client = await database.getClient();
  const journal = await useWriteAheadLog(client);
  if (journal && journal !== 'wal' && journal !== 'memory') {
    logger?.info(
      `The release-readiness SQLite database keeps its ${journal} journal: the write-ahead log could not be turned on`,
    );
  }
  if (!database.migrations?.skip) {
    await migrateWithRetry(
      () =>
        withMigrationLock(client, () =>
          client.migrate.latest({ directory: MIGRATIONS_DIRECTORY }),
        ),
      { logger, what: 'The release-readiness database' },
    );
  }
  return client;
}
