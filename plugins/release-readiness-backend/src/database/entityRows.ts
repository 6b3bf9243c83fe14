/*
 * An entity's index row read with its gate owner assignments, in one
 * statement (issue 20): who may act on a gate is judged from the catalog
 * owner and the assignments, so every request that reads the row for it
 * also needs them. The assignments come as a JSON array from a subquery on
 * the entity's ref (an index lookup), and are kept beside the entity object
 * that the read returns, as the summary columns read are: not part of the
 * entity's information, but what was read with it. A gate is read with its
 * entity's row so (readGateAndEntity), so that a request on a gate reads
 * both in one statement.
 */
import { Knex } from 'knex';
import { isPostgres, jsonArrayOf, parsedJson } from './dialect';
import type { EntityInfo, GateOwnerAssignment } from './EntityIndexStore';
import { Gate, ReleaseWindow } from '@release-readiness/plugin-common';
import type { GateHead } from './GateStore';
import { selectGates, toWholeGates } from './gateRows';
import {
  SummaryColumns,
  toAssignment,
  toIndexedEntity,
  toReleaseWindow,
  toSummaryColumns,
} from './mappers';
import { EntityRow, GateOwnerAssignmentRow, ReleaseWindowRow } from './tables';

const ASSIGNMENT_COLUMNS: (keyof GateOwnerAssignmentRow)[] = [
  'entity_ref',
  'owner_ref',
  'assigned_by',
  'assigned_at',
];

const WINDOW_COLUMNS: (keyof ReleaseWindowRow)[] = [
  'id',
  'definition',
  'created_by',
  'created_at',
  'version',
  'updated_by',
  'updated_at',
  'retired_at',
  'retired_by',
  'retire_reason',
];

/** A row of `entities` as {@link selectEntity} reads it. */
export type EntityRowWithAssignments = EntityRow & {
  assignments_json: string | GateOwnerAssignmentRow[] | null;
  windows_json: string | ReleaseWindowRow[] | null;
};

/**
 * The entity's row with its assignments (`assignments_json`) and the
 * release windows in force (`windows_json`, not retired, by id: which of
 * them apply to the entity is the evaluation's to judge), by ref. On
 * PostgreSQL with `lock`, the row is locked until the transaction ends (the
 * assignments' rows are not: every change of them takes the entity's row
 * first).
 */
export function selectEntity(
  db: Knex,
  entityRef: string,
  options: { lock?: boolean } = {},
): Knex.QueryBuilder {
  const [assignments, windows] = readWithEntity(db, 'entities');
  return db('entities')
    .select(
      'entities.*',
      db.raw(`${assignments} AS assignments_json`),
      db.raw(`${windows} AS windows_json`),
    )
    .where('entities.entity_ref', entityRef)
    .first()
    .modify(q => {
      if (options.lock && isPostgres(db)) q.forUpdate();
    });
}

/**
 * The subqueries of what is read with an entity's row (`alias` in the
 * query): its assignments by owner, and the release windows in force by id.
 */
function readWithEntity(db: Knex, alias: string): [string, string] {
  return [
    `(SELECT ${jsonArrayOf(
      db,
      'a',
      ASSIGNMENT_COLUMNS,
      'a."owner_ref"',
    )} FROM gate_owner_assignments a WHERE a.entity_ref = ${alias}.entity_ref)`,
    `(SELECT ${jsonArrayOf(
      db,
      'w',
      WINDOW_COLUMNS,
      'w."id"',
    )} FROM release_windows w WHERE w.retired_at IS NULL)`,
  ];
}

/**
 * The columns of `entities` that a gate's read carries of its entity's row
 * on SQLite, which builds the row's JSON by name (PostgreSQL takes the
 * whole row); `entityRows.test.ts` checks them against the migrated table.
 */
export const ENTITY_COLUMNS: (keyof EntityRow)[] = [
  'entity_ref',
  'kind',
  'title',
  'type',
  'lifecycle',
  'owner_ref',
  'system_ref',
  'tags',
  'template_name',
  'tier',
  'current_gate_id',
  'current_release',
  'current_state',
  'current_verdict',
  'current_score',
  'current_blockers',
  'current_planned_at',
  'current_decision',
  'current_decided_at',
  'current_gate_version',
  'refreshed_at',
];

/** The SQL of the JSON of `gates`' entity row as a gate's read carries it. */
function entityJsonOf(db: Knex): string {
  const [assignments, windows] = readWithEntity(db, 'e');
  return isPostgres(db)
    ? `(SELECT row_to_json(x) FROM (SELECT e.*, ${assignments} AS assignments_json, ${windows} AS windows_json FROM entities e WHERE e.entity_ref = gates.entity_ref) x)`
    : `(SELECT json_object(${ENTITY_COLUMNS.map(c => `'${c}', e."${c}"`).join(
        ', ',
      )}, 'assignments_json', json(${assignments}), 'windows_json', json(${windows})) FROM entities e WHERE e.entity_ref = gates.entity_ref)`;
}

/** The entity of a row read with {@link entityJsonOf}, if the index has it. */
function entityOfRow(row: { entity_json: unknown }): EntityInfo | undefined {
  const stored = parsedJson<EntityRowWithAssignments | null>(
    row.entity_json,
    null,
  );
  if (!stored) return undefined;
  const entity = toIndexedEntity(stored);
  keepReadWith(entity, stored);
  return entity;
}

/**
 * The gate `gateId` read whole (gateRows.ts) with its entity's index row,
 * that row's assignments and the release windows in force, in one
 * statement: what a request on a gate needs before it asks the catalog and
 * the permission framework. The entity is undefined when the index has no
 * row for it; the answer is undefined for no such gate.
 */
export async function readGateAndEntity(
  db: Knex,
  gateId: string,
): Promise<{ gate: Gate; entity: EntityInfo | undefined } | undefined> {
  const rows = await selectGates(db)
    .select(db.raw(`${entityJsonOf(db)} AS entity_json`))
    .where('id', gateId);
  const [gate] = toWholeGates(rows);
  if (!gate) return undefined;
  return { gate, entity: entityOfRow(rows[0]) };
}

/**
 * {@link readGateAndEntity} without the gate's parts: its id, entity,
 * release and state, for a change that reads the gate whole, locked, in its
 * transaction, and needs no more of it before (a sign-off).
 */
export async function readGateHeadAndEntity(
  db: Knex,
  gateId: string,
): Promise<{ gate: GateHead; entity: EntityInfo | undefined } | undefined> {
  const row = await db('gates')
    .select(
      'id',
      'entity_ref',
      'release',
      'state',
      db.raw(`${entityJsonOf(db)} AS entity_json`),
    )
    .where('id', gateId)
    .first();
  if (!row) return undefined;
  return {
    gate: {
      id: row.id,
      entityRef: row.entity_ref,
      release: row.release,
      state: row.state,
    },
    entity: entityOfRow(row),
  };
}

/**
 * The summary columns of each entity row a read returned, beside the
 * object it returned (the summary is not part of EntityInfo): a read that
 * evaluates the gate again writes the summary only when it differs.
 */
const storedSummaries = new WeakMap<EntityInfo, SummaryColumns>();

/** The summary columns read with `entity`, if a read returned it. */
export function storedSummaryOf(
  entity: EntityInfo,
): SummaryColumns | undefined {
  return storedSummaries.get(entity);
}

function summaryColumnsOf(row: EntityRow): SummaryColumns {
  const empty = toSummaryColumns(undefined);
  return Object.fromEntries(
    Object.keys(empty).map(k => [k, (row as any)[k] ?? null]),
  ) as SummaryColumns;
}

/** The assignments read with entity objects, by object. */
const assignmentsOfEntities = new WeakMap<EntityInfo, GateOwnerAssignment[]>();

/** The release windows in force read with entity objects, by object. */
const windowsOfEntities = new WeakMap<EntityInfo, ReleaseWindow[]>();

/**
 * The release windows in force (not retired; app-config's are not in the
 * database) read with `entity`, if it is an entity object a read returned
 * with them; undefined otherwise.
 */
export function windowsReadWith(
  entity: EntityInfo | undefined,
): ReleaseWindow[] | undefined {
  return entity ? windowsOfEntities.get(entity) : undefined;
}

/**
 * Keeps with `entity` what {@link selectEntity} read with its row: its
 * assignments and the windows in force.
 */
export function keepReadWith(
  entity: EntityInfo,
  row: EntityRowWithAssignments,
): void {
  storedSummaries.set(entity, summaryColumnsOf(row));
  keepAssignments(entity, assignmentsOfRow(row));
  windowsOfEntities.set(
    entity,
    parsedJson<ReleaseWindowRow[]>(row.windows_json, []).map(toReleaseWindow),
  );
}

/**
 * Keeps with `to` what was read with `from`: for an entity object made
 * from one a read returned (its catalog facts written since).
 */
export function keepReadWithFrom(to: EntityInfo, from: EntityInfo) {
  const assignments = assignmentsOfEntities.get(from);
  if (assignments) assignmentsOfEntities.set(to, assignments);
  const windows = windowsOfEntities.get(from);
  if (windows) windowsOfEntities.set(to, windows);
}

/** The assignments of a row {@link selectEntity} read. */
export function assignmentsOfRow(
  row: EntityRowWithAssignments,
): GateOwnerAssignment[] {
  return parsedJson<GateOwnerAssignmentRow[]>(row.assignments_json, []).map(
    toAssignment,
  );
}

/** Keeps `assignments` as those read (or written) with `entity`. */
export function keepAssignments(
  entity: EntityInfo,
  assignments: GateOwnerAssignment[],
): void {
  assignmentsOfEntities.set(entity, assignments);
}

/**
 * The gate owner assignments read with `entity` (by the same statement, or
 * written since by the transaction that read it), if it is an entity object
 * a read returned; undefined otherwise.
 */
export function assignmentsReadWith(
  entity: EntityInfo | undefined,
): GateOwnerAssignment[] | undefined {
  return entity ? assignmentsOfEntities.get(entity) : undefined;
}

/**
 * The entity a change's transaction read locked at its start, by
 * transaction: a change of the entity's assignments in that transaction
 * keeps them with it, so that the change's evaluation judges the new ones.
 */
const entityOfTransactions = new WeakMap<Knex, EntityInfo>();

export function rememberTransactionEntity(trx: Knex, entity: EntityInfo) {
  entityOfTransactions.set(trx, entity);
}

/** After `trx` wrote the assignments of `entityRef`: keeps them with its entity. */
export function assignmentsWritten(
  trx: Knex,
  entityRef: string,
  assignments: GateOwnerAssignment[],
) {
  const entity = entityOfTransactions.get(trx);
  if (entity?.entityRef === entityRef) keepAssignments(entity, assignments);
}
