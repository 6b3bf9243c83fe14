/*
 * Exceptions to release windows (issue 16): a gate owner asks for one, with a
 * reason; the people the window names as approvers approve it (each of them,
 * as before) or reject it, with a reason. Every check that counts is made
 * inside the entity's transaction, against the gate and the request as they
 * are then; every step is in the gate's audit trail.
 *
 * An approval counts only for the window's version it was given for and
 * while its request was not rejected (exceptionCounts in -common): editing a
 * window lets its requests and approvals lapse, retiring one takes it out of
 * every evaluation.
 */
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  countingExceptions,
  evaluateWindow,
  exceptionApproved,
  Gate,
  gateClosedReason,
  GateWithEvaluation,
  missingApprovers,
  ReleaseWindow,
  WindowExceptionAsk,
  WindowExceptionRejection,
  WindowExceptionRequest,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { ReadinessStores } from '../database';
import { EntityChanges } from './EntityChanges';
import type { Actor } from './GateCommands';
import { GateEvaluator } from './GateEvaluator';
import { requireNotSelfApproval } from './governance';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function requireReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (!text) {
    throw new InputError(
      'reason: give a reason; it is kept in the audit trail with your name',
    );
  }
  return text;
}

/** 409 unless the gate, read inside the transaction, is in progress. */
function requireInProgress(current: Gate | undefined, what: string) {
  if (current?.state !== 'in-progress') {
    const why = current
      ? gateClosedReason(current) ??
        `The gate for release ${current.release} is ${current.state}`
      : 'The gate is gone';
    throw new ConflictError(`${why}; ${what} only for a gate in progress`);
  }
}

/** The approvers' refs the actor holds (user ref or group). */
function coveredBy(window: ReleaseWindow, actor: Actor): string[] {
  return window.approvers.filter(a => actor.claims.includes(lower(a)));
}

/** A request, and the gate as it is after it was recorded. */
export interface ExceptionRequestResult {
  request: WindowExceptionRequestRecord;
  gate: GateWithEvaluation;
  window: ReleaseWindow;
  /** The approvers still to approve: whom to tell. */
  approvers: string[];
}

export class WindowExceptionCommands {
  constructor(
    private readonly deps: {
      evaluator: GateEvaluator;
      changes: EntityChanges;
      stores: ReadinessStores;
    },
  ) {}

  /**
   * The window in force with this id: 400 when there is none, 409 when it
   * was retired (it blocks nothing any more).
   */
  private async windowInForce(windowId: string): Promise<ReleaseWindow> {
    const window = (await this.deps.evaluator.allWindows()).find(
      w => w.id === windowId,
    );
    if (window) return window;
    const retired = await this.deps.stores.windows.getWindow({ windowId });
    if (retired?.retiredAt) {
      throw new ConflictError(
        `The release window ${retired.name} was retired; it no longer blocks any gate and needs no exception`,
      );
    }
    throw new InputError(`windowId: there is no release window ${windowId}`);
  }

  /** The gate's requests and approvals, each approval with whether it counts. */
  async listForGate(gate: Gate) {
    const { stores } = this.deps;
    const [requests, approvals, windows] = await Promise.all([
      stores.windows.listExceptionRequests({ gateId: gate.id }),
      stores.gates.listWindowExceptions({ gateId: gate.id }),
      this.deps.evaluator.allWindows(),
    ]);
    const counting = new Set(countingExceptions(approvals, windows, requests));
    return {
      requests,
      approvals: approvals.map(a => ({ ...a, counts: counting.has(a) })),
    };
  }

  /**
   * A gate owner (the route checked the permission) asks for an exception
   * to a window that applies to the gate and blocks its planned time.
   */
  async request(
    gate: Gate,
    body: WindowExceptionAsk,
    actor: Actor,
  ): Promise<ExceptionRequestResult> {
    const reason = requireReason(body.reason);
    const window = await this.windowInForce(body.windowId);
    if (!window.approvers.some(a => a.trim())) {
      throw new ConflictError(
        `The window ${window.name} names nobody who may approve an exception; move the release instead`,
      );
    }
    let request: WindowExceptionRequestRecord | undefined;
    let missing: string[] = [];
    const updated = await this.deps.changes.changeGate(
      gate.entityRef,
      async stores => {
        const current = await stores.gates.getGate({ gateId: gate.id });
        requireInProgress(current, 'an exception is requested');
        const { windows, exceptions } = await this.deps.evaluator.windowsFor(
          current!,
          undefined,
          stores,
        );
        // The window as it is now, in this transaction: an edit committed
        // since it was read above is the version asked about.
        const inForce = windows.find(w => w.id === window.id);
        if (!inForce) {
          throw new ConflictError(
            `The window ${window.name} does not apply to ${gate.entityRef}; it needs no exception`,
          );
        }
        if (exceptionApproved(inForce, exceptions, gate.id)) {
          throw new ConflictError(
            `An exception to ${window.name} is approved for this gate already`,
          );
        }
        // Does this window block the planned time? A freeze by itself; a
        // train only when no train that applies lets the release in.
        const relevant = windows.filter(w =>
          window.kind === 'freeze' ? w.id === window.id : w.kind === 'train',
        );
        if (evaluateWindow(current!, { windows: relevant, exceptions }).met) {
          throw new ConflictError(
            `The window ${
              window.name
            } does not block the planned time of release ${
              current!.release
            }; no exception is needed`,
          );
        }
        const open = await stores.windows.openExceptionRequest({
          gateId: gate.id,
          windowId: window.id,
        });
        if (open) {
          throw new ConflictError(
            `${open.requestedBy} asked for an exception to ${window.name} already (${open.requestedAt}); it waits for the approvers`,
          );
        }
        request = await stores.windows.addExceptionRequest({
          gateId: gate.id,
          windowId: window.id,
          ...(inForce.version !== undefined
            ? { windowVersion: inForce.version }
            : {}),
          reason,
          requestedBy: actor.userEntityRef,
        });
        missing = missingApprovers(inForce, exceptions, gate.id);
        await stores.audit.append({
          entityRef: gate.entityRef,
          gateId: gate.id,
          actor: actor.userEntityRef,
          action: 'window.exception.request',
          after: {
            requestId: request.id,
            windowId: window.id,
            ...(inForce.version !== undefined
              ? { windowVersion: inForce.version }
              : {}),
            reason,
            approvers: missing,
          },
          at: request.requestedAt,
        });
        return current!;
      },
    );
    return { request: request!, gate: updated, window, approvers: missing };
  }

  /**
   * Approves, as the signed-in user, an exception to a window for the gate:
   * the user must hold one of the refs the window names as approvers, and
   * must be neither the gate's requester (where the template forbids
   * self-approval) nor the person who asked for this exception. The approval
   * answers the open request, if there is one, and completes it once every
   * approver approved.
   */
  async approve(
    gate: Gate,
    body: WindowExceptionRequest,
    actor: Actor,
  ): Promise<GateWithEvaluation> {
    const reason = requireReason(body.reason);
    const window = await this.windowInForce(body.windowId);
    if (!window.approvers.length) {
      throw new ConflictError(
        `The window ${window.name} names nobody who may approve exceptions`,
      );
    }
    const covers = coveredBy(window, actor);
    if (!covers.length) {
      throw new NotAllowedError(
        `Only ${window.approvers.join(', ')} may approve an exception to ${
          window.name
        }`,
      );
    }
    await requireNotSelfApproval(
      this.deps.stores,
      gate,
      actor.userEntityRef,
      `an exception to ${window.name}`,
    );
    return this.deps.changes.changeGate(gate.entityRef, async stores => {
      const current = await stores.gates.getGate({ gateId: gate.id });
      requireInProgress(current, 'a window exception is approved');
      if (window.source === 'api') {
        // Checked where the write happens: an approval given for a version
        // edited or retired meanwhile would be recorded and never count.
        const now = await stores.windows.getWindow({ windowId: window.id });
        if (!now || now.retiredAt || now.version !== window.version) {
          throw new ConflictError(
            `The window ${window.name} was ${
              now?.retiredAt ? 'retired' : 'changed'
            } while the exception was being approved; reload and look again`,
          );
        }
      }
      const open = await stores.windows.openExceptionRequest({
        gateId: gate.id,
        windowId: window.id,
      });
      if (open && lower(open.requestedBy) === lower(actor.userEntityRef)) {
        throw new NotAllowedError(
          `${actor.userEntityRef} asked for this exception to ${window.name}; another approver must approve it`,
        );
      }
      const approved = await stores.gates.addWindowException({
        gateId: gate.id,
        windowId: window.id,
        reason,
        approvedBy: actor.userEntityRef,
        covers,
        ...(window.version !== undefined
          ? { windowVersion: window.version }
          : {}),
        ...(open ? { requestId: open.id } : {}),
      });
      if (open) {
        const { exceptions } = await this.deps.evaluator.windowsFor(
          approved,
          undefined,
          stores,
        );
        if (exceptionApproved(window, exceptions, gate.id)) {
          await stores.windows.closeExceptionRequest({
            requestId: open.id,
            state: 'approved',
            decidedBy: actor.userEntityRef,
            reason,
          });
        }
      }
      return approved;
    });
  }

  /**
   * Rejects an open request, as one of the window's approvers, with a
   * reason: the approvals it had gathered no longer count, and the gate
   * stays blocked by the window.
   */
  async reject(
    gate: Gate,
    requestId: string,
    body: WindowExceptionRejection,
    actor: Actor,
  ): Promise<{
    request: WindowExceptionRequestRecord;
    gate: GateWithEvaluation;
  }> {
    const reason = requireReason(body.reason);
    const { stores } = this.deps;
    const found = await stores.windows.getExceptionRequest({ requestId });
    if (!found || found.gateId !== gate.id) {
      throw new NotFoundError(
        `No exception request ${requestId} on gate ${gate.id}`,
      );
    }
    const window =
      (await this.deps.evaluator.allWindows()).find(
        w => w.id === found.windowId,
      ) ?? (await stores.windows.getWindow({ windowId: found.windowId }));
    if (!window) {
      throw new NotFoundError(`No release window ${found.windowId}`);
    }
    if (!coveredBy(window, actor).length) {
      throw new NotAllowedError(
        `Only ${window.approvers.join(', ')} may reject an exception to ${
          window.name
        }`,
      );
    }
    let rejected: WindowExceptionRequestRecord | undefined;
    const updated = await this.deps.changes.changeGate(
      gate.entityRef,
      async tx => {
        const current = await tx.gates.getGate({ gateId: gate.id });
        requireInProgress(current, 'an exception is rejected');
        rejected = await tx.windows.closeExceptionRequest({
          requestId,
          state: 'rejected',
          decidedBy: actor.userEntityRef,
          reason,
        });
        await tx.audit.append({
          entityRef: gate.entityRef,
          gateId: gate.id,
          actor: actor.userEntityRef,
          action: 'window.exception.reject',
          after: { requestId, windowId: window.id, reason },
          at: rejected.decidedAt!,
        });
        return current!;
      },
    );
    return { request: rejected!, gate: updated };
  }
}
