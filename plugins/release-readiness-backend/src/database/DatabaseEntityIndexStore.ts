/*
 * The entity index in the plugin's database (SQLite or PostgreSQL): the
 * `entities` rows with their current gate's summary, the gate owners
 * assigned to an entity and its own checklist items.
 *
 * Guarantees, with several replicas on one database:
 * - a write of an entity's row copies its owner and system onto its gates'
 *   metrics rows (`gate_metrics`) in the same transaction;
 * - a gate's summary is written only if the gate is still the entity's
 *   current one and no summary of a newer version of it is there, so a late
 *   read of an older gate never overwrites a newer one;
 * - owner and item changes append their audit event in their transaction;
 * - the primary key, not code, keeps "one item id per entity".
 */
import { ConflictError } from '@backstage/errors';
import { ChecklistItemDefinition } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { newestLiveGateFirst } from './currentGate';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { isPostgres, isUniqueViolation } from './dialect';
import {
  EntityIndexStore,
  EntityInfo,
  GateOwnerAssignment,
  GateSummary,
  ServiceItem,
} from './EntityIndexStore';
import {
  assignmentsWritten,
  EntityRowWithAssignments,
  keepReadWith,
  keepReadWithFrom,
  selectEntity,
  storedSummaryOf,
} from './entityRows';
import { copyEntityOwnership } from './gateMetrics';
import {
  SummaryColumns,
  toAssignment,
  toEntityColumns,
  toIndexedEntity,
  toServiceItem,
  toSummaryColumns,
} from './mappers';
import {
  EntityRow,
  GateOwnerAssignmentRow,
  GateRow,
  ServiceItemRow,
} from './tables';

/** Whether two index entries hold the same catalog facts. */
function sameEntityInfo(a: EntityInfo, b: EntityInfo): boolean {
  const facts = (e: EntityInfo) =>
    JSON.stringify([
      e.entityRef,
      e.kind,
      e.title,
      e.type ?? null,
      e.lifecycle ?? null,
      e.ownerRef ?? null,
      e.systemRef ?? null,
      e.tags,
      e.templateName ?? null,
      e.tier ?? null,
    ]);
  return facts(a) === facts(b);
}

/**
 * Whether two sets of summary columns hold the same values, timestamps
 * compared as instants and numbers as numbers (the drivers return them as
 * Date, text or number). Anything not plainly equal counts as different,
 * so that the summary is written.
 */
function sameSummaryColumns(a: SummaryColumns, b: SummaryColumns): boolean {
  const norm = (value: unknown): string | number | null => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'number' ? value : String(value);
  };
  return (Object.keys(b) as Array<keyof SummaryColumns>).every(key => {
    const x = norm(a[key]);
    const y = norm(b[key]);
    if (x === y) return true;
    if (key === 'current_planned_at' || key === 'current_decided_at') {
      return (
        typeof x === 'string' &&
        typeof y === 'string' &&
        new Date(x).getTime() === new Date(y).getTime()
      );
    }
    if (
      key === 'current_score' ||
      key === 'current_blockers' ||
      key === 'current_gate_version'
    ) {
      return x !== null && y !== null && Number(x) === Number(y);
    }
    return false;
  });
}

/** @internal */
export class DatabaseEntityIndexStore implements EntityIndexStore {
  static create(options: { db: Knex }): DatabaseEntityIndexStore {
    return new DatabaseEntityIndexStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  // Entities -----------------------------------------------------------------

  async upsertEntities(options: {
    entities: EntityInfo[];
    refreshedAt: string;
  }): Promise<void> {
    if (!options.entities.length) return;
    const rows = options.entities.map(e =>
      toEntityColumns(e, options.refreshedAt),
    );
    // Batches keep each statement under SQLite's variable limit.
    for (let i = 0; i < rows.length; i += 200) {
      const batch = rows.slice(i, i + 200);
      await this.db.transaction(async trx => {
        await trx<EntityRow>('entities')
          .insert(batch)
          .onConflict('entity_ref')
          .merge(Object.keys(rows[0]).filter(k => k !== 'entity_ref') as any);
        await copyEntityOwnership(
          trx,
          batch.map(r => r.entity_ref),
        );
      });
    }
  }

  async removeStaleEntities(options: {
    kinds: string[];
    before: string;
  }): Promise<number> {
    return this.db.transaction(async trx => {
      const stale = trx<EntityRow>('entities')
        .whereIn('kind', options.kinds)
        .where('refreshed_at', '<', options.before);
      const refs = await stale.clone().pluck('entity_ref');
      if (!refs.length) return 0;
      const removed = await stale.clone().delete();
      await copyEntityOwnership(trx, refs);
      return removed;
    });
  }

  async upsertEntity(options: {
    entity: EntityInfo;
    stored?: { entity: EntityInfo | undefined };
  }): Promise<EntityInfo> {
    const e = options.entity;
    // Called on every request that touches the entity: skip the write when
    // the catalog said nothing new.
    const stored = options.stored
      ? options.stored.entity
      : await this.getEntity({ entityRef: e.entityRef });
    if (stored && sameEntityInfo(stored, e)) return stored;
    const row = toEntityColumns(e, new Date().toISOString());
    await this.db.transaction(async trx => {
      await trx<EntityRow>('entities')
        .insert(row)
        .onConflict('entity_ref')
        .merge(Object.keys(row).filter(k => k !== 'entity_ref') as any);
      await copyEntityOwnership(trx, [row.entity_ref]);
    });
    // Writing the catalog facts leaves the assignments as they were read.
    if (stored) keepReadWithFrom(e, stored);
    return e;
  }

  async getEntity(options: {
    entityRef: string;
  }): Promise<EntityInfo | undefined> {
    // With the assignments: who keeps the entity's gate is asked of almost
    // every entity read (entityRows.ts).
    const row: EntityRowWithAssignments | undefined = await selectEntity(
      this.db,
      options.entityRef,
    );
    if (!row) return undefined;
    const info = toIndexedEntity(row);
    keepReadWith(info, row);
    return info;
  }

  // Gate summaries -----------------------------------------------------------

  async setGateSummary(options: {
    entityRef: string;
    gateId: string;
    gateVersion: number;
    summary: GateSummary | undefined;
    known?: EntityInfo;
  }): Promise<void> {
    const { entityRef, gateId, gateVersion } = options;
    const s = options.summary;
    const values = toSummaryColumns(s, gateVersion);
    // The row as this request read it already holds this summary: nothing
    // to write (a change since then wrote a summary at least as new).
    const stored = options.known && storedSummaryOf(options.known);
    if (stored && sameSummaryColumns(stored, values)) return;
    // Every read of a gate refreshes its summary; only a summary that changed
    // is written, so that reads do not take the write lock (SQLite) or
    // create dead rows (PostgreSQL).
    const distinct = isPostgres(this.db) ? 'IS DISTINCT FROM' : 'IS NOT';
    const changed = (q: Knex.QueryBuilder) => {
      for (const [column, value] of Object.entries(values)) {
        q.orWhereRaw(`?? ${distinct} ?`, [column, value]);
      }
    };
    if (!s) {
      // A cancelled gate: its summary goes, any other gate's stays.
      await this.db<EntityRow>('entities')
        .where({ entity_ref: entityRef, current_gate_id: gateId })
        .update(values);
      return;
    }
    // Only the entity's current gate, as the entity page picks it: an earlier
    // gate read through its own page must not take its place.
    await this.db<EntityRow>('entities')
      .where({ entity_ref: entityRef })
      .whereRaw('? = (?)', [gateId, this.currentGateQuery(entityRef, ['id'])])
      .where(q =>
        q
          .whereRaw(`current_gate_id ${distinct} ?`, [gateId])
          .orWhereNull('current_gate_version')
          .orWhere('current_gate_version', '<=', gateVersion),
      )
      .where(changed)
      .update(values);
  }

  /** The entity's current gate: its newest gate that is not cancelled. */
  private currentGateQuery(entityRef: string, columns: (keyof GateRow)[]) {
    return newestLiveGateFirst(
      this.db<GateRow>('gates')
        .select(columns)
        .where({ entity_ref: entityRef }),
    ).limit(1);
  }

  async getCurrentGateRef(options: {
    entityRef: string;
  }): Promise<{ gateId: string; release: string } | undefined> {
    const [row] = await this.currentGateQuery(options.entityRef, [
      'id',
      'release',
    ]);
    return row ? { gateId: row.id, release: row.release } : undefined;
  }

  async clearGateSummary(options: { entityRef: string }): Promise<void> {
    await this.db<EntityRow>('entities')
      .where({ entity_ref: options.entityRef })
      .whereNotNull('current_gate_id')
      .update(toSummaryColumns(undefined));
  }

  // Gate owners --------------------------------------------------------------

  async listAssignments(options: {
    entityRef: string;
  }): Promise<GateOwnerAssignment[]> {
    const rows = await this.db<GateOwnerAssignmentRow>('gate_owner_assignments')
      .where({ entity_ref: options.entityRef })
      .orderBy('owner_ref');
    return rows.map(toAssignment);
  }

  async setAssignments(options: {
    entityRef: string;
    ownerRefs: string[];
    actor: string;
  }): Promise<GateOwnerAssignment[]> {
    const { entityRef, actor } = options;
    const ownerRefs = [...new Set(options.ownerRefs)].sort();
    const at = new Date().toISOString();
    return this.db.transaction(async trx => {
      const before = await trx<GateOwnerAssignmentRow>('gate_owner_assignments')
        .where({ entity_ref: entityRef })
        .orderBy('owner_ref');
      await trx('gate_owner_assignments')
        .where({ entity_ref: entityRef })
        .delete();
      if (ownerRefs.length) {
        await trx<GateOwnerAssignmentRow>('gate_owner_assignments').insert(
          ownerRefs.map(ref => ({
            entity_ref: entityRef,
            owner_ref: ref,
            assigned_by: actor,
            assigned_at: at,
          })),
        );
      }
      await DatabaseAuditLog.create({ db: trx }).append({
        entityRef,
        actor,
        action: 'owners.set',
        before: before.map(r => r.owner_ref),
        after: ownerRefs,
        at,
      });
      // The entity the enclosing change read now has these assignments.
      assignmentsWritten(
        this.db,
        entityRef,
        ownerRefs.map(ref =>
          toAssignment({
            entity_ref: entityRef,
            owner_ref: ref,
            assigned_by: actor,
            assigned_at: at,
          }),
        ),
      );
      return before.map(toAssignment);
    });
  }

  // Service items ------------------------------------------------------------

  async listServiceItems(options: {
    entityRef: string;
  }): Promise<ServiceItem[]> {
    const rows = await this.db<ServiceItemRow>('service_items')
      .where({ entity_ref: options.entityRef })
      .orderBy('created_at')
      .orderBy('item_id');
    return rows.map(toServiceItem);
  }

  async addServiceItem(options: {
    entityRef: string;
    item: ChecklistItemDefinition;
    actor: string;
  }): Promise<ServiceItem> {
    const { entityRef, item, actor } = options;
    const at = new Date().toISOString();
    try {
      await this.db.transaction(async trx => {
        await trx<ServiceItemRow>('service_items').insert({
          entity_ref: entityRef,
          item_id: item.id,
          definition: JSON.stringify(item),
          created_by: actor,
          created_at: at,
        });
        await DatabaseAuditLog.create({ db: trx }).append({
          entityRef,
          actor,
          action: 'service-item.add',
          after: item,
          at,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${entityRef} already has a checklist item with id ${item.id}`,
        );
      }
      throw error;
    }
    return { ...item, createdBy: actor, createdAt: at };
  }
}
