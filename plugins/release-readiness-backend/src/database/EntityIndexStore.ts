import {
  ChecklistItemDefinition,
  GateState,
} from '@release-readiness/plugin-common';

/**
 * What the plugin keeps of a catalog entity.
 *
 * @public
 */
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

/**
 * The entity index: what the plugin keeps of each catalog entity (its row,
 * with the summary of its current gate that the portfolio reads), and what
 * belongs to an entity rather than to one of its gates: its gate owners and
 * its own checklist items. Changes of owners and items append their audit
 * event to the entity's chain in the same transaction.
 */
export interface EntityIndexStore {
  /**
   * Writes the entity's catalog facts when they changed; returns the entity
   * as its row now holds it.
   */
  /**
   * With `stored`, the entity's row as the request read it (its entity
   * undefined when the index has none), which is then not read again.
   */
  upsertEntity(options: {
    entity: EntityInfo;
    stored?: { entity: EntityInfo | undefined };
  }): Promise<EntityInfo>;
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
    /**
     * The entity as `getEntity` or `upsertEntity` returned it in this
     * request: when its row held this very summary, nothing is written.
     */
    known?: EntityInfo;
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
}
