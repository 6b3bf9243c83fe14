/*
 * The audit trail in the plugin's database: `audit_events`, append-only (the
 * database refuses UPDATE and DELETE), each event linked by its hash to the
 * one before it in its chain (see `audit/chain.ts`).
 *
 * Two writers of one chain must not both link to the same previous event: on
 * PostgreSQL a transaction-scoped advisory lock on the chain makes them take
 * turns, SQLite runs one writer at a time anyway. The lock is held until the
 * writing transaction ends, so the event must be appended in the transaction
 * of the change it records, which the other stores do.
 *
 * Each event gets the next `seq` of its chain, and the chain's head (seq and
 * hash) is written to `audit_heads` in the same transaction (on PostgreSQL
 * in the event's own statement): an anchor
 * outside `audit_events` that a lost or forged tail disagrees with (see
 * `audit/verifyTrail.ts`).
 */
import { Knex } from 'knex';
import { chainKey, hashAuditEvent, verifyChain } from '../audit/chain';
import type {
  AuditChainVerification,
  AuditEvent,
  AuditHead,
  NewAuditEvent,
  TrailAnchors,
} from '../audit/types';
import { AuditLog } from './AuditLog';
import { isPostgres, lockForTransaction } from './dialect';
import { toAuditEvent, toIso, toJsonColumn } from './mappers';
import { AuditEventRow, AuditHeadRow, DecisionRow, GateRow } from './tables';

/** @internal */
export class DatabaseAuditLog implements AuditLog {
  static create(options: { db: Knex }): DatabaseAuditLog {
    return new DatabaseAuditLog(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async append(event: NewAuditEvent): Promise<AuditHead> {
    if (this.db.isTransaction) {
      return appendTo(this.db as Knex.Transaction, event);
    }
    return this.db.transaction(trx => appendTo(trx, event));
  }

  async listAudit(options: { gateId: string }): Promise<AuditEvent[]> {
    const rows = await this.db<AuditEventRow>('audit_events')
      .where({ gate_id: options.gateId })
      .orderBy('id');
    return rows.map(toAuditEvent);
  }

  async listEntityAudit(options: { entityRef: string }): Promise<AuditEvent[]> {
    const rows = await this.db<AuditEventRow>('audit_events')
      .where({ entity_ref: options.entityRef })
      .whereNull('gate_id')
      .orderBy('id');
    return rows.map(toAuditEvent);
  }

  async readTrail(
    options: { gateId: string } | { entityRef: string },
  ): Promise<{ events: AuditEvent[]; anchors: TrailAnchors }> {
    const read = async (db: Knex) => {
      const log = new DatabaseAuditLog(db);
      const events = await ('gateId' in options
        ? log.listAudit(options)
        : log.listEntityAudit(options));
      return { events, anchors: await log.trailAnchors(options) };
    };
    if (this.db.isTransaction) {
      return read(this.db);
    }
    // One snapshot: an append committing between the two reads would
    // otherwise look like a lost or a forged tail.
    return this.db.transaction(
      trx => read(trx),
      isPostgres(this.db) ? { isolationLevel: 'repeatable read' } : {},
    );
  }

  async trailAnchors(
    options: { gateId: string } | { entityRef: string },
  ): Promise<TrailAnchors> {
    const chain = chainKey(options);
    const head = await this.db<AuditHeadRow>('audit_heads')
      .where({ chain })
      .first();
    const anchors: TrailAnchors = head
      ? { head: { chain, seq: Number(head.seq), hash: head.hash } }
      : {};
    if (!('gateId' in options)) {
      return anchors;
    }
    const [gate, decisions] = await Promise.all([
      this.db<GateRow>('gates').where({ id: options.gateId }).first('state'),
      this.db<DecisionRow>('decisions')
        .where({ gate_id: options.gateId })
        .orderBy('at')
        .orderBy('id'),
    ]);
    return {
      ...anchors,
      ...(gate ? { gateState: gate.state } : {}),
      decisions: decisions.map(row => ({
        id: row.id,
        verdict: row.verdict,
        reason: row.reason,
        decidedBy: row.decided_by,
        at: toIso(row.at),
        ...(row.head_seq !== null && row.head_seq !== undefined
          ? { headSeq: Number(row.head_seq) }
          : {}),
        ...(row.head_hash ? { headHash: row.head_hash } : {}),
      })),
    };
  }

  async verifyAuditChain(options: {
    gateId: string;
  }): Promise<AuditChainVerification> {
    return verifyChain(await this.listAudit(options));
  }
}

/**
 * Appends an audit event to its hash chain (the gate's, or the entity's for
 * events without a gate), in the caller's transaction, after taking the
 * chain's lock.
 */
async function appendTo(
  trx: Knex.Transaction,
  event: NewAuditEvent,
): Promise<AuditHead> {
  const chain = chainKey(event);
  await lockForTransaction(trx, `release-readiness:audit:${chain}`);
  const last = await trx<AuditEventRow>('audit_events')
    .where({ chain })
    .orderBy('seq', 'desc')
    .select('hash', 'seq')
    .first();
  const seq = Number(last?.seq ?? 0) + 1;
  const before = toJsonColumn(event.before);
  const after = toJsonColumn(event.after);
  const at = new Date(event.at).toISOString();
  const prevHash = last?.hash ?? null;
  // Hashed as it will be read back: JSON parsed from the stored text.
  const hash = hashAuditEvent({
    prevHash,
    entityRef: event.entityRef,
    gateId: event.gateId,
    actor: event.actor,
    action: event.action,
    before: before ? JSON.parse(before) : null,
    after: after ? JSON.parse(after) : null,
    at,
  });
  const insertEvent = trx<AuditEventRow>('audit_events').insert({
    entity_ref: event.entityRef,
    gate_id: event.gateId ?? null,
    actor: event.actor,
    action: event.action,
    before,
    after,
    at,
    prev_hash: prevHash,
    hash,
    chain,
    seq,
  });
  if (isPostgres(trx)) {
    // The event and its chain's head in one statement (one round trip): a
    // data-modifying WITH runs to completion whether or not it is read.
    await trx.raw(
      `WITH event AS (?) INSERT INTO audit_heads (chain, seq, hash, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at`,
      [insertEvent, chain, seq, hash, at],
    );
    return { chain, seq, hash };
  }
  await insertEvent;
  await trx<AuditHeadRow>('audit_heads')
    .insert({ chain, seq, hash, updated_at: at })
    .onConflict('chain')
    .merge(['seq', 'hash', 'updated_at']);
  return { chain, seq, hash };
}
