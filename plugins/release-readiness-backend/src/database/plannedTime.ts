/*
 * The planned release time of a gate, changed after it was opened: in the
 * writing transaction, on the gate's row as that transaction reads it
 * (locked on PostgreSQL), only while the gate is in progress, compare-and-set
 * on the gate's version when the caller names the version it saw, and
 * audited with the time before and after.
 */
import { Knex } from 'knex';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { bumpGate, requireGateInProgressAt } from './gateRows';
import { toIso } from './mappers';

/** What changing a gate's planned time needs. */
export interface PlannedTimeChange {
  gateId: string;
  /** The new planned time (ISO 8601). */
  plannedAt: string;
  /** The gate version the person saw; a newer one is a conflict. */
  expectedVersion?: number;
  actor: string;
}

/** Writes the planned time; see the top of this file. */
export async function writePlannedTime(
  db: Knex,
  change: PlannedTimeChange,
): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction(async trx => {
    const gate = await requireGateInProgressAt(
      trx,
      change.gateId,
      change.expectedVersion,
      'its planned release time',
    );
    const before = gate.planned_at ? toIso(gate.planned_at) : null;
    await bumpGate(trx, gate, at, { planned_at: change.plannedAt });
    await DatabaseAuditLog.create({ db: trx }).append({
      entityRef: gate.entity_ref,
      gateId: change.gateId,
      actor: change.actor,
      action: 'gate.planned',
      before: { plannedAt: before },
      after: { plannedAt: change.plannedAt },
      at,
    });
  });
}
