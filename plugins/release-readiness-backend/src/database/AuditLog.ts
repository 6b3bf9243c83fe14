import type {
  AuditChainVerification,
  AuditEvent,
  NewAuditEvent,
} from '../audit/types';

/**
 * The audit trail: append-only, one hash chain per gate and one per entity
 * for the events that concern no gate (see `audit/chain.ts`). The other
 * stores append the event of each change in the transaction that makes it.
 */
export interface AuditLog {
  /**
   * Appends an event to its chain: in the transaction the log is bound to,
   * or else in one of its own.
   */
  append(event: NewAuditEvent): Promise<void>;
  /** A gate's trail, in the order written. */
  listAudit(options: { gateId: string }): Promise<AuditEvent[]>;
  /** Recomputes the hash chain of a gate's audit trail. */
  verifyAuditChain(options: {
    gateId: string;
  }): Promise<AuditChainVerification>;
}
