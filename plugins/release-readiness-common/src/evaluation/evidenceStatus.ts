import { Evidence } from '../types';

/**
 * The statuses with which a run reports that it did not pass: `failed` (the
 * checks ran and failed) and `error` (the run broke, so nothing it measured
 * can be trusted).
 *
 * @public
 */
export const NON_PASSING_EVIDENCE_STATUSES: ReadonlyArray<Evidence['status']> =
  ['failed', 'error'];

/**
 * Why evidence can never satisfy an automated item whatever its metrics:
 * its run reported `failed` or `error`. A run that says it failed has
 * failed, even when the numbers it posted happen to meet the rule (a
 * coverage of 95 % from a test run whose tests failed is no passing test
 * report). Undefined for `passed` and `unknown`, which the item's rule
 * judges by the metrics.
 *
 * @public
 */
export function evidenceStatusProblem(
  evidence: Pick<Evidence, 'status' | 'runId'>,
): string | undefined {
  if (!NON_PASSING_EVIDENCE_STATUSES.includes(evidence.status)) {
    return undefined;
  }
  const what = evidence.status === 'error' ? 'ended in an error' : 'failed';
  return `run ${evidence.runId} reported status ${evidence.status}: a run that ${what} never passes, whatever its metrics`;
}
