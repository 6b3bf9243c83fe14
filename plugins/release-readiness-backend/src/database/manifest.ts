/*
 * A system gate's release manifest, replaced after the gate was opened: in
 * the writing transaction, on the gate's row as that transaction reads it
 * (locked on PostgreSQL), only while the gate is in progress,
 * compare-and-set on the gate's version when the caller names the version it
 * saw, and audited with the manifest before and after. What a system
 * release ships is what its sign-offs were given on: a changed manifest
 * moves the checklist revision on, so earlier votes no longer count.
 */
import { ReleaseManifest } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { bumpGate, requireGateInProgressAt } from './gateRows';

/** What replacing a gate's manifest needs. */
export interface ManifestChange {
  gateId: string;
  manifest: ReleaseManifest;
  /** The gate version the person saw; a newer one is a conflict. */
  expectedVersion?: number;
  actor: string;
}

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The manifest's JSON as stored: keys sorted, so equal manifests compare equal. */
export function manifestJson(manifest: ReleaseManifest): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(manifest).sort(([a], [b]) => byCodePoint(a, b)),
    ),
  );
}

/** Writes the manifest; see the top of this file. */
export async function writeManifest(
  db: Knex,
  change: ManifestChange,
): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction(async trx => {
    const gate = await requireGateInProgressAt(
      trx,
      change.gateId,
      change.expectedVersion,
      'its release manifest',
    );
    const after = manifestJson(change.manifest);
    if ((gate.manifest ?? null) === after) return;
    await bumpGate(trx, gate, at, {
      manifest: after,
      checklist_revision: gate.checklist_revision + 1,
    });
    await DatabaseAuditLog.create({ db: trx }).append({
      entityRef: gate.entity_ref,
      gateId: change.gateId,
      actor: change.actor,
      action: 'gate.manifest',
      before: { manifest: gate.manifest ? JSON.parse(gate.manifest) : null },
      after: { manifest: JSON.parse(after) },
      at,
    });
  });
}
