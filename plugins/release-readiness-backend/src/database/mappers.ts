/*
 * Every mapping between a table's row and the domain type it stores, both
 * ways: `toX(row)` reads a row, `toXColumns(value)` writes one.
 */
import {
  ChecklistItemDefinition,
  Evidence,
  Gate,
  GateDecision,
  GateItem,
  GateTemplate,
  GateTemplateSpec,
  Incident,
  ItemStatus,
  ReleaseWindow,
  SignoffVote,
  WindowException,
} from '@release-readiness/plugin-common';
import type { AuditEvent } from '../audit/types';
import {
  EntityInfo,
  GateOwnerAssignment,
  GateSummary,
  ServiceItem,
} from './EntityIndexStore';
import {
  AuditEventRow,
  DecisionRow,
  EntityRow,
  EvidenceRow,
  GateItemRow,
  GateOwnerAssignmentRow,
  GateRow,
  IncidentRow,
  ReleaseWindowRow,
  ServiceItemRow,
  Timestamp,
  VoteRow,
  WindowExceptionRow,
} from './tables';

export function toIso(value: Timestamp): string;
export function toIso(value: Timestamp | null | undefined): string | undefined;
export function toIso(value: Timestamp | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A JSON column's text; null for a value that is absent. */
export function toJsonColumn(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
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
    ...(row.template_reason ? { templateReason: row.template_reason } : {}),
    ...(row.template_approval
      ? { templateApproval: JSON.parse(row.template_approval) }
      : {}),
    openedAt: toIso(row.opened_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
    checklistRevision: row.checklist_revision,
    items: [...items].sort((a, b) => a.position - b.position).map(toItem),
    ...(row.risk ? { risk: JSON.parse(row.risk) } : {}),
    votes: votes.map(toVote),
    decisions: decisions.map(toDecision),
    ...(row.manifest ? { manifest: JSON.parse(row.manifest) } : {}),
    ...(row.facilitator ? { facilitator: row.facilitator } : {}),
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

/**
 * The columns of an entity's index row that hold its current gate's summary.
 *
 * @public
 */
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

/** The catalog facts of an entity's index row (not its gate summary). */
export function toEntityColumns(
  entity: EntityInfo,
  refreshedAt: string,
): Omit<EntityRow, keyof SummaryColumns> {
  return {
    entity_ref: entity.entityRef,
    kind: entity.kind,
    title: entity.title,
    type: entity.type ?? null,
    lifecycle: entity.lifecycle ?? null,
    owner_ref: entity.ownerRef ?? null,
    system_ref: entity.systemRef ?? null,
    tags: JSON.stringify(entity.tags),
    template_name: entity.templateName ?? null,
    tier: entity.tier ?? null,
    refreshed_at: refreshedAt,
  };
}

/** What the index row keeps of a catalog entity. */
export function toIndexedEntity(row: EntityRow): EntityInfo {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    title: row.title,
    ...(row.type ? { type: row.type } : {}),
    ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
    ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
    ...(row.system_ref ? { systemRef: row.system_ref } : {}),
    tags: JSON.parse(row.tags),
    ...(row.template_name ? { templateName: row.template_name } : {}),
    ...(row.tier ? { tier: row.tier } : {}),
  };
}

export function toAssignment(row: GateOwnerAssignmentRow): GateOwnerAssignment {
  return {
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref,
    assignedBy: row.assigned_by,
    assignedAt: toIso(row.assigned_at),
  };
}

export function toServiceItem(row: ServiceItemRow): ServiceItem {
  return {
    ...(JSON.parse(row.definition) as ChecklistItemDefinition),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
  };
}

export function toWindowException(row: WindowExceptionRow): WindowException {
  return {
    windowId: row.window_id,
    gateId: row.gate_id,
    reason: row.reason,
    approvedBy: row.approved_by,
    covers: JSON.parse(row.covers),
    approvedAt: toIso(row.approved_at),
    ...(row.window_version !== null && row.window_version !== undefined
      ? { windowVersion: Number(row.window_version) }
      : {}),
    ...(row.request_id ? { requestId: row.request_id } : {}),
  };
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    ...(row.gate_id ? { gateId: row.gate_id } : {}),
    actor: row.actor,
    action: row.action,
    ...(row.before ? { before: JSON.parse(row.before) } : {}),
    ...(row.after ? { after: JSON.parse(row.after) } : {}),
    at: toIso(row.at),
    ...(row.prev_hash ? { prevHash: row.prev_hash } : {}),
    ...(row.hash ? { hash: row.hash } : {}),
    ...(row.seq !== null && row.seq !== undefined
      ? { seq: Number(row.seq) }
      : {}),
  };
}

/** A window created through the API (windows of app-config have no row). */
export function toReleaseWindow(row: ReleaseWindowRow): ReleaseWindow {
  return {
    ...JSON.parse(row.definition),
    source: 'api' as const,
    version: Number(row.version ?? 1),
    ...(row.updated_by ? { updatedBy: row.updated_by } : {}),
    ...(row.updated_at ? { updatedAt: toIso(row.updated_at) } : {}),
    ...(row.retired_at ? { retiredAt: toIso(row.retired_at) } : {}),
    ...(row.retired_by ? { retiredBy: row.retired_by } : {}),
    ...(row.retire_reason ? { retireReason: row.retire_reason } : {}),
  };
}

export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    release: row.release,
    severity: row.severity as Incident['severity'],
    title: row.title,
    ...(row.link ? { link: row.link } : {}),
    occurredAt: toIso(row.occurred_at),
    reportedBy: row.reported_by,
    ...(row.ungated ? { ungated: true } : {}),
    ...(row.source && row.external_id
      ? {
          source: {
            id: row.source,
            title: row.source_title ?? row.source,
            externalId: row.external_id,
          },
        }
      : {}),
  };
}

/** The template's spec without what only describes the file. */
export function toTemplateSpec(template: GateTemplate): GateTemplateSpec {
  const { hash: _hash, source: _source, ...spec } = template;
  return spec;
}
