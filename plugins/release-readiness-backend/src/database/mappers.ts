import {
  ChecklistItemDefinition,
  Evidence,
  Gate,
  GateDecision,
  GateItem,
  ItemStatus,
  SignoffVote,
} from '@release-readiness/plugin-common';
import { GateSummary } from './GateStore';
import {
  DecisionRow,
  EntityRow,
  EvidenceRow,
  GateItemRow,
  GateRow,
  Timestamp,
  VoteRow,
} from './tables';

export function toIso(value: Timestamp): string;
export function toIso(value: Timestamp | null | undefined): string | undefined;
export function toIso(value: Timestamp | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toItem(row: GateItemRow): GateItem {
  const definition = JSON.parse(row.definition) as ChecklistItemDefinition;
  return {
    ...definition,
    source: row.source as GateItem['source'],
    status: row.status as ItemStatus,
    ...(row.note ? { note: row.note } : {}),
    ...(row.waiver ? { waiver: JSON.parse(row.waiver) } : {}),
    ...(row.updated_by ? { updatedBy: row.updated_by } : {}),
    ...(row.updated_at ? { updatedAt: toIso(row.updated_at) } : {}),
    version: row.version,
  };
}

export function toVote(row: VoteRow): SignoffVote {
  return {
    id: row.id,
    role: row.role,
    voter: row.voter,
    verdict: row.verdict as SignoffVote['verdict'],
    ...(row.comment ? { comment: row.comment } : {}),
    checklistRevision: row.checklist_revision,
    at: toIso(row.at),
    ...(row.superseded_at ? { supersededAt: toIso(row.superseded_at) } : {}),
  };
}

export function toDecision(row: DecisionRow): GateDecision {
  return {
    id: row.id,
    verdict: row.verdict as GateDecision['verdict'],
    reason: row.reason,
    by: row.decided_by,
    at: toIso(row.at),
    stateHash: row.state_hash,
  };
}

export function toGate(
  row: GateRow,
  items: GateItemRow[],
  votes: VoteRow[],
  decisions: DecisionRow[],
): Gate {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    release: row.release,
    templateName: row.template_name,
    templateVersion: row.template_version,
    templateHash: row.template_hash,
    tier: row.tier as Gate['tier'],
    state: row.state as Gate['state'],
    ...(row.planned_at ? { plannedAt: toIso(row.planned_at) } : {}),
    requestedBy: row.requested_by,
    ...(row.rapid_reason ? { rapidReason: row.rapid_reason } : {}),
    openedAt: toIso(row.opened_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
    checklistRevision: row.checklist_revision,
    items: [...items].sort((a, b) => a.position - b.position).map(toItem),
    ...(row.risk ? { risk: JSON.parse(row.risk) } : {}),
    votes: votes.map(toVote),
    decisions: decisions.map(toDecision),
  };
}

export function toEvidence(row: EvidenceRow): Evidence {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    release: row.release,
    type: row.type,
    status: row.status as Evidence['status'],
    metrics: JSON.parse(row.metrics),
    ...(row.link ? { link: row.link } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    runId: row.run_id,
    observedAt: toIso(row.observed_at),
    receivedAt: toIso(row.received_at),
    postedBy: row.posted_by,
  };
}

/** The columns of an entity's index row that hold its current gate's summary. */
export type SummaryColumns = Pick<
  EntityRow,
  | 'current_gate_id'
  | 'current_release'
  | 'current_state'
  | 'current_verdict'
  | 'current_score'
  | 'current_blockers'
  | 'current_planned_at'
  | 'current_decision'
  | 'current_decided_at'
  | 'current_gate_version'
>;

/** A gate's summary as the index row stores it; all empty without one. */
export function toSummaryColumns(
  summary: GateSummary | undefined,
  gateVersion?: number,
): SummaryColumns {
  return {
    current_gate_id: summary?.gateId ?? null,
    current_release: summary?.release ?? null,
    current_state: summary?.state ?? null,
    current_verdict: summary?.verdict ?? null,
    current_score: summary?.score ?? null,
    current_blockers: summary?.blockers ?? null,
    current_planned_at: summary?.plannedAt ?? null,
    current_decision: summary?.lastDecision?.verdict ?? null,
    current_decided_at: summary?.lastDecision?.at ?? null,
    current_gate_version: summary ? gateVersion ?? null : null,
  };
}

/**
 * The ownership claims each voter had when voting, from the live votes
 * among `votes`: what eligibility is judged on.
 */
export function toVoterClaims(
  votes: Pick<VoteRow, 'voter' | 'voter_claims' | 'superseded_at'>[],
): Map<string, string[]> {
  const claims = new Map<string, string[]>();
  for (const row of votes.filter(v => !v.superseded_at)) {
    claims.set(row.voter, [
      ...new Set([
        ...(claims.get(row.voter) ?? []),
        ...(JSON.parse(row.voter_claims) as string[]),
      ]),
    ]);
  }
  return claims;
}
