/*
 * The approvals governance asks for (issue 14): a template choice that
 * weakens a gate, and a waiver of a guarded item. Who may approve is
 * checked on the gate as the approval's transaction read it (under the
 * entity's lock): the approvers the gate recorded when the choice or the
 * waiver was made, never the person the approval guards against — the
 * gate's requester for its template, the waiver's author for a waiver.
 */
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  approvalProblem,
  Gate,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { ReadinessStores } from '../database';
import { EntityChanges } from './EntityChanges';
import type { Actor } from './GateCommands';

function refuse(problem: { status: 403 | 409; message: string }): never {
  if (problem.status === 403) throw new NotAllowedError(problem.message);
  throw new ConflictError(problem.message);
}

async function currentGate(stores: ReadinessStores, gateId: string) {
  const gate = await stores.gates.getGate({ gateId });
  if (!gate) throw new NotFoundError(`No gate with id ${gateId}`);
  return gate;
}

/** The approval commands; see the top of this file. */
export class ApprovalCommands {
  constructor(private readonly deps: { changes: EntityChanges }) {}

  /** Approves the gate's template choice. */
  async approveTemplate(
    gate: Gate,
    actor: Actor,
    comment?: string,
  ): Promise<GateWithEvaluation> {
    return this.deps.changes.changeGate(gate.entityRef, async stores => {
      const current = await currentGate(stores, gate.id);
      const approval = current.templateApproval;
      if (!approval) {
        throw new ConflictError(
          `The gate was opened with ${current.templateName}, the template that applies to ${current.entityRef}; its template choice needs no approval`,
        );
      }
      const problem = approvalProblem(
        approval,
        actor,
        `the choice of template ${current.templateName}`,
        {
          ref: current.requestedBy,
          why: 'they requested this gate, and nobody approves their own choice of template',
        },
      );
      if (problem) refuse(problem);
      return stores.approvals.approveTemplate({
        gateId: gate.id,
        actor: actor.userEntityRef,
        ...(comment ? { comment } : {}),
      });
    });
  }

  /** Approves the waiver of one checklist item. */
  async approveWaiver(
    gate: Gate,
    itemId: string,
    actor: Actor,
    comment?: string,
  ): Promise<GateWithEvaluation> {
    return this.deps.changes.changeGate(gate.entityRef, async stores => {
      const current = await currentGate(stores, gate.id);
      const item = current.items.find(i => i.id === itemId);
      if (!item) {
        throw new NotFoundError(`The gate has no checklist item ${itemId}`);
      }
      const approval = item.waiver?.approval;
      if (item.status !== 'waived' || !approval) {
        throw new ConflictError(
          `${item.title} has no waiver awaiting approval (it is ${item.status})`,
        );
      }
      const problem = approvalProblem(
        approval,
        actor,
        `the waiver of ${item.title}`,
        {
          ref: item.waiver!.by,
          why: 'they waived it, and nobody approves their own waiver',
        },
      );
      if (problem) refuse(problem);
      return stores.approvals.approveWaiver({
        gateId: gate.id,
        itemId,
        actor: actor.userEntityRef,
        ...(comment ? { comment } : {}),
      });
    });
  }
}
