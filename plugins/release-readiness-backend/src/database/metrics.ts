/*
 * The quarterly review of the seed, as numbers: per team, tier or system and
 * per month or quarter of opening, how long gates took to GO, how often they
 * said NO-GO, how many blockers they had when decided, how many releases
 * shipped and how many incidents followed. Three queries, whatever the size.
 */
import {
  MetricsBucket,
  MetricsResponse,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toIso } from './mappers';

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

/** Computes the metrics buckets. */
export async function queryMetrics(
  db: Knex,
  options: { groupBy: 'team' | 'tier' | 'system'; period: 'month' | 'quarter' },
): Promise<MetricsResponse> {
  const groupColumn = {
    team: 'e.owner_ref',
    tier: 'g.tier',
    system: 'e.system_ref',
  }[options.groupBy];
  const [gates, decisions, incidents] = await Promise.all([
    db('gates as g')
      .leftJoin('entities as e', 'e.entity_ref', 'g.entity_ref')
      .whereNot('g.state', 'cancelled')
      .select(
        'g.id',
        'g.entity_ref',
        'g.release',
        'g.state',
        'g.opened_at',
        db.raw(`${groupColumn} as grp`),
      ),
    db('decisions').select('gate_id', 'verdict', 'at', 'blocker_count'),
    db('incidents').select('entity_ref', 'release'),
  ]);

  const decisionsByGate = new Map<string, any[]>();
  for (const d of decisions as any[]) {
    decisionsByGate.set(d.gate_id, [
      ...(decisionsByGate.get(d.gate_id) ?? []),
      d,
    ]);
  }
  const incidentCount = new Map<string, number>();
  for (const i of incidents as any[]) {
    const key = `${i.entity_ref}@${i.release}`;
    incidentCount.set(key, (incidentCount.get(key) ?? 0) + 1);
  }

  const buckets = new Map<
    string,
    {
      period: string;
      group: string;
      gates: number;
      releases: number;
      go: number;
      noGo: number;
      leadTimes: number[];
      blockers: number[];
      incidents: number;
    }
  >();
  for (const g of gates as any[]) {
    const opened = toIso(g.opened_at);
    const period = periodOf(opened, options.period);
    const group =
      g.grp === null || g.grp === undefined ? 'unknown' : String(g.grp);
    const key = `${period}|${group}`;
    const bucket = buckets.get(key) ?? {
      period,
      group,
      gates: 0,
      releases: 0,
      go: 0,
      noGo: 0,
      leadTimes: [],
      blockers: [],
      incidents: 0,
    };
    buckets.set(key, bucket);
    bucket.gates += 1;
    if (g.state === 'released' || g.state === 'rolled-back') {
      bucket.releases += 1;
      bucket.incidents +=
        incidentCount.get(`${g.entity_ref}@${g.release}`) ?? 0;
    }
    const ds = (decisionsByGate.get(g.id) ?? []).sort((a, b) =>
      toIso(a.at).localeCompare(toIso(b.at)),
    );
    for (const d of ds) {
      if (d.verdict === 'go') bucket.go += 1;
      else bucket.noGo += 1;
      if (d.blocker_count !== null && d.blocker_count !== undefined) {
        bucket.blockers.push(Number(d.blocker_count));
      }
    }
    const firstGo = ds.find(d => d.verdict === 'go');
    if (firstGo) {
      const hours =
        (new Date(toIso(firstGo.at)).getTime() - new Date(opened).getTime()) /
        3_600_000;
      bucket.leadTimes.push(hours);
    }
  }

  const result: MetricsBucket[] = [...buckets.values()]
    .sort(
      (a, b) =>
        a.period.localeCompare(b.period) || a.group.localeCompare(b.group),
    )
    .map(b => {
      const lead = [...b.leadTimes].sort((x, y) => x - y);
      const decided = b.go + b.noGo;
      const med = median(lead);
      const p90 = percentile(lead, 0.9);
      return {
        period: b.period,
        group: b.group,
        gates: b.gates,
        releases: b.releases,
        goDecisions: b.go,
        noGoDecisions: b.noGo,
        noGoRate: decided ? round(b.noGo / decided) : null,
        leadTimeHours: {
          median: med === null ? null : round(med),
          p90: p90 === null ? null : round(p90),
        },
        blockersPerGate: b.blockers.length
          ? round(b.blockers.reduce((s, n) => s + n, 0) / b.blockers.length)
          : null,
        incidents: b.incidents,
        incidentsPerRelease: b.releases
          ? round(b.incidents / b.releases)
          : null,
      };
    });
  return { groupBy: options.groupBy, period: options.period, buckets: result };
}
