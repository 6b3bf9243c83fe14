import { describeComparison, evaluateRule, parseRule } from './rules';

describe('parseRule', () => {
  it('reads comparisons joined by and', () => {
    expect(
      parseRule('status == "passed" and critical == 0').comparisons,
    ).toEqual([
      { field: 'status', operator: '==', value: 'passed' },
      { field: 'critical', operator: '==', value: 0 },
    ]);
    expect(parseRule('passed == true').comparisons[0].value).toBe(true);
    expect(parseRule('score >= 90.5').comparisons[0].value).toBe(90.5);
  });

  it.each([
    ['', /empty/],
    ['score', /cannot read "score"/],
    ['score => 90', /cannot read/],
    ['passed >= true', /needs a number/],
    ['score >= 90 or passed == true', /cannot read/],
  ])('rejects %j', (rule, message) => {
    expect(() => parseRule(rule)).toThrow(message);
  });
});

describe('evaluateRule', () => {
  const facts = {
    status: 'passed',
    metrics: { score: 84, passed: true, tool: 'sonar' },
  };

  it('holds when every comparison holds', () => {
    expect(
      evaluateRule(parseRule('passed == true and score > 80'), facts).holds,
    ).toBe(true);
    expect(evaluateRule(parseRule('status == "passed"'), facts).holds).toBe(
      true,
    );
    expect(evaluateRule(parseRule('tool != "snyk"'), facts).holds).toBe(true);
  });

  it('fails when one comparison fails, and reports the value found', () => {
    const result = evaluateRule(
      parseRule('passed == true and score >= 90'),
      facts,
    );
    expect(result.holds).toBe(false);
    expect(result.outcomes[1]).toMatchObject({ actual: 84, holds: false });
  });

  it('fails on a missing metric and on ordering a non-number', () => {
    expect(evaluateRule(parseRule('coverage >= 80'), facts).holds).toBe(false);
    expect(evaluateRule(parseRule('tool >= 1'), facts).holds).toBe(false);
  });

  it('describes a comparison', () => {
    expect(
      describeComparison(parseRule('status == "passed"').comparisons[0]),
    ).toBe('status == "passed"');
  });
});
