/*
 * What a gate came to. A gate that is over (released, rolled back or
 * cancelled) is shown by its final state: its evaluation against today's
 * evidence, windows and votes says nothing about a release that already went
 * out (or never will), so neither its verdict, its score nor its blockers are
 * shown or re-computed. The backend's portfolio summary and every screen use
 * these functions, so that the two never disagree.
 */
import { GateState, Verdict } from '../types';
import { GATE_STATE_LABELS } from './gateLifecycle';

/** The states in which a gate is over: nothing moves it but a rollback. @public */
export const FINAL_GATE_STATES: readonly GateState[] = [
  'released',
  'rolled-back',
  'cancelled',
];

/**
 * Whether a gate in this state is over, its outcome final: it is never
 * evaluated again for display.
 *
 * @public
 */
export function isFinalGateState(state: GateState | string | undefined) {
  return FINAL_GATE_STATES.includes(state as GateState);
}

/**
 * How a gate is shown: by its final state once it is over, by its verdict
 * while it is open.
 *
 * @public
 */
export interface GateOutcome {
  /** Whether the gate is over (released, rolled back or cancelled). */
  final: boolean;
  /**
   * What the screen shows as the gate's result: `Released`, `Rolled back`,
   * `Cancelled`, or the verdict of an open gate (`GO`, `NO-GO`,
   * `IN PROGRESS`).
   */
  label: string;
  /**
   * What kind of result it is, for its colour and icon: the verdict of an
   * open gate, or the final state.
   */
  kind: Verdict | 'released' | 'rolled-back' | 'cancelled';
  /**
   * Whether the score and the blockers mean anything: only while the gate
   * is open. A released gate has no blockers to fix.
   */
  showsEvaluation: boolean;
  /** One sentence about the result, for a person. */
  sentence: string;
}

/**
 * What a gate came to, from its state (and, while it is open, its verdict).
 * Pure: the same answer on the server and in the browser, whatever the
 * evidence of today.
 *
 * @public
 */
export function gateOutcome(gate: {
  state: GateState;
  verdict: Verdict;
  release?: string;
}): GateOutcome {
  const release = gate.release ? `Release ${gate.release}` : 'The release';
  switch (gate.state) {
    case 'released':
      return {
        final: true,
        label: GATE_STATE_LABELS.released.label,
        kind: 'released',
        showsEvaluation: false,
        sentence: `${release} went out; its gate is closed.`,
      };
    case 'rolled-back':
      return {
        final: true,
        label: GATE_STATE_LABELS['rolled-back'].label,
        kind: 'rolled-back',
        showsEvaluation: false,
        sentence: `${release} went out and was rolled back; its gate is closed.`,
      };
    case 'cancelled':
      return {
        final: true,
        label: GATE_STATE_LABELS.cancelled.label,
        kind: 'cancelled',
        showsEvaluation: false,
        sentence: `${release} was cancelled before it went out; its gate is closed.`,
      };
    default:
      return {
        final: false,
        label: gate.verdict,
        kind: gate.verdict,
        showsEvaluation: true,
        sentence: `${release}: ${gate.verdict}.`,
      };
  }
}

/**
 * The numbers a summary keeps of a gate: for an open gate those of its
 * evaluation; for a gate that is over, no blockers (nothing can be done
 * about a release that went out) and the score it closed with.
 *
 * @public
 */
export function outcomeNumbers(
  state: GateState,
  evaluation: { score: number; blockers: number },
): { score: number; blockers: number } {
  return isFinalGateState(state)
    ? { score: evaluation.score, blockers: 0 }
    : evaluation;
}
