/*
 * A gate's dossier: everything a reviewer or auditor needs about one release
 * of one entity, as data (`buildDossier`, served as JSON) and as a readable
 * record (`renderDossierMarkdown`, in `dossierMarkdown.ts`).
 *
 * The audit trail is checked while the dossier is built, on the very events it
 * contains, so the verdict on the chain and the trail shown always agree.
 * Each hash covers the event as it appears in the JSON, so the chain can be
 * recomputed from the JSON dossier alone (see `chain.ts`).
 */
import {
  AutomatedCheck,
  AutomatedItemResult,
  ChecklistCategory,
  ConditionResult,
  Evidence,
  Gate,
  GateDecision,
  GateEvaluation,
  GateItem,
  GateState,
  GateTemplateSpec,
  GateDebrief,
  Incident,
  ItemStatus,
  ReleaseWindow,
  RiskAssessment,
  RoleResult,
  Verdict,
  Waiver,
  WindowException,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { verifyChain } from './chain';
import { buildDossierTrail, DossierTrail } from './dossierTrail';
import type {
  AuditChainVerification,
  AuditEvent,
  TrailVerification,
} from './types';

/** An automated item: its rule and how the evidence stood against it. */
export interface DossierAutomatedResult extends AutomatedCheck {
  outcome: AutomatedItemResult['outcome'];
  detail: string;
  evidenceId?: string;
  observedAt?: string;
  /** The evidence used, when there was one. */
  evidence?: Pick<
    Evidence,
    'id' | 'type' | 'status' | 'link' | 'commit' | 'runId' | 'observedAt'
  >;
}

/** One checklist item of the gate and what became of it. */
export interface DossierChecklistItem {
  id: string;
  title: string;
  category: ChecklistCategory;
  required: boolean;
  source: GateItem['source'];
  status: ItemStatus;
  note?: string;
  waiver?: Waiver;
  updatedBy?: string;
  updatedAt?: string;
  automated?: DossierAutomatedResult;
}

/** A sign-off vote, live or replaced by a later vote of the same person. */
export interface DossierVote {
  id: string;
  role: string;
  roleTitle: string;
  voter: string;
  verdict: 'ready' | 'not-ready';
  comment?: string;
  checklistRevision: number;
  at: string;
  /** Replaced by a newer vote of the same person for the role. */
  superseded: boolean;
  supersededAt?: string;
  /** Live, but cast on an older checklist revision: it does not count. */
  stale: boolean;
}

/** The release windows that applied to the gate and its exceptions. */
export interface DossierWindows {
  windows: ReleaseWindow[];
  /**
   * Every approval recorded for the gate; `counts: false` when it no longer
   * counts (its window was edited or retired since, or its request rejected).
   */
  exceptions: Array<WindowException & { counts?: boolean }>;
  /** Gate owners' requests for exceptions, with their outcome. */
  requests?: WindowExceptionRequestRecord[];
  /**
   * Windows the approvals and requests refer to that no longer apply (a
   * retired window is kept for this), so that every record resolves.
   */
  referenced?: ReleaseWindow[];
}

/**
 * A release of a GO that no longer held: who overrode it, when, why and what
 * had lapsed, as the release's audit event recorded it.
 */
export interface DossierOverride {
  by: string;
  at: string;
  reason: string;
  /** When the GO that no longer held was recorded. */
  goRecordedAt?: string;
  lapsed: string[];
  /** The id of the audit event that records it. */
  auditEventId: string;
}

/** The overrides of lapsed GO decisions, read from the gate's audit trail. */
export function overridesOf(audit: AuditEvent[]): DossierOverride[] {
  return audit.flatMap(event => {
    const override = (
      event.after as
        | {
            override?: {
              reason: string;
              goRecordedAt?: string;
              lapsed: string[];
            };
          }
        | undefined
    )?.override;
    if (event.action !== 'gate.released' || !override) {
      return [];
    }
    return [
      {
        by: event.actor,
        at: event.at,
        reason: override.reason,
        ...(override.goRecordedAt
          ? { goRecordedAt: override.goRecordedAt }
          : {}),
        lapsed: override.lapsed ?? [],
        auditEventId: event.id,
      },
    ];
  });
}

/** Everything about one gate. */
export interface Dossier extends DossierTrail {
  generatedAt: string;
  entity: { entityRef: string; title: string };
  gate: {
    id: string;
    release: string;
    state: GateState;
    plannedAt?: string;
    requestedBy: string;
    rapidReason?: string;
    openedAt: string;
    updatedAt: string;
    version: number;
    checklistRevision: number;
  };
  template: {
    name: string;
    title?: string;
    version: string;
    hash: string;
    tier: 1 | 2 | 3;
    rapid?: boolean;
  };
  evaluation: {
    verdict: Verdict;
    ready: boolean;
    score: number;
    evaluatedAt: string;
    conditions: ConditionResult[];
  };
  checklist: DossierChecklistItem[];
  /** All evidence CI posted for the entity and release. */
  evidence: Evidence[];
  signoffs: { roles: RoleResult[]; votes: DossierVote[] };
  risk: RiskAssessment | null;
  /** Present once release windows are passed to `buildDossier`. */
  windows?: DossierWindows;
  decisions: GateDecision[];
  /** Releases of a GO that no longer held, by a release manager. */
  overrides: DossierOverride[];
  /** Post-release incidents reported for the entity and release. */
  incidents: Incident[];
  /** The blameless debrief, once recorded (issue 18). */
  debrief?: GateDebrief;
  /** The gate's audit trail in the order written, with its hashes. */
  audit: AuditEvent[];
  /** The hash chain alone; `verification` adds its anchors. */
  chain: AuditChainVerification;
}

/** What a dossier is built from. */
export interface DossierInput {
  gate: Gate;
  evaluation: GateEvaluation;
  /** The entity's title, from its index row (else the entity ref shows). */
  entity?: { title: string };
  /** The template spec the gate opened with. */
  template?: GateTemplateSpec;
  evidence: Evidence[];
  audit: AuditEvent[];
  windows?: DossierWindows;
  incidents?: Incident[];
  debrief?: GateDebrief;
  /** The gate's chain verified against its anchors (`verifyGateTrail`). */
  verification?: TrailVerification;
  /** The entity's own chain and its verification (`verifyEntityTrail`). */
  entityAudit?: AuditEvent[];
  entityVerification?: TrailVerification;
  now?: Date;
}

/** The dossier of a gate, from data already loaded. */
export function buildDossier(input: DossierInput): Dossier {
  const { gate, evaluation, template, evidence, audit } = input;
  const automated = new Map(evaluation.automated.map(a => [a.itemId, a]));
  const evidenceById = new Map(evidence.map(e => [e.id, e]));
  const roleTitles = new Map<string, string>([
    ...(template?.signoffs.roles ?? []).map(
      r => [r.id, r.title] as [string, string],
    ),
    ...evaluation.roles.map(r => [r.role, r.title] as [string, string]),
  ]);

  const checklist = gate.items.map((item): DossierChecklistItem => {
    const result = automated.get(item.id);
    const used = result?.evidenceId
      ? evidenceById.get(result.evidenceId)
      : undefined;
    return {
      id: item.id,
      title: item.title,
      category: item.category,
      required: item.required,
      source: item.source,
      status: item.status,
      ...(item.note ? { note: item.note } : {}),
      ...(item.waiver ? { waiver: item.waiver } : {}),
      ...(item.updatedBy ? { updatedBy: item.updatedBy } : {}),
      ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}),
      ...(item.automated
        ? {
            automated: {
              ...item.automated,
              outcome: result?.outcome ?? 'missing',
              detail: result?.detail ?? 'not evaluated',
              ...(result?.evidenceId ? { evidenceId: result.evidenceId } : {}),
              ...(result?.observedAt ? { observedAt: result.observedAt } : {}),
              ...(used
                ? {
                    evidence: {
                      id: used.id,
                      type: used.type,
                      status: used.status,
                      ...(used.link ? { link: used.link } : {}),
                      ...(used.commit ? { commit: used.commit } : {}),
                      runId: used.runId,
                      observedAt: used.observedAt,
                    },
                  }
                : {}),
            },
          }
        : {}),
    };
  });

  const votes = gate.votes.map(
    (vote): DossierVote => ({
      id: vote.id,
      role: vote.role,
      roleTitle: roleTitles.get(vote.role) ?? vote.role,
      voter: vote.voter,
      verdict: vote.verdict,
      ...(vote.comment ? { comment: vote.comment } : {}),
      checklistRevision: vote.checklistRevision,
      at: vote.at,
      superseded: Boolean(vote.supersededAt),
      ...(vote.supersededAt ? { supersededAt: vote.supersededAt } : {}),
      stale:
        !vote.supersededAt && vote.checklistRevision < gate.checklistRevision,
    }),
  );

  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    entity: {
      entityRef: gate.entityRef,
      title: input.entity?.title ?? gate.entityRef,
    },
    gate: {
      id: gate.id,
      release: gate.release,
      state: gate.state,
      ...(gate.plannedAt ? { plannedAt: gate.plannedAt } : {}),
      requestedBy: gate.requestedBy,
      ...(gate.rapidReason ? { rapidReason: gate.rapidReason } : {}),
      openedAt: gate.openedAt,
      updatedAt: gate.updatedAt,
      version: gate.version,
      checklistRevision: gate.checklistRevision,
    },
    template: {
      name: gate.templateName,
      ...(template?.title ? { title: template.title } : {}),
      version: gate.templateVersion,
      hash: gate.templateHash,
      tier: gate.tier,
      ...(template ? { rapid: template.rapid } : {}),
    },
    evaluation: {
      verdict: evaluation.verdict,
      ready: evaluation.ready,
      score: evaluation.score,
      evaluatedAt: evaluation.evaluatedAt,
      conditions: evaluation.conditions,
    },
    checklist,
    evidence,
    signoffs: { roles: evaluation.roles, votes },
    risk: gate.risk ?? null,
    ...(input.windows ? { windows: input.windows } : {}),
    decisions: gate.decisions,
    overrides: overridesOf(audit),
    incidents: input.incidents ?? [],
    ...(input.debrief ? { debrief: input.debrief } : {}),
    audit,
    chain: verifyChain(audit),
    ...buildDossierTrail({
      gate,
      evidence,
      ...(input.verification ? { verification: input.verification } : {}),
      ...(input.entityAudit ? { entityAudit: input.entityAudit } : {}),
      ...(input.entityVerification
        ? { entityVerification: input.entityVerification }
        : {}),
    }),
  };
}
