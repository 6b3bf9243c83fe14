import { Knex } from 'knex';

/**
 * Narrows a query on `gates` (under `alias`, if it has one) to the gates that
 * are not cancelled, newest first: its first row is the entity's current
 * gate, the one its page shows and the portfolio summarises.
 */
export function newestLiveGateFirst<T extends Knex.QueryBuilder>(
  query: T,
  alias?: string,
): T {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return query
    .whereNot(column('state'), 'cancelled')
    .orderBy(column('opened_at'), 'desc')
    .orderBy(column('id'), 'desc') as T;
}
