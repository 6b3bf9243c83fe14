/*
 * The outcome loop's roll-up recomputed from scratch, for the tests that
 * check the plugin keeps `item_outcome_rollup` and its totals over the
 * owners (`item_outcome_totals`) exact: from the gates, their
 * items, the incidents and the entity index as they are now, by rules
 * written here again rather than by the plugin's own functions, so that a
 * mistake in those shows as a difference.
 */
import { Knex } from 'knex';

/** One row of the roll-up (without an owner: of its totals), as compared. */
export interface RollupCount {
  month: string;
  owner_ref?: string;
  template_name: string;
  item_id: string;
  outcome: string;
  releases: number;
  incidents: number;
}

const DAY = 86_400_000;

/** The roll-up and its totals. */
export interface Rollup {
  rollup: RollupCount[];
  totals: RollupCount[];
}

const byKey = (a: RollupCount, b: RollupCount) =>
  JSON.stringify([
    a.month,
    a.owner_ref,
    a.template_name,
    a.item_id,
    a.outcome,
  ]).localeCompare(
    JSON.stringify([
      b.month,
      b.owner_ref,
      b.template_name,
      b.item_id,
      b.outcome,
    ]),
  );

const ms = (value: unknown) => new Date(value as string | Date).getTime();

/** The rows summed over the owners. */
function totalsOf(rows: RollupCount[]): RollupCount[] {
  const totals = new Map<string, RollupCount>();
  for (const { owner_ref: _owner, ...row } of rows) {
    const key = JSON.stringify([
      row.month,
      row.template_name,
      row.item_id,
      row.outcome,
    ]);
    const total = totals.get(key) ?? { ...row, releases: 0, incidents: 0 };
    total.releases += row.releases;
    total.incidents += row.incidents;
    totals.set(key, total);
  }
  return [...totals.values()].sort(byKey);
}

/** What the roll-up must hold now, computed from the plugin's source tables. */
export async function rollupFromScratch(knex: Knex): Promise<Rollup> {
  const gates = await knex('gates')
    .whereNot('state', 'cancelled')
    .whereNotNull('released_at')
    .select('id', 'entity_ref', 'release', 'template_name', 'released_at');
  const owners = new Map<string, string | null>(
    (await knex('entities').select('entity_ref', 'owner_ref')).map(e => [
      e.entity_ref,
      e.owner_ref,
    ]),
  );
  const severe = await knex('incidents')
    .whereIn('severity', ['sev1', 'sev2'])
    .select('entity_ref', 'release', 'occurred_at');
  const items = await knex('gate_items').select(
    'gate_id',
    'item_id',
    'status',
    'ever_failed',
  );
  const counts = new Map<string, RollupCount>();
  for (const gate of gates) {
    const released = ms(gate.released_at);
    const bad = severe.some(
      i =>
        i.entity_ref === gate.entity_ref &&
        i.release === gate.release &&
        ms(i.occurred_at) >= released &&
        ms(i.occurred_at) < released + 14 * DAY,
    );
    for (const item of items.filter(i => i.gate_id === gate.id)) {
      let outcome = 'passed';
      if (item.status === 'waived') outcome = 'waived';
      else if (item.status === 'not-applicable') outcome = 'not-applicable';
      else if (item.ever_failed === true || item.ever_failed === 1) {
        outcome = 'failed-then-fixed';
      }
      const row = {
        month: new Date(released).toISOString().slice(0, 7),
        owner_ref: owners.get(gate.entity_ref) ?? '',
        template_name: gate.template_name,
        item_id: item.item_id,
        outcome,
      };
      const key = JSON.stringify(row);
      const count = counts.get(key) ?? { ...row, releases: 0, incidents: 0 };
      count.releases += 1;
      if (bad) count.incidents += 1;
      counts.set(key, count);
    }
  }
  const rollup = [...counts.values()].sort(byKey);
  return { rollup, totals: totalsOf(rollup) };
}

/** The roll-up as the plugin keeps it, in the same shape and order. */
export async function readRollup(knex: Knex): Promise<Rollup> {
  const read = async (table: string) =>
    (await knex(table).select())
      .map(row => ({
        month: row.month,
        ...(row.owner_ref !== undefined ? { owner_ref: row.owner_ref } : {}),
        template_name: row.template_name,
        item_id: row.item_id,
        outcome: row.outcome,
        releases: Number(row.releases),
        incidents: Number(row.incidents),
      }))
      .sort(byKey);
  return {
    rollup: await read('item_outcome_rollup'),
    totals: await read('item_outcome_totals'),
  };
}
