/*
 * The audit trail's own types. They live here, not in the database layer,
 * so that the chain (`chain.ts`) and the dossier depend on nothing but them;
 * the database layer stores and reads them.
 */

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
  /** SHA-256 of the event's content and `prevHash` (see `chain.ts`). */
  hash?: string;
  /** The hash of the previous event of the same chain; absent for the first. */
  prevHash?: string;
}

/**
 * An event to append to the trail: what the writer says happened. Its id,
 * hash and link to the previous event are given when it is appended.
 */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'hash' | 'prevHash'>;

/** The result of checking the hash chain of an audit trail. */
export interface AuditChainVerification {
  /** Every event's hash matches its content and links to the one before. */
  ok: boolean;
  /** How many events the chain has. */
  events: number;
  /** The first event where the chain breaks, and why. */
  firstBroken?: { id: string; action: string; at: string; reason: string };
}
