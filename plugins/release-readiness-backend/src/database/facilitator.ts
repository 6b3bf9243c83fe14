/*
 * A gate's facilitator, the person who runs its release meeting (issue 18):
 * changed after the gate opened in the writing transaction, on the gate's
 * row as that transaction reads it, only while the gate is in progress,
 * compare-and-set on the gate's version when the caller names the version
 * it saw, and audited with the facilitator before and after. And the
 * rotation's history: who facilitated an entity's gates, how often, and
 * when last.
 */
import { Knex } from 'knex';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { bumpGate, requireGateInProgressAt } from './gateRows';
import { toIso } from './mappers';

/** What changing a gate's facilitator needs. */
export interface FacilitatorChange {
  gateId: string;
  /** A user ref, lower case. */
  facilitator: string;
  /** Whom the turn passed over as away, when the change is a skip. */
  skipped?: string;
  /** The gate version the person saw; a newer one is a conflict. */
  expectedVersion?: number;
  actor: string;
}

/** One person's turns at facilitating an entity's gates. */
export interface FacilitatorTurns {
  facilitator: string;
  /** Gates of the entity they facilitated, cancelled ones included. */
  count: number;
  /** When the latest of those gates opened. */
  lastOpenedAt: string;
}

/** Writes the facilitator; see the top of this file. */
export async function writeFacilitator(
  db: Knex,
  change: FacilitatorChange,
): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction(async trx => {
    const gate = await requireGateInProgressAt(
      trx,
      change.gateId,
      change.expectedVersion,
      'its facilitator',
    );
    if ((gate.facilitator ?? null) === change.facilitator) return;
    await bumpGate(trx, gate, at, { facilitator: change.facilitator });
    await DatabaseAuditLog.create({ db: trx }).append({
      entityRef: gate.entity_ref,
      gateId: change.gateId,
      actor: change.actor,
      action: 'gate.facilitator',
      before: { facilitator: gate.facilitator ?? null },
      after: {
        facilitator: change.facilitator,
        ...(change.skipped ? { skipped: change.skipped } : {}),
      },
      at,
    });
  });
}

/** Who facilitated the entity's gates: one aggregate row per person. */
export async function readFacilitatorHistory(
  db: Knex,
  entityRef: string,
): Promise<FacilitatorTurns[]> {
  const rows: Array<{
    facilitator: string;
    count: number | string;
    last_opened_at: string | Date;
  }> = await db('gates')
    .where({ entity_ref: entityRef })
    .whereNotNull('facilitator')
    .groupBy('facilitator')
    .select('facilitator')
    .count({ count: '*' })
    .max({ last_opened_at: 'opened_at' });
  return rows.map(r => ({
    facilitator: r.facilitator,
    count: Number(r.count),
    lastOpenedAt: toIso(r.last_opened_at),
  }));
}
