import { evaluateGate } from './evaluateGate';
import { evidenceStatusProblem } from './evidenceStatus';
import { evidence, hoursAgo, readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';
import { EvaluationInput } from '../types';

/** The ready input with the test report replaced by one of `status`. */
function withTestReport(
  status: 'passed' | 'failed' | 'error' | 'unknown',
  metrics: Record<string, number | boolean | string> = { passed: true },
): EvaluationInput {
  const input = readyInput();
  input.evidence = [
    ...input.evidence.filter(e => e.type !== 'test-report'),
    evidence('test-report', metrics, hoursAgo(1), {
      status,
      runId: 'run-77',
    }),
  ];
  return input;
}

describe('the status a run reports', () => {
  it.each(['failed', 'error'] as const)(
    'never lets evidence of status %s pass, however good its metrics',
    status => {
      const input = withTestReport(status, { passed: true, coverage: 100 });
      const result = evaluateGate(input);
      expect(result.ready).toBe(false);
      expect(
        result.automated.find(r => r.itemId === 'unit-tests'),
      ).toMatchObject({ outcome: 'failed' });
      expect(messagesOf(input, 'automated')).toEqual([
        expect.stringMatching(
          new RegExp(`^Unit tests: .*run run-77 reported status ${status}`),
        ),
      ]);
      expect(conditionOf(input, 'automated').met).toBe(false);
    },
  );

  it.each(['passed', 'unknown'] as const)(
    'lets the rule judge evidence of status %s by its metrics',
    status => {
      expect(evaluateGate(withTestReport(status)).ready).toBe(true);
      expect(
        evaluateGate(withTestReport(status, { passed: false })).ready,
      ).toBe(false);
    },
  );

  it('does not let a failed run hide behind an older passing one', () => {
    const input = readyInput();
    input.evidence = [
      ...input.evidence,
      evidence('test-report', { passed: true }, hoursAgo(0.5), {
        status: 'failed',
        runId: 'run-78',
      }),
    ];
    expect(evaluateGate(input).ready).toBe(false);
    expect(messagesOf(input, 'automated').join()).toMatch(/run-78/);
  });

  it('names the run and the status, and says nothing for passing statuses', () => {
    expect(evidenceStatusProblem({ status: 'failed', runId: '9' })).toBe(
      'run 9 reported status failed: a run that failed never passes, whatever its metrics',
    );
    expect(evidenceStatusProblem({ status: 'error', runId: '9' })).toMatch(
      /ended in an error/,
    );
    expect(evidenceStatusProblem({ status: 'passed', runId: '9' })).toBe(
      undefined,
    );
    expect(evidenceStatusProblem({ status: 'unknown', runId: '9' })).toBe(
      undefined,
    );
  });
});
