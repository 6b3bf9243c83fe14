/*
 * The release of a gate: a GO authorizes it only while it holds. The gate is
 * evaluated again inside the transaction that releases it, against what is
 * stored at that moment (evidence, waivers, votes) and the release windows
 * at *now*, not only at the planned time; evidence or a vote arriving at the
 * same moment takes the entity's row first or waits for the release, never
 * slips between the check and the write. A GO that no longer holds is
 * refused (409, naming what lapsed), unless the caller overrides it with a
 * reason; the route has checked the override permission (release
 * managers), and the release's audit event keeps the reason and what had
 * lapsed, which the dossier shows.
 */
import { ConflictError } from '@backstage/errors';
import {
  Gate,
  GATE_STATE_LABELS,
  GATE_TRANSITIONS,
  GateWithEvaluation,
  goHold,
} from '@release-readiness/plugin-common';
import { GoOverride } from '../database';
import { EntityChanges } from './EntityChanges';
import { GateEvaluator } from './GateEvaluator';

/** Releases a gate that is GO if its GO still holds, or if overridden. */
export async function releaseGate(
  deps: { changes: EntityChanges; evaluator: GateEvaluator },
  gate: Gate,
  reason: string | undefined,
  actor: string,
  options: { override?: boolean },
): Promise<GateWithEvaluation> {
  const move = GATE_TRANSITIONS.release;
  return deps.changes.changeGate(gate.entityRef, async (stores, context) => {
    const current = await stores.gates.getGate({ gateId: gate.id });
    if (!current || !move.from.includes(current.state)) {
      throw new ConflictError(
        `The gate is ${
          current ? GATE_STATE_LABELS[current.state].inSentence : 'gone'
        }; only a gate that is GO can be released`,
      );
    }
    const evaluation = await deps.evaluator.evaluate(
      current,
      new Date(),
      context.parts ? { parts: context.parts } : {},
      stores,
    );
    const hold = goHold(current, evaluation);
    let override: GoOverride | undefined;
    if (!hold?.holds) {
      // A GO state without a GO decision is none the API writes: nothing
      // authorizes that release either.
      const lapsed = hold
        ? hold.blockers.map(b => b.message)
        : ['no GO decision is recorded for it'];
      if (!options.override) {
        throw new ConflictError(
          `${
            hold?.message ??
            `The gate is GO but ${lapsed[0]}, so nothing authorizes its release`
          }. Release it once every condition holds again, or a release manager may release it anyway with a reason (override)`,
        );
      }
      override = {
        reason: reason!,
        ...(hold ? { goRecordedAt: hold.decidedAt } : {}),
        lapsed,
      };
    }
    return stores.gates.transition({
      gateId: gate.id,
      from: [...move.from],
      to: move.to,
      actor,
      expectedVersion: current.version,
      ...(reason ? { reason } : {}),
      ...(override ? { override } : {}),
    });
  });
}
