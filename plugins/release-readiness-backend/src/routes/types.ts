import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import {
  AuditLog,
  DebriefStore,
  EntityIndexStore,
  EvidenceStore,
  GateStore,
  IncidentStore,
  PortfolioStore,
  WindowStore,
} from '../database';
import { GateDomain } from '../gates';
import type { EvidenceCollector } from '../providers/EvidenceCollector';
import { ReadinessNotifier } from '../notifications/ReadinessNotifier';
import { spec } from '../schema/openapi.generated';

/** Largest JSON body accepted; larger ones get a 413. */
export const MAX_BODY_SIZE = '256kb';

/** Largest body of `POST /evidence/batch` (500 facts of up to 100 metrics). */
export const MAX_BATCH_BODY_SIZE = '4mb';

/** Everything the routes need; created once in plugin.ts. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  /** The gate domain: access, evaluation, changes and commands. */
  domain: GateDomain;
  entities: EntityIndexStore;
  gates: GateStore;
  audit: AuditLog;
  evidence: EvidenceStore;
  windows: WindowStore;
  incidents: IncidentStore;
  portfolio: PortfolioStore;
  /** Debriefs of gates and their follow-ups (issue 18). */
  debriefs: DebriefStore;
  notifier: ReadinessNotifier;
  /**
   * Starts a background pass over every entity's current-gate summary, for
   * a change that can move many evaluations at once (a release window).
   */
  refreshSummariesNow: () => Promise<void>;
  /**
   * How far in the future (ms) a posted observation may lie
   * (`releaseReadiness.evidence.maxClockSkew`).
   */
  maxClockSkewMs: number;
  /**
   * The evidence providers of backend modules (issue 19); without it the
   * gates have no sources and a refresh collects nothing.
   */
  evidenceCollector?: EvidenceCollector;
}

/** The typed router every route file registers on. */
export type ReadinessRouter = ApiRouter<typeof spec>;
