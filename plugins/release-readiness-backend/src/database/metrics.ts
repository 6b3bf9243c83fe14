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
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { countOfList, medianAndP90, readWholeNumbers } from './metricsMath';
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

export {
  median,
  medianAndP90,
  percentile,
  wholeNumbersOf,
} from './metricsMath';

const round = (n: number) => Math.round(n * 100) / 100;
const HOUR = 3_600_000;
/** The group of a row that adds up the groups left out (never a ref). */
const REST = '\u0000rest';

/** What is counted of a set of gates, before the ratios are taken. */
interface Tally {
  gates: number;
  releases: number;
  go: number;
  noGo: number;
  blockerSum: number;
  blockerCount: number;
  incidents: number;
  /** Its lead times in milliseconds, in no order: `leads[from..to)`. */
  from: number;
  to: number;
}

const newTally = (from: number): Tally => ({
  gates: 0,
  releases: 0,
  go: 0,
  noGo: 0,
  blockerSum: 0,
  blockerCount: 0,
  incidents: 0,
  from,
  to: from,
});

/**
 * The values of a tally whose lead times are `leads[t.from..t.to)`, written
 * after `keys` into one new object. Reorders those lead times.
 */
function valuesOf<K extends object = {}>(
  t: Tally,
  leads: Float64Array,
  keys: K = {} as K,
): K & MetricsValues {
  const decided = t.go + t.noGo;
  const { median: med, p90 } = medianAndP90(leads, t.from, t.to);
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
  if (
    query.limit !== undefined &&
    !(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= 1000)
  ) {
    throw new InputError('limit: must be between 1 and 1000');
  }
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
  const fromRollUp = teamMonthsServe(query, range, access);
  // With a limit, the roll-up's rows of the chosen teams and one row per
  // period for all the others (below).
  const limit = query.limit;
  const someTeams =
    fromRollUp && limit !== undefined
      ? await inOneSnapshot(db, trx =>
          chosenTeamMonthSums(trx, query, range, limit),
        )
      : undefined;
  let sums: any[];
  if (someTeams) {
    sums = someTeams.rows;
  } else if (fromRollUp) {
    sums = await teamMonthSums(db, query, range);
  } else {
    sums = (await db('gate_metrics as m')
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
  }

  // Each row is one bucket (the query groups by period and group); the
  // periods and the total add the buckets up.
  // Periods and entity refs are ASCII: code-unit order is their order, and
  // thousands of localeCompare calls would cost more than the queries.
  const byText = (x: string, y: string) => {
    if (x === y) return 0;
    return x < y ? -1 : 1;
  };
  const groupOf = (row: any) => {
    if (row.rest) return REST;
    return row.grp === null || row.grp === undefined
      ? 'unknown'
      : String(row.grp);
  };
  // Each row is one bucket (a period and group). Read in the answer's order,
  // the lead times of each bucket, and of each period, are one stretch of
  // one array: their percentiles are found where they lie, without a copy
  // (a bucket's before its period's, a period's before the total's).
  const byPeriod = new Map<string, { group: string; row: any }[]>();
  let capacity = 0;
  for (const row of sums) {
    const period = String(row.period);
    let rows = byPeriod.get(period);
    if (!rows) {
      rows = [];
      byPeriod.set(period, rows);
    }
    rows.push({ group: groupOf(row), row });
    capacity += countOfList(row.lead_times);
  }
  const chosen = someTeams?.chosen ?? chosenGroups(byPeriod, query.limit);
  const leads = new Float64Array(capacity);
  let used = 0;
  const buckets: MetricsBucket[] = [];
  const overallPeriods: MetricsPeriodBucket[] = [];
  const total = newTally(0);
  for (const period of [...byPeriod.keys()].sort(byText)) {
    const overall = newTally(used);
    const rows = byPeriod.get(period)!.sort((x, y) => byText(x.group, y.group));
    for (const { group, row } of rows) {
      const from = used;
      used = readWholeNumbers(row.lead_times, leads, used);
      const bucket: Tally = {
        gates: Number(row.gates),
        releases: Number(row.releases ?? 0),
        go: Number(row.go ?? 0),
        noGo: Number(row.no_go ?? 0),
        blockerSum: Number(row.blocker_sum ?? 0),
        blockerCount: Number(row.blocker_count ?? 0),
        incidents: Number(row.incidents ?? 0),
        from,
        to: used,
      };
      for (const tally of [overall, total]) {
        tally.gates += bucket.gates;
        tally.releases += bucket.releases;
        tally.go += bucket.go;
        tally.noGo += bucket.noGo;
        tally.blockerSum += bucket.blockerSum;
        tally.blockerCount += bucket.blockerCount;
        tally.incidents += bucket.incidents;
      }
      // A group left out still counts in its period and the total; its
      // own values are not worked out.
      if (group !== REST && (!chosen || chosen.groups.has(group))) {
        buckets.push(valuesOf(bucket, leads, { period, group }));
      }
    }
    overall.to = used;
    overallPeriods.push(valuesOf(overall, leads, { period }));
  }
  total.to = used;
  return {
    groupBy: query.groupBy,
    period: query.period,
    buckets,
    groupCount: chosen?.count ?? groupsOf(byPeriod).size,
    overall: { periods: overallPeriods, total: valuesOf(total, leads) },
    ungatedIncidents: await countUngatedIncidents(db, query, range, access),
  };
}

/**
 * `read`'s statements seeing one state of the database: a gate that moves
 * from a team left out to a chosen team between two of them would otherwise
 * be counted twice or not at all. In a transaction already, that one.
 */
function inOneSnapshot<T>(
  db: Knex,
  read: (db: Knex) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return read(db);
  return db.transaction(
    trx => read(trx),
    isPostgres(db) ? { isolationLevel: 'repeatable read', readOnly: true } : {},
  );
}

/** The distinct groups of the buckets, whatever their period. */
function groupsOf(byPeriod: Map<string, { group: string }[]>): Set<string> {
  const groups = new Set<string>();
  for (const rows of byPeriod.values()) {
    for (const { group } of rows) groups.add(group);
  }
  return groups;
}

/**
 * The groups `limit` keeps, when there are more: those with the most NO-GO
 * decisions in the latest period, then the most gates in it, then by name
 * (a group with no gate in that period after every group with one). The
 * page's charts show the latest period, a team's trouble first.
 */
function chosenGroups(
  byPeriod: Map<string, { group: string; row: any }[]>,
  limit: number | undefined,
): { groups: Set<string>; count: number } | undefined {
  if (limit === undefined) return undefined;
  const all = groupsOf(byPeriod);
  if (all.size <= limit) return undefined;
  let latest: string | undefined;
  for (const period of byPeriod.keys()) {
    if (latest === undefined || period > latest) latest = period;
  }
  const inLatest = new Map<string, { noGo: number; gates: number }>();
  for (const { group, row } of byPeriod.get(latest!) ?? []) {
    inLatest.set(group, {
      noGo: Number(row.no_go ?? 0),
      gates: Number(row.gates),
    });
  }
  return { groups: rankGroups(all, inLatest, limit), count: all.size };
}

/**
 * The first `limit` of `groups`: the most NO-GO decisions in the latest
 * period first, then the most gates in it, then by name; a group with no
 * gate in that period (absent from `inLatest`) after every group with one.
 */
function rankGroups(
  groups: Iterable<string>,
  inLatest: Map<string, { noGo: number; gates: number }>,
  limit: number,
): Set<string> {
  const none = { noGo: -1, gates: -1 };
  const ranked = [...groups].sort((x, y) => {
    const a = inLatest.get(x) ?? none;
    const b = inLatest.get(y) ?? none;
    if (a.noGo !== b.noGo) return b.noGo - a.noGo;
    if (a.gates !== b.gates) return b.gates - a.gates;
    if (x === y) return 0;
    return x < y ? -1 : 1;
  });
  return new Set(ranked.slice(0, limit));
}

/**
 * {@link teamMonthSums} for at most `limit` teams, when there are more: the
 * teams are ranked from a row per team (its NO-GO decisions and gates in the
 * latest period, no lead times), then the chosen teams' rows are read as
 * teamMonthSums reads them, and every other team is summed by the database
 * into one row per period (`rest`), lead times included, which counts in
 * the periods and the total and is no bucket. The answer is the same as
 * when every team is read (tested); what is carried out of the database is
 * a few dozen rows instead of a row per team and month. Undefined when
 * there are no more teams than `limit`.
 */
async function chosenTeamMonthSums(
  db: Knex,
  query: MetricsStoreQuery,
  range: { from?: string; to?: string },
  limit: number,
): Promise<
  { rows: any[]; chosen: { groups: Set<string>; count: number } } | undefined
> {
  const periodColumn = query.period === 'month' ? 't.month' : 't.quarter';
  const inScope = () => teamMonthsInScope(db, query, range);
  const [{ latest }] = await inScope().max({ latest: periodColumn });
  if (latest === null || latest === undefined) return undefined;
  const teams = (await inScope()
    .select(
      't.owner_ref',
      db.raw(
        `SUM(CASE WHEN ${periodColumn} = ? THEN t.no_go_count ELSE 0 END) AS no_go`,
        [latest],
      ),
      db.raw(
        `SUM(CASE WHEN ${periodColumn} = ? THEN t.gates ELSE 0 END) AS gates`,
        [latest],
      ),
    )
    .groupBy('t.owner_ref')) as {
    owner_ref: string;
    no_go: unknown;
    gates: unknown;
  }[];
  if (teams.length <= limit) return undefined;
  // '' stands for no owner, the group 'unknown' of the answer.
  const groupOfRef = (ref: string) => (ref === '' ? 'unknown' : ref);
  const inLatest = new Map<string, { noGo: number; gates: number }>();
  for (const team of teams) {
    if (Number(team.gates) > 0) {
      inLatest.set(groupOfRef(team.owner_ref), {
        noGo: Number(team.no_go),
        gates: Number(team.gates),
      });
    }
  }
  const groups = rankGroups(
    teams.map(t => groupOfRef(t.owner_ref)),
    inLatest,
    limit,
  );
  const refs = [...groups].map(g => (g === 'unknown' ? '' : g));
  const chosenRows = await teamMonthSums(db, query, range, qb =>
    qb.whereIn('t.owner_ref', refs),
  );
  const restRows = (await inScope()
    .whereNotIn('t.owner_ref', refs)
    .select({ period: periodColumn }, ...summedTeamMonths(db))
    .groupBy(periodColumn)) as any[];
  return {
    rows: [...chosenRows, ...restRows.map(row => ({ ...row, rest: true }))],
    chosen: { groups, count: teams.length },
  };
}

/** The first instant of a month in UTC, as isoParam writes it. */
const MONTH_START = /^\d{4}-\d{2}-01T00:00:00\.000Z$/;

/**
 * Whether the metrics per team and month (`gate_metrics_team_months`,
 * teamMonths.ts) answer the query: grouped by team, for a caller who may
 * read every gate (permission conditions name entities, which the roll-up
 * does not keep), filtered by owner at most, over whole months. Anything
 * else is counted from the gates' metrics rows.
 */
function teamMonthsServe(
  query: MetricsStoreQuery,
  range: { from?: string; to?: string },
  access: PortfolioAccess,
): boolean {
  return (
    access.type === 'all' &&
    query.groupBy === 'team' &&
    !query.system &&
    query.tier === undefined &&
    (!range.from || MONTH_START.test(range.from)) &&
    (!range.to || MONTH_START.test(range.to))
  );
}

/**
 * The sums and lead times per period and team, in the form of the query
 * over the gates' metrics rows, from the metrics per team and month: a row
 * per team and month rather than a row per gate.
 */
async function teamMonthSums(
  db: Knex,
  query: MetricsStoreQuery,
  range: { from?: string; to?: string },
  narrow: (qb: Knex.QueryBuilder) => void = () => {},
): Promise<any[]> {
  const rows = teamMonthsInScope(db, query, range).modify(narrow);
  // '' stands for no owner; the metrics rows have NULL.
  const group = db.raw("NULLIF(t.owner_ref, '') AS grp");
  if (query.period === 'month') {
    // A row is a bucket: nothing to add up, and no order to keep (the
    // answer is put in order afterwards).
    return (await rows.select(
      { period: 't.month' },
      group,
      't.gates',
      't.releases',
      't.incidents',
      { go: 't.go_count', no_go: 't.no_go_count' },
      't.blocker_sum',
      't.blocker_count',
      't.lead_times',
    )) as any[];
  }
  return (await rows
    .select({ period: 't.quarter' }, group, ...summedTeamMonths(db))
    .groupBy('t.owner_ref', 't.quarter')) as any[];
}

/**
 * The rows of the metrics per team and month under the query's filters: an
 * owner at most, and whole months (a month from `from` on and before `to`).
 */
function teamMonthsInScope(
  db: Knex,
  query: MetricsStoreQuery,
  range: { from?: string; to?: string },
): Knex.QueryBuilder {
  return db('gate_metrics_team_months as t')
    .where('t.gates', '>', 0)
    .modify(qb => {
      if (query.owner) qb.where('t.owner_ref', query.owner);
      if (range.from) qb.where('t.month', '>=', range.from.slice(0, 7));
      if (range.to) qb.where('t.month', '<', range.to.slice(0, 7));
    });
}

/** The sums of rows of the metrics per team and month, lead times joined. */
function summedTeamMonths(db: Knex): Knex.Raw[] {
  // Months with no gate with a GO have no lead times: left out of the list.
  const leadTimes = isPostgres(db)
    ? "string_agg(NULLIF(t.lead_times, ''), ',')"
    : "GROUP_CONCAT(NULLIF(t.lead_times, ''), ',')";
  return [
    db.raw('SUM(t.gates) AS gates'),
    db.raw('SUM(t.releases) AS releases'),
    db.raw('SUM(t.incidents) AS incidents'),
    db.raw('SUM(t.go_count) AS go'),
    db.raw('SUM(t.no_go_count) AS no_go'),
    db.raw('SUM(t.blocker_sum) AS blocker_sum'),
    db.raw('SUM(t.blocker_count) AS blocker_count'),
    db.raw(`${leadTimes} AS lead_times`),
  ];
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
