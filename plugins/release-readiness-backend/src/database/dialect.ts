import { Knex } from 'knex';

/** Whether the database is PostgreSQL (otherwise it is SQLite). */
export function isPostgres(db: Knex | Knex.Transaction): boolean {
  const client = String(db.client.config.client);
  return client === 'pg' || client.includes('postgres');
}

/**
 * On PostgreSQL, takes a transaction-scoped advisory lock on `key`, so that
 * two writers of the same thing take turns until the first commits. SQLite
 * runs one writer at a time anyway, so there it does nothing.
 */
export async function lockForTransaction(
  trx: Knex.Transaction,
  key: string,
): Promise<void> {
  if (isPostgres(trx)) {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
  }
}

/** Whether an error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
