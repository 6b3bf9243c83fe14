import { PortfolioRow } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { applyFilters, PortfolioAccess, toRow } from './portfolio';
import { EntityRow } from './tables';

/**
 * The index rows of a roll-up's parts that `access` lets the caller read,
 * in one query (the permission conditions become WHERE clauses, as on the
 * portfolio). A part missing from the answer is unknown to the index or
 * hidden from the caller.
 */
export async function queryPartRows(
  db: Knex,
  entityRefs: string[],
  access: PortfolioAccess,
): Promise<PortfolioRow[]> {
  if (!entityRefs.length) return [];
  const rows = await db<EntityRow>('entities')
    .modify(qb => applyFilters(db, qb, {}, access))
    .whereIn('entity_ref', entityRefs);
  return (rows as EntityRow[]).map(toRow);
}
