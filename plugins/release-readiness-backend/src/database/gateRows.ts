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
  Evidence,
  GateTemplateSpec,
  Incident,
  WindowException,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { isPostgres, jsonArrayOf, parsedJson } from './dialect';
import {
  toGate,
  toIncident,
  toVoterClaims,
  toWindowException,
} from './mappers';
import {
  DecisionRow,
  GateItemRow,
  GateRow,
  IncidentRow,
  VoteRow,
  WindowExceptionRequestRow,
  WindowExceptionRow,
} from './tables';
import { toExceptionRequest } from './windowRows';

/**
 * The columns of a gate's parts as its read carries them, each table's
 * (`gateParts.test.ts` checks them against the migrated tables on both
 * engines: a migration that adds a column fails there until it is named).
 */
export const GATE_PART_COLUMNS = {
  gate_items: [
    'gate_id',
    'item_id',
    'position',
    'source',
    'definition',
    'status',
    'note',
    'waiver',
    'updated_by',
    'updated_at',
    'version',
    'ever_failed',
  ],
  votes: [
    'id',
    'gate_id',
    'role',
    'voter',
    'voter_claims',
    'verdict',
    'comment',
    'checklist_revision',
    'at',
    'superseded_at',
  ],
  decisions: [
    'id',
    'gate_id',
    'verdict',
    'reason',
    'decided_by',
    'at',
    'state_hash',
    'blocker_count',
    'head_seq',
    'head_hash',
  ],
  window_exceptions: [
    'id',
    'gate_id',
    'window_id',
    'reason',
    'approved_by',
    'covers',
    'approved_at',
    'window_version',
    'request_id',
  ],
  window_exception_requests: [
    'id',
    'gate_id',
    'window_id',
    'window_version',
    'reason',
    'requested_by',
    'requested_at',
    'state',
    'decided_by',
    'decision_reason',
    'decided_at',
  ],
  evidence: [
    'id',
    'entity_ref',
    'release',
    'type',
    'status',
    'metrics',
    'link',
    'commit_sha',
    'run_id',
    'observed_at',
    'received_at',
    'posted_by',
  ],
  incidents: [
    'id',
    'entity_ref',
    'release',
    'severity',
    'title',
    'link',
    'occurred_at',
    'reported_by',
    'reported_at',
    'ungated',
    'source',
    'source_title',
    'external_id',
  ],
} as const;

/**
 * The parts read with a gate: each table's rows of the gate (by its id, or
 * for incidents by its entity and release), in the order given.
 */
const GATE_PARTS: ReadonlyArray<{
  column: string;
  table: keyof typeof GATE_PART_COLUMNS;
  order: readonly string[];
  match?: (gate: string) => string;
}> = [
  { column: 'items_json', table: 'gate_items', order: ['position', 'item_id'] },
  { column: 'votes_json', table: 'votes', order: ['at', 'id'] },
  { column: 'decisions_json', table: 'decisions', order: ['at', 'id'] },
  {
    column: 'exceptions_json',
    table: 'window_exceptions',
    order: ['approved_at', 'id'],
  },
  {
    column: 'exception_requests_json',
    table: 'window_exception_requests',
    order: ['requested_at', 'id'],
  },
  {
    // The incidents of the gate's release, which its answer lists.
    column: 'incidents_json',
    table: 'incidents',
    order: ['occurred_at', 'id'],
    match: gate =>
      `p.entity_ref = "${gate}".entity_ref AND p.release = "${gate}".release`,
  },
];

/** A gate's row as {@link selectGates} reads it: with its parts as JSON. */
type WholeGateRow = GateRow & {
  items_json: string | GateItemRow[];
  votes_json: string | VoteRow[];
  decisions_json: string | DecisionRow[];
  exceptions_json: string | WindowExceptionRow[];
  exception_requests_json: string | WindowExceptionRequestRow[];
  incidents_json: string | IncidentRow[];
};

/**
 * Gates with their items, votes and decisions in one statement: each part
 * is aggregated as a JSON array by a subquery on its gate's id (an index
 * lookup), so that reading a gate is one round trip to the database, not
 * four. `alias` names `gates` in the query when it has one. Add the
 * conditions and order; {@link toWholeGates} makes the gates of its rows.
 */
export function selectGates(db: Knex, alias?: string): Knex.QueryBuilder {
  const gate = alias ?? 'gates';
  const parts = GATE_PARTS.map(part => {
    const aggregate = jsonArrayOf(
      db,
      'p',
      GATE_PART_COLUMNS[part.table],
      part.order.map(c => `p."${c}"`).join(', '),
    );
    return db.raw(
      `(SELECT ${aggregate} FROM ${part.table} p WHERE ${
        part.match?.(gate) ?? `p.gate_id = "${gate}".id`
      }) AS ${part.column}`,
    );
  });
  return db(alias ? { [alias]: 'gates' } : 'gates').select(
    `${gate}.*`,
    ...parts,
  );
}

/** The gates {@link selectGates} reads with the conditions `where` adds. */
export async function readGates(
  db: Knex,
  where: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<Gate[]> {
  return toWholeGates(await where(selectGates(db)));
}

/**
 * What a read of a whole gate read with it, kept beside the gate object,
 * not on it, as none of it is the API's gate: the rows of its votes (the
 * evaluation judges the votes by the voters' claims of the same read) and
 * of its checklist items (a write on the gate as read locked starts from
 * them, lockedGate.ts), and its approved window exceptions and exception
 * requests (what the evaluation's condition on release windows takes
 * besides the windows), so that none is read again.
 */
export interface ReadWithGate {
  votes: VoteRow[];
  items: GateItemRow[];
  /** The incidents of the gate's release, as its answer lists them. */
  incidents: Incident[];
  /**
   * The newest evidence of the gate's release per type (and the newest
   * passed one), as the evaluation takes it: read only with a gate read
   * locked for a change (lockedGate.ts), which adds no evidence.
   */
  newestEvidence?: Evidence[];
  windows: {
    exceptions: WindowException[];
    requests: WindowExceptionRequestRecord[];
  };
}

const readWithGates = new WeakMap<Gate, ReadWithGate>();

/** What was read with a gate object a read of the store returned. */
export function readWithGate(gate: Gate): ReadWithGate | undefined {
  return readWithGates.get(gate);
}

/**
 * The incidents of the gate's release read with `gate`, if it is a gate
 * object a read of the store returned; undefined otherwise.
 */
export function incidentsReadWith(gate: Gate): Incident[] | undefined {
  return readWithGates.get(gate)?.incidents;
}

/**
 * The newest evidence of the gate's release read with `gate` (see
 * {@link ReadWithGate}); undefined when it was not.
 */
export function newestEvidenceReadWith(gate: Gate): Evidence[] | undefined {
  return readWithGates.get(gate)?.newestEvidence;
}

/** Keeps `rows` as what was read with (or written since on) `gate`. */
export function keepReadWithGate(gate: Gate, rows: ReadWithGate): void {
  readWithGates.set(gate, rows);
}

/**
 * The window exceptions and exception requests of a gate object that a
 * read of the store returned (see {@link toWholeGates}), if it is the gate
 * `gateId`; undefined for a gate made otherwise.
 */
export function windowRecordsOf(gate: Gate | undefined, gateId: string) {
  return gate?.id === gateId ? readWithGates.get(gate)?.windows : undefined;
}

/**
 * The live voters' claims of a gate object that a read of the store
 * returned (see {@link toWholeGates}), if it is the gate `gateId`;
 * undefined for a gate made otherwise.
 */
export function voterClaimsOf(
  gate: Gate | undefined,
  gateId: string,
): Map<string, string[]> | undefined {
  const rows = gate?.id === gateId ? readWithGates.get(gate)?.votes : undefined;
  return rows ? toVoterClaims(rows) : undefined;
}

/**
 * Ownership refs each live voter of the gate had when voting: those read
 * with `gate` when it is that gate as a read returned it, else read now.
 */
export async function voterClaimsFor(
  db: Knex,
  gateId: string,
  gate?: Gate,
): Promise<Map<string, string[]>> {
  return (
    voterClaimsOf(gate, gateId) ??
    toVoterClaims(
      await db<VoteRow>('votes')
        .where({ gate_id: gateId })
        .whereNull('superseded_at')
        .select('voter', 'voter_claims', 'superseded_at'),
    )
  );
}

/**
 * The gate's approved window exceptions: those read with `gate` when it is
 * that gate as a read returned it, else read now.
 */
export async function windowExceptionsFor(
  db: Knex,
  gateId: string,
  gate?: Gate,
): Promise<WindowException[]> {
  const known = windowRecordsOf(gate, gateId);
  if (known) return known.exceptions;
  const rows = await db<WindowExceptionRow>('window_exceptions')
    .where({ gate_id: gateId })
    .orderBy('approved_at');
  return rows.map(toWindowException);
}

/** The gates of rows read by {@link selectGates}, in their order. */
export function toWholeGates(rows: unknown[]): Gate[] {
  const parse = <T>(value: string | T[]): T[] => parsedJson<T[]>(value, []);
  return (rows as WholeGateRow[]).map(row => {
    const votes = parse(row.votes_json);
    const gate = toGate(
      row,
      parse(row.items_json),
      votes,
      parse(row.decisions_json),
    );
    readWithGates.set(gate, {
      votes,
      items: parse(row.items_json),
      incidents: parse(row.incidents_json).map(toIncident),
      windows: {
        exceptions: parse(row.exceptions_json).map(toWindowException),
        requests: parse(row.exception_requests_json).map(toExceptionRequest),
      },
    });
    return gate;
  });
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
  requireEditable({ state: row.state as GateState, release: row.release });
  return row;
}

/** Throws a ConflictError unless the gate is open to edits. */
export function requireEditable(gate: Pick<Gate, 'state' | 'release'>) {
  const closed = gateClosedReason(gate);
  if (closed) {
    throw new ConflictError(closed);
  }
}

/**
 * Compare-and-set on the gate's version: for changes guarded by the gate
 * row itself (the risk assessment, state transitions).
 */
export async function bumpGate(
  trx: Knex.Transaction,
  gate: Pick<GateRow, 'id' | 'version'>,
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
