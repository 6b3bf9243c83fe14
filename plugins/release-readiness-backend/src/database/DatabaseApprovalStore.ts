/*
 * Governance writes (see ApprovalStore). Each reads the gate's row locked
 * (requireEditableGate) and refuses an approval already given, so two
 * approvers racing record one approval and the other gets a 409.
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Gate,
  TemplateApproval,
  Waiver,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { ApprovalStore, GivenApproval } from './ApprovalStore';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import {
  requireEditableGate,
  selectGates,
  toWholeGates,
  touchGate,
} from './gateRows';
import { GateItemRow, GateRow } from './tables';

/** @internal */
export class DatabaseApprovalStore implements ApprovalStore {
  static create(options: { db: Knex }): DatabaseApprovalStore {
    return new DatabaseApprovalStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  private async gate(gateId: string): Promise<Gate> {
    return toWholeGates(await selectGates(this.db).where({ id: gateId }))[0];
  }

  private given(actor: string, comment?: string): GivenApproval {
    return {
      approvedBy: actor,
      approvedAt: new Date().toISOString(),
      ...(comment?.trim() ? { comment: comment.trim() } : {}),
    };
  }

  async approveTemplate(options: {
    gateId: string;
    actor: string;
    comment?: string;
  }): Promise<Gate> {
    const { gateId, actor } = options;
    await this.db.transaction(async trx => {
      const row = await requireEditableGate(trx, gateId);
      const pending = row.template_approval
        ? (JSON.parse(row.template_approval) as TemplateApproval)
        : undefined;
      if (!pending) {
        throw new ConflictError(
          `The template choice of gate ${gateId} needs no approval`,
        );
      }
      if (pending.approvedBy) {
        throw new ConflictError(
          `The template choice of gate ${gateId} was already approved by ${pending.approvedBy}`,
        );
      }
      const approval = { ...pending, ...this.given(actor, options.comment) };
      await trx<GateRow>('gates')
        .where({ id: gateId })
        .update({ template_approval: JSON.stringify(approval) });
      await touchGate(trx, gateId, approval.approvedAt);
      await DatabaseAuditLog.create({ db: trx }).append({
        entityRef: row.entity_ref,
        gateId,
        actor,
        action: 'gate.template-approval',
        before: { templateApproval: pending },
        after: { templateApproval: approval },
        at: approval.approvedAt,
      });
    });
    return this.gate(gateId);
  }

  async approveWaiver(options: {
    gateId: string;
    itemId: string;
    actor: string;
    comment?: string;
  }): Promise<Gate> {
    const { gateId, itemId, actor } = options;
    await this.db.transaction(async trx => {
      const row = await requireEditableGate(trx, gateId);
      const item = await trx<GateItemRow>('gate_items')
        .where({ gate_id: gateId, item_id: itemId })
        .first();
      if (!item) {
        throw new NotFoundError(
          `Gate ${gateId} has no checklist item ${itemId}`,
        );
      }
      const waiver = item.waiver
        ? (JSON.parse(item.waiver) as Waiver)
        : undefined;
      if (item.status !== 'waived' || !waiver?.approval) {
        throw new ConflictError(
          `${itemId} has no waiver awaiting approval (it is ${item.status})`,
        );
      }
      if (waiver.approval.approvedBy) {
        throw new ConflictError(
          `The waiver of ${itemId} was already approved by ${waiver.approval.approvedBy}`,
        );
      }
      const given = this.given(actor, options.comment);
      const approved: Waiver = {
        ...waiver,
        approval: { ...waiver.approval, ...given },
      };
      const updated = await trx<GateItemRow>('gate_items')
        .where({ gate_id: gateId, item_id: itemId, version: item.version })
        .update({
          waiver: JSON.stringify(approved),
          version: item.version + 1,
        });
      if (updated !== 1) {
        throw new ConflictError(
          `Checklist item ${itemId} changed while the approval was recorded; reload and try again`,
        );
      }
      await touchGate(trx, gateId, given.approvedAt);
      await DatabaseAuditLog.create({ db: trx }).append({
        entityRef: row.entity_ref,
        gateId,
        actor,
        action: 'item.waiver-approval',
        before: { itemId, waiver },
        after: { itemId, waiver: approved },
        at: given.approvedAt,
      });
    });
    return this.gate(gateId);
  }

  async markVotesStale(options: {
    gateId: string;
    actor: string;
    because: string;
  }): Promise<void> {
    const { gateId, actor, because } = options;
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const row = await requireEditableGate(trx, gateId);
      await touchGate(trx, gateId, at, { bumpRevision: true });
      await DatabaseAuditLog.create({ db: trx }).append({
        entityRef: row.entity_ref,
        gateId,
        actor,
        action: 'signoffs.stale',
        before: { checklistRevision: row.checklist_revision },
        after: { checklistRevision: row.checklist_revision + 1, because },
        at,
      });
    });
  }
}
