/*
 * The quarterly review of the seed, as numbers: per team, tier or system and
 * per month or quarter of opening, how long gates took to GO, how often they
 * said NO-GO, how many blockers they had when decided, how many releases
 * shipped and how many incidents followed; and the same over every gate,
 * whatever its group, per period and for the whole range. One query,
 * whatever the size; the filters and the permission conditions are WHERE
 * clauses of each.
 */
import {
  MetricsBucket,
  MetricsPeriodBucket,
  MetricsResponse,
  MetricsValues,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toIso } from './mappers';
import { applyCriteria, PortfolioAccess, timeRange } from './portfolio';

/** Grouping, period and filters of `GET /metrics`. */
export interface MetricsQuery {
  groupBy: 'team' | 'tier' | 'system';
  period: 'month' | 'quarter';
  /** Only gates of entities this group owns now (lower-case ref). */
  owner?: string;
  /** Only gates of entities of this system now (lower-case ref). */
  system?: string;
  /** Only gates of this tier: the tier the gate was opened with. */
  tier?: number;
  /** Only gates opened at or after this time (ISO 8601). */
  from?: string;
  /** Only gates opened before this time (ISO 8601). */
  to?: string;
}

/** The period of an ISO time: `2026-11` or `2026-Q4`. */
export function periodOf(iso: string, period: 'month' | 'quarter'): string {
  const [year, month] = iso.slice(0, 7).split('-').map(Number);
  return period === 'month'
    ? `${year}-${String(month).padStart(2, '0')}`
    : `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The p-th percentile (0..1) by the nearest-rank method. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/** The median: the mean of the two middle values for an even count. */
export function median(sorted: number[]): number | null {
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** What is counted of a set of gates, before the ratios are taken. */
interface Tally {
  gates: number;
  releases: number;
  go: number;
  noGo: number;
  leadTimes: number[];
  blockerSum: number;
  blockerCount: number;
  incidents: number;
}

const newTally = (): Tally => ({
  gates: 0,
  releases: 0,
  go: 0,
  noGo: 0,
  leadTimes: [],
  blockerSum: 0,
  blockerCount: 0,
  incidents: 0,
});

/** What one gate adds to each tally it belongs to. */
interface GateFacts {
  released: boolean;
  incidents: number;
  go: number;
  noGo: number;
  /** Blockers at decision time, summed over the gate's decisions. */
  blockerSum: number;
  /** How many of the gate's decisions recorded their blockers. */
  blockerCount: number;
  leadTime?: number;
}

function add(tally: Tally, facts: GateFacts) {
  tally.gates += 1;
  if (facts.released) {
    tally.releases += 1;
    tally.incidents += facts.incidents;
  }
  tally.go += facts.go;
  tally.noGo += facts.noGo;
  tally.blockerSum += facts.blockerSum;
  tally.blockerCount += facts.blockerCount;
  if (facts.leadTime !== undefined) tally.leadTimes.push(facts.leadTime);
}

/** The values of a tally; percentiles come from the gates themselves. */
function valuesOf(t: Tally): MetricsValues {
  const lead = [...t.leadTimes].sort((x, y) => x - y);
  const decided = t.go + t.noGo;
  const med = median(lead);
  const p90 = percentile(lead, 0.9);
  return {
    gates: t.gates,
    releases: t.releases,
    goDecisions: t.go,
    noGoDecisions: t.noGo,
    noGoRate: decided ? round(t.noGo / decided) : null,
    leadTimeHours: {
      median: med === null ? null : round(med),
      p90: p90 === null ? null : round(p90),
    },
    blockersPerGate: t.blockerCount
      ? round(t.blockerSum / t.blockerCount)
      : null,
    incidents: t.incidents,
    incidentsPerRelease: t.releases ? round(t.incidents / t.releases) : null,
  };
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
  query: MetricsQuery,
  access: PortfolioAccess,
): Promise<MetricsResponse> {
  const range = timeRange('from', query.from, 'to', query.to);
  const groupColumn = {
    team: 'entities.owner_ref',
    tier: 'g.tier',
    system: 'entities.system_ref',
  }[query.groupBy];

  /** The gates counted, as `g` joined to their index row `entities`. */
  const scope = (qb: Knex.QueryBuilder) => {
    qb.leftJoin('entities', 'entities.entity_ref', 'g.entity_ref').whereNot(
      'g.state',
      'cancelled',
    );
    if (access.type === 'none') {
      qb.whereRaw('1 = 0');
    } else if (access.type === 'conditional') {
      applyCriteria(db, qb, access.criteria, 'g.entity_ref');
    }
    if (query.owner) qb.where('entities.owner_ref', query.owner);
    if (query.system) qb.where('entities.system_ref', query.system);
    if (query.tier !== undefined) qb.where('g.tier', query.tier);
    if (range.from) qb.where('g.opened_at', '>=', range.from);
    if (range.to) qb.where('g.opened_at', '<', range.to);
  };

  // One row per gate with what the metrics need of it, aggregated in the
  // database: its decisions (how many of each, the first GO, the blockers)
  // and the incidents of its release. Only the grouping into periods and the
  // percentiles are left to JavaScript, over narrow rows.
  const client = String(db.client.config.client);
  const postgres = client === 'pg' || client.includes('postgres');
  const leadHours = postgres
    ? 'EXTRACT(EPOCH FROM (d.first_go - g.opened_at)) / 3600.0'
    : '(julianday(d.first_go) - julianday(g.opened_at)) * 24.0';
  const decisionsPerGate = db('decisions')
    .select('gate_id')
    .select(
      db.raw("SUM(CASE WHEN verdict = 'go' THEN 1 ELSE 0 END) AS go_count"),
      db.raw("SUM(CASE WHEN verdict = 'go' THEN 0 ELSE 1 END) AS no_go_count"),
      db.raw("MIN(CASE WHEN verdict = 'go' THEN at END) AS first_go"),
      db.raw('SUM(blocker_count) AS blocker_sum'),
      db.raw('COUNT(blocker_count) AS blocker_n'),
    )
    .groupBy('gate_id');
  // Incidents follow a release: only released (or rolled back) gates count
  // them, each gate those of its own entity and release.
  const incidentsPerRelease = db('incidents')
    .select('entity_ref', 'release')
    .count({ n: '*' })
    .groupBy('entity_ref', 'release');
  const gates = (await db('gates as g')
    .modify(scope)
    .leftJoin(decisionsPerGate.as('d'), 'd.gate_id', 'g.id')
    .leftJoin(incidentsPerRelease.as('i'), join =>
      join
        .on('i.entity_ref', '=', 'g.entity_ref')
        .andOn('i.release', '=', 'g.release'),
    )
    .select(
      'g.state',
      'g.opened_at',
      db.raw(`${groupColumn} as grp`),
      'd.go_count',
      'd.no_go_count',
      'd.blocker_sum',
      'd.blocker_n',
      'i.n as incident_count',
      db.raw(
        `CASE WHEN d.first_go IS NULL THEN NULL ELSE ${leadHours} END AS lead_hours`,
      ),
    )) as any[];

  const buckets = new Map<string, Tally & { period: string; group: string }>();
  const periods = new Map<string, Tally & { period: string }>();
  const total = newTally();
  for (const g of gates) {
    const period = periodOf(toIso(g.opened_at), query.period);
    const group =
      g.grp === null || g.grp === undefined ? 'unknown' : String(g.grp);
    const released = g.state === 'released' || g.state === 'rolled-back';
    const facts: GateFacts = {
      released,
      incidents: released ? Number(g.incident_count ?? 0) : 0,
      go: Number(g.go_count ?? 0),
      noGo: Number(g.no_go_count ?? 0),
      blockerSum: Number(g.blocker_sum ?? 0),
      blockerCount: Number(g.blocker_n ?? 0),
      ...(g.lead_hours === null || g.lead_hours === undefined
        ? {}
        : { leadTime: Number(g.lead_hours) }),
    };

    const key = `${period}|${group}`;
    const bucket = buckets.get(key) ?? { period, group, ...newTally() };
    buckets.set(key, bucket);
    add(bucket, facts);
    const overall = periods.get(period) ?? { period, ...newTally() };
    periods.set(period, overall);
    add(overall, facts);
    add(total, facts);
  }

  const result: MetricsBucket[] = [...buckets.values()]
    .sort(
      (a, b) =>
        a.period.localeCompare(b.period) || a.group.localeCompare(b.group),
    )
    .map(b => ({ period: b.period, group: b.group, ...valuesOf(b) }));
  const overallPeriods: MetricsPeriodBucket[] = [...periods.values()]
    .sort((a, b) => a.period.localeCompare(b.period))
    .map(p => ({ period: p.period, ...valuesOf(p) }));
  return {
    groupBy: query.groupBy,
    period: query.period,
    buckets: result,
    overall: { periods: overallPeriods, total: valuesOf(total) },
  };
}
