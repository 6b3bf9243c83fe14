/*
 * The bodies of the gate routes, and the audit trail they answer. Each
 * follows the request body of its route in the backend's
 * `src/schema/openapi.yaml`; a backend test fails when the two part.
 */

import {
  GateState,
  GoHold,
  ImpactRow,
  ItemStatus,
  ReleaseManifest,
  Verdict,
  WindowException,
  WindowExceptionRequestRecord,
} from '../types';

/**
 * The body of `POST /entities/:kind/:namespace/:name/gates`.
 *
 * @public
 */
export interface OpenGateRequest {
  release: string;
  /** A template name; by default the one that applies to the entity. */
  template?: string;
  /** ISO 8601. */
  plannedAt?: string;
  /** Why an expedited (rapid) template is chosen; `templateReason` is preferred. */
  rapidReason?: string;
  /**
   * Why another template than the one that applies to the entity, a
   * lower-tier or a rapid one is chosen; required then (governance), and the
   * gate waits for the template's approvers.
   */
  templateReason?: string;
  /**
   * For a system gate: the release of each component it ships; by default
   * the roll-up's proposal (each counted component's current gate's
   * release, else the system's).
   */
  manifest?: ReleaseManifest;
}

/**
 * The body of `PUT /gates/:gateId/manifest`: a system gate's whole release
 * manifest, and the gate version the person saw.
 *
 * @public
 */
export interface ReleaseManifestRequest {
  manifest: ReleaseManifest;
  version?: number;
}

/**
 * The body of `PUT /gates/:gateId/facilitator`: a gate owner names another
 * person among the gate owners (`facilitator`), or passes the turn on
 * (`skip`: the current facilitator is away; the rotation proposes the
 * next). `version` is the gate version seen; a newer one is a conflict.
 *
 * @public
 */
export interface FacilitatorRequest {
  facilitator?: string;
  skip?: boolean;
  version?: number;
}

/**
 * The body of `POST /gates/:gateId/template-approval` and
 * `POST /gates/:gateId/items/:itemId/waiver-approval`: the signed-in user
 * approves, with an optional comment.
 *
 * @public
 */
export interface ApprovalRequest {
  comment?: string;
}

/**
 * The body of `PATCH /gates/:gateId/items/:itemId`.
 *
 * @public
 */
export interface ItemUpdate {
  status: ItemStatus;
  note?: string;
  /** Required with `waived`. */
  waiver?: { justification: string; expiresAt: string };
  /** The item version the change was made on. */
  version: number;
}

/**
 * The body of `POST /gates/:gateId/signoffs`: the signed-in user's vote.
 *
 * @public
 */
export interface VoteRequest {
  role: string;
  verdict: 'ready' | 'not-ready';
  comment?: string;
}

/**
 * The body of `PUT /gates/:gateId/risk`. Verifying the rollback, accepting
 * the residual risk and approving the communication plan are recorded as the
 * signed-in user.
 *
 * @public
 */
export interface RiskUpdate {
  /** The risk assessment version seen; 0 when there is none yet. */
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
  /**
   * What an acceptance (`acceptResidualRisk: true`) or an approval
   * (`communication.approve: true`) is given for: the gate and the risk
   * assessment version the person saw. Required with either; refused when it
   * names another gate or a version that is not the current one.
   */
  consent?: RiskConsent;
}

/**
 * The gate and risk assessment version a consent was given on.
 *
 * @public
 */
export interface RiskConsent {
  gateId: string;
  /** The risk assessment version seen; 0 when there was none yet. */
  riskVersion: number;
}

/**
 * The body of `POST /gates/:gateId/decision`: a decision (a NO-GO needs a
 * reason) or a move of the gate.
 *
 * @public
 */
export type DecisionRequest =
  | { verdict: 'go' | 'no-go'; reason: string }
  | {
      transition: 'reopen' | 'release' | 'rollback' | 'cancel';
      reason?: string;
      /**
       * With `release`: release a GO that no longer holds. Release managers
       * only (`release-readiness.gate.override`), with a reason; audited.
       */
      override?: boolean;
    };

/**
 * The answer of `GET /decision`: may this release of this entity go now?
 *
 * @public
 */
export interface DecisionAnswer {
  entityRef: string;
  release: string;
  /** Absent when no gate is open for the release. */
  gateId?: string;
  state?: GateState;
  /**
   * GO only when the release may go out now: a recorded GO that no longer
   * holds answers NO-GO (see `goHold`).
   */
  verdict: Verdict;
  /** Every condition is met now. */
  ready: boolean;
  score: number;
  /** What blocks the release now, in words. */
  blockers: string[];
  /** For a gate that is GO: whether the recorded GO still holds. */
  goHold?: GoHold;
}

/**
 * The body of `POST /gates/:gateId/window-exception`.
 *
 * @public
 */
export interface WindowExceptionRequest {
  windowId: string;
  reason: string;
}

/**
 * The body of `POST /gates/:gateId/window-exception-requests`: a gate owner
 * asks the window's approvers for an exception.
 *
 * @public
 */
export interface WindowExceptionAsk {
  windowId: string;
  reason: string;
}

/**
 * The body of `POST /gates/:gateId/window-exception-requests/:requestId/reject`.
 *
 * @public
 */
export interface WindowExceptionRejection {
  reason: string;
}

/**
 * What `GET /gates/:gateId/window-exceptions` answers: the gate's exception
 * requests and the approvals recorded, each with whether it still counts.
 *
 * @public
 */
export interface GateWindowExceptions {
  requests: WindowExceptionRequestRecord[];
  approvals: Array<WindowException & { counts: boolean }>;
}

/**
 * The body of `PATCH /gates/:gateId/planned`: the planned release time of a
 * gate in progress, set or moved by its gate owners.
 *
 * @public
 */
export interface PlannedTimeRequest {
  /** ISO 8601. */
  plannedAt: string;
  /** The gate version the change was made on; a newer one is a 409. */
  version?: number;
}

/**
 * One audit event, as `GET /gates/:gateId/audit` lists it.
 *
 * @public
 */
export interface AuditEntry {
  id: string;
  entityRef: string;
  gateId?: string;
  /** User or service ref of who acted. */
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  at: string;
  /** SHA-256 of the event's content and `prevHash`. */
  hash?: string;
  /** The hash of the previous event of the same chain; absent for the first. */
  prevHash?: string;
  /** Position of the event in its chain, from 1 (not part of the hash). */
  seq?: number;
}
