import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ApprovalRequest,
  AuditEntry,
  CalendarQuery,
  CalendarResponse,
  CaughtQuery,
  CaughtResponse,
  DebriefRequest,
  ItemInsightsQuery,
  ItemInsightsResponse,
  DebriefResponse,
  EvidenceSourcesResponse,
  GateDebrief,
  PortfolioLearning,
  PortfolioLearningQuery,
  ChecklistItemDefinition,
  DecisionRequest,
  EntityReadiness,
  EntityRollup,
  GateTemplate,
  GateWindowExceptions,
  GateWithEvaluation,
  ItemUpdate,
  MetricsQuery,
  MetricsResponse,
  OpenGateRequest,
  PlannedTimeRequest,
  PortfolioQuery,
  PortfolioResponse,
  ReleaseManifestRequest,
  FacilitatorRequest,
  ReleaseWindow,
  ReleaseWindowEdit,
  ReleaseWindowRetirement,
  ReleaseWindowWithHistory,
  ReleaseWindowWithNext,
  RiskUpdate,
  SystemRollup,
  VoteRequest,
  WindowExceptionAsk,
  WindowExceptionRejection,
  WindowExceptionRequest,
  WindowExceptionRequestRecord,
  WindowsQuery,
} from '@release-readiness/plugin-common';

/**
 * Client of the Release Readiness backend.
 *
 * @public
 */
export interface ReleaseReadinessApi {
  /** The readiness of one catalog entity: gate owners, checklist, gates. */
  getEntityReadiness(entity: CompoundEntityRef): Promise<EntityReadiness>;
  /**
   * GET /entities/:kind/:namespace/:name/rollup: the parts of a system or
   * domain with their gates for the release (the entity's current gate's
   * when not given).
   */
  getEntityRollup(
    entity: CompoundEntityRef,
    release?: string,
  ): Promise<EntityRollup>;
  /** A gate with its evaluation (verdict, blockers, health score). */
  getGate(gateId: string): Promise<GateWithEvaluation>;
  /** Opens a gate for one of the entity's releases, from a gate template. */
  openGate(
    entity: CompoundEntityRef,
    request: OpenGateRequest,
  ): Promise<GateWithEvaluation>;
  /** Adds a checklist item of the entity's own to its checklist. */
  addServiceItem(
    entity: CompoundEntityRef,
    item: ChecklistItemDefinition,
  ): Promise<void>;
  /** Marks a checklist item (passed, failed, waived, not applicable, pending). */
  updateItem(
    gateId: string,
    itemId: string,
    request: ItemUpdate,
  ): Promise<GateWithEvaluation>;
  /** Records the caller's sign-off vote (Ready or Not ready) for a role. */
  vote(gateId: string, request: VoteRequest): Promise<GateWithEvaluation>;
  /** Saves the risk assessment: rollback plan, impact matrix, residual risk. */
  updateRisk(gateId: string, request: RiskUpdate): Promise<GateWithEvaluation>;
  /** Records the Go/No-Go decision on the gate. */
  decide(gateId: string, request: DecisionRequest): Promise<GateWithEvaluation>;
  /** Approves releasing outside the release windows (an exception). */
  approveWindowException(
    gateId: string,
    request: WindowExceptionRequest,
  ): Promise<GateWithEvaluation>;
  /** Approves the gate's choice of template (governance). */
  approveTemplate(
    gateId: string,
    request: ApprovalRequest,
  ): Promise<GateWithEvaluation>;
  /** Approves the waiver of a checklist item (governance). */
  approveWaiver(
    gateId: string,
    itemId: string,
    request: ApprovalRequest,
  ): Promise<GateWithEvaluation>;
  /** PATCH /gates/:id/planned: sets or moves the planned release time. */
  setPlannedTime(
    gateId: string,
    request: PlannedTimeRequest,
  ): Promise<GateWithEvaluation>;
  /**
   * PUT /gates/:id/facilitator: names another gate owner to run the gate
   * meeting, or passes the turn on (`skip`).
   */
  setFacilitator(
    gateId: string,
    request: FacilitatorRequest,
  ): Promise<GateWithEvaluation>;
  /**
   * GET /gates/:id/evidence/sources: the backend's evidence providers that
   * feed this gate's automated items, each with its last attempt.
   */
  getEvidenceSources(gateId: string): Promise<EvidenceSourcesResponse>;
  /**
   * POST /gates/:id/evidence/refresh: asks those providers again now (gate
   * owners, open gates); answers the sources as they stand afterwards.
   */
  refreshEvidence(gateId: string): Promise<EvidenceSourcesResponse>;
  /** GET /gates/:id/debrief: the gate's debrief, and whether one is due. */
  getDebrief(gateId: string): Promise<DebriefResponse>;
  /** PUT /gates/:id/debrief: records or edits the gate's debrief. */
  putDebrief(gateId: string, request: DebriefRequest): Promise<GateDebrief>;
  /** PUT /gates/:id/manifest: replaces a system gate's release manifest. */
  setReleaseManifest(
    gateId: string,
    request: ReleaseManifestRequest,
  ): Promise<GateWithEvaluation>;
  /** The gate's audit trail, oldest first. */
  getAudit(gateId: string): Promise<AuditEntry[]>;
  /** The dossier as Markdown, for downloading. */
  getDossierMarkdown(gateId: string): Promise<string>;
  /** The gate templates a gate can be opened from. */
  listTemplates(): Promise<GateTemplate[]>;
  /**
   * GET /windows: every release window with its current and next
   * occurrences; with an entityRef, only those that apply to that entity.
   */
  listWindows(query?: WindowsQuery): Promise<ReleaseWindowWithNext[]>;
  /** GET /windows/:id: one window, retired ones too, with its history. */
  getWindow(windowId: string): Promise<ReleaseWindowWithHistory>;
  /** PUT /windows/:id: edits an API window at the version given (admins). */
  editWindow(windowId: string, edit: ReleaseWindowEdit): Promise<ReleaseWindow>;
  /** POST /windows/:id/retire: retires an API window (admins); kept, never deleted. */
  retireWindow(
    windowId: string,
    retirement: ReleaseWindowRetirement,
  ): Promise<ReleaseWindow>;
  /** GET /gates/:id/window-exceptions: the gate's exception requests and approvals. */
  getWindowExceptions(gateId: string): Promise<GateWindowExceptions>;
  /** POST /gates/:id/window-exception-requests: a gate owner asks the approvers. */
  requestWindowException(
    gateId: string,
    ask: WindowExceptionAsk,
  ): Promise<{
    request: WindowExceptionRequestRecord;
    gate: GateWithEvaluation;
  }>;
  /** POST /gates/:id/window-exception-requests/:requestId/reject: an approver rejects. */
  rejectWindowException(
    gateId: string,
    requestId: string,
    rejection: WindowExceptionRejection,
  ): Promise<{
    request: WindowExceptionRequestRecord;
    gate: GateWithEvaluation;
  }>;
  /**
   * GET /portfolio: a page of entities with their current gate, the facets
   * and team totals; `plannedFrom`/`plannedTo` keep the gates planned in a
   * time range.
   */
  getPortfolio(query: PortfolioQuery): Promise<PortfolioResponse>;
  /**
   * GET /metrics: lead time, blockers, no-go rate and incidents per group and
   * period, and over all gates (`overall`), narrowed by the query's filters.
   */
  getMetrics(query: MetricsQuery): Promise<MetricsResponse>;
  /**
   * GET /portfolio/calendar: the windows (every occurrence) and the planned
   * gates of a range, under the portfolio's filters.
   */
  getCalendar(query?: CalendarQuery): Promise<CalendarResponse>;
  /** GET /portfolio/systems: each system with the roll-up of its components. */
  getSystemRollups(): Promise<SystemRollup[]>;
  /**
   * GET /portfolio/caught: a page of the NO-GO decisions, newest first, who
   * caught the releases, and their total under the filters.
   */
  getCaughtReleases(query?: CaughtQuery): Promise<CaughtResponse>;
  /**
   * GET /portfolio/learning: per team, debrief completion and open
   * follow-ups; per person, the gates they facilitated (default: this quarter).
   */
  getLearning(query?: PortfolioLearningQuery): Promise<PortfolioLearning>;
  /**
   * GET /insights/items: which checklist items go with post-release
   * incidents, riskier first, a page at a time.
   */
  getItemInsights(query?: ItemInsightsQuery): Promise<ItemInsightsResponse>;
  /**
   * GET /templates/:name/review?format=md: the template's review record,
   * with the proposed patch to its file, as Markdown.
   */
  getTemplateReviewMarkdown(templateName: string): Promise<string>;
}

/**
 * Reference to the {@link ReleaseReadinessApi}.
 *
 * @public
 */
export const releaseReadinessApiRef = createApiRef<ReleaseReadinessApi>({
  id: 'plugin.release-readiness.service',
});
