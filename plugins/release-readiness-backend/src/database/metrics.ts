/*
 * The quarterly review of the seed, as numbers: per team, tier or system and
 * per month or quarter of opening, how long gates took to GO, how often they
 * said NO-GO, how many blockers they had when decided, how many releases
 * shipped and how many incidents followed; and the same over every gate,
 * whatever its group, per period and for the whole range.
 *
 * One query, whatever the size, over the narrow metrics rows of the gates
 * (`gate_metrics`, see gateMetrics.ts) rather than the gates themselves.
 * What leaves the database is a row per period and group, its lead times
 * packed in one string, never a row per gate; the percentiles are taken
 * from those. The filters and the permission conditions are WHERE clauses.
 */
import {
  MetricsBucket,
  MetricsPeriodBucket,
  MetricsQuery,
  MetricsResponse,
  MetricsValues,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { applyCriteria, PortfolioAccess, timeRange } from './portfolio';

/**
 * `GET /metrics`'s query (the wire type of -common) as the store takes it:
 * the route has applied the defaults of the grouping and the period, read the
 * tier as a number and lower-cased the refs.
 */
export type MetricsStoreQuery = Omit<
  MetricsQuery,
  'groupBy' | 'period' | 'tier'
> &
  Required<Pick<MetricsQuery, 'groupBy' | 'period'>> & {
    /** The tier the gate was opened with. */
    tier?: number;
  };

/** The p-th percentile (0..1) of sorted values, by the nearest-rank method. */
export function percentile(
  sorted: ArrayLike<number>,
  p: number,
): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/** The median of sorted values: the mean of the two middle ones for an even count. */
export function median(sorted: ArrayLike<number>): number | null {
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n: number) => Math.round(n * 100) / 100;
const HOUR = 3_600_000;

/** What is counted of a set of gates, before the ratios are taken. */
interface Tally {
  gates: number;
  releases: number;
  go: number;
  noGo: number;
  blockerSum: number;
  blockerCount: number;
  incidents: number;
  /** Lead times in milliseconds, in no order, in lists of buckets. */
  leadTimes: Float64Array[];
}

const newTally = (): Tally => ({
  gates: 0,
  releases: 0,
  go: 0,
  noGo: 0,
  blockerSum: 0,
  blockerCount: 0,
  incidents: 0,
  leadTimes: [],
});

/** The values of a tally, written after `keys` into one new object. */
function valuesOf<K extends object = {}>(
  t: Tally,
  keys: K = {} as K,
): K & MetricsValues {
  const decided = t.go + t.noGo;
  // Typed arrays sort numerically, and far faster than with a comparator.
  let lead = t.leadTimes.length === 1 ? t.leadTimes[0] : undefined;
  if (!lead) {
    lead = new Float64Array(
      t.leadTimes.reduce((n, list) => n + list.length, 0),
    );
    let at = 0;
    for (const list of t.leadTimes) {
      lead.set(list, at);
      at += list.length;
    }
  }
  lead.sort();
  const med = median(lead);
  const p90 = percentile(lead, 0.9);
  return {
    ...keys,
    gates: t.gates,
    releases: t.releases,
    goDecisions: t.go,
    noGoDecisions: t.noGo,
    noGoRate: decided ? round(t.noGo / decided) : null,
    leadTimeHours: {
      median: med === null ? null : round(med / HOUR),
      p90: p90 === null ? null : round(p90 / HOUR),
    },
    blockersPerGate: t.blockerCount
      ? round(t.blockerSum / t.blockerCount)
      : null,
    incidents: t.incidents,
    incidentsPerRelease: t.releases ? round(t.incidents / t.releases) : null,
  };
}

/**
 * The whole numbers of a comma-separated list the database aggregated, read
 * character by character: splitting would make a string of each.
 */
export function wholeNumbersOf(list: unknown): Float64Array {
  if (list === null || list === undefined || list === '') {
    return new Float64Array(0);
  }
  const text = String(list);
  let count = 1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 44) count += 1;
  }
  const values = new Float64Array(count);
  let n = 0;
  let value = 0;
  let sign = 1;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 44 : text.charCodeAt(i);
    if (c === 44) {
      values[n++] = sign * value;
      value = 0;
      sign = 1;
    } else if (c === 45) {
      sign = -1;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
    } else {
      throw new Error(`Not a list of whole numbers: ${text.slice(0, 100)}`);
    }
  }
  return values;
}

/**
 * Computes the metrics of the gates the caller may read (`access`), narrowed
 * by the query's filters. Cancelled gates are left out with their decisions
 * and incidents. A gate belongs to the period it was opened in, and so do its
 * decisions, even when they came later. Throws an InputError naming the field
 * for a bad time range.
 */
export async function queryMetrics(
  db: Knex,
  query: MetricsStoreQuery,
  access: PortfolioAccess,
): Promise<MetricsResponse> {
  const range = timeRange('from', query.from, 'to', query.to);
  const groupColumn = {
    team: 'm.owner_ref',
    tier: 'm.tier',
    system: 'm.system_ref',
  }[query.groupBy];

  /** The gates counted: their metrics rows `m`. */
  const scope = (qb: Knex.QueryBuilder) => {
    if (access.type === 'none') {
      qb.whereRaw('1 = 0');
    } else if (access.type === 'conditional') {
      applyCriteria(db, qb, access.criteria, 'm.entity_ref', 'm.owner_ref');
    }
    if (query.owner) qb.where('m.owner_ref', query.owner);
    if (query.system) qb.where('m.system_ref', query.system);
    if (query.tier !== undefined) qb.where('m.tier', query.tier);
    if (range.from) qb.where('m.opened_at', '>=', range.from);
    if (range.to) qb.where('m.opened_at', '<', range.to);
  };
  const periodColumn = query.period === 'month' ? 'm.month' : 'm.quarter';
  const keys = `${periodColumn} AS period, ${groupColumn} AS grp`;
  // The month decides the quarter, so grouping by the quarter too changes no
  // group; it is the order of SQLite's covering indexes (see the migration
  // 20261127190000_gate_metrics), which spares it sorting every row.
  const grouping =
    query.period === 'month'
      ? `${groupColumn}, m.quarter, m.month`
      : `${groupColumn}, m.quarter`;
  const postgres = isPostgres(db);
  // SQLite keeps booleans as 0 and 1 and sums them as they are, faster than
  // through a CASE; PostgreSQL sums no booleans.
  const releasedCount = postgres ? 'CAST(m.released AS integer)' : 'm.released';
  const releasedIncidents = postgres
    ? 'CASE WHEN m.released THEN m.incidents ELSE 0 END'
    : 'm.released * m.incidents';
  // The lead times of a bucket as one comma-separated list: the percentiles
  // need every value, and one string per bucket is far cheaper to carry
  // than a row per gate. Whole milliseconds, which print fast and exactly.
  const leadTimes = postgres
    ? "string_agg(CAST(m.lead_ms AS text), ',')"
    : "GROUP_CONCAT(m.lead_ms, ',')";

  // The sums and lead times per period and group. Incidents follow a
  // release: only released (or rolled back) gates count theirs.
  const sums = (await db('gate_metrics as m')
    .modify(scope)
    .select(
      db.raw(keys),
      db.raw('COUNT(*) AS gates'),
      db.raw(`SUM(${releasedCount}) AS releases`),
      db.raw(`SUM(${releasedIncidents}) AS incidents`),
      db.raw('SUM(m.go_count) AS go'),
      db.raw('SUM(m.no_go_count) AS no_go'),
      db.raw('SUM(m.blocker_sum) AS blocker_sum'),
      db.raw('SUM(m.blocker_count) AS blocker_count'),
      db.raw(`${leadTimes} AS lead_times`),
    )
    .groupByRaw(grouping)) as any[];

  // Each row is one bucket (the query groups by period and group); the
  // periods and the total add the buckets up.
  const buckets: MetricsBucket[] = [];
  const periods = new Map<string, Tally & { period: string }>();
  const total = newTally();
  for (const row of sums) {
    const period = String(row.period);
    const group =
      row.grp === null || row.grp === undefined ? 'unknown' : String(row.grp);
    const leads = wholeNumbersOf(row.lead_times);
    const bucket: Tally = {
      gates: Number(row.gates),
      releases: Number(row.releases ?? 0),
      go: Number(row.go ?? 0),
      noGo: Number(row.no_go ?? 0),
      blockerSum: Number(row.blocker_sum ?? 0),
      blockerCount: Number(row.blocker_count ?? 0),
      incidents: Number(row.incidents ?? 0),
      leadTimes: leads.length ? [leads] : [],
    };
    let overall = periods.get(period);
    if (!overall) {
      overall = Object.assign(newTally(), { period });
      periods.set(period, overall);
    }
    for (const tally of [overall, total]) {
      tally.gates += bucket.gates;
      tally.releases += bucket.releases;
      tally.go += bucket.go;
      tally.noGo += bucket.noGo;
      tally.blockerSum += bucket.blockerSum;
      tally.blockerCount += bucket.blockerCount;
      tally.incidents += bucket.incidents;
      if (leads.length) tally.leadTimes.push(leads);
    }
    buckets.push(valuesOf(bucket, { period, group }));
  }

  // Periods and entity refs are ASCII: code-unit order is their order, and
  // thousands of localeCompare calls would cost more than the queries.
  const byText = (a: string, b: string) => {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  };
  const result = buckets.sort(
    (a, b) => byText(a.period, b.period) || byText(a.group, b.group),
  );
  const overallPeriods: MetricsPeriodBucket[] = [...periods.values()]
    .sort((a, b) => byText(a.period, b.period))
    .map(p => valuesOf(p, { period: p.period }));
  return {
    groupBy: query.groupBy,
    period: query.period,
    buckets: result,
    overall: { periods: overallPeriods, total: valuesOf(total) },
    ungatedIncidents: await countUngatedIncidents(db, query, range, access),
  };
}

/**
 * Incidents of releases that had no gate, under the same access and filters
 * (owner, system and tier of the entity as the index has it; `from` and
 * `to` on when the incident occurred). One query: no gate counts them, so
 * they are not in any bucket.
 */
async function countUngatedIncidents(
  db: Knex,
  query: MetricsStoreQuery,
  range: { from?: string; to?: string },
  access: PortfolioAccess,
): Promise<number> {
  const [row] = await db('incidents as i')
    .leftJoin('entities as e', 'e.entity_ref', 'i.entity_ref')
    .where('i.ungated', true)
    .modify(qb => {
      if (access.type === 'none') {
        qb.whereRaw('1 = 0');
      } else if (access.type === 'conditional') {
        applyCriteria(db, qb, access.criteria, 'i.entity_ref', 'e.owner_ref');
      }
      if (query.owner) qb.where('e.owner_ref', query.owner);
      if (query.system) qb.where('e.system_ref', query.system);
      if (query.tier !== undefined) qb.where('e.tier', query.tier);
      if (range.from) qb.where('i.occurred_at', '>=', range.from);
      if (range.to) qb.where('i.occurred_at', '<', range.to);
    })
    .count({ n: '*' });
  return Number(row?.n ?? 0);
}
