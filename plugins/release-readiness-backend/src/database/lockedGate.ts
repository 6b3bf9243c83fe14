/*
 * A change written on the gate its transaction read whole and locked
 * (issue 20): the rules are checked against that read, the write starts
 * from its rows instead of reading the gate's row again, and the answer is
 * the gate made from it as the write left it, not a read after writing. A
 * gate read anywhere else (another transaction, no transaction) is not
 * taken: a write then reads what it needs, as before.
 */
import { Gate } from '@release-readiness/plugin-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { isPostgres, jsonArrayOf, parsedJson } from './dialect';
import { newestEvidenceRank } from './evidenceRank';
import {
  GATE_PART_COLUMNS,
  keepReadWithGate,
  readWithGate,
  requireEditable,
  selectGates,
  toWholeGates,
} from './gateRows';
import { toEvidence, toItem, toVote } from './mappers';
import { EvidenceRow, GateItemRow, VoteRow } from './tables';

/**
 * Gates read whole and locked by a writing transaction (see
 * {@link lockWholeGate}), with the transaction: a write in that
 * transaction may take such a gate as the row it would otherwise read
 * again.
 */
const lockedGates = new WeakMap<Gate, Knex>();

/**
 * The gate `gateId`, read whole (see {@link selectGates}) by a writing
 * transaction and, on PostgreSQL, locked until it ends (SQLite has one
 * writer): what a change checks its rules against, and what a write in the
 * same transaction may take instead of reading the gate's row again
 * ({@link lockedGateOf}). Undefined for no such gate.
 *
 * On PostgreSQL a statement that waited for the lock returns the gate's
 * row as the holder committed it, but its parts (items, votes...) as they
 * were when the statement began. Every change of a part moves the gate's
 * version, so the read also takes the version its own snapshot saw
 * (`read_version`): when the two differ, the parts are read again, under
 * the lock now held. A change's transaction takes the entity's row first
 * (transactions.ts), so there the gate is not waited for and this costs
 * nothing.
 */
export async function lockWholeGate(
  trx: Knex,
  gateId: string,
): Promise<Gate | undefined> {
  const pg = isPostgres(trx);
  const read = () =>
    selectGates(trx)
      .select(trx.raw(`${newestEvidenceOfGate(trx)} AS newest_evidence_json`))
      .where('id', gateId)
      .modify(q => {
        if (pg) {
          q.select(
            trx.raw(
              '(SELECT v.version FROM gates v WHERE v.id = gates.id) AS read_version',
            ),
          ).forUpdate();
        }
      });
  let rows = await read();
  if (
    pg &&
    rows[0] &&
    Number(rows[0].read_version) !== Number(rows[0].version)
  ) {
    rows = await read();
  }
  const [gate] = toWholeGates(rows);
  if (!gate) return undefined;
  lockedGates.set(gate, trx);
  keepReadWithGate(gate, {
    ...readWithGate(gate)!,
    newestEvidence: parsedJson<EvidenceRow[]>(
      rows[0].newest_evidence_json,
      [],
    ).map(toEvidence),
  });
  return gate;
}

/**
 * The newest evidence of a gate's release per type and per "passed or not"
 * as a JSON array: the ranking of the evidence store's listNewestEvidence,
 * as a subquery on the gate's entity and release.
 */
function newestEvidenceOfGate(db: Knex): string {
  const aggregate = jsonArrayOf(db, 'r', GATE_PART_COLUMNS.evidence, 'r."id"');
  return `(SELECT ${aggregate} FROM (SELECT e.*, ${newestEvidenceRank(
    'status',
    'e.',
  )} AS newest_rank FROM evidence e WHERE e.entity_ref = gates.entity_ref AND e.release = gates.release) r WHERE r.newest_rank = 1)`;
}

/**
 * `gate`, if it is the gate `gateId` as {@link lockWholeGate} read it in the
 * transaction `trx`: its lock is held and nothing else has written it since
 * but the transaction itself.
 */
export function lockedGateOf(
  gate: Gate | undefined,
  gateId: string,
  trx: Knex,
): Gate | undefined {
  return gate?.id === gateId && lockedGates.get(gate) === trx
    ? gate
    : undefined;
}

/**
 * The gate as a write of its transaction left it, made from the gate as it
 * was read locked ({@link lockWholeGate}) rather than read again: `next` is
 * what the write changed, `votes` and `items` the rows of the votes and
 * items as now stored when it changed them. What a read keeps beside the
 * gate (voters' claims, window records, item rows) and the lock go with it;
 * the gate as it was is no longer taken as what is stored.
 */
function derivedGate(
  gate: Gate,
  next: Partial<Gate>,
  rows: { votes?: VoteRow[]; items?: GateItemRow[] } = {},
): Gate {
  const derived: Gate = {
    ...gate,
    ...next,
    ...(rows.votes ? { votes: rows.votes.map(toVote) } : {}),
    ...(rows.items ? { items: rows.items.map(toItem) } : {}),
  };
  const read = readWithGate(gate);
  if (read) {
    keepReadWithGate(derived, {
      ...read,
      votes: rows.votes ?? read.votes,
      items: rows.items ?? read.items,
    });
  }
  const trx = lockedGates.get(gate);
  lockedGates.delete(gate);
  if (trx) lockedGates.set(derived, trx);
  return derived;
}

/**
 * The gate after a vote its transaction wrote on it as read locked: the
 * live vote of the voter in the role superseded at `at`, the new vote after
 * the others, the version one up and the time of the change. Undefined
 * when the read's vote rows are not known (then read the gate again).
 */
export function gateAfterVote(
  gate: Gate,
  change: { previousId?: string; vote: VoteRow; at: string },
): Gate | undefined {
  const { previousId, vote, at } = change;
  const rows = readWithGate(gate)?.votes;
  if (!rows) return undefined;
  return derivedGate(
    gate,
    { version: gate.version + 1, updatedAt: at },
    {
      votes: [
        ...rows.map(v =>
          v.id === previousId ? { ...v, superseded_at: at } : v,
        ),
        vote,
      ],
    },
  );
}

/**
 * The row of checklist item `itemId` as read with a gate read locked;
 * undefined when the gate has no such item or its rows are not known.
 */
export function itemRowOf(gate: Gate, itemId: string): GateItemRow | undefined {
  return readWithGate(gate)?.items.find(i => i.item_id === itemId);
}

/**
 * The gate after its transaction updated the checklist item `item` (the
 * row as now stored) on it as read locked: the version one up, the
 * checklist revision too when `bumpRevision`. Undefined when the read's
 * item rows are not known.
 */
export function gateAfterItem(
  gate: Gate,
  change: { item: GateItemRow; at: string; bumpRevision: boolean },
): Gate | undefined {
  const rows = readWithGate(gate)?.items;
  if (!rows) return undefined;
  const { item, at, bumpRevision } = change;
  return derivedGate(
    gate,
    {
      version: gate.version + 1,
      updatedAt: at,
      checklistRevision: gate.checklistRevision + (bumpRevision ? 1 : 0),
    },
    { items: rows.map(i => (i.item_id === item.item_id ? item : i)) },
  );
}

/**
 * The gate after its transaction replaced the risk assessment (`risk`, as
 * stored as JSON) on it as read locked, with the version one up.
 */
export function gateAfterRisk(
  gate: Gate,
  change: { risk: string; at: string },
): Gate {
  return derivedGate(gate, {
    version: gate.version + 1,
    updatedAt: change.at,
    risk: JSON.parse(change.risk),
  });
}

/**
 * The gate `gateId` read whole and locked in `trx`, open to edits: the one
 * the caller gives when `trx` read it so ({@link lockedGateOf}), else read
 * now. Throws a NotFoundError for no such gate and a ConflictError for a
 * gate closed to edits.
 */
export async function editableLockedGate(
  trx: Knex.Transaction,
  gateId: string,
  given?: Gate,
): Promise<Gate> {
  const gate =
    lockedGateOf(given, gateId, trx) ?? (await lockWholeGate(trx, gateId));
  if (!gate) throw new NotFoundError(`No gate with id ${gateId}`);
  requireEditable(gate);
  return gate;
}
