/*
 * What the dossier says beyond the gate itself: the incidents of its
 * release, who made whom a gate owner of the entity (from the entity's own
 * chain), how the rollback was verified (by a person or by CI evidence), the
 * verdict on both chains against their anchors, and how anyone can
 * recompute the hashes without this plugin.
 */
import {
  Evidence,
  Gate,
  ROLLBACK_VERIFICATION_EVIDENCE,
} from '@release-readiness/plugin-common';
import type { AuditEvent, TrailVerification } from './types';

/** One change of the entity's assigned gate owners, from its chain. */
export interface DossierOwnerChange {
  at: string;
  by: string;
  before: string[];
  after: string[];
  /** The event that records it, in the entity's chain. */
  auditEventId: string;
  seq?: number;
}

/** How the rollback of the release was last verified. */
export interface DossierRollbackVerification {
  verified: boolean;
  /** The newest verification, by a person or by evidence. */
  lastVerifiedAt?: string;
  byPerson?: { at: string; by?: string };
  byEvidence?: Pick<
    Evidence,
    'id' | 'runId' | 'observedAt' | 'receivedAt' | 'postedBy' | 'link'
  >;
}

/** How to recompute the chain's hashes from the JSON dossier. */
export interface DossierHashing {
  algorithm: 'SHA-256';
  encoding: 'hex';
  covers: string[];
  canonicalForm: string;
  chaining: string;
  anchors: string;
}

/** The dossier's account of the entity's chain and the gate's anchors. */
export interface DossierTrail {
  /** The gate's chain against its anchors (audit_heads, decisions, gates). */
  verification?: TrailVerification;
  /** The entity's own chain: owner assignments, service items. */
  entityAudit?: AuditEvent[];
  entityVerification?: TrailVerification;
  ownerChanges: DossierOwnerChange[];
  rollbackVerification: DossierRollbackVerification;
  hashing: DossierHashing;
}

/** The recipe printed in every dossier. */
export const HASHING: DossierHashing = {
  algorithm: 'SHA-256',
  encoding: 'hex',
  covers: [
    'prevHash',
    'entityRef',
    'gateId',
    'actor',
    'action',
    'before',
    'after',
    'at',
  ],
  canonicalForm:
    "A JSON object with exactly these keys: prevHash (the previous event's hash, null for the first), entityRef, gateId (null for an entity's chain), actor, action, before, after (as the dossier shows them, null when absent), at (ISO 8601 UTC with milliseconds). Written as canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, strings and numbers as JSON.stringify writes them, keys whose value is absent left out of nested objects, absent array elements as null. hash = hex(SHA-256(UTF-8 bytes of that text)).",
  chaining:
    "Events are listed in the order written; seq counts them from 1 in each chain (gate:<gate id>, or entity:<entity ref>). Each event's prevHash must equal the hash of the event before it; seq is not hashed.",
  anchors:
    'The head (seq and hash of the last event) is also kept outside the events: in audit_heads, in each decision record (the head its own event made) and in Backstage auditor events "audit-chain-head" in the logs. A chain is intact when every hash matches, every link holds and every anchor names an event of the chain with that hash at that seq, and the last anchored head is the last event.',
};

function ownerList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The owner changes recorded in an entity's chain. */
export function ownerChangesOf(events: AuditEvent[]): DossierOwnerChange[] {
  return events
    .filter(event => event.action === 'owners.set')
    .map(event => ({
      at: event.at,
      by: event.actor,
      before: ownerList(event.before),
      after: ownerList(event.after),
      auditEventId: event.id,
      ...(event.seq !== undefined ? { seq: event.seq } : {}),
    }));
}

/**
 * The newest rollback verification: the person's, from the risk assessment,
 * or passed rollback-verification evidence of the gate's entity and release,
 * as the evaluation counts them.
 */
export function rollbackVerificationOf(
  gate: Pick<Gate, 'entityRef' | 'release' | 'risk'>,
  evidence: Evidence[],
): DossierRollbackVerification {
  const byEvidence = evidence
    .filter(
      e =>
        e.type === ROLLBACK_VERIFICATION_EVIDENCE &&
        e.status === 'passed' &&
        e.entityRef === gate.entityRef &&
        e.release === gate.release,
    )
    .sort(
      (a, b) =>
        Date.parse(b.observedAt) - Date.parse(a.observedAt) ||
        Date.parse(b.receivedAt) - Date.parse(a.receivedAt),
    )[0];
  const person = gate.risk?.rollbackVerifiedAt;
  const times = [person, byEvidence?.observedAt].filter((t): t is string =>
    Boolean(t),
  );
  const last = times.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  return {
    verified: Boolean(last),
    ...(last ? { lastVerifiedAt: last } : {}),
    ...(person
      ? {
          byPerson: {
            at: person,
            ...(gate.risk?.rollbackVerifiedBy
              ? { by: gate.risk.rollbackVerifiedBy }
              : {}),
          },
        }
      : {}),
    ...(byEvidence
      ? {
          byEvidence: {
            id: byEvidence.id,
            runId: byEvidence.runId,
            observedAt: byEvidence.observedAt,
            receivedAt: byEvidence.receivedAt,
            postedBy: byEvidence.postedBy,
            ...(byEvidence.link ? { link: byEvidence.link } : {}),
          },
        }
      : {}),
  };
}

/** The dossier's trail part, from what the route loaded. */
export function buildDossierTrail(input: {
  gate: Gate;
  evidence: Evidence[];
  verification?: TrailVerification;
  entityAudit?: AuditEvent[];
  entityVerification?: TrailVerification;
}): DossierTrail {
  return {
    ...(input.verification ? { verification: input.verification } : {}),
    ...(input.entityAudit ? { entityAudit: input.entityAudit } : {}),
    ...(input.entityVerification
      ? { entityVerification: input.entityVerification }
      : {}),
    ownerChanges: ownerChangesOf(input.entityAudit ?? []),
    rollbackVerification: rollbackVerificationOf(input.gate, input.evidence),
    hashing: HASHING,
  };
}
