import {
  ChecklistItemDefinition,
  Evidence,
  Gate,
  GateState,
  GateTemplate,
  GateTemplateSpec,
  ItemStatus,
  RiskAssessment,
  SignoffVote,
  Waiver,
  WindowException,
} from '@release-readiness/plugin-common';

/** What the plugin keeps of a catalog entity. */
export interface EntityInfo {
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
}

/** The current gate's summary kept on the entity's row. */
export interface GateSummary {
  gateId: string;
  release: string;
  state: GateState;
  verdict: string;
  score: number;
  blockers: number;
  plannedAt?: string;
  lastDecision?: { verdict: 'go' | 'no-go'; at: string };
}

/** An explicit gate-owner assignment. */
export interface GateOwnerAssignment {
  entityRef: string;
  ownerRef: string;
  assignedBy: string;
  assignedAt: string;
}

/** An item an entity's gate owners added to its checklist. */
export interface ServiceItem extends ChecklistItemDefinition {
  createdBy: string;
  createdAt: string;
}

/** One audit event. */
export interface AuditEvent {
  id: string;
  entityRef: string;
  gateId?: string;
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  at: string;
  /** SHA-256 of the event's content and `prevHash` (see `src/audit/chain.ts`). */
  hash?: string;
  /** The hash of the previous event of the same chain; absent for the first. */
  prevHash?: string;
}

/** The change an item edit makes. */
export interface ItemPatch {
  status: ItemStatus;
  note?: string;
  waiver?: Waiver;
}

/**
 * Storage of everything about gates. Every write is one transaction that also
 * appends its audit event; edits are guarded by the version the caller saw,
 * and a lost race is a `ConflictError`.
 */
export interface GateStore extends GateStoreWindowsAndRollup {
  upsertEntity(options: { entity: EntityInfo }): Promise<void>;
  /** Upserts a page of entities (the index sync); keeps the gate summaries. */
  upsertEntities(options: {
    entities: EntityInfo[];
    refreshedAt: string;
  }): Promise<void>;
  /** Removes index rows of these kinds not refreshed since `before`. */
  removeStaleEntities(options: {
    kinds: string[];
    before: string;
  }): Promise<number>;
  getEntity(options: { entityRef: string }): Promise<EntityInfo | undefined>;
  /**
   * Stores the summary of a gate on its entity's index row, if the gate is
   * the entity's current one (its newest gate that is not cancelled) and the
   * row holds no summary of a newer version of it. Without a summary (the
   * gate was cancelled) the row's summary is cleared if it was this gate's.
   */
  setGateSummary(options: {
    entityRef: string;
    gateId: string;
    gateVersion: number;
    summary: GateSummary | undefined;
  }): Promise<void>;

  /** Clears the summary on the entity's row (it has no current gate). */
  clearGateSummary(options: { entityRef: string }): Promise<void>;
  /** The entity's current gate (its newest that is not cancelled), if any. */
  getCurrentGateRef(options: {
    entityRef: string;
  }): Promise<{ gateId: string; release: string } | undefined>;

  listAssignments(options: {
    entityRef: string;
  }): Promise<GateOwnerAssignment[]>;
  /** Replaces the explicit assignments; returns the previous ones. */
  setAssignments(options: {
    entityRef: string;
    ownerRefs: string[];
    actor: string;
  }): Promise<GateOwnerAssignment[]>;

  listServiceItems(options: { entityRef: string }): Promise<ServiceItem[]>;
  addServiceItem(options: {
    entityRef: string;
    item: ChecklistItemDefinition;
    actor: string;
  }): Promise<ServiceItem>;

  openGate(options: {
    entityRef: string;
    release: string;
    template: GateTemplate;
    items: (ChecklistItemDefinition & { source: 'template' | 'service' })[];
    plannedAt?: string;
    requestedBy: string;
    rapidReason?: string;
  }): Promise<Gate>;
  getGate(options: { gateId: string }): Promise<Gate | undefined>;
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
  }): Promise<Gate>;
  /** Ownership refs each live voter had when voting, by voter. */
  getVoterClaims(options: { gateId: string }): Promise<Map<string, string[]>>;

  putRisk(options: {
    gateId: string;
    version: number;
    risk: Omit<RiskAssessment, 'version'>;
    actor: string;
  }): Promise<Gate>;

  /**
   * Moves a gate from one of `from` to `to`, only if its version is still
   * `expectedVersion` when given; records the decision when given.
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
  }): Promise<Gate>;

  listAudit(options: { gateId: string }): Promise<AuditEvent[]>;
  /** Recomputes the hash chain of a gate's audit trail. */
  verifyAuditChain(options: {
    gateId: string;
  }): Promise<AuditChainVerification>;
}

/**
 * What the window exceptions and the tier roll-up need of the gate store.
 * (Declared apart so that the methods above stay as they were.)
 */
export interface GateStoreWindowsAndRollup {
  listWindowExceptions(options: { gateId: string }): Promise<WindowException[]>;
  addWindowException(options: {
    gateId: string;
    windowId: string;
    reason: string;
    approvedBy: string;
    covers: string[];
  }): Promise<Gate>;
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
  /** The state of the live gate of each entity for a release. */
  releaseStates(options: {
    entityRefs: string[];
    release: string;
  }): Promise<Map<string, GateState>>;
}

/** Storage of CI evidence. */
export interface EvidenceStore {
  /** Idempotent on (entity, release, type, runId): a repeat returns the first. */
  addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }>;
  listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]>;
}

/** The result of checking the hash chain of an audit trail. */
export interface AuditChainVerification {
  /** Every event's hash matches its content and links to the one before. */
  ok: boolean;
  /** How many events the chain has. */
  events: number;
  /** The first event where the chain breaks, and why. */
  firstBroken?: { id: string; action: string; at: string; reason: string };
}
