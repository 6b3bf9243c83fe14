/*
 * The hash chain of the audit trail.
 *
 * Every audit event carries the SHA-256 of its own content and of the hash of
 * the event before it in the same chain: one chain per gate, and one per
 * entity for the events that concern no gate (gate owners, service items).
 * Changing, removing or reordering an event therefore changes a hash that
 * every later event depends on, and `verifyChain` finds the first event where
 * the stored hashes stop matching.
 *
 * The hash covers the event as the API returns it (`before` and `after` as
 * parsed JSON, `at` as an ISO string), so an auditor can recompute the whole
 * chain from a gate's dossier alone. The content is written as canonical JSON:
 * object keys sorted, no whitespace, absent values as null.
 *
 * The backfill in `migrations/20261127140000_audit_chain.js` computes the
 * same hash for rows written before the chain existed; the two must stay
 * identical.
 */
import { createHash } from 'node:crypto';
import type { AuditChainVerification, AuditEvent } from './types';

/**
 * What the hash of an audit event covers.
 *
 * @public
 */
export interface HashedContent {
  prevHash?: string | null;
  entityRef: string;
  gateId?: string | null;
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  at: string;
}

/**
 * JSON with object keys in a stable (code unit) order and no whitespace, for
 * values that are themselves JSON (parsed from text). Absent values are null
 * in arrays and left out of objects, as in `JSON.stringify`.
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(item => canonicalJson(item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter(key => {
        const item = (value as Record<string, unknown>)[key];
        return (
          item !== undefined &&
          typeof item !== 'function' &&
          typeof item !== 'symbol'
        );
      })
      .map(
        key =>
          `${JSON.stringify(key)}:${canonicalJson(
            (value as Record<string, unknown>)[key],
          )}`,
      );
    return `{${entries.join(',')}}`;
  }
  // Strings, finite numbers and booleans; NaN and Infinity become null.
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256, hex, of the canonical JSON of an audit event and its predecessor:
 * what an auditor recomputes to check a trail taken from a dossier.
 *
 * @public
 */
export function hashAuditEvent(event: HashedContent): string {
  const content = {
    prevHash: event.prevHash ?? null,
    entityRef: event.entityRef,
    gateId: event.gateId ?? null,
    actor: event.actor,
    action: event.action,
    before: event.before ?? null,
    after: event.after ?? null,
    at: event.at,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The key of the chain an event belongs to. */
export function chainKey(event: {
  entityRef?: string;
  gateId?: string | null;
}) {
  return event.gateId ? `gate:${event.gateId}` : `entity:${event.entityRef}`;
}

/**
 * Checks one chain, given in the order it was written (by id): each event's
 * hash must match its content, and its `prevHash` the hash of the event
 * before it (none for the first). Reports the first event that fails.
 */
export function verifyChain(
  events: Pick<
    AuditEvent,
    | 'id'
    | 'entityRef'
    | 'gateId'
    | 'actor'
    | 'action'
    | 'before'
    | 'after'
    | 'at'
    | 'hash'
    | 'prevHash'
  >[],
): AuditChainVerification {
  let previous: (typeof events)[number] | undefined;
  for (const event of events) {
    const broken = (reason: string): AuditChainVerification => ({
      ok: false,
      events: events.length,
      firstBroken: {
        id: event.id,
        action: event.action,
        at: event.at,
        reason,
      },
    });
    if (!event.hash) {
      return broken(
        'the event has no hash: it was written outside the hash chain',
      );
    }
    if (hashAuditEvent(event) !== event.hash) {
      return broken(
        'the hash does not match the content: the event was changed after it was written',
      );
    }
    const expectedPrev = previous?.hash ?? null;
    if ((event.prevHash ?? null) !== expectedPrev) {
      return broken(
        previous
          ? `prev_hash does not match the previous event #${previous.id}: an event before it was changed, removed or inserted`
          : 'prev_hash names a previous event, but this is the first event of the chain: an earlier event was removed',
      );
    }
    previous = event;
  }
  return { ok: true, events: events.length };
}
