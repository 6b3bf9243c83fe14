/*
 * The quarterly review of the seed, as numbers: per team, tier or system and
 * per month or quarter of opening, how long gates took to GO, how often they
 * said NO-GO, how many blockers they had when decided, how many releases
 * shipped and how many incidents followed; and the same over every gate,
 * whatever its group, per period and for the whole range. Three queries,
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
  blockers: number[];
  incidents: number;
}

const newTally = (): Tally => ({
  gates: 0,
  releases: 0,
  go: 0,
  noGo: 0,
  leadTimes: [],
  blockers: [],
  incidents: 0,
});

/** What one gate adds to each tally it belongs to. */
interface GateFacts {
  released: boolean;
  incidents: number;
  go: number;
  noGo: number;
  blockers: number[];
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
  tally.blockers.push(...facts.blockers);
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
    blockersPerGate: t.blockers.length
      ? round(t.blockers.reduce((s, n) => s + n, 0) / t.blockers.length)
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

  const [gates, decisions, incidents] = await Promise.all([
    db('gates as g')
      .modify(scope)
      .select(
        'g.id',
        'g.state',
        'g.opened_at',
        db.raw(`${groupColumn} as grp`),
      ),
    db('decisions as d')
      .join('gates as g', 'g.id', 'd.gate_id')
      .modify(scope)
      .select('d.gate_id', 'd.verdict', 'd.at', 'd.blocker_count'),
    // Incidents follow a release: only released (or rolled back) gates count
    // them, each gate those of its own entity and release.
    db('incidents as i')
      .join('gates as g', join =>
        join
          .on('g.entity_ref', '=', 'i.entity_ref')
          .andOn('g.release', '=', 'i.release'),
      )
      .modify(scope)
      .whereIn('g.state', ['released', 'rolled-back'])
      .groupBy('g.id')
      .select({ gate_id: 'g.id' })
      .count({ n: '*' }),
  ]);

  const decisionsByGate = new Map<string, any[]>();
  for (const d of decisions as any[]) {
    decisionsByGate.set(d.gate_id, [
      ...(decisionsByGate.get(d.gate_id) ?? []),
      d,
    ]);
  }
  const incidentCount = new Map<string, number>(
    (incidents as any[]).map(i => [String(i.gate_id), Number(i.n)]),
  );

  const buckets = new Map<string, Tally & { period: string; group: string }>();
  const periods = new Map<string, Tally & { period: string }>();
  const total = newTally();
  for (const g of gates as any[]) {
    const opened = toIso(g.opened_at);
    const period = periodOf(opened, query.period);
    const group =
      g.grp === null || g.grp === undefined ? 'unknown' : String(g.grp);

    const ds = (decisionsByGate.get(g.id) ?? []).sort((a, b) =>
      toIso(a.at).localeCompare(toIso(b.at)),
    );
    const firstGo = ds.find(d => d.verdict === 'go');
    const facts: GateFacts = {
      released: g.state === 'released' || g.state === 'rolled-back',
      incidents: incidentCount.get(String(g.id)) ?? 0,
      go: ds.filter(d => d.verdict === 'go').length,
      noGo: ds.filter(d => d.verdict !== 'go').length,
      blockers: ds
        .filter(d => d.blocker_count !== null && d.blocker_count !== undefined)
        .map(d => Number(d.blocker_count)),
      ...(firstGo
        ? {
            leadTime:
              (new Date(toIso(firstGo.at)).getTime() -
                new Date(opened).getTime()) /
              3_600_000,
          }
        : {}),
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
