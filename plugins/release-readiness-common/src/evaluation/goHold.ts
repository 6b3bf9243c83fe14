/*
 * A GO holds only while it is true. It is recorded when every condition is
 * met at the planned time; whenever someone asks whether the release may go
 * out (a pipeline's `/decision`, the CLI's `gate check`, the `release`
 * transition, the Readiness tab) the same gate is evaluated again at that
 * moment, and the GO authorizes the release only while every condition is
 * still met and the release windows let it out *now*. The backend and the
 * frontend both answer with this one function.
 */
import { Gate, GateEvaluation, GoHold } from '../types';
import { formatUtc } from './time';

/**
 * Whether the gate's recorded GO still holds, given an evaluation made now;
 * undefined unless the gate is GO (decided and not yet released).
 *
 * @public
 */
export function goHold(
  gate: Pick<Gate, 'state' | 'decisions'>,
  evaluation: Pick<GateEvaluation, 'ready' | 'blockers' | 'releaseNow'>,
): GoHold | undefined {
  if (gate.state !== 'go') {
    return undefined;
  }
  const decision = [...gate.decisions].reverse().find(d => d.verdict === 'go');
  if (!decision) {
    return undefined;
  }
  const blockers = [
    ...evaluation.blockers,
    ...(evaluation.releaseNow?.blockers ?? []),
  ];
  const holds = evaluation.ready && blockers.length === 0;
  const recorded = `GO recorded at ${formatUtc(new Date(decision.at))} by ${
    decision.by
  }`;
  return {
    decidedAt: decision.at,
    decidedBy: decision.by,
    holds,
    blockers,
    message: holds
      ? `${recorded} holds: every condition is still met`
      : `${recorded}, no longer holds: ${
          blockers.length
            ? blockers.map(b => b.message).join('; ')
            : 'a condition is no longer met'
        }`,
  };
}
