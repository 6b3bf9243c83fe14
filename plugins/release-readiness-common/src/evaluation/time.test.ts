import { describeAge, describeDuration } from './time';

describe('describeDuration', () => {
  it.each([
    ['P7D', '7 days'],
    ['PT12H', '12 hours'],
    ['P1D', '1 day'],
    ['P1M2DT3H', '1 month, 2 days and 3 hours'],
    ['not a duration', 'not a duration'],
  ])('describes %s as %s', (iso, words) => {
    expect(describeDuration(iso)).toBe(words);
  });
});

describe('describeAge', () => {
  it.each([
    [30_000, 'less than a minute'],
    [5 * 60_000, '5 minutes'],
    [(13 * 60 + 1) * 60_000, '13 hours and 1 minute'],
    [(9 * 24 + 3) * 3_600_000, '9 days and 3 hours'],
    [45 * 24 * 3_600_000, '45 days'],
  ])('describes %d ms as %s', (ms, words) => {
    expect(describeAge(ms)).toBe(words);
  });
});
