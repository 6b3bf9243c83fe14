/*
 * The calendar's reads: the gates planned in a range under the portfolio's
 * filters (several per entity), the approved window exceptions of those
 * gates, and the entities the filters keep (for which windows to show).
 * A fixed number of queries whatever the size.
 */
import { WindowException } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toIso, toWindowException } from './mappers';
import {
  applyFilters,
  PortfolioAccess,
  PortfolioStoreQuery,
} from './portfolio';
import { WindowExceptionRow } from './tables';

/** The portfolio's entity filters, as the calendar takes them. */
export type CalendarFilters = Pick<
  PortfolioStoreQuery,
  'owner' | 'system' | 'tier' | 'state' | 'verdict' | 'q'
>;

/** A gate planned in the range, with its entity's scope facts. */
export interface PlannedGateRow {
  gateId: string;
  entityRef: string;
  title: string;
  ownerRef?: string;
  systemRef?: string;
  tags: string[];
  release: string;
  state: string;
  plannedAt: string;
}

/** The most planned gates one calendar shows; the total says how many more. */
export const CALENDAR_MAX_RELEASES = 500;

/** The most entities read to decide which scoped windows to show. */
export const CALENDAR_MAX_SCOPE_ENTITIES = 20_000;

/** The gates that are still planned: open ones. */
const PLANNED_STATES = ['in-progress', 'go', 'no-go'];

function entityFilter(db: Knex, filters: CalendarFilters) {
  return db('entities')
    .select('entity_ref')
    .modify(qb => applyFilters(db, qb, filters, { type: 'all' }));
}

/**
 * The open gates planned in `[from, to)` of the entities the filters keep
 * and `access` lets the caller read, earliest first, and their total.
 */
export async function queryPlannedGates(
  db: Knex,
  range: { from: string; to: string },
  filters: CalendarFilters,
  access: PortfolioAccess,
): Promise<{ rows: PlannedGateRow[]; total: number }> {
  const base = () =>
    db('gates as g')
      .join('entities', 'entities.entity_ref', 'g.entity_ref')
      .modify(qb => applyFilters(db, qb, {}, access))
      .whereIn('g.entity_ref', entityFilter(db, filters))
      .whereIn('g.state', PLANNED_STATES)
      .where('g.planned_at', '>=', range.from)
      .where('g.planned_at', '<', range.to);
  const [[{ n }], rows] = await Promise.all([
    base().count({ n: '*' }),
    base()
      .orderBy('g.planned_at', 'asc')
      .orderBy('g.id', 'asc')
      .limit(CALENDAR_MAX_RELEASES)
      .select(
        'g.id',
        'g.entity_ref',
        'g.release',
        'g.state',
        'g.planned_at',
        'entities.title',
        'entities.owner_ref',
        'entities.system_ref',
        'entities.tags',
      ),
  ]);
  return {
    total: Number(n),
    rows: (rows as any[]).map(r => ({
      gateId: r.id,
      entityRef: r.entity_ref,
      title: r.title,
      ...(r.owner_ref ? { ownerRef: r.owner_ref } : {}),
      ...(r.system_ref ? { systemRef: r.system_ref } : {}),
      tags: JSON.parse(r.tags ?? '[]'),
      release: r.release,
      state: r.state,
      plannedAt: toIso(r.planned_at),
    })),
  };
}

/**
 * The window exceptions of these gates, approved ones only (a request not
 * yet approved, or rejected, excepts nothing), by gate.
 */
export async function queryApprovedExceptions(
  db: Knex,
  gateIds: string[],
): Promise<Map<string, WindowException[]>> {
  const byGate = new Map<string, WindowException[]>();
  if (!gateIds.length) return byGate;
  const rows = await db<WindowExceptionRow>('window_exceptions')
    .whereIn('gate_id', gateIds)
    .orderBy('approved_at');
  for (const row of rows as (WindowExceptionRow & { status?: string })[]) {
    if (row.status && row.status !== 'approved') continue;
    const list = byGate.get(row.gate_id) ?? [];
    list.push(toWindowException(row));
    byGate.set(row.gate_id, list);
  }
  return byGate;
}

/**
 * The entities the filters keep and the caller may read, as window scopes
 * see them; undefined when there are more than the limit (every window is
 * then shown).
 */
export async function queryScopeEntities(
  db: Knex,
  filters: CalendarFilters,
  access: PortfolioAccess,
): Promise<
  { entityRef: string; systemRef?: string; tags: string[] }[] | undefined
> {
  const rows = await db('entities')
    .modify(qb => applyFilters(db, qb, filters, access))
    .select('entity_ref', 'system_ref', 'tags')
    .limit(CALENDAR_MAX_SCOPE_ENTITIES + 1);
  if (rows.length > CALENDAR_MAX_SCOPE_ENTITIES) return undefined;
  return (rows as any[]).map(r => ({
    entityRef: r.entity_ref,
    ...(r.system_ref ? { systemRef: r.system_ref } : {}),
    tags: JSON.parse(r.tags ?? '[]'),
  }));
}
