/*
 * The metrics per team and month (`gate_metrics_team_months`, migration
 * 20261209100000): the gates' metrics rows summed per owner and month of
 * opening, so that `GET /metrics` by team reads a row per team and month
 * instead of a row per gate (metrics.ts).
 *
 * Guarantees:
 * - a row is the sum of the metrics rows of its owner ('' for none) and
 *   month: whoever rewrites metrics rows (refreshGateMetrics,
 *   copyEntityOwnership in gateMetrics.ts, the history generator) moves
 *   each changed row's part here in the same transaction, the old part out
 *   and the new one in;
 * - the lead times stay exact: each row keeps those of its gates, ascending,
 *   and a move takes out the old value and puts in the new one;
 * - rows are changed by read, compute and write under the row's lock: on
 *   PostgreSQL a move first makes sure each row exists (INSERT … ON
 *   CONFLICT DO NOTHING), then locks and updates the rows one at a time in
 *   key order, so that two moves never wait for each other in a cycle and
 *   neither overwrites the other's change. SQLite runs one writer at a time;
 * - rows are never deleted (a row whose gates all moved away keeps
 *   `gates = 0`; readers skip it), so that a move waiting for a row never
 *   finds it gone.
 */
import { Knex } from 'knex';
import { isPostgres } from './dialect';

/**
 * What the roll-up reads of a gate's metrics row.
 *
 * @public
 */
export interface TeamMonthFacts {
  owner_ref: string | null;
  month: string;
  quarter: string;
  released: boolean | number;
  go_count: number;
  no_go_count: number;
  blocker_sum: number;
  blocker_count: number;
  lead_ms: number | string | null;
  incidents: number;
}

/**
 * A gate's metrics row changing: `from` as it was, `to` as it is now
 * (undefined: no row).
 *
 * @public
 */
export interface TeamMonthMove {
  from?: TeamMonthFacts;
  to?: TeamMonthFacts;
}

/**
 * A row of `gate_metrics_team_months`.
 *
 * @public
 */
export interface TeamMonthRow {
  owner_ref: string;
  month: string;
  quarter: string;
  gates: number;
  releases: number;
  incidents: number;
  go_count: number;
  no_go_count: number;
  blocker_sum: number;
  blocker_count: number;
  /** Whole milliseconds, ascending, comma-separated; '' for none. */
  lead_times: string;
}

/** The columns a move reads of `gate_metrics`. */
export const TEAM_MONTH_FACTS = [
  'owner_ref',
  'month',
  'quarter',
  'released',
  'go_count',
  'no_go_count',
  'blocker_sum',
  'blocker_count',
  'lead_ms',
  'incidents',
] as const;

type Counter =
  | 'gates'
  | 'releases'
  | 'incidents'
  | 'go_count'
  | 'no_go_count'
  | 'blocker_sum'
  | 'blocker_count';

const COUNTERS: Counter[] = [
  'gates',
  'releases',
  'incidents',
  'go_count',
  'no_go_count',
  'blocker_sum',
  'blocker_count',
];

interface Delta {
  owner_ref: string;
  month: string;
  quarter: string;
  counts: Record<Counter, number>;
  added: number[];
  removed: number[];
}

/** What one metrics row adds to its team and month's row. */
function countsOf(facts: TeamMonthFacts): Record<Counter, number> {
  const released = Number(facts.released) ? 1 : 0;
  return {
    gates: 1,
    releases: released,
    incidents: released * Number(facts.incidents),
    go_count: Number(facts.go_count),
    no_go_count: Number(facts.no_go_count),
    blocker_sum: Number(facts.blocker_sum),
    blocker_count: Number(facts.blocker_count),
  };
}

/** A team's month with nothing counted in it yet. */
function emptyRow(
  ownerRef: string,
  month: string,
  quarter: string,
): TeamMonthRow {
  return {
    owner_ref: ownerRef,
    month,
    quarter,
    gates: 0,
    releases: 0,
    incidents: 0,
    go_count: 0,
    no_go_count: 0,
    blocker_sum: 0,
    blocker_count: 0,
    lead_times: '',
  };
}

const keyOf = (ownerRef: string | null, month: string) =>
  `${ownerRef ?? ''}\u0000${month}`;

/** The sorted whole numbers of a list; empty for ''. */
function numbersOf(list: string): number[] {
  return list === '' ? [] : list.split(',').map(Number);
}

/** The index of the first value of sorted `values` not below `value`. */
function lowerBound(values: number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A list of lead times with values taken out and others put in, still
 * ascending. A value to take out that the list does not hold (a roll-up
 * that drifted from its sources) is skipped, not refused: the change it
 * belongs to must still be written.
 */
export function movedLeadTimes(
  list: string,
  removed: number[],
  added: number[],
): string {
  const values = numbersOf(list);
  for (const value of removed) {
    const at = lowerBound(values, value);
    if (values[at] === value) values.splice(at, 1);
  }
  for (const value of added) {
    values.splice(lowerBound(values, value), 0, value);
  }
  return values.join(',');
}

/**
 * Moves the changed metrics rows' parts between the teams' months: each
 * `from` out of its owner's month, each `to` into its own. Run it in the
 * transaction that rewrote the metrics rows.
 *
 * @public
 */
export async function moveTeamMonths(
  db: Knex | Knex.Transaction,
  moves: TeamMonthMove[],
): Promise<void> {
  const deltas = new Map<string, Delta>();
  const deltaOf = (facts: TeamMonthFacts) => {
    const key = keyOf(facts.owner_ref, facts.month);
    let delta = deltas.get(key);
    if (!delta) {
      delta = {
        owner_ref: facts.owner_ref ?? '',
        month: facts.month,
        quarter: facts.quarter,
        counts: Object.fromEntries(COUNTERS.map(c => [c, 0])) as Record<
          Counter,
          number
        >,
        added: [],
        removed: [],
      };
      deltas.set(key, delta);
    }
    return delta;
  };
  const leadOf = (facts: TeamMonthFacts) =>
    facts.lead_ms === null ? undefined : Number(facts.lead_ms);
  for (const { from, to } of moves) {
    if (from) {
      const delta = deltaOf(from);
      const counts = countsOf(from);
      for (const c of COUNTERS) delta.counts[c] -= counts[c];
      const lead = leadOf(from);
      if (lead !== undefined) delta.removed.push(lead);
    }
    if (to) {
      const delta = deltaOf(to);
      const counts = countsOf(to);
      for (const c of COUNTERS) delta.counts[c] += counts[c];
      const lead = leadOf(to);
      if (lead !== undefined) delta.added.push(lead);
    }
  }
  // A value taken out and put back in the same row is no change.
  for (const delta of deltas.values()) {
    for (let i = delta.removed.length - 1; i >= 0; i--) {
      const at = delta.added.indexOf(delta.removed[i]);
      if (at >= 0) {
        delta.added.splice(at, 1);
        delta.removed.splice(i, 1);
      }
    }
  }
  const changed = [...deltas.entries()]
    .filter(
      ([, d]) =>
        d.added.length ||
        d.removed.length ||
        COUNTERS.some(c => d.counts[c] !== 0),
    )
    .sort(([a], [b]) => {
      if (a === b) return 0;
      return a < b ? -1 : 1;
    })
    .map(([, d]) => d);
  if (!changed.length) return;

  const empty = (d: Delta) => emptyRow(d.owner_ref, d.month, d.quarter);
  // 11 columns: 100 rows per statement stay far below both engines' limits
  // on bound parameters.
  for (let i = 0; i < changed.length; i += 100) {
    await db('gate_metrics_team_months')
      .insert(changed.slice(i, i + 100).map(empty))
      .onConflict(['owner_ref', 'month'])
      .ignore();
  }
  const postgres = isPostgres(db);
  for (const delta of changed) {
    const where = { owner_ref: delta.owner_ref, month: delta.month };
    const row: TeamMonthRow | undefined = await db<TeamMonthRow>(
      'gate_metrics_team_months',
    )
      .where(where)
      .first()
      .modify(qb => {
        if (postgres) qb.forUpdate();
      });
    const current = row ?? empty(delta);
    const update: Partial<TeamMonthRow> = {};
    for (const c of COUNTERS) {
      update[c] = Number(current[c]) + delta.counts[c];
    }
    if (delta.added.length || delta.removed.length) {
      update.lead_times = movedLeadTimes(
        current.lead_times,
        delta.removed,
        delta.added,
      );
    }
    await db('gate_metrics_team_months').where(where).update(update);
  }
}

/**
 * The rows `gate_metrics_team_months` should hold, summed from
 * `gate_metrics`: for tests and checks that compare the two (rows with no
 * gates left out, lead times ascending).
 *
 * @public
 */
export async function teamMonthsFromMetrics(
  db: Knex | Knex.Transaction,
): Promise<TeamMonthRow[]> {
  const rows = (await db('gate_metrics').select(
    ...TEAM_MONTH_FACTS,
  )) as TeamMonthFacts[];
  const sums = new Map<string, TeamMonthRow & { leads: number[] }>();
  for (const facts of rows) {
    const key = keyOf(facts.owner_ref, facts.month);
    const sum = sums.get(key) ?? {
      ...emptyRow(facts.owner_ref ?? '', facts.month, facts.quarter),
      leads: [] as number[],
    };
    const counts = countsOf(facts);
    for (const c of COUNTERS) sum[c] += counts[c];
    if (facts.lead_ms !== null) sum.leads.push(Number(facts.lead_ms));
    sums.set(key, sum);
  }
  return [...sums.values()]
    .map(({ leads, ...sum }) => ({
      ...sum,
      lead_times: leads.sort((a, b) => a - b).join(','),
    }))
    .sort((a, b) =>
      keyOf(a.owner_ref, a.month).localeCompare(keyOf(b.owner_ref, b.month)),
    );
}

/**
 * The rows of `gate_metrics_team_months` that hold gates, in the form of
 * {@link teamMonthsFromMetrics}.
 *
 * @public
 */
export async function storedTeamMonths(
  db: Knex | Knex.Transaction,
): Promise<TeamMonthRow[]> {
  const rows = (await db('gate_metrics_team_months')
    .where('gates', '>', 0)
    .select('*')) as TeamMonthRow[];
  return rows
    .map(row => {
      const out = { ...row } as TeamMonthRow;
      for (const c of COUNTERS) out[c] = Number(row[c]);
      return out;
    })
    .sort((a, b) =>
      keyOf(a.owner_ref, a.month).localeCompare(keyOf(b.owner_ref, b.month)),
    );
}
