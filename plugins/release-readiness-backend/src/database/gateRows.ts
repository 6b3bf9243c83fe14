/*
 * The gate row as the gate store's writes use it: read and locked in the
 * writing transaction, checked, then moved on by compare-and-set on its
 * version; the loading of whole gates from their rows; and a gate's
 * template snapshot, kept by id once read.
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Gate,
  GATE_STATE_LABELS,
  GateState,
  gateClosedReason,
  GateTemplateSpec,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { isPostgres } from './dialect';
import { toGate } from './mappers';
import { readAll } from './readAll';
import { DecisionRow, GateItemRow, GateRow, VoteRow } from './tables';

/** Whole gates (items, votes, decisions) of the given rows, in their order. */
export async function loadGates(db: Knex, rows: GateRow[]): Promise<Gate[]> {
  if (!rows.length) return [];
  const ids = rows.map(r => r.id);
  const [items, votes, decisions] = await readAll<
    [GateItemRow[], VoteRow[], DecisionRow[]]
  >({ inTransaction: db.isTransaction }, [
    () => db<GateItemRow>('gate_items').whereIn('gate_id', ids),
    () =>
      db<VoteRow>('votes').whereIn('gate_id', ids).orderBy('at').orderBy('id'),
    () =>
      db<DecisionRow>('decisions')
        .whereIn('gate_id', ids)
        .orderBy('at')
        .orderBy('id'),
  ]);
  return rows.map(row =>
    toGate(
      row,
      items.filter(i => i.gate_id === row.id),
      votes.filter(v => v.gate_id === row.id),
      decisions.filter(d => d.gate_id === row.id),
    ),
  );
}

/**
 * The gate's row as the writing transaction sees it. On PostgreSQL it is
 * locked until the transaction ends, so that two writes to one gate take
 * turns and each checks what the other committed (SQLite has one writer).
 */
export async function requireGate(
  trx: Knex.Transaction,
  gateId: string,
): Promise<GateRow> {
  const row = await trx<GateRow>('gates')
    .where({ id: gateId })
    .first()
    .modify(q => {
      if (isPostgres(trx)) q.forUpdate();
    });
  if (!row) {
    throw new NotFoundError(`No gate with id ${gateId}`);
  }
  return row;
}

/**
 * The gate's row, locked, and still open to edits of its checklist,
 * sign-offs, risk and windows: checked here, inside the transaction that
 * writes, because a check on a copy read before it can be outrun by a
 * decision committed in between.
 */
export async function requireEditableGate(
  trx: Knex.Transaction,
  gateId: string,
): Promise<GateRow> {
  const row = await requireGate(trx, gateId);
  const closed = gateClosedReason({
    state: row.state as GateState,
    release: row.release,
  });
  if (closed) {
    throw new ConflictError(closed);
  }
  return row;
}

/**
 * Compare-and-set on the gate's version: for changes guarded by the gate
 * row itself (the risk assessment, state transitions).
 */
export async function bumpGate(
  trx: Knex.Transaction,
  gate: GateRow,
  at: string,
  extra: Partial<GateRow> = {},
): Promise<void> {
  const updated = await trx<GateRow>('gates')
    .where({ id: gate.id, version: gate.version })
    .update({ ...extra, version: gate.version + 1, updated_at: at });
  if (updated !== 1) {
    throw new ConflictError(
      `Gate ${gate.id} was changed by someone else; reload and try again`,
    );
  }
}

/**
 * Increments the gate's version (and, when asked, its checklist revision)
 * in the database: for changes already guarded elsewhere (an item's own
 * version) or not guarded at all (a vote), so that two people acting at the
 * same moment on different things do not conflict.
 */
export async function touchGate(
  trx: Knex.Transaction,
  gateId: string,
  at: string,
  options: { bumpRevision?: boolean } = {},
): Promise<void> {
  await trx('gates')
    .where({ id: gateId })
    .update({
      version: trx.raw('version + 1'),
      ...(options.bumpRevision
        ? { checklist_revision: trx.raw('checklist_revision + 1') }
        : {}),
      updated_at: at,
    });
}

/**
 * The gate row, read in the writing transaction, for a change of one of its
 * fields while it is in progress (`what`: "its planned release time"): a
 * 409 when it was decided meanwhile, or when `expectedVersion` is given and
 * the gate moved on since the person saw it.
 */
export async function requireGateInProgressAt(
  trx: Knex.Transaction,
  gateId: string,
  expectedVersion: number | undefined,
  what: string,
): Promise<GateRow> {
  const gate = await requireGate(trx, gateId);
  const state = gate.state as GateState;
  if (state !== 'in-progress') {
    throw new ConflictError(
      `The gate is ${GATE_STATE_LABELS[state].inSentence}; ${what} can only be changed while it is in progress`,
    );
  }
  if (expectedVersion !== undefined && expectedVersion !== gate.version) {
    throw new ConflictError(
      `version: the gate is at version ${gate.version}, not ${expectedVersion}: someone else changed it; reload and try again`,
    );
  }
  return gate;
}

/**
 * Runs `work` in the caller's transaction when the store is bound to one
 * (a change made through EntityChanges): a savepoint of its own would add
 * two statements to every write and protect nothing, since no caller goes
 * on in a transaction after a store method failed. On its own, the store
 * opens a transaction.
 */
export function inStoreTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Knex.Transaction) : db.transaction(work);
}

/**
 * The template a gate opened with, as stored, by gate id. A gate's template
 * is a snapshot written once, when it opens, and never changed, so every
 * replica may keep it: a write reads it up to three times, a read once.
 */
const templatesOfGates = new LRUCache<string, string>({ max: 5_000 });

/** The template snapshot of a gate; parsed on each read, a copy per caller. */
export async function gateTemplateOf(
  db: Knex,
  gateId: string,
): Promise<GateTemplateSpec | undefined> {
  const known = templatesOfGates.get(gateId);
  if (known) return JSON.parse(known);
  const row = await db<GateRow>('gates')
    .where({ id: gateId })
    .select('template')
    .first();
  if (!row) return undefined;
  templatesOfGates.set(gateId, row.template);
  return JSON.parse(row.template);
}
