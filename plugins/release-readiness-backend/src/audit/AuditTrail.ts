/*
 * A chain read with its anchors and verified (see `verifyTrail.ts`): what
 * `GET /gates/:id/audit/verify`, the entity's `…/audit/verify` and the
 * dossier answer. The events and the anchors come from one snapshot of the
 * database, so an append committing meanwhile cannot look like tampering.
 */
import type { AuditLog } from '../database/AuditLog';
import { chainKey } from './chain';
import type { AuditEvent, TrailVerification } from './types';
import { verifyTrail } from './verifyTrail';

/** A chain's events and the verdict on them. */
export interface VerifiedTrail {
  events: AuditEvent[];
  verification: TrailVerification;
}

/** A gate's chain, checked against its head, decisions and gate row. */
export async function verifyGateTrail(
  audit: AuditLog,
  gateId: string,
): Promise<VerifiedTrail> {
  const { events, anchors } = await audit.readTrail({ gateId });
  return {
    events,
    verification: verifyTrail(chainKey({ gateId }), events, anchors),
  };
}

/** An entity's chain (owners, service items), checked against its head. */
export async function verifyEntityTrail(
  audit: AuditLog,
  entityRef: string,
): Promise<VerifiedTrail> {
  const { events, anchors } = await audit.readTrail({ entityRef });
  return {
    events,
    verification: verifyTrail(chainKey({ entityRef }), events, anchors),
  };
}
