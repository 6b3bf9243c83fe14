import {
  ChecklistItemDefinition,
  Gate,
  GateState,
  GateTemplate,
  GateTemplateSpec,
  ItemStatus,
  ReleaseManifest,
  RiskAssessment,
  SignoffVote,
  TemplateApproval,
  Waiver,
  WindowException,
} from '@release-readiness/plugin-common';
import type { EntityInfo } from './EntityIndexStore';
import type { ManifestChange } from './manifest';
import type { FacilitatorChange, FacilitatorTurns } from './facilitator';
import type { PlannedTimeChange } from './plannedTime';

/** The change an item edit makes. */
export interface ItemPatch {
  status: ItemStatus;
  note?: string;
  waiver?: Waiver;
}

/**
 * Storage of gates: their checklist items, sign-off votes, risk assessment,
 * state transitions and decisions, and their release-window exceptions.
 * Every write is one transaction that also appends its audit event; edits
 * are guarded by the version the caller saw, and a lost race is a
 * `ConflictError`.
 */
/**
 * A release of a gate whose GO no longer held, by someone allowed to
 * override it: why, and what had lapsed. Kept in the release's audit event.
 */
export interface GoOverride {
  reason: string;
  /** When the GO that no longer held was recorded, if it was. */
  goRecordedAt?: string;
  /** What no longer held, in words. */
  lapsed: string[];
}

/**
 * What identifies a gate and decides whether it may change: enough for a
 * request's checks before its transaction reads the gate whole.
 */
export type GateHead = Pick<Gate, 'id' | 'entityRef' | 'release' | 'state'>;

export interface GateStore {
  openGate(options: {
    entityRef: string;
    release: string;
    template: GateTemplate;
    items: (ChecklistItemDefinition & { source: 'template' | 'service' })[];
    plannedAt?: string;
    requestedBy: string;
    rapidReason?: string;
    /** Governance: why the template was chosen, and the approval it needs. */
    templateReason?: string;
    templateApproval?: TemplateApproval;
    /** For a system gate: the release of each component it ships. */
    manifest?: ReleaseManifest;
    /** The person proposed to run the gate meeting (gates/facilitator.ts). */
    facilitator?: string;
  }): Promise<Gate>;
  /**
   * The gate. With `lock`, in a change's transaction: read for that change
   * and, on PostgreSQL, locked until it ends; a write of the same
   * transaction given this gate (`addVote`'s `gate`) takes it as read
   * instead of reading it again.
   */
  getGate(options: {
    gateId: string;
    lock?: boolean;
  }): Promise<Gate | undefined>;
  /**
   * The gate and its entity's index row (undefined when the index has
   * none), read in one statement; undefined for no such gate.
   */
  getGateAndEntity(options: {
    gateId: string;
  }): Promise<{ gate: Gate; entity: EntityInfo | undefined } | undefined>;
  /**
   * {@link GateStore.getGateAndEntity} without the gate's parts (items,
   * votes, decisions…): for a change that reads the gate whole in its
   * transaction.
   */
  getGateHeadAndEntity(options: {
    gateId: string;
  }): Promise<{ gate: GateHead; entity: EntityInfo | undefined } | undefined>;
  /** The template spec the gate opened with. */
  getGateTemplate(options: {
    gateId: string;
  }): Promise<GateTemplateSpec | undefined>;
  /** The entity's gate for a release that is not cancelled, if any. */
  getReleaseGate(options: {
    entityRef: string;
    release: string;
  }): Promise<Gate | undefined>;
  /** Gates of an entity, newest first. */
  listGates(options: { entityRef: string }): Promise<Gate[]>;
  /**
   * Gates in progress or GO (not yet released), for background work: one
   * page of at most `limit` (default 100) in id order, after the gate `after`.
   */
  listLiveGates(options?: { after?: string; limit?: number }): Promise<Gate[]>;
  /**
   * The current gate (newest, not cancelled) of each entity that has one:
   * one page of at most `limit` (default 100) in entity order, after the
   * entity `after`.
   */
  listCurrentGates(options?: {
    after?: string;
    limit?: number;
  }): Promise<Gate[]>;
  /**
   * The release of each entity's newest gate that is not cancelled: what a
   * system gate's manifest proposes for its components.
   */
  currentReleases(options: {
    entityRefs: string[];
  }): Promise<Map<string, string>>;
  /** The state of the live gate of each entity for a release (the roll-up). */
  releaseStates(options: {
    entityRefs: string[];
    release: string;
  }): Promise<Map<string, GateState>>;

  updateItem(options: {
    gateId: string;
    itemId: string;
    version: number;
    patch: ItemPatch;
    actor: string;
  }): Promise<Gate>;

  addVote(options: {
    gateId: string;
    role: string;
    voter: string;
    voterClaims: string[];
    verdict: SignoffVote['verdict'];
    comment?: string;
    /** The gate as `getGate({ lock: true })` read it in this transaction. */
    gate?: Gate;
  }): Promise<Gate>;
  /**
   * Ownership refs each live voter had when voting, by voter. Given the gate
   * as a read of this store returned it, the claims read with its votes
   * (no query); otherwise those stored now.
   */
  getVoterClaims(options: {
    gateId: string;
    gate?: Gate;
  }): Promise<Map<string, string[]>>;

  /**
   * Replaces the risk assessment if it is still at `version`; with
   * `consentVersion` (an acceptance or approval given on that version),
   * only if that is the current version too.
   */
  putRisk(options: {
    gateId: string;
    version: number;
    risk: Omit<RiskAssessment, 'version'>;
    actor: string;
    consentVersion?: number;
    /** The gate as `getGate({ lock: true })` read it in this transaction. */
    gate?: Gate;
  }): Promise<Gate>;

  /**
   * Moves a gate from one of `from` to `to`, only if its version is still
   * `expectedVersion` when given; records the decision when given, and in
   * the audit event the override of a GO that no longer held.
   */
  transition(options: {
    gateId: string;
    from: GateState[];
    to: GateState;
    actor: string;
    reason?: string;
    expectedVersion?: number;
    decision?: {
      verdict: 'go' | 'no-go';
      reason: string;
      stateHash: string;
      blockers?: number;
    };
    override?: GoOverride;
  }): Promise<Gate>;

  /** Names another facilitator of a gate in progress (database/facilitator.ts). */
  setFacilitator(change: FacilitatorChange): Promise<Gate>;
  /** Who facilitated the entity's gates, how often and last when. */
  facilitatorHistory(options: {
    entityRef: string;
  }): Promise<FacilitatorTurns[]>;
  /** Replaces a system gate's release manifest (database/manifest.ts). */
  setManifest(change: ManifestChange): Promise<Gate>;
  /**
   * Sets or clears the planned release time of a gate in progress, only if
   * its version is still `expectedVersion` when given (`plannedTime.ts`).
   */
  setPlannedTime(change: PlannedTimeChange): Promise<Gate>;

  /**
   * The gate's approved window exceptions; given the gate as a read of this
   * store returned it, those read with it (no query).
   */
  listWindowExceptions(options: {
    gateId: string;
    gate?: Gate;
  }): Promise<WindowException[]>;
  addWindowException(options: {
    gateId: string;
    windowId: string;
    reason: string;
    approvedBy: string;
    covers: string[];
    /** The version of the API window approved: counts only while current. */
    windowVersion?: number;
    /** The exception request this approval answers. */
    requestId?: string;
  }): Promise<Gate>;
}
