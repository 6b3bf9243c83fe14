/*
 * Setting or moving the planned release time of a gate after it was opened
 * (issue 15: without it, the only way past "set when the release will go
 * out" or a freeze was to cancel the gate and lose its work). The route has
 * checked that the caller may edit the gate (gate owners); the date is
 * checked here (a day that does not exist is a 400 naming `plannedAt`), and
 * the gate's state and version where the write happens, inside the entity's
 * transaction (`database/plannedTime.ts`): a gate decided, released or
 * cancelled meanwhile is a 409, and so is a version that moved on. The
 * answer is the gate re-evaluated against the release windows at the new
 * time, and the entity's portfolio summary is written with it.
 */
import { ConflictError } from '@backstage/errors';
import {
  Gate,
  GATE_STATE_LABELS,
  GateWithEvaluation,
  PlannedTimeRequest,
} from '@release-readiness/plugin-common';
import { EntityChanges } from './EntityChanges';
import { requestTimestamp } from './timestamps';

/** Sets the planned release time of a gate in progress; see above. */
export async function setPlannedTime(
  deps: { changes: EntityChanges },
  gate: Gate,
  request: PlannedTimeRequest,
  actor: string,
): Promise<GateWithEvaluation> {
  const plannedAt = requestTimestamp(request.plannedAt, 'plannedAt');
  // A first, friendlier answer; the check that counts is in the transaction.
  if (gate.state !== 'in-progress') {
    throw new ConflictError(
      `The gate is ${
        GATE_STATE_LABELS[gate.state].inSentence
      }; its planned release time can only be changed while it is in progress`,
    );
  }
  return deps.changes.changeGate(gate.entityRef, stores =>
    stores.gates.setPlannedTime({
      gateId: gate.id,
      plannedAt,
      ...(request.version !== undefined
        ? { expectedVersion: request.version }
        : {}),
      actor,
    }),
  );
}
