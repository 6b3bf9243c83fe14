import { formatDuration, parseDuration } from './durations';
import { UsageError } from './errors';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['250ms', 250],
    ['1.5s', 1500],
    [' 10M ', 600_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['30', '', 'm', '5 m', '1d', '-5s', 'soon', '5m and 3s'])(
    'refuses %j, naming the option',
    text => {
      expect(() => parseDuration(text, '--interval')).toThrow(UsageError);
      expect(() => parseDuration(text, '--interval')).toThrow(
        /^--interval ".*" is not a duration; use a number with a unit/,
      );
    },
  );

  it('refuses zero', () => {
    expect(() => parseDuration('0s', '--timeout')).toThrow(
      '--timeout must be longer than zero',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1000, '1s'],
    [90_000, '1m 30s'],
    [3_600_000, '1h'],
    [3_725_000, '1h 2m 5s'],
  ])('writes %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
