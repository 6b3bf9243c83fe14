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

/**
 * The SQL of a JSON array of objects, one per row of `alias`, with the
 * named columns as keys, in the order given (SQL expressions): what a
 * subquery selects to carry a row's children in its parent's read. An empty
 * array, never NULL, for no row.
 */
export function jsonArrayOf(
  db: Knex,
  alias: string,
  columns: readonly string[],
  order: string,
): string {
  const fields = columns.map(c => `'${c}', ${alias}."${c}"`).join(', ');
  return isPostgres(db)
    ? `COALESCE(json_agg(json_build_object(${fields}) ORDER BY ${order}), '[]'::json)`
    : `json_group_array(json_object(${fields}) ORDER BY ${order})`;
}

/**
 * A JSON value the database built, as read: SQLite gives its text,
 * PostgreSQL the parsed value; `empty` for NULL.
 */
export function parsedJson<T>(value: unknown, empty: T): T {
  if (value === null || value === undefined) return empty;
  return typeof value === 'string' ? JSON.parse(value) : (value as T);
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
