/*
 * A gate: one release of one entity going through its checklist, sign-offs,
 * risk assessment and decision, and who keeps it.
 */

import { ChecklistItemDefinition } from './templates';

/**
 * States of a gate: `in-progress` → `go` | `no-go`; `no-go` → `in-progress`;
 * `go` → `released` → `rolled-back`; `cancelled` from any state before release.
 *
 * @public
 */
export type GateState =
  | 'in-progress'
  | 'go'
  | 'no-go'
  | 'released'
  | 'rolled-back'
  | 'cancelled';

/**
 * Status of a checklist item on a gate.
 *
 * @public
 */
export type ItemStatus =
  | 'pending'
  | 'passed'
  | 'failed'
  | 'waived'
  | 'not-applicable';

/**
 * A waiver of a checklist item.
 *
 * @public
 */
export interface Waiver {
  justification: string;
  /** When the waiver stops counting. */
  expiresAt: string;
  /** User ref of who waived. */
  by: string;
  at: string;
  /**
   * Set when the template names approvers for waiving this item (a required
   * security or compliance item by default): the waiver does not count
   * until one of them approves it.
   */
  approval?: Approval;
}

/**
 * An approval a governance rule asks for: who may give it and, once given,
 * by whom and when.
 *
 * @public
 */
export interface Approval {
  /** Group or user refs, any of whom may approve. */
  approvers: string[];
  approvedBy?: string;
  approvedAt?: string;
  comment?: string;
}

/**
 * Why a gate's template choice needs an approval, and its state.
 *
 * @public
 */
export interface TemplateApproval extends Approval {
  /** In words: why the choice weakens the gate. */
  because: string;
  /** The template that applies to the entity, when one does. */
  applicableTemplate?: string;
}

/**
 * A checklist item on a gate: its definition (snapshotted when the gate
 * opened) and its current state.
 *
 * @public
 */
export interface GateItem extends ChecklistItemDefinition {
  source: 'template' | 'service';
  /**
   * What a person set. For automated items only `pending` and `waived` can be
   * set by people; their pass or fail comes from evidence.
   */
  status: ItemStatus;
  note?: string;
  waiver?: Waiver;
  updatedBy?: string;
  updatedAt?: string;
  /** Optimistic concurrency: an edit must carry the version it saw. */
  version: number;
}

/**
 * One row of the impact matrix.
 *
 * @public
 */
export interface ImpactRow {
  failureMode: string;
  impact: 'high' | 'medium' | 'low';
  likelihood: 'high' | 'medium' | 'low';
  mitigation: string;
}

/**
 * The risk assessment of a gate.
 *
 * @public
 */
export interface RiskAssessment {
  /** Text or a link. */
  rollbackPlan?: string;
  /** When the rollback was last verified by a person (evidence counts too). */
  rollbackVerifiedAt?: string;
  rollbackVerifiedBy?: string;
  impactMatrix: ImpactRow[];
  residualRisk?: {
    acceptedBy: string;
    acceptedAt: string;
    note?: string;
  };
  communication?: {
    audiences: string[];
    scheduledAt?: string;
    approvedBy?: string;
    approvedAt?: string;
  };
  updatedBy?: string;
  updatedAt?: string;
  version: number;
}

/**
 * A stakeholder's sign-off vote.
 *
 * @public
 */
export interface SignoffVote {
  id: string;
  role: string;
  /** User ref. */
  voter: string;
  verdict: 'ready' | 'not-ready';
  comment?: string;
  /** The gate's checklist revision the voter saw. */
  checklistRevision: number;
  at: string;
  /** Set when a newer vote of the same person for the same role replaced it. */
  supersededAt?: string;
}

/**
 * A fact posted by CI.
 *
 * @public
 */
export interface Evidence {
  id: string;
  entityRef: string;
  release: string;
  type: string;
  status: 'passed' | 'failed' | 'error' | 'unknown';
  metrics: Record<string, number | boolean | string>;
  link?: string;
  commit?: string;
  runId: string;
  observedAt: string;
  receivedAt: string;
  /** Principal that posted it, e.g. `external:github-actions`. */
  postedBy: string;
}

/**
 * A recorded decision.
 *
 * @public
 */
export interface GateDecision {
  id: string;
  verdict: 'go' | 'no-go';
  reason: string;
  by: string;
  at: string;
  /** SHA-256 of the gate's state (items, votes, risk, evidence) it was taken on. */
  stateHash: string;
}

/**
 * One release of one entity going through its gate.
 *
 * @public
 */
export interface Gate {
  id: string;
  entityRef: string;
  release: string;
  templateName: string;
  templateVersion: string;
  templateHash: string;
  tier: 1 | 2 | 3;
  state: GateState;
  plannedAt?: string;
  /** User ref of who opened the gate. */
  requestedBy: string;
  /** Why an expedited (rapid) template was chosen. */
  rapidReason?: string;
  /** Why another, a lower-tier or a rapid template was chosen. */
  templateReason?: string;
  /** Present when the template choice needs an approval (see governance). */
  templateApproval?: TemplateApproval;
  openedAt: string;
  updatedAt: string;
  /** Bumped on every change of the gate row (state, risk, …). */
  version: number;
  /** Bumped when a required item changes; votes on an older one are stale. */
  checklistRevision: number;
  items: GateItem[];
  risk?: RiskAssessment;
  votes: SignoffVote[];
  decisions: GateDecision[];
  /**
   * For a system gate: the release of each counted component it ships
   * (component ref → release), proposed when the gate opens from the
   * components' current gates and changed by the gate owners. A component
   * it does not name is matched on the gate's own release.
   */
  manifest?: ReleaseManifest;
  /**
   * The person who runs this gate's release meeting (a user ref, lower
   * case): proposed when the gate opens by a fair rotation among the
   * entity's gate owners, who facilitated least recently, then least often;
   * swapped or passed on by the gate owners (audited as gate.facilitator).
   * Absent when no gate owner could be resolved to a person.
   */
  facilitator?: string;
}

/**
 * A system gate's release manifest: component ref (lower-case) → release.
 *
 * @public
 */
export type ReleaseManifest = Record<string, string>;

/**
 * Where a gate owner comes from.
 *
 * - `catalog-owner`: the entity's owner in the catalog (`spec.owner`), the default.
 * - `assigned`: an explicit assignment stored by the Release Readiness backend.
 *
 * @public
 */
export type GateOwnerSource = 'catalog-owner' | 'assigned';

/**
 * A user or group allowed to keep an entity's release gate.
 *
 * @public
 */
export interface GateOwner {
  /** Entity ref of the user or group, e.g. `group:default/payments`. */
  ref: string;
  source: GateOwnerSource;
}
