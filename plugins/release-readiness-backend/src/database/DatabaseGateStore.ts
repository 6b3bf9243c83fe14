/*
 * Gates in the plugin's database (SQLite or PostgreSQL).
 *
 * Guarantees, with several replicas on one database:
 * - every write runs in one transaction together with its audit event;
 * - edits are compare-and-set on a version column: `UPDATE … WHERE version = ?`,
 *   so of two edits made on the same version exactly one wins and the other
 *   gets a ConflictError, whatever replica each went to;
 * - unique indexes, not code, keep "one live gate per entity and release" and
 *   "one live vote per person and role";
 * - the gate's row is read and its state checked inside the transaction that
 *   writes (on PostgreSQL locked with FOR UPDATE): no edit of a checklist,
 *   vote, risk or window exception lands on a gate a decision closed;
 * - a gate's metrics row (`gate_metrics`) is rewritten in the transaction
 *   that opens the gate, records its decision or moves it, and takes its
 *   entity's owner and system in the one that writes the entity's index row.
 */
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ChecklistItemDefinition,
  Gate,
  GateState,
  GateTemplate,
  GateTemplateSpec,
  gateClosedReason,
  RiskAssessment,
  WindowException,
} from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { newestLiveGateFirst } from './currentGate';
import { isPostgres, lockForTransaction } from './dialect';
import {
  AuditChainVerification,
  AuditEvent,
  EntityInfo,
  GateOwnerAssignment,
  GateStore,
  GateSummary,
  ItemPatch,
  ServiceItem,
} from './GateStore';
import {
  copyEntityOwnership,
  lockRelease,
  refreshGateMetrics,
} from './gateMetrics';
import { toGate, toIso, toSummaryColumns, toVoterClaims } from './mappers';
import { readAll } from './readAll';
import {
  AuditChainColumns,
  chainKey,
  hashAuditEvent,
  verifyChain,
} from '../audit/chain';
import {
  AuditEventRow,
  DecisionRow,
  EntityRow,
  GateItemRow,
  GateOwnerAssignmentRow,
  GateRow,
  ServiceItemRow,
  VoteRow,
  WindowExceptionRow,
} from './tables';

/** The template's spec without what only describes the file. */
function toTemplateSpec(template: GateTemplate): GateTemplateSpec {
  const { hash: _hash, source: _source, ...spec } = template;
  return spec;
}

/** Whether an error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

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

/** @internal */
export class DatabaseGateStore implements GateStore {
  static create(options: { db: Knex }): DatabaseGateStore {
    return new DatabaseGateStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Appends an audit event to its hash chain (the gate's, or the entity's for
   * events without a gate), in the caller's transaction. On PostgreSQL a
   * transaction-scoped advisory lock on the chain makes two writers of one
   * chain take turns, so that both cannot link to the same previous event;
   * SQLite runs one writer at a time anyway.
   */
  private async audit(
    trx: Knex.Transaction,
    event: {
      entityRef: string;
      gateId?: string;
      actor: string;
      action: string;
      before?: unknown;
      after?: unknown;
      at: string;
    },
  ) {
    const chain = chainKey(event);
    await lockForTransaction(trx, `release-readiness:audit:${chain}`);
    const last = await trx<AuditEventRow & AuditChainColumns>('audit_events')
      .where(
        event.gateId
          ? { gate_id: event.gateId }
          : { entity_ref: event.entityRef, gate_id: null },
      )
      .orderBy('id', 'desc')
      .select('hash')
      .first();
    const before = json(event.before);
    const after = json(event.after);
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
    await trx<AuditEventRow & AuditChainColumns>('audit_events').insert({
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

  // Entities -----------------------------------------------------------------

  private static entityRow(e: EntityInfo, refreshedAt: string) {
    return {
      entity_ref: e.entityRef,
      kind: e.kind,
      title: e.title,
      type: e.type ?? null,
      lifecycle: e.lifecycle ?? null,
      owner_ref: e.ownerRef ?? null,
      system_ref: e.systemRef ?? null,
      tags: JSON.stringify(e.tags),
      template_name: e.templateName ?? null,
      tier: e.tier ?? null,
      refreshed_at: refreshedAt,
    };
  }

  async upsertEntities(options: {
    entities: EntityInfo[];
    refreshedAt: string;
  }): Promise<void> {
    if (!options.entities.length) return;
    const rows = options.entities.map(e =>
      DatabaseGateStore.entityRow(e, options.refreshedAt),
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

  async upsertEntity(options: { entity: EntityInfo }): Promise<void> {
    const e = options.entity;
    // Called on every request that touches the entity: skip the write when
    // the catalog said nothing new.
    const stored = await this.getEntity({ entityRef: e.entityRef });
    if (stored && sameEntityInfo(stored, e)) return;
    const row = {
      entity_ref: e.entityRef,
      kind: e.kind,
      title: e.title,
      type: e.type ?? null,
      lifecycle: e.lifecycle ?? null,
      owner_ref: e.ownerRef ?? null,
      system_ref: e.systemRef ?? null,
      tags: JSON.stringify(e.tags),
      template_name: e.templateName ?? null,
      tier: e.tier ?? null,
      refreshed_at: new Date().toISOString(),
    };
    await this.db.transaction(async trx => {
      await trx<EntityRow>('entities')
        .insert(row)
        .onConflict('entity_ref')
        .merge(Object.keys(row).filter(k => k !== 'entity_ref') as any);
      await copyEntityOwnership(trx, [row.entity_ref]);
    });
  }

  async getEntity(options: {
    entityRef: string;
  }): Promise<EntityInfo | undefined> {
    const row = await this.db<EntityRow>('entities')
      .where({ entity_ref: options.entityRef })
      .first();
    if (!row) return undefined;
    return {
      entityRef: row.entity_ref,
      kind: row.kind,
      title: row.title,
      ...(row.type ? { type: row.type } : {}),
      ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
      ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
      ...(row.system_ref ? { systemRef: row.system_ref } : {}),
      tags: JSON.parse(row.tags),
      ...(row.template_name ? { templateName: row.template_name } : {}),
      ...(row.tier ? { tier: row.tier } : {}),
    };
  }

  async setGateSummary(options: {
    entityRef: string;
    gateId: string;
    gateVersion: number;
    summary: GateSummary | undefined;
  }): Promise<void> {
    const { entityRef, gateId, gateVersion } = options;
    const s = options.summary;
    const values = toSummaryColumns(s, gateVersion);
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
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ownerRef: row.owner_ref,
      assignedBy: row.assigned_by,
      assignedAt: toIso(row.assigned_at),
    }));
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
      await this.audit(trx, {
        entityRef,
        actor,
        action: 'owners.set',
        before: before.map(r => r.owner_ref),
        after: ownerRefs,
        at,
      });
      return before.map(row => ({
        entityRef: row.entity_ref,
        ownerRef: row.owner_ref,
        assignedBy: row.assigned_by,
        assignedAt: toIso(row.assigned_at),
      }));
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
    return rows.map(row => ({
      ...(JSON.parse(row.definition) as ChecklistItemDefinition),
      createdBy: row.created_by,
      createdAt: toIso(row.created_at),
    }));
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
        await this.audit(trx, {
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

  // Windows and the tier roll-up ---------------------------------------------

  async listWindowExceptions(options: {
    gateId: string;
  }): Promise<WindowException[]> {
    const rows = await this.db<WindowExceptionRow>('window_exceptions')
      .where({ gate_id: options.gateId })
      .orderBy('approved_at');
    return rows.map(row => ({
      windowId: row.window_id,
      gateId: row.gate_id,
      reason: row.reason,
      approvedBy: row.approved_by,
      covers: JSON.parse(row.covers),
      approvedAt: toIso(row.approved_at),
    }));
  }

  async addWindowException(options: {
    gateId: string;
    windowId: string;
    reason: string;
    approvedBy: string;
    covers: string[];
  }): Promise<Gate> {
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const gate = await this.requireEditableGate(trx, options.gateId);
      await trx<WindowExceptionRow>('window_exceptions').insert({
        id: randomUUID(),
        gate_id: options.gateId,
        window_id: options.windowId,
        reason: options.reason,
        approved_by: options.approvedBy,
        covers: JSON.stringify(options.covers),
        approved_at: at,
      });
      await this.touchGate(trx, options.gateId, at);
      await this.audit(trx, {
        entityRef: gate.entity_ref,
        gateId: options.gateId,
        actor: options.approvedBy,
        action: 'window.exception',
        after: {
          windowId: options.windowId,
          reason: options.reason,
          covers: options.covers,
        },
        at,
      });
    });
    return (await this.getGate({ gateId: options.gateId }))!;
  }

  async listLiveGates(
    options: { after?: string; limit?: number } = {},
  ): Promise<Gate[]> {
    const rows = await this.db<GateRow>('gates')
      .whereIn('state', ['in-progress', 'go'])
      .modify(qb => {
        if (options.after) qb.where('id', '>', options.after);
      })
      .orderBy('id')
      .limit(options.limit ?? 100);
    return this.loadGates(rows);
  }

  async listCurrentGates(
    options: { after?: string; limit?: number } = {},
  ): Promise<Gate[]> {
    const rows = await this.db<GateRow>({ g: 'gates' })
      .select('g.*')
      .whereNot('g.state', 'cancelled')
      .modify(qb => {
        if (options.after) qb.where('g.entity_ref', '>', options.after);
      })
      // No newer gate that is not cancelled (see newestLiveGateFirst).
      .whereNotExists(newer =>
        newer
          .select(this.db.raw('1'))
          .from({ n: 'gates' })
          .whereRaw('n.entity_ref = g.entity_ref')
          .whereNot('n.state', 'cancelled')
          .where(q =>
            q
              .whereRaw('n.opened_at > g.opened_at')
              .orWhereRaw('n.opened_at = g.opened_at AND n.id > g.id'),
          ),
      )
      .orderBy('g.entity_ref')
      .limit(options.limit ?? 100);
    return this.loadGates(rows as GateRow[]);
  }

  async releaseStates(options: {
    entityRefs: string[];
    release: string;
  }): Promise<Map<string, GateState>> {
    if (!options.entityRefs.length) return new Map();
    const rows = await this.db<GateRow>('gates')
      .whereIn('entity_ref', options.entityRefs)
      .where({ release: options.release })
      .whereNot({ state: 'cancelled' })
      .select('entity_ref', 'state');
    return new Map(rows.map(r => [r.entity_ref, r.state as GateState]));
  }

  // Gates ----------------------------------------------------------------------

  async openGate(options: Parameters<GateStore['openGate']>[0]): Promise<Gate> {
    const id = randomUUID();
    const at = new Date().toISOString();
    const { template } = options;
    const seen = new Set<string>();
    for (const item of options.items) {
      if (seen.has(item.id)) {
        throw new InputError(
          `checklist: two items of the gate would share the id ${item.id}; the ${template.name} template and the service's own items must use different ids`,
        );
      }
      seen.add(item.id);
    }
    try {
      await this.db.transaction(async trx => {
        await lockRelease(trx, options.entityRef, options.release);
        await trx<GateRow>('gates').insert({
          id,
          entity_ref: options.entityRef,
          release: options.release,
          template_name: template.name,
          template_version: template.version,
          template: JSON.stringify(toTemplateSpec(template)),
          template_hash: template.hash,
          tier: template.tier,
          state: 'in-progress',
          planned_at: options.plannedAt ?? null,
          requested_by: options.requestedBy,
          rapid_reason: options.rapidReason ?? null,
          risk: null,
          opened_at: at,
          updated_at: at,
          version: 1,
          checklist_revision: 1,
        });
        if (options.items.length) {
          await trx<GateItemRow>('gate_items').insert(
            options.items.map(({ source, ...definition }, position) => ({
              gate_id: id,
              item_id: definition.id,
              position,
              source,
              definition: JSON.stringify(definition),
              status: 'pending',
              note: null,
              waiver: null,
              updated_by: null,
              updated_at: null,
              version: 1,
            })),
          );
        }
        await refreshGateMetrics(trx, [id]);
        await this.audit(trx, {
          entityRef: options.entityRef,
          gateId: id,
          actor: options.requestedBy,
          action: template.rapid ? 'gate.open-rapid' : 'gate.open',
          after: {
            release: options.release,
            template: template.name,
            templateVersion: template.version,
            templateHash: template.hash,
            plannedAt: options.plannedAt,
            rapidReason: options.rapidReason,
            items: options.items.map(i => i.id),
          },
          at,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${options.entityRef} already has a gate for release ${options.release}`,
        );
      }
      throw error;
    }
    return (await this.getGate({ gateId: id }))!;
  }

  private async loadGates(
    rows: GateRow[],
    db: Knex = this.db,
  ): Promise<Gate[]> {
    if (!rows.length) return [];
    const ids = rows.map(r => r.id);
    const [items, votes, decisions] = await readAll<
      [GateItemRow[], VoteRow[], DecisionRow[]]
    >({ inTransaction: db.isTransaction }, [
      () => db<GateItemRow>('gate_items').whereIn('gate_id', ids),
      () =>
        db<VoteRow>('votes')
          .whereIn('gate_id', ids)
          .orderBy('at')
          .orderBy('id'),
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

  async getGateTemplate(options: {
    gateId: string;
  }): Promise<GateTemplateSpec | undefined> {
    const row = await this.db<GateRow>('gates')
      .where({ id: options.gateId })
      .select('template')
      .first();
    return row ? JSON.parse(row.template) : undefined;
  }

  async getGate(options: { gateId: string }): Promise<Gate | undefined> {
    const row = await this.db<GateRow>('gates')
      .where({ id: options.gateId })
      .first();
    return row ? (await this.loadGates([row]))[0] : undefined;
  }

  async getReleaseGate(options: {
    entityRef: string;
    release: string;
  }): Promise<Gate | undefined> {
    const row = await this.db<GateRow>('gates')
      .where({ entity_ref: options.entityRef, release: options.release })
      .whereNot({ state: 'cancelled' })
      .first();
    return row ? (await this.loadGates([row]))[0] : undefined;
  }

  async listGates(options: { entityRef: string }): Promise<Gate[]> {
    const rows = await this.db<GateRow>('gates')
      .where({ entity_ref: options.entityRef })
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc');
    return this.loadGates(rows);
  }

  /**
   * The gate's row as the writing transaction sees it. On PostgreSQL it is
   * locked until the transaction ends, so that two writes to one gate take
   * turns and each checks what the other committed (SQLite has one writer).
   */
  private async requireGate(trx: Knex.Transaction, gateId: string) {
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
  private async requireEditableGate(trx: Knex.Transaction, gateId: string) {
    const row = await this.requireGate(trx, gateId);
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
  private async bumpGate(
    trx: Knex.Transaction,
    gate: GateRow,
    at: string,
    extra: Partial<GateRow> = {},
  ) {
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
  private async touchGate(
    trx: Knex.Transaction,
    gateId: string,
    at: string,
    options: { bumpRevision?: boolean } = {},
  ) {
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

  async updateItem(options: {
    gateId: string;
    itemId: string;
    version: number;
    patch: ItemPatch;
    actor: string;
  }): Promise<Gate> {
    const { gateId, itemId, version, patch, actor } = options;
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const gate = await this.requireEditableGate(trx, gateId);
      const item = await trx<GateItemRow>('gate_items')
        .where({ gate_id: gateId, item_id: itemId })
        .first();
      if (!item) {
        throw new NotFoundError(
          `Gate ${gateId} has no checklist item ${itemId}`,
        );
      }
      const updated = await trx<GateItemRow>('gate_items')
        .where({ gate_id: gateId, item_id: itemId, version })
        .update({
          status: patch.status,
          note: patch.note ?? null,
          waiver: json(patch.waiver),
          updated_by: actor,
          updated_at: at,
          version: version + 1,
        });
      if (updated !== 1) {
        const current = await trx<GateItemRow>('gate_items')
          .where({ gate_id: gateId, item_id: itemId })
          .first();
        throw new ConflictError(
          `Checklist item ${itemId} is at version ${
            current?.version ?? item.version
          }, not ${version}: someone else changed it; reload and try again`,
        );
      }
      const definition = JSON.parse(item.definition) as ChecklistItemDefinition;
      const statusChanged =
        item.status !== patch.status ||
        (item.waiver ?? null) !== json(patch.waiver);
      // Votes cast before a required item changed no longer count.
      await this.touchGate(trx, gateId, at, {
        bumpRevision: definition.required && statusChanged,
      });
      await this.audit(trx, {
        entityRef: gate.entity_ref,
        gateId,
        actor,
        action: 'item.update',
        before: {
          itemId,
          status: item.status,
          note: item.note ?? undefined,
          waiver: item.waiver ? JSON.parse(item.waiver) : undefined,
        },
        after: { itemId, ...patch },
        at,
      });
    });
    return (await this.getGate({ gateId }))!;
  }

  async addVote(options: Parameters<GateStore['addVote']>[0]): Promise<Gate> {
    const { gateId, role, voter } = options;
    const at = new Date().toISOString();
    try {
      await this.db.transaction(async trx => {
        const gate = await this.requireEditableGate(trx, gateId);
        const previous = await trx<VoteRow>('votes')
          .where({ gate_id: gateId, role, voter })
          .whereNull('superseded_at')
          .first();
        if (previous) {
          await trx<VoteRow>('votes')
            .where({ id: previous.id })
            .update({ superseded_at: at });
        }
        await trx<VoteRow>('votes').insert({
          id: randomUUID(),
          gate_id: gateId,
          role,
          voter,
          voter_claims: JSON.stringify(options.voterClaims),
          verdict: options.verdict,
          comment: options.comment ?? null,
          checklist_revision: gate.checklist_revision,
          at,
          superseded_at: null,
        });
        await this.touchGate(trx, gateId, at);
        await this.audit(trx, {
          entityRef: gate.entity_ref,
          gateId,
          actor: voter,
          action: 'signoff.vote',
          before: previous
            ? { role, verdict: previous.verdict, comment: previous.comment }
            : undefined,
          after: { role, verdict: options.verdict, comment: options.comment },
          at,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${voter} voted for ${role} at the same moment from elsewhere; reload and try again`,
        );
      }
      throw error;
    }
    return (await this.getGate({ gateId }))!;
  }

  async getVoterClaims(options: {
    gateId: string;
  }): Promise<Map<string, string[]>> {
    const rows = await this.db<VoteRow>('votes')
      .where({ gate_id: options.gateId })
      .whereNull('superseded_at')
      .select('voter', 'voter_claims', 'superseded_at');
    return toVoterClaims(rows);
  }

  async putRisk(options: {
    gateId: string;
    version: number;
    risk: Omit<RiskAssessment, 'version'>;
    actor: string;
  }): Promise<Gate> {
    const { gateId, version, actor } = options;
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const gate = await this.requireEditableGate(trx, gateId);
      const before = gate.risk
        ? (JSON.parse(gate.risk) as RiskAssessment)
        : undefined;
      const current = before?.version ?? 0;
      if (current !== version) {
        throw new ConflictError(
          `The risk assessment is at version ${current}, not ${version}: someone else changed it; reload and try again`,
        );
      }
      const risk: RiskAssessment = {
        ...options.risk,
        updatedBy: actor,
        updatedAt: at,
        version: version + 1,
      };
      await this.bumpGate(trx, gate, at, { risk: JSON.stringify(risk) });
      await this.audit(trx, {
        entityRef: gate.entity_ref,
        gateId,
        actor,
        action: 'risk.update',
        before,
        after: risk,
        at,
      });
    });
    return (await this.getGate({ gateId }))!;
  }

  async transition(options: {
    gateId: string;
    from: GateState[];
    to: GateState;
    actor: string;
    reason?: string;
    expectedVersion?: number;
    decision?: {
      verdict: 'go' | 'no-go';
      reason: string;
      stateHash: string;
      blockers?: number;
    };
  }): Promise<Gate> {
    const { gateId, from, to, actor, decision } = options;
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const gate = await this.requireGate(trx, gateId);
      if (!from.includes(gate.state as GateState)) {
        throw new ConflictError(
          `The gate is ${gate.state}; it can go to ${to} only from ${from.join(
            ' or ',
          )}`,
        );
      }
      if (
        options.expectedVersion !== undefined &&
        gate.version !== options.expectedVersion
      ) {
        throw new ConflictError(
          'The gate changed while the decision was being recorded; reload and decide again',
        );
      }
      await lockRelease(trx, gate.entity_ref, gate.release);
      await this.bumpGate(trx, gate, at, { state: to });
      if (decision) {
        await trx<DecisionRow>('decisions').insert({
          id: randomUUID(),
          gate_id: gateId,
          verdict: decision.verdict,
          reason: decision.reason,
          decided_by: actor,
          at,
          state_hash: decision.stateHash,
          blocker_count: decision.blockers ?? null,
        });
      }
      await refreshGateMetrics(trx, [gateId]);
      await this.audit(trx, {
        entityRef: gate.entity_ref,
        gateId,
        actor,
        action: decision ? `decision.${decision.verdict}` : `gate.${to}`,
        before: { state: gate.state },
        after: {
          state: to,
          ...(options.reason ? { reason: options.reason } : {}),
          ...(decision ? { stateHash: decision.stateHash } : {}),
        },
        at,
      });
    });
    return (await this.getGate({ gateId }))!;
  }

  async listAudit(options: { gateId: string }): Promise<AuditEvent[]> {
    const rows = await this.db<AuditEventRow & AuditChainColumns>(
      'audit_events',
    )
      .where({ gate_id: options.gateId })
      .orderBy('id');
    return rows.map(row => ({
      id: String(row.id),
      entityRef: row.entity_ref,
      ...(row.gate_id ? { gateId: row.gate_id } : {}),
      actor: row.actor,
      action: row.action,
      ...(row.before ? { before: JSON.parse(row.before) } : {}),
      ...(row.after ? { after: JSON.parse(row.after) } : {}),
      at: toIso(row.at),
      ...(row.prev_hash ? { prevHash: row.prev_hash } : {}),
      ...(row.hash ? { hash: row.hash } : {}),
    }));
  }

  async verifyAuditChain(options: {
    gateId: string;
  }): Promise<AuditChainVerification> {
    return verifyChain(await this.listAudit(options));
  }
}
