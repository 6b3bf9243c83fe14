/*
 * The domain of Release Readiness, shared by the backend (which stores it) and
 * the frontend (which shows it). Timestamps are ISO 8601 strings in UTC;
 * entity refs are full, lower-case refs such as `component:default/payment-gateway`.
 */

// ---------------------------------------------------------------------------
// Gate templates

/**
 * Categories of checklist items.
 *
 * @public
 */
export type ChecklistCategory =
  | 'build-and-test'
  | 'manual-validation'
  | 'security'
  | 'compliance'
  | 'performance'
  | 'documentation'
  | 'risk'
  | 'communication';

/** @public */
export const CHECKLIST_CATEGORIES: readonly ChecklistCategory[] = [
  'build-and-test',
  'manual-validation',
  'security',
  'compliance',
  'performance',
  'documentation',
  'risk',
  'communication',
];

/**
 * How an automated checklist item is fed: the newest evidence of `evidenceType`
 * for the gate's entity and release must satisfy `rule` and be younger than
 * `maxAge`.
 *
 * @public
 */
export interface AutomatedCheck {
  /** Evidence type, e.g. `test-report`, `static-analysis`, `security-scan`. */
  evidenceType: string;
  /**
   * A comparison on the evidence, e.g. `score >= 90`, `passed == true`,
   * `status == "passed"`, several joined with `and`. Field names are `status`
   * or a key of the evidence's `metrics`.
   */
  rule: string;
  /** ISO 8601 duration after which evidence is stale, e.g. `P7D`, `PT12H`. */
  maxAge: string;
}

/**
 * A checklist item as a template (or a service) defines it.
 *
 * @public
 */
export interface ChecklistItemDefinition {
  /** Unique within the checklist; lower-case kebab-case. */
  id: string;
  title: string;
  description?: string;
  category: ChecklistCategory;
  required: boolean;
  /** Present for automated items; manual items have none. */
  automated?: AutomatedCheck;
}

/**
 * Who may vote for a sign-off role. Several keys widen the set (any of them).
 *
 * @public
 */
export interface SignoffEligibility {
  /** The entity's gate owners (catalog owner group, its members, assignments). */
  gateOwners?: boolean;
  /** Members of these groups (full refs, e.g. `group:default/qa`). */
  groups?: string[];
  /** These users (full refs). */
  users?: string[];
}

/**
 * A sign-off role of a template, e.g. engineering, QA, security.
 *
 * @public
 */
export interface SignoffRole {
  id: string;
  title: string;
  eligible: SignoffEligibility;
  /** How many distinct eligible people must vote Ready. At least 1. */
  min: number;
}

/**
 * What a template demands of the risk assessment.
 *
 * @public
 */
export interface RiskRequirements {
  /** The impact matrix must have at least one row. */
  impactMatrix: boolean;
  /** Someone must have accepted the residual risk. */
  residualRiskAcceptance: boolean;
  /** A rollback plan must exist… */
  rollbackPlan: boolean;
  /** …and have been verified within this ISO 8601 duration (e.g. `P30D`). */
  rollbackVerifiedWithin?: string;
  /** A communication plan must be scheduled and approved. */
  communicationPlan: boolean;
}

/**
 * Which catalog entities a template applies to; every given key must match.
 *
 * @public
 */
export interface TemplateSelector {
  kind?: string;
  /** `spec.type` is one of these. */
  types?: string[];
  /** The entity has at least one of these tags. */
  tags?: string[];
}

/**
 * A gate template, as written in `gate-templates/*.yaml`.
 *
 * @public
 */
export interface GateTemplateSpec {
  name: string;
  title: string;
  description?: string;
  /** 1 component, 2 system, 3 business. */
  tier: 1 | 2 | 3;
  /** The template's own version, bumped by its authors, e.g. `3` or `2024.1`. */
  version: string;
  /** Expedited release: choosing it needs a reason, which is audited. */
  rapid: boolean;
  /** Empty: applies only when named by annotation or by choice. */
  appliesTo: TemplateSelector[];
  checklist: ChecklistItemDefinition[];
  signoffs: {
    /** Whether the gate's requester's own vote counts. */
    selfApproval: boolean;
    roles: SignoffRole[];
  };
  risk: RiskRequirements;
}

/**
 * A template as loaded by the backend.
 *
 * @public
 */
export interface GateTemplate extends GateTemplateSpec {
  /** SHA-256 of the file's content, hex. */
  hash: string;
  /** The file it came from, relative to the app's root. */
  source: string;
}

// ---------------------------------------------------------------------------
// Gates

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
}

// ---------------------------------------------------------------------------
// The evaluation

/**
 * The conditions of a Go decision.
 *
 * @public
 */
export type ConditionId =
  | 'artifacts'
  | 'automated'
  | 'risk'
  | 'rollback'
  | 'communication'
  | 'signoffs'
  | 'window'
  | 'rollup';

/**
 * One condition: met or not, how far along, and every reason it is not met.
 *
 * @public
 */
export interface ConditionResult {
  id: ConditionId;
  title: string;
  met: boolean;
  /** 0..1, how much of the condition is satisfied; feeds the health score. */
  progress: number;
  /** Blocking reasons in plain words, each one actionable. Empty when met. */
  blockers: Blocker[];
}

/**
 * A reason a gate is not ready.
 *
 * @public
 */
export interface Blocker {
  condition: ConditionId;
  /** What to do, in plain words. */
  message: string;
  /** The checklist item or sign-off role concerned, if any. */
  itemId?: string;
  role?: string;
}

/**
 * How an automated item stands against its evidence.
 *
 * @public
 */
export interface AutomatedItemResult {
  itemId: string;
  outcome: 'passed' | 'failed' | 'stale' | 'missing' | 'waived';
  /** The evidence used, if any. */
  evidenceId?: string;
  observedAt?: string;
  /** Words for people: "score 84, needs score >= 90". */
  detail: string;
}

/**
 * Quorum of one sign-off role.
 *
 * @public
 */
export interface RoleResult {
  role: string;
  title: string;
  min: number;
  /** Distinct eligible voters whose Ready counts. */
  readyVoters: string[];
  notReadyVoters: string[];
  staleVoters: string[];
  met: boolean;
}

/**
 * The verdict shown for a gate.
 *
 * @public
 */
export type Verdict = 'GO' | 'NO-GO' | 'IN PROGRESS';

/**
 * The evaluation of a gate.
 *
 * @public
 */
export interface GateEvaluation {
  /** Every condition is met: a Go decision may be recorded. */
  ready: boolean;
  /** GO or NO-GO once decided; IN PROGRESS before. */
  verdict: Verdict;
  /** 0..100. */
  score: number;
  conditions: ConditionResult[];
  /** All blockers of all conditions, in condition order. */
  blockers: Blocker[];
  automated: AutomatedItemResult[];
  roles: RoleResult[];
  evaluatedAt: string;
}

/**
 * Everything the evaluation needs, nothing else. `isEligible` answers whether a
 * user may vote for a role (the backend resolves catalog membership in bulk
 * before calling it).
 *
 * @public
 */
export interface EvaluationInput {
  template: GateTemplateSpec;
  gate: Gate;
  /** Evidence for the gate's entity and release, any order. */
  evidence: Evidence[];
  isEligible: (voter: string, role: SignoffRole) => boolean;
  now: Date;
  /**
   * The release windows that apply to the gate's entity (already filtered by
   * scope) and the exceptions approved for this gate. Absent: no window
   * applies, the condition is met.
   */
  windows?: { windows: ReleaseWindow[]; exceptions: WindowException[] };
  /**
   * For a tier-2 (system) gate: the system's components and the state of
   * each one's gate for the same release (absent when it has none).
   */
  rollup?: { components: { entityRef: string; state?: GateState }[] };
}

// ---------------------------------------------------------------------------
// Release windows

/**
 * A release train (releases only inside) or a freeze (never inside).
 * Recurring: `cron` start times in `timezone`, each lasting `duration`.
 * One-off: from `from` to `to`.
 *
 * @public
 */
export interface ReleaseWindow {
  id: string;
  name: string;
  description?: string;
  kind: 'freeze' | 'train';
  cron?: string;
  /** ISO 8601 duration of each occurrence, e.g. `PT6H30M`. */
  duration?: string;
  /** IANA time zone of `cron`, e.g. `America/New_York`. Default UTC. */
  timezone?: string;
  from?: string;
  to?: string;
  scope: {
    all?: boolean;
    /** System refs, e.g. `system:default/payments-platform`. */
    systems?: string[];
    /** Entity refs. */
    entities?: string[];
    tags?: string[];
  };
  /** Who approves exceptions: each listed group or user must approve. */
  approvers: string[];
  source: 'config' | 'api';
}

/**
 * An approval of an exception to a window for one gate.
 *
 * @public
 */
export interface WindowException {
  windowId: string;
  gateId: string;
  reason: string;
  /** User ref of the approver. */
  approvedBy: string;
  /** The approver refs (from the window's `approvers`) this approval covers. */
  covers: string[];
  approvedAt: string;
}

// ---------------------------------------------------------------------------
// Incidents

/**
 * A post-release incident.
 *
 * @public
 */
export interface Incident {
  id: string;
  entityRef: string;
  release: string;
  severity: 'sev1' | 'sev2' | 'sev3' | 'sev4';
  title: string;
  link?: string;
  occurredAt: string;
  reportedBy: string;
}

// ---------------------------------------------------------------------------
// Entity readiness

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

/**
 * A gate with its evaluation, as the API returns it.
 *
 * @public
 */
export interface GateWithEvaluation extends Gate {
  /** Post-release incidents reported for this entity and release. */
  incidents: Incident[];
  /** The sign-off roles of the template the gate opened with. */
  signoffRoles: SignoffRole[];
  evaluation: GateEvaluation;
}

/**
 * The release readiness of one catalog entity, as returned by
 * `GET /api/release-readiness/entities/:kind/:namespace/:name`.
 *
 * @public
 */
export interface EntityReadiness {
  /** Full entity ref, e.g. `component:default/payment-gateway`. */
  entityRef: string;
  /** The entity's title, or its name when it has none. */
  title: string;
  /** The template the entity's next gate opens with, if one applies. */
  template?: { name: string; title: string; tier: 1 | 2 | 3; version: string };
  /** Who keeps this entity's gate: the catalog owner and explicit assignments. */
  gateOwners: GateOwner[];
  /** The service checklist: template items and service-specific items. */
  checklist: (ChecklistItemDefinition & { source: 'template' | 'service' })[];
  /** The gate of the current release, or null when no gate was opened yet. */
  currentGate: GateWithEvaluation | null;
  /** Gates of earlier releases, newest first. */
  earlierGates: Gate[];
}

// ---------------------------------------------------------------------------
// Portfolio and metrics

/**
 * One entity of the portfolio with its current gate.
 *
 * @public
 */
export interface PortfolioRow {
  entityRef: string;
  kind: string;
  title: string;
  type?: string;
  lifecycle?: string;
  ownerRef?: string;
  systemRef?: string;
  tags: string[];
  templateName?: string;
  tier?: number;
  currentGate?: {
    id: string;
    release: string;
    state: GateState;
    verdict: Verdict;
    score: number;
    blockers: number;
    plannedAt?: string;
    lastDecision?: { verdict: 'go' | 'no-go'; at: string };
  };
}

/**
 * A value of a filter and how many entities have it.
 *
 * @public
 */
export interface FacetCount {
  value: string;
  count: number;
}

/**
 * `GET /portfolio`: a page of entities, the facet counts of the filters and
 * the totals of the teams on the page (and of the team filtered on), for the
 * filters given. Each facet, and the team totals, leave out their own filter
 * (the owner filter for the teams), so that the other values stay visible
 * with their counts. A facet lists its 100 most common values.
 *
 * @public
 */
export interface PortfolioResponse {
  items: PortfolioRow[];
  totalItems: number;
  offset: number;
  limit: number;
  facets: {
    owner: FacetCount[];
    system: FacetCount[];
    tier: FacetCount[];
    state: FacetCount[];
    verdict: FacetCount[];
  };
  teams: {
    ownerRef: string;
    entities: number;
    go: number;
    noGo: number;
    inProgress: number;
    noGate: number;
  }[];
}

/**
 * The metrics of a set of gates: how many there were, how they were decided,
 * how long they took to GO and what followed their release.
 *
 * @public
 */
export interface MetricsValues {
  /** Gates opened, cancelled ones left out. */
  gates: number;
  /** Gates released (or released and then rolled back). */
  releases: number;
  goDecisions: number;
  noGoDecisions: number;
  /** NO-GO decisions over all decisions, 0..1; null without decisions. */
  noGoRate: number | null;
  /**
   * Hours from opening to the first GO, over the gates that reached GO: the
   * median and the 90th percentile (nearest rank).
   */
  leadTimeHours: { median: number | null; p90: number | null };
  /** Mean blockers at decision time. */
  blockersPerGate: number | null;
  incidents: number;
  /** Incidents over releases; null without releases. */
  incidentsPerRelease: number | null;
}

/**
 * The metrics of one group (a team, tier or system) in one period.
 *
 * @public
 */
export interface MetricsBucket extends MetricsValues {
  /** `2026-11` for a month, `2026-Q4` for a quarter. */
  period: string;
  group: string;
}

/**
 * The metrics of every gate of one period, whatever its group.
 *
 * @public
 */
export interface MetricsPeriodBucket extends MetricsValues {
  /** `2026-11` for a month, `2026-Q4` for a quarter. */
  period: string;
}

/**
 * `GET /metrics`: the gates the caller may read, narrowed by the filters and
 * counted in the period they were opened.
 *
 * @public
 */
export interface MetricsResponse {
  groupBy: 'team' | 'tier' | 'system';
  period: 'month' | 'quarter';
  /** Per group and period, ordered by period, then group. */
  buckets: MetricsBucket[];
  /**
   * Every gate, whatever its group: each value is computed from the gates
   * themselves (the median lead time is the median over all gates, not a
   * median of the groups' medians).
   */
  overall: {
    /** One per period with gates, oldest first. */
    periods: MetricsPeriodBucket[];
    /** The whole range: every period together. */
    total: MetricsValues;
  };
}

/**
 * A release a NO-GO stopped (`GET /portfolio/caught`), and who caught it.
 *
 * @public
 */
export interface CaughtRelease {
  gateId: string;
  entityRef: string;
  title: string;
  release: string;
  decidedAt: string;
  decidedBy: string;
  reason: string;
  /** The gate went on to GO (or release) after the NO-GO: the fix landed. */
  fixed: boolean;
  caughtBy: {
    ref: string;
    how: 'not-ready vote' | 'failed check';
    detail: string;
  }[];
}
