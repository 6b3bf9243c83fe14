/*
 * The outcome loop's statistics against hand-computed figures: the 95 %
 * Wilson score interval (z = 1.96), the minimum-sample rule (nothing is
 * claimed from three releases), and the finding of each kind in words.
 */
import { compareInsights, itemFinding, wilson } from './statistics';

const item = {
  template: 'component-gate',
  itemId: 'user-acceptance',
  title: 'User acceptance',
};
const options = { minSample: 10, windowDays: 14 };

describe('wilson', () => {
  it.each([
    // k, n, low, high: p̂ ± the Wilson score formula, by hand.
    [5, 14, 0.1634, 0.6124],
    [6, 100, 0.0278, 0.1248],
    [0, 10, 0, 0.2775],
    [8, 12, 0.3906, 0.8619],
    [3, 3, 0.4385, 1],
  ])('%i of %i: %f–%f', (k, n, low, high) => {
    const [lo, hi] = wilson(k, n)!;
    expect(lo).toBeCloseTo(low, 4);
    expect(hi).toBeCloseTo(high, 4);
  });

  it('has no interval without a release', () => {
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('itemFinding', () => {
  it('finds an outcome riskier when the intervals do not overlap, and says so with its counts', () => {
    const found = itemFinding(
      item,
      [
        { outcome: 'passed', releases: 100, incidents: 6 },
        { outcome: 'waived', releases: 14, incidents: 5 },
      ],
      options,
    );
    expect(found.finding).toBe('riskier');
    expect(found.findingOutcome).toBe('waived');
    expect(found.releases).toBe(114);
    expect(found.incidents).toBe(11);
    const waived = found.outcomes.find(o => o.outcome === 'waived')!;
    expect(waived.rate).toBeCloseTo(5 / 14, 6);
    expect(waived.otherwise).toMatchObject({ releases: 100, incidents: 6 });
    expect(waived.otherwise.rate).toBeCloseTo(0.06, 6);
    expect(found.reading).toMatch(
      /^waived in 14 releases, 5 had a sev1–2 incident within 14 days: 36 % vs 6 % otherwise \(95 % intervals 16 %–61 % and 3 %–12 %\)\. Correlation, not cause/,
    );
  });

  it('claims nothing below the minimum sample, however strong the rate', () => {
    const found = itemFinding(
      item,
      [
        { outcome: 'passed', releases: 100, incidents: 6 },
        { outcome: 'waived', releases: 3, incidents: 3 },
      ],
      options,
    );
    expect(found.finding).toBe('not-enough-data');
    expect(found.reading).toBe(
      'waived in 3 of 103 releases: too few to compare (at least 10 on each side are needed).',
    );
    expect(
      itemFinding(
        item,
        [{ outcome: 'passed', releases: 4, incidents: 0 }],
        options,
      ).finding,
    ).toBe('not-enough-data');
  });

  it('says there is no difference when the intervals overlap', () => {
    const found = itemFinding(
      item,
      [
        { outcome: 'passed', releases: 100, incidents: 8 },
        { outcome: 'waived', releases: 20, incidents: 2 },
      ],
      options,
    );
    expect(found.finding).toBe('no-difference');
    expect(found.reading).toBe(
      'waived in 20 releases: 10 % had a sev1–2 incident within 14 days, vs 8 % otherwise. No difference beyond chance.',
    );
  });

  it('proposes to retire an item that never blocked anything', () => {
    const found = itemFinding(
      item,
      [{ outcome: 'passed', releases: 50, incidents: 3 }],
      options,
    );
    expect(found.finding).toBe('retire-candidate');
    expect(found.reading).toMatch(
      /^Passed in all 50 releases, never waived or failed/,
    );
  });

  it('never proposes to retire an automated item: its failed runs are evidence', () => {
    const found = itemFinding(
      { ...item, automated: true },
      [{ outcome: 'passed', releases: 50, incidents: 3 }],
      options,
    );
    expect(found.finding).toBe('no-difference');
    expect(found.reading).toMatch(/says nothing about retiring it/);
    expect(found).not.toHaveProperty('automated');
  });

  it('orders riskier items first, the largest gap first', () => {
    const small = itemFinding(
      { ...item, itemId: 'small' },
      [
        { outcome: 'passed', releases: 100, incidents: 6 },
        { outcome: 'waived', releases: 14, incidents: 5 },
      ],
      options,
    );
    const large = itemFinding(
      { ...item, itemId: 'large' },
      [
        { outcome: 'passed', releases: 18, incidents: 1 },
        { outcome: 'waived', releases: 12, incidents: 8 },
      ],
      options,
    );
    const none = itemFinding(
      { ...item, itemId: 'none' },
      [{ outcome: 'passed', releases: 200, incidents: 3 }],
      options,
    );
    expect(
      [none, small, large].sort(compareInsights).map(i => i.itemId),
    ).toEqual(['large', 'small', 'none']);
  });
});
