import type {
  AuditChainVerification,
  AuditEvent,
  AuditHead,
  NewAuditEvent,
  TrailAnchors,
} from '../audit/types';

/**
 * The audit trail: append-only, one hash chain per gate and one per entity
 * for the events that concern no gate (see `audit/chain.ts`). The other
 * stores append the event of each change in the transaction that makes it.
 */
export interface AuditLog {
  /**
   * Appends an event to its chain: in the transaction the log is bound to,
   * or else in one of its own. Returns the chain's new head, which is also
   * written to `audit_heads` in the same transaction.
   */
  append(event: NewAuditEvent): Promise<AuditHead>;
  /** A gate's trail, in the order written. */
  listAudit(options: { gateId: string }): Promise<AuditEvent[]>;
  /** The trail of an entity's events without a gate (owners, service items). */
  listEntityAudit(options: { entityRef: string }): Promise<AuditEvent[]>;
  /**
   * What a chain is checked against outside its events: its head in
   * `audit_heads`, and for a gate its decisions rows and its row's state.
   */
  trailAnchors(
    options: { gateId: string } | { entityRef: string },
  ): Promise<TrailAnchors>;
  /**
   * A chain's events (a gate's, or an entity's events without a gate) and
   * its anchors, read from one snapshot of the database.
   */
  readTrail(
    options: { gateId: string } | { entityRef: string },
  ): Promise<{ events: AuditEvent[]; anchors: TrailAnchors }>;
  /** Recomputes the hash chain of a gate's audit trail. */
  verifyAuditChain(options: {
    gateId: string;
  }): Promise<AuditChainVerification>;
}
