import { Blocker, ConditionId, ConditionResult } from '../types';

/**
 * The conditions of a Go decision in the order they are evaluated and shown,
 * with their titles.
 *
 * @public
 */
export const CONDITION_TITLES: Readonly<Record<ConditionId, string>> = {
  artifacts: 'Artifacts',
  automated: 'Automated quality gates',
  risk: 'Risk',
  rollback: 'Rollback',
  communication: 'Communication',
  signoffs: 'Sign-offs',
  window: 'Release window',
  rollup: 'Components of the system',
};

/** `done / total` clamped to 0..1; 1 when there is nothing to do. */
export function fraction(done: number, total: number): number {
  if (total <= 0) {
    return 1;
  }
  return Math.min(1, Math.max(0, done / total));
}

/**
 * A condition's result. Every unmet requirement yields a blocker, so the
 * condition is met exactly when there is none.
 */
export function conditionResult(
  id: ConditionId,
  progress: number,
  blockers: Blocker[],
): ConditionResult {
  const met = blockers.length === 0;
  return {
    id,
    title: CONDITION_TITLES[id],
    met,
    progress: met ? 1 : Math.min(1, Math.max(0, progress)),
    blockers,
  };
}
