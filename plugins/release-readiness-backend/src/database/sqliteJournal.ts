/*
 * The journal of the plugin's SQLite database file.
 *
 * SQLite's default rollback journal costs every commit a write of the
 * journal, a write of the database and the journal's deletion, each synced:
 * about 1.6 ms per commit on the benchmark's machine, a sixth of a
 * sign-off. With the write-ahead log a commit appends to the log and syncs
 * it once (0.4 ms there), and reads do not wait for a writer's commit.
 *
 * Durability stays as it was: every connection syncs each commit
 * (`synchronous = FULL`). better-sqlite3 is built to sync only at
 * checkpoints under the write-ahead log (`NORMAL`), which could lose the
 * last commits, audit events among them, to a power loss.
 */
import { Knex } from 'knex';
import { isPostgres } from './dialect';

/** A connection of either SQLite driver knex knows. */
interface SqliteConnection {
  /** better-sqlite3 */
  pragma?: (source: string) => unknown;
  /** sqlite3 */
  run?: (source: string, callback: (error: unknown) => void) => unknown;
}

function syncEveryCommit(connection: SqliteConnection) {
  if (typeof connection.pragma === 'function') {
    connection.pragma('synchronous = FULL');
  } else if (typeof connection.run === 'function') {
    connection.run('PRAGMA synchronous = FULL', () => {});
  }
}

/**
 * On SQLite, switches the database to the write-ahead log (kept in the file:
 * once is enough) and makes every connection, now and later, sync each
 * commit. Returns the journal mode in force: `wal`, or `memory` for an
 * in-memory database, which has no file to log beside; undefined on
 * PostgreSQL, where it does nothing.
 */
export async function useWriteAheadLog(db: Knex): Promise<string | undefined> {
  if (isPostgres(db)) return undefined;
  const answer = await db.raw('PRAGMA journal_mode = WAL');
  const row = Array.isArray(answer) ? answer[0] : undefined;
  const mode = String(
    row?.journal_mode ?? Object.values(row ?? {})[0] ?? 'unknown',
  );
  (db.client as any).pool?.on?.(
    'createSuccess',
    (_id: unknown, connection: SqliteConnection) => syncEveryCommit(connection),
  );
  await db.raw('PRAGMA synchronous = FULL');
  return mode;
}
