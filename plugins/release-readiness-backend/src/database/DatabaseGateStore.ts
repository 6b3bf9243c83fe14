/*
 * Gates in the plugin's database (SQLite or PostgreSQL): checklist items,
 * votes, risk, transitions, decisions, facilitator and window exceptions.
 *
 * Guarantees, with several replicas on one database:
 * - every write runs in one transaction together with its audit event;
 * - edits are compare-and-set on a version column: `UPDATE … WHERE version = ?`,
 *   so of two edits made on the same version exactly one wins and the other
 *   gets a ConflictError, whatever replica each went to;
 * - unique indexes, not code, keep "one live gate per entity and release" and
 *   "one live vote per person and role";
 * - the gate's row is read and its state checked inside the transaction that
 *   writes (on PostgreSQL locked with FOR UPDATE, see `gateRows.ts`): no edit
 *   of a checklist, vote, risk or window exception lands on a gate a decision
 *   closed;
 * - a gate's metrics row (`gate_metrics`) is rewritten in the transaction
 *   that opens the gate, records its decision or moves it.
 */
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ChecklistItemDefinition,
  Gate,
  GateState,
  RiskAssessment,
} from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import type { AuditHead, NewAuditEvent } from '../audit/types';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { readGateAndEntity, readGateHeadAndEntity } from './entityRows';
import { isUniqueViolation } from './dialect';
import { lockRelease, refreshGateMetrics } from './gateMetrics';
import {
  bumpGate,
  gateTemplateOf,
  inStoreTransaction,
  readGates,
  selectGates,
  toWholeGates,
  requireEditableGate,
  requireGate,
  touchGate,
  voterClaimsFor,
  windowExceptionsFor,
} from './gateRows';
import {
  editableLockedGate,
  gateAfterItem,
  gateAfterRisk,
  gateAfterVote,
  itemRowOf,
  lockWholeGate,
} from './lockedGate';
import { GateStore, GoOverride } from './GateStore';
import { ManifestChange, manifestJson, writeManifest } from './manifest';
import * as facilitators from './facilitator';
import { PlannedTimeChange, writePlannedTime } from './plannedTime';
import * as mappers from './mappers';
import {
  DecisionRow,
  GateItemRow,
  GateRow,
  VoteRow,
  WindowExceptionRow,
} from './tables';

/** Appends the audit event of a change, in the change's transaction. */
function audit(
  trx: Knex.Transaction,
  event: NewAuditEvent,
): Promise<AuditHead> {
  return DatabaseAuditLog.create({ db: trx }).append(event);
}

/** @internal */
export class DatabaseGateStore implements GateStore {
  static create(options: { db: Knex }): DatabaseGateStore {
    return new DatabaseGateStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  // Gates --------------------------------------------------------------------

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
          template: JSON.stringify(mappers.toTemplateSpec(template)),
          template_hash: template.hash,
          tier: template.tier,
          state: 'in-progress',
          planned_at: options.plannedAt ?? null,
          requested_by: options.requestedBy,
          rapid_reason: options.rapidReason ?? null,
          template_reason: options.templateReason ?? null,
          template_approval: mappers.toJsonColumn(options.templateApproval),
          manifest: options.manifest ? manifestJson(options.manifest) : null,
          facilitator: options.facilitator ?? null,
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
        await audit(trx, {
          entityRef: options.entityRef,
          gateId: id,
          actor: options.requestedBy,
          action: template.rapid ? 'gate.open-rapid' : 'gate.open',
          after: {
            state: 'in-progress',
            release: options.release,
            template: template.name,
            templateVersion: template.version,
            templateHash: template.hash,
            plannedAt: options.plannedAt,
            rapidReason: options.rapidReason,
            templateReason: options.templateReason,
            templateApproval: options.templateApproval,
            manifest: options.manifest,
            facilitator: options.facilitator,
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

  getGateAndEntity(options: { gateId: string }) {
    return readGateAndEntity(this.db, options.gateId);
  }
  getGateHeadAndEntity(options: { gateId: string }) {
    return readGateHeadAndEntity(this.db, options.gateId);
  }

  getGateTemplate(options: { gateId: string }) {
    return gateTemplateOf(this.db, options.gateId);
  }

  async getGate(options: { gateId: string; lock?: boolean }) {
    if (options.lock) return lockWholeGate(this.db, options.gateId);
    return (await readGates(this.db, q => q.where('id', options.gateId)))[0];
  }

  async getReleaseGate(options: { entityRef: string; release: string }) {
    const { entityRef, release } = options;
    const [gate]: (Gate | undefined)[] = await readGates(this.db, q =>
      q
        .where({ entity_ref: entityRef, release })
        .whereNot('state', 'cancelled'),
    );
    return gate;
  }

  async listGates(options: { entityRef: string }): Promise<Gate[]> {
    return readGates(this.db, q =>
      q
        .where({ entity_ref: options.entityRef })
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc'),
    );
  }

  async listLiveGates(
    options: { after?: string; limit?: number } = {},
  ): Promise<Gate[]> {
    const rows = await selectGates(this.db)
      .whereIn('state', ['in-progress', 'go'])
      .modify(qb => {
        if (options.after) qb.where('id', '>', options.after);
      })
      .orderBy('id')
      .limit(options.limit ?? 100);
    return toWholeGates(rows);
  }

  async listCurrentGates(
    options: { after?: string; limit?: number } = {},
  ): Promise<Gate[]> {
    const rows = await selectGates(this.db, 'g')
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
    return toWholeGates(rows);
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

  async currentReleases(options: {
    entityRefs: string[];
  }): Promise<Map<string, string>> {
    if (!options.entityRefs.length) return new Map();
    const rows = await this.db<GateRow>('gates')
      .whereIn('entity_ref', options.entityRefs)
      .whereNot({ state: 'cancelled' })
      .select('entity_ref', 'release', 'opened_at', 'id')
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc');
    const releases = new Map<string, string>();
    for (const row of rows) {
      if (!releases.has(row.entity_ref)) {
        releases.set(row.entity_ref, row.release);
      }
    }
    return releases;
  }

  // Checklist items, votes, risk and transitions ----------------------------

  async updateItem(
    options: Parameters<GateStore['updateItem']>[0],
  ): Promise<Gate> {
    const { gateId, itemId, version, patch, actor } = options;
    const at = new Date().toISOString();
    return inStoreTransaction(this.db, async trx => {
      // The whole gate, locked: its item rows are what is stored, and the
      // answer is made from it rather than read again.
      const gate = await editableLockedGate(trx, gateId);
      const item = itemRowOf(gate, itemId);
      if (!item) {
        throw new NotFoundError(
          `Gate ${gateId} has no checklist item ${itemId}`,
        );
      }
      const written = {
        status: patch.status,
        ...(patch.status === 'failed' ? { ever_failed: true } : {}),
        note: patch.note ?? null,
        waiver: mappers.toJsonColumn(patch.waiver),
        updated_by: actor,
        updated_at: at,
        version: version + 1,
      };
      const updated = await trx<GateItemRow>('gate_items')
        .where({ gate_id: gateId, item_id: itemId, version })
        .update(written);
      if (updated !== 1) {
        // The row read locked is the item as stored.
        throw new ConflictError(
          `Checklist item ${itemId} is at version ${item.version}, not ${version}: someone else changed it; reload and try again`,
        );
      }
      const definition = JSON.parse(item.definition) as ChecklistItemDefinition;
      const statusChanged =
        item.status !== patch.status ||
        (item.waiver ?? null) !== mappers.toJsonColumn(patch.waiver);
      // Votes cast before a required item changed no longer count.
      const bumpRevision = definition.required && statusChanged;
      await touchGate(trx, gateId, at, { bumpRevision });
      await audit(trx, {
        entityRef: gate.entityRef,
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
      return gateAfterItem(gate, {
        item: { ...item, ...written },
        at,
        bumpRevision,
      })!;
    });
  }

  async addVote(options: Parameters<GateStore['addVote']>[0]): Promise<Gate> {
    const { gateId, role, voter } = options;
    const at = new Date().toISOString();
    try {
      return await inStoreTransaction(this.db, async trx => {
        // The gate as this transaction read it locked (the caller's, or
        // read now): its votes are those stored.
        const gate = await editableLockedGate(trx, gateId, options.gate);
        const previous = gate.votes.find(
          v => v.role === role && v.voter === voter && !v.supersededAt,
        );
        if (previous) {
          await trx<VoteRow>('votes')
            .where({ id: previous.id })
            .update({ superseded_at: at });
        }
        const vote: VoteRow = {
          id: randomUUID(),
          gate_id: gateId,
          role,
          voter,
          voter_claims: JSON.stringify(options.voterClaims),
          verdict: options.verdict,
          comment: options.comment ?? null,
          checklist_revision: gate.checklistRevision,
          at,
          superseded_at: null,
        };
        await trx<VoteRow>('votes').insert(vote);
        await touchGate(trx, gateId, at);
        await audit(trx, {
          entityRef: gate.entityRef,
          gateId,
          actor: voter,
          action: 'signoff.vote',
          before: previous
            ? {
                role,
                verdict: previous.verdict,
                comment: previous.comment ?? null,
              }
            : undefined,
          after: { role, verdict: options.verdict, comment: options.comment },
          at,
        });
        return gateAfterVote(gate, {
          ...(previous ? { previousId: previous.id } : {}),
          vote,
          at,
        })!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${voter} voted for ${role} at the same moment from elsewhere; reload and try again`,
        );
      }
      throw error;
    }
  }

  getVoterClaims(options: { gateId: string; gate?: Gate }) {
    return voterClaimsFor(this.db, options.gateId, options.gate);
  }

  async putRisk(options: Parameters<GateStore['putRisk']>[0]): Promise<Gate> {
    const { gateId, version, actor, consentVersion } = options;
    const at = new Date().toISOString();
    return inStoreTransaction(this.db, async trx => {
      // The gate as this transaction read it locked (the caller's, or read
      // now): its risk is what is stored.
      const gate = await editableLockedGate(trx, gateId, options.gate);
      const before = gate.risk;
      const current = before?.version ?? 0;
      if (current !== version) {
        throw new ConflictError(
          `The risk assessment is at version ${current}, not ${version}: someone else changed it; reload and try again`,
        );
      }
      if (consentVersion !== undefined && consentVersion !== current) {
        throw new ConflictError(
          `consent.riskVersion: the acceptance or approval was given on risk assessment version ${consentVersion}, but it is at version ${current}; nothing was recorded. Review the assessment as it is and tick the box again`,
        );
      }
      const risk: RiskAssessment = {
        ...options.risk,
        updatedBy: actor,
        updatedAt: at,
        version: version + 1,
      };
      const stored = JSON.stringify(risk);
      await bumpGate(trx, gate, at, { risk: stored });
      await audit(trx, {
        entityRef: gate.entityRef,
        gateId,
        actor,
        action: 'risk.update',
        before,
        after: risk,
        at,
      });
      return gateAfterRisk(gate, { risk: stored, at });
    });
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
    override?: GoOverride;
  }): Promise<Gate> {
    const { gateId, from, to, actor, decision, override } = options;
    const at = new Date().toISOString();
    await inStoreTransaction(this.db, async trx => {
      const gate = await requireGate(trx, gateId);
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
      await bumpGate(trx, gate, at, {
        state: to,
        ...(to === 'released' ? { released_at: at } : {}),
      });
      // Every state change is in the chain with its reason, a decision's
      // included; the decision row keeps the head its event made.
      const head = await audit(trx, {
        entityRef: gate.entity_ref,
        gateId,
        actor,
        action: decision ? `decision.${decision.verdict}` : `gate.${to}`,
        before: { state: gate.state },
        after: {
          state: to,
          ...(options.reason ? { reason: options.reason } : {}),
          ...(decision
            ? {
                verdict: decision.verdict,
                reason: decision.reason,
                stateHash: decision.stateHash,
              }
            : {}),
          ...(override ? { override } : {}),
        },
        at,
      });
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
          head_seq: head.seq,
          head_hash: head.hash,
        });
      }
      await refreshGateMetrics(trx, [gateId]);
    });
    return (await this.getGate({ gateId }))!;
  }

  // Window exceptions --------------------------------------------------------

  listWindowExceptions(options: { gateId: string; gate?: Gate }) {
    return windowExceptionsFor(this.db, options.gateId, options.gate);
  }

  async addWindowException(options: {
    gateId: string;
    windowId: string;
    reason: string;
    approvedBy: string;
    covers: string[];
    windowVersion?: number;
    requestId?: string;
  }): Promise<Gate> {
    const at = new Date().toISOString();
    await inStoreTransaction(this.db, async trx => {
      const gate = await requireEditableGate(trx, options.gateId);
      await trx<WindowExceptionRow>('window_exceptions').insert({
        id: randomUUID(),
        gate_id: options.gateId,
        window_id: options.windowId,
        reason: options.reason,
        approved_by: options.approvedBy,
        covers: JSON.stringify(options.covers),
        approved_at: at,
        window_version: options.windowVersion ?? null,
        request_id: options.requestId ?? null,
      });
      await touchGate(trx, options.gateId, at);
      await audit(trx, {
        entityRef: gate.entity_ref,
        gateId: options.gateId,
        actor: options.approvedBy,
        action: 'window.exception',
        after: {
          windowId: options.windowId,
          reason: options.reason,
          covers: options.covers,
          ...(options.windowVersion
            ? { windowVersion: options.windowVersion }
            : {}),
          ...(options.requestId ? { requestId: options.requestId } : {}),
        },
        at,
      });
    });
    return (await this.getGate({ gateId: options.gateId }))!;
  }

  async setManifest(change: ManifestChange): Promise<Gate> {
    await writeManifest(this.db, change);
    return (await this.getGate({ gateId: change.gateId }))!;
  }

  async setFacilitator(change: facilitators.FacilitatorChange) {
    await facilitators.writeFacilitator(this.db, change);
    return (await this.getGate({ gateId: change.gateId }))!;
  }

  facilitatorHistory(options: { entityRef: string }) {
    return facilitators.readFacilitatorHistory(this.db, options.entityRef);
  }

  async setPlannedTime(change: PlannedTimeChange): Promise<Gate> {
    await writePlannedTime(this.db, change);
    return (await this.getGate({ gateId: change.gateId }))!;
  }
}
