import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CaughtRelease,
  ChecklistItemDefinition,
  EntityReadiness,
  GateTemplate,
  GateWithEvaluation,
  ImpactRow,
  ItemStatus,
  MetricsResponse,
  PortfolioResponse,
  ReleaseWindow,
} from '@release-readiness/plugin-common';
import type {
  MetricsQuery,
  PortfolioQuery,
  SystemRollup,
} from '../components/Portfolio/types';

/** An audit event as the API returns it. @public */
export interface AuditEntry {
  id: string;
  entityRef: string;
  gateId?: string;
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  at: string;
  hash?: string;
  prevHash?: string;
}

/** The body of a risk assessment update. @public */
export interface RiskUpdate {
  version: number;
  rollbackPlan?: string;
  rollbackVerified?: boolean;
  impactMatrix: ImpactRow[];
  acceptResidualRisk?: boolean;
  residualRiskNote?: string;
  communication?: {
    audiences: string[];
    scheduledAt?: string;
    approve?: boolean;
  };
}

/** A decision or a move of a gate. @public */
export type DecisionRequest =
  | { verdict: 'go' | 'no-go'; reason: string }
  | {
      transition: 'reopen' | 'release' | 'rollback' | 'cancel';
      reason?: string;
    };

/**
 * Client of the Release Readiness backend.
 *
 * @public
 */
export interface ReleaseReadinessApi {
  /** The readiness of one catalog entity: gate owners, checklist, gates. */
  getEntityReadiness(entity: CompoundEntityRef): Promise<EntityReadiness>;
  getGate(gateId: string): Promise<GateWithEvaluation>;
  openGate(
    entity: CompoundEntityRef,
    request: {
      release: string;
      template?: string;
      plannedAt?: string;
      rapidReason?: string;
    },
  ): Promise<GateWithEvaluation>;
  addServiceItem(
    entity: CompoundEntityRef,
    item: ChecklistItemDefinition,
  ): Promise<void>;
  updateItem(
    gateId: string,
    itemId: string,
    request: {
      status: ItemStatus;
      note?: string;
      waiver?: { justification: string; expiresAt: string };
      version: number;
    },
  ): Promise<GateWithEvaluation>;
  vote(
    gateId: string,
    request: { role: string; verdict: 'ready' | 'not-ready'; comment?: string },
  ): Promise<GateWithEvaluation>;
  updateRisk(gateId: string, request: RiskUpdate): Promise<GateWithEvaluation>;
  decide(gateId: string, request: DecisionRequest): Promise<GateWithEvaluation>;
  approveWindowException(
    gateId: string,
    request: { windowId: string; reason: string },
  ): Promise<GateWithEvaluation>;
  getAudit(gateId: string): Promise<AuditEntry[]>;
  /** The dossier as Markdown, for downloading. */
  getDossierMarkdown(gateId: string): Promise<string>;
  listTemplates(): Promise<GateTemplate[]>;
  listWindows(): Promise<
    (ReleaseWindow & { next?: { start: string; end: string } })[]
  >;
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
  /** GET /portfolio/systems: each system with the roll-up of its components. */
  getSystemRollups(): Promise<SystemRollup[]>;
  /** GET /portfolio/caught: NO-GO decisions and who caught the releases. */
  getCaughtReleases(): Promise<CaughtRelease[]>;
}

/**
 * Reference to the {@link ReleaseReadinessApi}.
 *
 * @public
 */
export const releaseReadinessApiRef = createApiRef<ReleaseReadinessApi>({
  id: 'plugin.release-readiness.service',
});
