import { ConditionResult, GateState, Verdict } from '../types';

const VERDICTS: Readonly<Record<GateState, Verdict>> = {
  'in-progress': 'IN PROGRESS',
  go: 'GO',
  released: 'GO',
  'no-go': 'NO-GO',
  'rolled-back': 'NO-GO',
  cancelled: 'NO-GO',
};

/**
 * The verdict shown for a gate in a given state: GO once decided go (or
 * released), NO-GO once decided no-go, rolled back or cancelled, IN PROGRESS
 * before a decision.
 *
 * @public
 */
export function verdictForState(state: GateState): Verdict {
  return VERDICTS[state] ?? 'IN PROGRESS';
}

/**
 * The health score, 0..100: the mean progress of the conditions as a whole
 * percentage. Only a gate whose every condition is met scores 100; any other
 * gate scores at most 99.
 *
 * @public
 */
export function healthScore(conditions: ConditionResult[]): number {
  if (conditions.every(condition => condition.met)) {
    return 100;
  }
  const total = conditions.reduce(
    (sum, condition) => sum + Math.min(1, Math.max(0, condition.progress)),
    0,
  );
  return Math.min(99, Math.round((100 * total) / conditions.length));
}
