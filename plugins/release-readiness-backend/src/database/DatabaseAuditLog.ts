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
 */
import { Knex } from 'knex';
import { chainKey, hashAuditEvent, verifyChain } from '../audit/chain';
import type {
  AuditChainVerification,
  AuditEvent,
  NewAuditEvent,
} from '../audit/types';
import { AuditLog } from './AuditLog';
import { lockForTransaction } from './dialect';
import { toAuditEvent, toJsonColumn } from './mappers';
import { AuditEventRow } from './tables';

/** @internal */
export class DatabaseAuditLog implements AuditLog {
  static create(options: { db: Knex }): DatabaseAuditLog {
    return new DatabaseAuditLog(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async append(event: NewAuditEvent): Promise<void> {
    if (this.db.isTransaction) {
      await appendTo(this.db as Knex.Transaction, event);
    } else {
      await this.db.transaction(trx => appendTo(trx, event));
    }
  }

  async listAudit(options: { gateId: string }): Promise<AuditEvent[]> {
    const rows = await this.db<AuditEventRow>('audit_events')
      .where({ gate_id: options.gateId })
      .orderBy('id');
    return rows.map(toAuditEvent);
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
async function appendTo(trx: Knex.Transaction, event: NewAuditEvent) {
  const chain = chainKey(event);
  await lockForTransaction(trx, `release-readiness:audit:${chain}`);
  const last = await trx<AuditEventRow>('audit_events')
    .where(
      event.gateId
        ? { gate_id: event.gateId }
        : { entity_ref: event.entityRef, gate_id: null },
    )
    .orderBy('id', 'desc')
    .select('hash')
    .first();
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
  await trx<AuditEventRow>('audit_events').insert({
    entity_ref: event.entityRef,
    gate_id: event.gateId ?? null,
    actor: event.actor,
    action: event.action,
    before,
    after,
    at,
    prev_hash: prevHash,
    hash,
  });
}
