import { healthScore, verdictForState } from './score';
import { conditionResult } from './conditions';
import { ConditionResult } from '../types';

function conditions(progresses: number[]): ConditionResult[] {
  return progresses.map(progress =>
    conditionResult(
      'artifacts',
      progress,
      progress < 1 ? [{ condition: 'artifacts', message: 'do it' }] : [],
    ),
  );
}

describe('healthScore', () => {
  it('is 100 when every condition is met', () => {
    expect(healthScore(conditions([1, 1, 1, 1, 1, 1]))).toBe(100);
  });

  it('is the rounded mean progress otherwise', () => {
    expect(healthScore(conditions([0, 0, 0, 0, 0, 0]))).toBe(0);
    expect(healthScore(conditions([1, 1, 1, 0.5, 0, 1]))).toBe(75);
  });

  it('never reaches 100 while a condition is unmet', () => {
    expect(healthScore(conditions([1, 1, 1, 1, 1, 0.999]))).toBe(99);
  });
});

describe('verdictForState', () => {
  it('maps decided states to GO or NO-GO and the rest to IN PROGRESS', () => {
    expect(verdictForState('go')).toBe('GO');
    expect(verdictForState('no-go')).toBe('NO-GO');
    expect(verdictForState('in-progress')).toBe('IN PROGRESS');
  });
});
