/*
 * The outcome loop's roll-up (`item_outcome_rollup`, issue 18): per month of
 * release, owner, template, checklist item and outcome, the released gates
 * and how many of them were followed by a sev1–2 incident within
 * INSIGHTS_WINDOW_DAYS; and its totals over the owners
 * (`item_outcome_totals`), for readers of every gate. `GET /insights/items`
 * sums them over the months of a period (insights.ts) instead of
 * aggregating every released gate's items.
 *
 * Guarantees:
 * - the roll-up is the sum of the contributions of the gates' metrics rows:
 *   a gate with a row and a month of release adds one release (and one
 *   incident if an incident followed it) to the row of each of its items'
 *   outcomes, under its month, its entity's current owner and its template.
 *   Whoever rewrites a metrics row (refreshGateMetrics, copyEntityOwnership
 *   in gateMetrics.ts) moves the gate's contribution here, in the same
 *   transaction: the old one out, the new one in, when they differ;
 * - a gate's items no longer change once it is released (its checklist is
 *   closed), so what it added can be taken out again from its items as they
 *   are;
 * - the totals are the roll-up's rows summed over the owners, changed by the
 *   same moves (a move from one owner to another leaves them as they are);
 * - counters change by increments (upserts), so that two transactions moving
 *   different gates into the same row both count; a transaction touches
 *   the rows in key order, the roll-up's before the totals', so that two of
 *   them never wait for each other in a cycle on PostgreSQL;
 * - rows that fall to zero releases are deleted, so that an item no gate
 *   counts any more is not listed.
 */
import { ItemOutcome } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toIso } from './mappers';
import { Timestamp } from './tables';

/** Days after a release within which an incident counts against it. */
export const INSIGHTS_WINDOW_DAYS = 14;

const WINDOW_MS = INSIGHTS_WINDOW_DAYS * 86_400_000;

/** Gates per statement: well under SQLite's limit on bound parameters. */
const CHUNK = 500;

/**
 * What the outcome loop reads of an incident of a gate's release.
 *
 * @public
 */
export interface IncidentFacts {
  severity: string;
  occurred_at: Timestamp;
  /** Reported while the release had no gate (absent: false). */
  ungated?: boolean | number | null;
}

/**
 * Whether a sev1 or sev2 incident occurred within the window after a
 * release: `releasedAt <= occurred_at < releasedAt + 14 days`. False for a
 * gate never released.
 */
export function incidentFollowedRelease(
  releasedAt: Timestamp | null | undefined,
  incidents: IncidentFacts[],
): boolean {
  if (releasedAt === null || releasedAt === undefined) return false;
  const start = new Date(toIso(releasedAt)).getTime();
  return incidents.some(i => {
    if (i.severity !== 'sev1' && i.severity !== 'sev2') return false;
    const at = new Date(toIso(i.occurred_at)).getTime();
    return at >= start && at < start + WINDOW_MS;
  });
}

/** The item's title and whether evidence checks it, from its definition. */
export function itemOf(
  definition: string | null,
  itemId: string,
): { title: string; automated: boolean } {
  try {
    const parsed = JSON.parse(definition ?? '{}') as {
      title?: string;
      automated?: unknown;
    };
    return {
      title: parsed.title ?? itemId,
      automated: Boolean(parsed.automated),
    };
  } catch {
    return { title: itemId, automated: false };
  }
}

/**
 * What the roll-up reads of a gate's item.
 *
 * @public
 */
export interface OutcomeItemFacts {
  gate_id: string;
  item_id: string;
  status: string;
  ever_failed?: boolean | number | null;
  definition: string | null;
}

/** The outcome of an item of a released gate. */
export function outcomeOf(item: OutcomeItemFacts): ItemOutcome {
  if (item.status === 'waived') return 'waived';
  if (item.status === 'not-applicable') return 'not-applicable';
  return Number(item.ever_failed ?? 0) ? 'failed-then-fixed' : 'passed';
}

/**
 * Where a released gate counts in the roll-up, and whether an incident
 * followed it.
 *
 * @public
 */
export interface OutcomeContribution {
  /** YYYY-MM, the month of the release in UTC. */
  month: string;
  /** The entity's owner now; '' for none. */
  ownerRef: string;
  template: string;
  incident: boolean;
}

/**
 * What the roll-up reads of a gate's metrics row.
 *
 * @public
 */
export interface ContributionFacts {
  owner_ref: string | null;
  template_name: string;
  released_month: string | null;
  incident_after_release: boolean | number | null;
}

/**
 * What a gate's metrics row adds to the roll-up; none for a gate not
 * released.
 *
 * @public
 */
export function contributionOf(
  row: ContributionFacts | undefined,
): OutcomeContribution | undefined {
  if (!row?.released_month) return undefined;
  return {
    month: row.released_month,
    ownerRef: row.owner_ref ?? '',
    template: row.template_name,
    incident: Boolean(Number(row.incident_after_release ?? 0)),
  };
}

function sameContribution(
  a: OutcomeContribution | undefined,
  b: OutcomeContribution | undefined,
): boolean {
  if (!a || !b) return a === b;
  return (
    a.month === b.month &&
    a.ownerRef === b.ownerRef &&
    a.template === b.template &&
    a.incident === b.incident
  );
}

/**
 * A gate's contribution moving: `from` what its metrics row said before,
 * `to` what it says now (undefined: none).
 *
 * @public
 */
export interface ContributionMove {
  gateId: string;
  from?: OutcomeContribution;
  to?: OutcomeContribution;
}

/** A row of `item_outcome_rollup`. */
export interface ItemOutcomeRollupRow {
  month: string;
  owner_ref: string;
  template_name: string;
  item_id: string;
  outcome: ItemOutcome;
  releases: number;
  incidents: number;
  title: string;
  automated: boolean;
}

/** A row of `item_outcome_totals`: the roll-up summed over the owners. */
export type ItemOutcomeTotalsRow = Omit<ItemOutcomeRollupRow, 'owner_ref'>;

type Counted = ItemOutcomeTotalsRow & { owner_ref?: string };

const ROLLUP_KEY = [
  'month',
  'owner_ref',
  'template_name',
  'item_id',
  'outcome',
] as const;
const TOTALS_KEY = ['month', 'template_name', 'item_id', 'outcome'] as const;

function keyOf(row: Counted, columns: readonly (keyof Counted)[]) {
  return columns.map(c => row[c]).join('\u0000');
}

/**
 * Moves the contributions of gates whose contribution changed: for each of
 * their items, one release (and one incident) out of the old row and into
 * the new one, in the roll-up and in its totals. Run it in the transaction
 * that rewrote their metrics rows. `items` are the gates' items when the
 * caller has them at hand (the history generator); otherwise they are read.
 *
 * @public
 */
export async function moveItemOutcomes(
  db: Knex | Knex.Transaction,
  moves: ContributionMove[],
  items?: OutcomeItemFacts[],
): Promise<void> {
  const changed = moves.filter(m => !sameContribution(m.from, m.to));
  if (!changed.length) return;
  const given = items ? groupByGate(items) : undefined;
  const deltas = new Map<string, ItemOutcomeRollupRow>();
  const add = (
    to: OutcomeContribution,
    item: OutcomeItemFacts,
    sign: 1 | -1,
  ) => {
    const row = {
      month: to.month,
      owner_ref: to.ownerRef,
      template_name: to.template,
      item_id: item.item_id,
      outcome: outcomeOf(item),
    };
    const key = keyOf(row as Counted, ROLLUP_KEY);
    const delta = deltas.get(key) ?? {
      ...row,
      releases: 0,
      incidents: 0,
      ...itemOf(item.definition, item.item_id),
    };
    delta.releases += sign;
    if (to.incident) delta.incidents += sign;
    deltas.set(key, delta);
  };
  for (let i = 0; i < changed.length; i += CHUNK) {
    const chunk = changed.slice(i, i + CHUNK);
    const itemsOf =
      given ??
      groupByGate(
        await db('gate_items')
          .whereIn(
            'gate_id',
            chunk.map(m => m.gateId),
          )
          .select('gate_id', 'item_id', 'status', 'ever_failed', 'definition'),
      );
    for (const move of chunk) {
      for (const item of itemsOf.get(move.gateId) ?? []) {
        if (move.from) add(move.from, item, -1);
        if (move.to) add(move.to, item, 1);
      }
    }
  }
  // The totals: the same deltas without the owner (a move from one owner to
  // another adds nothing to them).
  const totals = new Map<string, ItemOutcomeTotalsRow>();
  for (const { owner_ref: _owner, ...delta } of deltas.values()) {
    const key = keyOf(delta, TOTALS_KEY);
    const total = totals.get(key) ?? { ...delta, releases: 0, incidents: 0 };
    total.releases += delta.releases;
    total.incidents += delta.incidents;
    totals.set(key, total);
  }
  // Always the roll-up first, then its totals: transactions lock their rows
  // in the same order.
  await applyDeltas(db, 'item_outcome_rollup', ROLLUP_KEY, [
    ...deltas.values(),
  ]);
  await applyDeltas(db, 'item_outcome_totals', TOTALS_KEY, [
    ...totals.values(),
  ]);
}

function groupByGate(
  items: OutcomeItemFacts[],
): Map<string, OutcomeItemFacts[]> {
  const byGate = new Map<string, OutcomeItemFacts[]>();
  for (const item of items) {
    const list = byGate.get(item.gate_id) ?? [];
    list.push(item);
    byGate.set(item.gate_id, list);
  }
  return byGate;
}

/** Adds the deltas to a table's rows, creating and deleting rows as needed. */
async function applyDeltas(
  db: Knex | Knex.Transaction,
  table: 'item_outcome_rollup' | 'item_outcome_totals',
  key: readonly (keyof Counted)[],
  deltas: Counted[],
): Promise<void> {
  const rows = deltas
    .filter(d => d.releases !== 0 || d.incidents !== 0)
    .map(d => ({ row: d, key: keyOf(d, key) }))
    .sort((a, b) => {
      if (a.key === b.key) return 0;
      return a.key < b.key ? -1 : 1;
    })
    .map(d => d.row);
  // At most 9 columns: 100 rows per statement stay far below both engines'
  // limits on bound parameters.
  for (let i = 0; i < rows.length; i += 100) {
    await db(table)
      .insert(rows.slice(i, i + 100))
      .onConflict([...key])
      .merge({
        releases: db.raw('?? + ??', [`${table}.releases`, 'excluded.releases']),
        incidents: db.raw('?? + ??', [
          `${table}.incidents`,
          'excluded.incidents',
        ]),
      });
  }
  const emptied = rows.filter(d => d.releases < 0).map(d => key.map(c => d[c]));
  for (let i = 0; i < emptied.length; i += 100) {
    await db(table)
      .whereIn([...key], emptied.slice(i, i + 100) as any)
      .where('releases', '<=', 0)
      .delete();
  }
}
