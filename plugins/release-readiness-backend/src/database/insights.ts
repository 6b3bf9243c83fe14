/*
 * `GET /insights/items` (issue 18): for each checklist item of the released
 * gates the caller may read, how many releases it was passed, waived, not
 * applicable or failed-then-fixed in, and how many of those releases had a
 * sev1–2 incident within the window after the release. The statistics then
 * run on those counts (statistics.ts).
 *
 * The period is read in whole months (UTC): `from` is taken back to the
 * start of its month and `to` forward to the start of the next month unless
 * it is one already, and the response's `from` and `to` say which months
 * were read. A gate counts in the month it was released in.
 *
 * Where the counts come from:
 * - for a caller who may read everything, or whose permission conditions
 *   are exactly "the entities of these owners" (`ownerRefsAnyOf`), from the
 *   roll-up (`item_outcome_rollup`, itemOutcomes.ts): a sum over the
 *   months' rows of those owners (or of the owner asked for), or over the
 *   months' totals (`item_outcome_totals`, one row per item and outcome)
 *   for a reader of everything, however many gates were released. (The
 *   roll-up of everyone has a row per owner, item and outcome of each
 *   month: summed, its 140,000 rows at 100,000 entities took 290 ms on
 *   SQLite.) The owners' condition also grants the entities assigned to
 *   them (`gate_owner_assignments`); the gates of the few assigned
 *   entities whose owner is another are counted from their metrics rows
 *   and items;
 * - for any other conditions (`allOf`, `anyOf`, `not`), which the roll-up's
 *   rows cannot be filtered by, from the gates themselves: one aggregate
 *   query over every released gate of the period with its items and
 *   incidents. Correct, but it grows with the history (905 ms p95 at
 *   10,000 entities on SQLite).
 * Both count the gates that are not cancelled, of entities the caller may
 * read by the entity's owner now (as the metrics do, an entity no longer in
 * the catalog has none).
 */
import { InputError } from '@backstage/errors';
import {
  ItemInsightsResponse,
  ItemOutcome,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { INSIGHTS_WINDOW_DAYS, itemOf } from './itemOutcomes';
import { applyCriteria, PortfolioAccess, timeRange } from './portfolio';
import {
  compareInsights,
  itemFinding,
  OutcomeCount,
} from '../insights/statistics';

export { INSIGHTS_WINDOW_DAYS } from './itemOutcomes';
/** Releases needed on each side of a comparison before anything is said. */
export const INSIGHTS_MIN_SAMPLE = 10;
/** The period when none is asked for: the months of the last 180 days. */
export const INSIGHTS_DEFAULT_DAYS = 180;

export interface InsightsStoreQuery {
  template?: string;
  /** A group ref, lower case. */
  owner?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
  now?: Date;
}

/** The whole months (UTC) a period is read in; see the top. */
export interface InsightsMonths {
  /** The start of the first month. */
  from: string;
  /** The start of the month after the last. */
  to: string;
  /** The first month, YYYY-MM. */
  firstMonth: string;
  /** The last month, YYYY-MM. */
  lastMonth: string;
}

/** The start (UTC) of the month of `time`, `months` later. */
function monthStart(time: Date, months = 0): Date {
  const start = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps the years 1 to 99 as they are.
  start.setUTCFullYear(time.getUTCFullYear(), time.getUTCMonth() + months, 1);
  return start;
}

/** A period `[from, to)` widened to whole months; see the top. */
export function insightsMonths(from: string, to: string): InsightsMonths {
  const first = monthStart(new Date(from));
  const end = new Date(to);
  const last = monthStart(new Date(end.getTime() - 1));
  return {
    from: first.toISOString(),
    to:
      monthStart(end).getTime() === end.getTime()
        ? end.toISOString()
        : monthStart(end, 1).toISOString(),
    firstMonth: first.toISOString().slice(0, 7),
    lastMonth: last.toISOString().slice(0, 7),
  };
}

/** The counts of one template, item and outcome, from any source. */
interface CountRow {
  template_name: string;
  item_id: string;
  outcome: ItemOutcome;
  releases: number | string;
  incidents: number | string | null;
  title: string;
  automated: boolean | number | string;
}

/** The outcome of `gi`, a gate_items row, in SQL (itemOutcomes.outcomeOf). */
function outcomeSql(db: Knex): string {
  const everFailed = isPostgres(db) ? 'gi.ever_failed' : 'gi.ever_failed = 1';
  return `CASE WHEN gi.status = 'waived' THEN 'waived' WHEN gi.status = 'not-applicable' THEN 'not-applicable' WHEN ${everFailed} THEN 'failed-then-fixed' ELSE 'passed' END`;
}

/** Rows with a gate_items definition, read as a title and automation. */
function withItems(
  rows: Array<Omit<CountRow, 'title' | 'automated'> & { definition: string }>,
): CountRow[] {
  return rows.map(({ definition, ...row }) => ({
    ...row,
    ...itemOf(definition, row.item_id),
  }));
}

/**
 * From the roll-up: the months' rows of `ownerRefs`, of the owner asked
 * for, or (from its totals) of everyone.
 */
async function rollupCounts(
  db: Knex,
  months: InsightsMonths,
  query: InsightsStoreQuery,
  ownerRefs?: string[],
): Promise<CountRow[]> {
  const everyone = !ownerRefs && !query.owner;
  return db(everyone ? 'item_outcome_totals' : 'item_outcome_rollup')
    .where('month', '>=', months.firstMonth)
    .where('month', '<=', months.lastMonth)
    .modify(qb => {
      if (ownerRefs) qb.whereIn('owner_ref', ownerRefs);
      if (query.owner) qb.where('owner_ref', query.owner);
      if (query.template) qb.where('template_name', query.template);
    })
    .groupBy('template_name', 'item_id', 'outcome')
    .select(
      'template_name',
      'item_id',
      'outcome',
      db.raw('SUM(releases) AS releases'),
      db.raw('SUM(incidents) AS incidents'),
      db.raw('MIN(title) AS title'),
      db.raw('MAX(CASE WHEN automated THEN 1 ELSE 0 END) AS automated'),
    )
    .havingRaw('SUM(releases) > 0');
}

/**
 * The gates of entities assigned to `ownerRefs` whose owner is none of them
 * (the roll-up counts the others under their owner), from their metrics
 * rows and items.
 */
async function assignedCounts(
  db: Knex,
  months: InsightsMonths,
  query: InsightsStoreQuery,
  ownerRefs: string[],
): Promise<CountRow[]> {
  const rows = await db('gate_metrics as m')
    .join('gate_items as gi', 'gi.gate_id', 'm.gate_id')
    .whereIn(
      'm.entity_ref',
      db('gate_owner_assignments')
        .select('entity_ref')
        .whereIn('owner_ref', ownerRefs),
    )
    .where(q =>
      q.whereNull('m.owner_ref').orWhereNotIn('m.owner_ref', ownerRefs),
    )
    .where('m.released_month', '>=', months.firstMonth)
    .where('m.released_month', '<=', months.lastMonth)
    .modify(qb => {
      if (query.owner) qb.where('m.owner_ref', query.owner);
      if (query.template) qb.where('m.template_name', query.template);
    })
    .groupBy('m.template_name', 'gi.item_id', 'outcome')
    .select(
      'm.template_name',
      'gi.item_id',
      db.raw(`${outcomeSql(db)} AS outcome`),
      db.raw('COUNT(*) AS releases'),
      db.raw(
        'SUM(CASE WHEN m.incident_after_release THEN 1 ELSE 0 END) AS incidents',
      ),
      db.raw('MIN(gi.definition) AS definition'),
    );
  return withItems(rows);
}

/**
 * From the gates themselves, under any permission conditions: every
 * released gate of the months with its items, and whether a sev1–2 incident
 * of its release occurred within the window after it (an interval of whole
 * hours, so that PostgreSQL's session time zone plays no part).
 */
async function rawCounts(
  db: Knex,
  access: PortfolioAccess,
  months: InsightsMonths,
  query: InsightsStoreQuery,
): Promise<CountRow[]> {
  const windowEnd = isPostgres(db)
    ? `g.released_at + (${INSIGHTS_WINDOW_DAYS * 24} * interval '1 hour')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', g.released_at, '+${INSIGHTS_WINDOW_DAYS} days')`;
  const released = db('gates as g')
    .leftJoin('entities as e', 'e.entity_ref', 'g.entity_ref')
    .whereNot('g.state', 'cancelled')
    .whereNotNull('g.released_at')
    .where('g.released_at', '>=', months.from)
    .where('g.released_at', '<', months.to)
    .modify(qb => {
      if (access.type === 'none') {
        qb.whereRaw('1 = 0');
      } else if (access.type === 'conditional') {
        applyCriteria(db, qb, access.criteria, 'g.entity_ref', 'e.owner_ref');
      }
      if (query.owner) qb.where('e.owner_ref', query.owner);
      if (query.template) qb.where('g.template_name', query.template);
    })
    .select(
      'g.id',
      'g.template_name',
      db.raw(
        `CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.entity_ref = g.entity_ref AND i.release = g.release AND i.severity IN ('sev1', 'sev2') AND i.occurred_at >= g.released_at AND i.occurred_at < ${windowEnd}) THEN 1 ELSE 0 END AS bad`,
      ),
    )
    .as('r');
  const rows = await db
    .from(released)
    .join('gate_items as gi', 'gi.gate_id', 'r.id')
    .groupBy('r.template_name', 'gi.item_id', 'outcome')
    .select(
      'r.template_name',
      'gi.item_id',
      db.raw(`${outcomeSql(db)} AS outcome`),
    )
    .count({ releases: '*' })
    .sum({ incidents: 'r.bad' })
    .min({ definition: 'gi.definition' });
  return withItems(rows as any);
}

/** The owners of conditions the roll-up can answer, or undefined. */
function rollupOwners(access: PortfolioAccess): string[] | undefined {
  if (access.type !== 'conditional') return undefined;
  const criteria = access.criteria as { ownerRefsAnyOf?: unknown };
  const keys = Object.keys(criteria);
  if (
    keys.length !== 1 ||
    !Array.isArray(criteria.ownerRefsAnyOf) ||
    !criteria.ownerRefsAnyOf.every(ref => typeof ref === 'string')
  ) {
    return undefined;
  }
  return criteria.ownerRefsAnyOf as string[];
}

/**
 * The items of the released gates, with their outcomes; see the top.
 * `options.raw` counts from the gates whatever the conditions (the roll-up's
 * tests compare the two).
 */
export async function queryItemInsights(
  db: Knex,
  access: PortfolioAccess,
  query: InsightsStoreQuery = {},
  options: { raw?: boolean } = {},
): Promise<ItemInsightsResponse> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  if (limit < 1 || limit > 200) {
    throw new InputError('limit: must be between 1 and 200');
  }
  const now = query.now ?? new Date();
  const range = timeRange(
    'from',
    query.from ??
      new Date(
        now.getTime() - INSIGHTS_DEFAULT_DAYS * 86_400_000,
      ).toISOString(),
    'to',
    query.to ?? now.toISOString(),
  );
  const months = insightsMonths(range.from!, range.to!);
  const owners = rollupOwners(access);
  let rows: CountRow[];
  if (access.type === 'none') {
    rows = [];
  } else if (!options.raw && access.type === 'all') {
    rows = await rollupCounts(db, months, query);
  } else if (!options.raw && owners) {
    rows = owners.length
      ? [
          ...(await rollupCounts(db, months, query, owners)),
          ...(await assignedCounts(db, months, query, owners)),
        ]
      : [];
  } else {
    rows = await rawCounts(db, access, months, query);
  }

  const byItem = new Map<
    string,
    {
      template: string;
      itemId: string;
      title: string;
      automated: boolean;
      counts: Map<ItemOutcome, OutcomeCount>;
    }
  >();
  // In key order, so that an item's title is the same whichever source
  // counted it first.
  const keyOf = (row: CountRow) =>
    `${row.template_name}\u0000${row.item_id}\u0000${row.outcome}`;
  const sorted = rows
    .map(row => ({ row, key: keyOf(row) }))
    .sort((a, b) => {
      if (a.key === b.key) return 0;
      return a.key < b.key ? -1 : 1;
    });
  for (const { row } of sorted) {
    const key = `${row.template_name}\u0000${row.item_id}`;
    const item = byItem.get(key) ?? {
      template: row.template_name,
      itemId: row.item_id,
      title: row.title,
      automated: Boolean(Number(row.automated)),
      counts: new Map(),
    };
    const count = item.counts.get(row.outcome) ?? {
      outcome: row.outcome,
      releases: 0,
      incidents: 0,
    };
    count.releases += Number(row.releases);
    count.incidents += Number(row.incidents ?? 0);
    item.counts.set(row.outcome, count);
    byItem.set(key, item);
  }
  const statistics = {
    minSample: INSIGHTS_MIN_SAMPLE,
    windowDays: INSIGHTS_WINDOW_DAYS,
  };
  const all = [...byItem.values()]
    .map(({ counts, ...item }) =>
      itemFinding(item, [...counts.values()], statistics),
    )
    .sort(compareInsights);
  return {
    from: months.from,
    to: months.to,
    windowDays: INSIGHTS_WINDOW_DAYS,
    minSample: INSIGHTS_MIN_SAMPLE,
    items: all.slice(offset, offset + limit),
    totalItems: all.length,
    offset,
    limit,
  };
}
