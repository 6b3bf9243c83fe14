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
  /** Position of the event in its chain, from 1 (not part of the hash). */
  seq?: number;
}

/** The last event of a chain: what anchors it outside `audit_events`. */
export interface AuditHead {
  /** `gate:<gate id>`, or `entity:<entity ref>` for events without a gate. */
  chain: string;
  seq: number;
  hash: string;
}

/**
 * An event to append to the trail: what the writer says happened. Its id,
 * hash and link to the previous event are given when it is appended.
 */
export type NewAuditEvent = Omit<
  AuditEvent,
  'id' | 'hash' | 'prevHash' | 'seq'
>;

/** The result of checking the hash chain of an audit trail. */
export interface AuditChainVerification {
  /** Every event's hash matches its content and links to the one before. */
  ok: boolean;
  /** How many events the chain has. */
  events: number;
  /** The first event where the chain breaks, and why. */
  firstBroken?: { id: string; action: string; at: string; reason: string };
}

/**
 * A decision row as stored, with the head of its gate's chain written in it
 * when it was recorded: an anchor outside `audit_events`.
 */
export interface DecisionAnchor {
  id: string;
  verdict: string;
  reason: string;
  decidedBy: string;
  at: string;
  headSeq?: number;
  headHash?: string;
}

/** Everything a chain is checked against, as stored outside its events. */
export interface TrailAnchors {
  /** `audit_heads`: the head written with the last append. */
  head?: AuditHead;
  /** For a gate's chain: its decisions rows. */
  decisions?: DecisionAnchor[];
  /** For a gate's chain: the `gates` row's state. */
  gateState?: string;
}

/** Where a trail stops agreeing with itself or with its anchors. */
export interface TrailProblem {
  /** The seq of the event concerned (one past the end for a lost tail). */
  seq: number;
  /** The id of the event concerned, when there is one. */
  id?: string;
  /** What is wrong, in words. */
  reason: string;
  /** The stored record that disagrees. */
  record: 'audit_events' | 'audit_heads' | 'decisions' | 'gates';
}

/** The verdict on one chain, as `GET …/audit/verify` answers it. */
export type TrailVerification =
  | { intact: true; chain: string; events: number; head: AuditHead | null }
  | {
      intact: false;
      chain: string;
      events: number;
      firstBroken: TrailProblem;
      problems: TrailProblem[];
    };
