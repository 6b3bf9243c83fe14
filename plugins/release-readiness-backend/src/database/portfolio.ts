/*
 * The portfolio: one row per indexed entity with its current gate, read from
 * the entity index alone. Whatever the number of entities, a request costs the
 * same fixed set of queries: one page, one per facet and one for the team
 * totals (the total is the state facet's sum). Permission conditions become
 * WHERE clauses.
 */
import { InputError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  FacetCount,
  FINAL_GATE_STATES,
  GATE_STATES,
  PortfolioQuery,
  PortfolioResponse,
  PortfolioRow,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import type { GateQuery } from '../permissions';
import { toIso } from './mappers';
import { EntityRow } from './tables';

/**
 * `GET /portfolio`'s query (the wire type of -common) as the store takes it:
 * the route has read the tier as a number and lower-cased the refs.
 */
export type PortfolioStoreQuery = Omit<PortfolioQuery, 'tier'> & {
  tier?: number;
};

/** Who may see what: everything, nothing, or what the conditions allow. */
export type PortfolioAccess =
  | { type: 'all' }
  | { type: 'none' }
  | { type: 'conditional'; criteria: PermissionCriteria<GateQuery> };

const SORT_COLUMNS: Record<NonNullable<PortfolioStoreQuery['sort']>, string> = {
  title: 'title',
  owner: 'owner_ref',
  system: 'system_ref',
  tier: 'tier',
  state: 'current_state',
  score: 'current_score',
  plannedAt: 'current_planned_at',
};

type Dimension = 'owner' | 'system' | 'tier' | 'state' | 'verdict';

/**
 * The states of a gate that is still open. Only an open gate has a verdict to
 * filter or count by: a released or rolled-back gate is shown, filtered and
 * counted by that final state (-common's gateOutcome), never as a GO or
 * NO-GO of today.
 */
export const OPEN_STATES = GATE_STATES.filter(
  s => !FINAL_GATE_STATES.includes(s),
);

/** How many values each facet lists at most, the most common first. */
export const FACET_VALUES = 100;

const DIMENSION_COLUMNS: Record<Dimension, string> = {
  owner: 'owner_ref',
  system: 'system_ref',
  tier: 'tier',
  state: 'current_state',
  verdict: 'current_verdict',
};

/**
 * Applies permission criteria as WHERE clauses on `entities`.
 *
 * `entityRefColumn` names the column that holds the entity's ref; queries
 * that read gates and left-join `entities` pass the gate's own column, which
 * is never NULL, so that NOT of a criterion stays true or false for a gate
 * whose entity is no longer indexed. `ownerRefColumn` names the column with
 * the entity's owner: the metrics read the copy on their own rows.
 */
export function applyCriteria(
  db: Knex,
  qb: Knex.QueryBuilder,
  criteria: PermissionCriteria<GateQuery>,
  entityRefColumn = 'entities.entity_ref',
  ownerRefColumn = 'entities.owner_ref',
): void {
  const recurse = (b: Knex.QueryBuilder, c: PermissionCriteria<GateQuery>) =>
    applyCriteria(db, b, c, entityRefColumn, ownerRefColumn);
  if ('allOf' in criteria) {
    qb.where(all => {
      for (const c of criteria.allOf) all.andWhere(b => recurse(b, c));
    });
  } else if ('anyOf' in criteria) {
    qb.where(any => {
      for (const c of criteria.anyOf) any.orWhere(b => recurse(b, c));
    });
  } else if ('not' in criteria) {
    qb.whereNot(b => recurse(b, criteria.not));
  } else {
    const refs = criteria.ownerRefsAnyOf;
    // Never NULL, so that NOT of it holds for entities without an owner, as
    // the rule's apply() says.
    qb.where(b =>
      b
        .where(w =>
          w.whereNotNull(ownerRefColumn).whereIn(ownerRefColumn, refs),
        )
        .orWhereIn(
          entityRefColumn,
          db('gate_owner_assignments')
            .select('entity_ref')
            .whereIn('owner_ref', refs),
        ),
    );
  }
}

/**
 * Whether the `YYYY-MM-DD` a value starts with is a day of the calendar:
 * `Date` would read February 30 as March 2 rather than refuse it.
 */
function isCalendarDay(value: string): boolean {
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!ymd) return true;
  const [year, month, day] = ymd.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A time parameter as the database compares it: ISO 8601 in UTC with
 * milliseconds, the form every timestamp of the plugin is stored in (SQLite
 * compares them as text). Throws an InputError naming the field when the
 * value is no time, or lies outside the years 1 to 9999 that both databases
 * and that text order can hold.
 */
export function isoParam(field: string, value: string): string {
  const time = new Date(value);
  const iso = Number.isNaN(time.getTime()) ? undefined : time.toISOString();
  if (
    !iso ||
    !/^\d{4}-/.test(iso) ||
    iso.startsWith('0000-') ||
    !isCalendarDay(value)
  ) {
    throw new InputError(
      `${field}: must be a valid ISO 8601 date-time between the years 1 and 9999`,
    );
  }
  return iso;
}

/**
 * A half-open time range `[from, to)` from optional parameters, normalized by
 * {@link isoParam}; throws an InputError naming `toField` when it is empty.
 */
export function timeRange(
  fromField: string,
  from: string | undefined,
  toField: string,
  to: string | undefined,
): { from?: string; to?: string } {
  const range = {
    ...(from !== undefined ? { from: isoParam(fromField, from) } : {}),
    ...(to !== undefined ? { to: isoParam(toField, to) } : {}),
  };
  if (range.from && range.to && range.from >= range.to) {
    throw new InputError(`${toField}: must be later than ${fromField}`);
  }
  return range;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

/**
 * How many entities of a group have each current verdict (open gates only),
 * how many a released or rolled-back gate, and how many no gate:
 * `go_count`, `no_go_count`, `in_progress_count`, `released_count`,
 * `rolled_back_count`, `no_gate_count`.
 */
function verdictCounts(db: Knex): Knex.Raw[] {
  const open = OPEN_STATES.map(s => `'${s}'`).join(', ');
  const count = (condition: string, name: string) =>
    db.raw(`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${name}`);
  return [
    count(`current_verdict = 'GO' AND current_state IN (${open})`, 'go_count'),
    count(
      `current_verdict = 'NO-GO' AND current_state IN (${open})`,
      'no_go_count',
    ),
    count(
      `current_verdict = 'IN PROGRESS' AND current_state IN (${open})`,
      'in_progress_count',
    ),
    count("current_state = 'released'", 'released_count'),
    count("current_state = 'rolled-back'", 'rolled_back_count'),
    count('current_gate_id IS NULL', 'no_gate_count'),
  ];
}

/** Applies the filters of the query, except those of `skip`, and the access. */
export function applyFilters(
  db: Knex,
  qb: Knex.QueryBuilder,
  query: PortfolioStoreQuery,
  access: PortfolioAccess,
  skip?: Dimension,
) {
  if (access.type === 'none') {
    qb.whereRaw('1 = 0');
  } else if (access.type === 'conditional') {
    applyCriteria(db, qb, access.criteria);
  }
  if (query.owner && skip !== 'owner') qb.where('owner_ref', query.owner);
  if (query.system && skip !== 'system') qb.where('system_ref', query.system);
  if (query.tier !== undefined && skip !== 'tier') qb.where('tier', query.tier);
  if (query.state && skip !== 'state') {
    if (query.state === 'none') qb.whereNull('current_state');
    else qb.where('current_state', query.state);
  }
  if (query.verdict && skip !== 'verdict') {
    qb.where('current_verdict', query.verdict).whereIn(
      'current_state',
      OPEN_STATES,
    );
  }
  if (query.plannedFrom) {
    qb.where('current_planned_at', '>=', query.plannedFrom);
  }
  if (query.plannedTo) {
    qb.where('current_planned_at', '<', query.plannedTo);
  }
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLocaleLowerCase('en-US'))}%`;
    qb.where(b =>
      b
        .whereRaw("LOWER(title) LIKE ? ESCAPE '\\'", [pattern])
        .orWhereRaw("LOWER(entity_ref) LIKE ? ESCAPE '\\'", [pattern]),
    );
  }
}

/** An index row as the portfolio shows it. */
export function toRow(row: EntityRow): PortfolioRow {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    title: row.title,
    ...(row.type ? { type: row.type } : {}),
    ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
    ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
    ...(row.system_ref ? { systemRef: row.system_ref } : {}),
    tags: JSON.parse(row.tags),
    ...(row.template_name ? { templateName: row.template_name } : {}),
    ...(row.tier ? { tier: Number(row.tier) } : {}),
    ...(row.current_gate_id
      ? {
          currentGate: {
            id: row.current_gate_id,
            release: row.current_release!,
            state: row.current_state as any,
            verdict: row.current_verdict as any,
            score: Number(row.current_score ?? 0),
            blockers: Number(row.current_blockers ?? 0),
            ...(row.current_planned_at
              ? { plannedAt: toIso(row.current_planned_at) }
              : {}),
            ...(row.current_decision
              ? {
                  lastDecision: {
                    verdict: row.current_decision as 'go' | 'no-go',
                    at: toIso(row.current_decided_at!),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * One page of the portfolio with its facets and team totals. The planned
 * range `[plannedFrom, plannedTo)` is a filter like the others: the page, the
 * count, every facet and the team totals all keep to it.
 */
export async function queryPortfolio(
  db: Knex,
  rawQuery: PortfolioStoreQuery,
  access: PortfolioAccess,
): Promise<PortfolioResponse> {
  const offset = rawQuery.offset ?? 0;
  const limit = rawQuery.limit ?? 50;
  if (limit < 1 || limit > 200) {
    throw new InputError('limit: must be between 1 and 200');
  }
  const planned = timeRange(
    'plannedFrom',
    rawQuery.plannedFrom,
    'plannedTo',
    rawQuery.plannedTo,
  );
  const query: PortfolioStoreQuery = {
    ...rawQuery,
    plannedFrom: planned.from,
    plannedTo: planned.to,
  };
  const sortColumn = SORT_COLUMNS[query.sort ?? 'title'];
  const order = query.order ?? 'asc';

  const page = db<EntityRow>('entities')
    .modify(qb => applyFilters(db, qb, query, access))
    .orderByRaw(
      `${sortColumn} IS NULL, ${sortColumn} ${
        order === 'desc' ? 'DESC' : 'ASC'
      }`,
    )
    .orderBy('entity_ref')
    .offset(offset)
    .limit(limit);
  // The most common values of each filter: a catalog of 100,000 entities has
  // thousands of teams and systems, more than a filter menu can offer.
  const facet = (dimension: Dimension) =>
    db('entities')
      .modify(qb => applyFilters(db, qb, query, access, dimension))
      // Only `state` has a value for "none" (entities without a gate).
      .modify(qb => {
        if (dimension !== 'state')
          qb.whereNotNull(DIMENSION_COLUMNS[dimension]);
        // Only open gates have a verdict (see OPEN_STATES).
        if (dimension === 'verdict') qb.whereIn('current_state', OPEN_STATES);
      })
      .select({ value: DIMENSION_COLUMNS[dimension] })
      .count({ n: '*' })
      .groupBy(DIMENSION_COLUMNS[dimension])
      .orderBy([
        { column: 'n', order: 'desc' },
        { column: DIMENSION_COLUMNS[dimension], order: 'asc' },
      ])
      .limit(FACET_VALUES);
  // The totals of the teams the page shows (the table's group headers), not
  // of every team: a catalog of 100,000 entities has thousands. The owners
  // come from the page, so this one query follows it.
  const teams = (owners: string[]) =>
    db('entities')
      .modify(qb => applyFilters(db, qb, query, access, 'owner'))
      .whereIn('owner_ref', owners)
      .select({ owner: 'owner_ref' })
      .count({ entities: '*' })
      .select(verdictCounts(db))
      .groupBy('owner_ref')
      .orderBy('owner_ref');

  const [rows, owner, system, tier, state, verdict] = await Promise.all([
    page,
    facet('owner'),
    facet('system'),
    facet('tier'),
    facet('state'),
    facet('verdict'),
  ]);
  // The state facet counts every row the other filters keep, by state
  // (there are fewer states than FACET_VALUES, "none" included): the total
  // is its sum, or its count of the state filtered on. No count of its own.
  // A facet cut at FACET_VALUES (states written behind the plugin's back)
  // is counted after all.
  const n =
    state.length < FACET_VALUES
      ? (state as Array<{ value: string | null; n: number | string }>)
          .filter(i =>
            query.state === undefined
              ? true
              : query.state === 'none'
              ? i.value === null
              : i.value === query.state,
          )
          .reduce((sum, i) => sum + Number(i.n), 0)
      : (
          await db('entities')
            .modify(qb => applyFilters(db, qb, query, access))
            .count({ n: '*' })
        )[0].n;
  const pageOwners = new Set(
    (rows as EntityRow[]).flatMap(r => (r.owner_ref ? [r.owner_ref] : [])),
  );
  if (query.owner) pageOwners.add(query.owner);
  const teamRows = await teams([...pageOwners].sort());
  const facetCounts = (items: any[], noneLabel?: string): FacetCount[] =>
    items
      .filter(i => i.value !== null || noneLabel)
      .map(i => ({
        value: i.value === null ? noneLabel! : String(i.value),
        count: Number(i.n),
      }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));

  return {
    items: (rows as EntityRow[]).map(toRow),
    totalItems: Number(n),
    offset,
    limit,
    facets: {
      owner: facetCounts(owner),
      system: facetCounts(system),
      tier: facetCounts(tier),
      state: facetCounts(state, 'none'),
      verdict: facetCounts(verdict),
    },
    teams: (teamRows as any[])
      .filter(t => t.owner !== null)
      .map(t => ({
        ownerRef: t.owner,
        entities: Number(t.entities),
        go: Number(t.go_count ?? 0),
        noGo: Number(t.no_go_count ?? 0),
        inProgress: Number(t.in_progress_count ?? 0),
        released: Number(t.released_count ?? 0),
        rolledBack: Number(t.rolled_back_count ?? 0),
        noGate: Number(t.no_gate_count ?? 0),
      })),
  };
}

/** A system of the tier view: its ref, and its index row when it has one. */
export interface TierSystem {
  systemRef: string;
  system?: PortfolioRow;
}

/**
 * The systems of the tier view: every system the caller may read, and every
 * system of a component the caller may read. Two queries, whatever the
 * number of systems; their roll-ups are the gates' (`gates/rollup.ts`).
 */
export async function queryTierSystems(
  db: Knex,
  access: PortfolioAccess,
): Promise<TierSystem[]> {
  const [ofComponents, systems] = await Promise.all([
    db('entities')
      .modify(qb => applyFilters(db, qb, {}, access))
      .where('kind', 'component')
      .whereNotNull('system_ref')
      .distinct({ system: 'system_ref' }),
    db<EntityRow>('entities')
      .modify(qb => applyFilters(db, qb, {}, access))
      .where('kind', 'system'),
  ]);
  const systemRows = new Map(
    (systems as EntityRow[]).map(row => [row.entity_ref, toRow(row)]),
  );
  const refs = new Set<string>([
    ...systemRows.keys(),
    ...(ofComponents as any[]).map(c => c.system as string),
  ]);
  return [...refs].sort().map(systemRef => {
    const system = systemRows.get(systemRef);
    return { systemRef, ...(system ? { system } : {}) };
  });
}
