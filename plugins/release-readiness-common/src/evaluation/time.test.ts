import { DateTime, Duration } from 'luxon';
import {
  describeAge,
  describeDuration,
  instantBefore,
  parseDuration,
  parseInstant,
} from './time';

/** A seeded sequence of numbers in [0, 1): the same cases on every run. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('parseInstant', () => {
  const byLuxon = (value: string) => {
    const parsed = DateTime.fromISO(value, { zone: 'utc' });
    return parsed.isValid ? parsed.toMillis() : undefined;
  };

  it("reads the plugin's own form as luxon reads it", () => {
    const random = seeded(7);
    for (let i = 0; i < 2000; i++) {
      // Any instant from 1970 to 2100, to the millisecond.
      const iso = new Date(
        Math.floor(random() * 4_102_444_800_000),
      ).toISOString();
      expect([iso, parseInstant(iso)]).toEqual([iso, byLuxon(iso)]);
    }
  });

  it.each([
    '2026-02-30T10:00:00.000Z',
    '2026-13-01T10:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T10:60:00.000Z',
    '2026-12-04T10:00:00Z',
    '2026-12-04T10:00:00.000+01:00',
    '2026-12-04',
    'yesterday',
  ])('reads %s as luxon does, valid or not', value => {
    expect(parseInstant(value)).toBe(byLuxon(value));
  });
});

describe('instantBefore', () => {
  it("is luxon's instant, with durations of fixed and calendar units", () => {
    const random = seeded(11);
    const units = ['W', 'D', 'TH', 'TM', 'TS', 'M', 'Y'];
    for (let i = 0; i < 2000; i++) {
      const now = new Date(Math.floor(random() * 4_102_444_800_000));
      // One to three parts, calendar ones (months, years) among them.
      const parts = new Map<string, number>();
      const count = 1 + Math.floor(random() * 3);
      for (let j = 0; j < count; j++) {
        parts.set(
          units[Math.floor(random() * units.length)],
          Math.floor(random() * 40),
        );
      }
      const date = ['Y', 'M', 'W', 'D']
        .filter(u => parts.has(u))
        .map(u => `${parts.get(u)}${u}`)
        .join('');
      const time = ['TH', 'TM', 'TS']
        .filter(u => parts.has(u))
        .map(u => `${parts.get(u)}${u.slice(1)}`)
        .join('');
      const iso = `P${date}${time ? `T${time}` : ''}`;
      const duration = parseDuration(iso)!;
      expect([iso, now.toISOString(), instantBefore(now, duration)]).toEqual([
        iso,
        now.toISOString(),
        DateTime.fromJSDate(now, { zone: 'utc' })
          .minus(Duration.fromISO(iso))
          .toMillis(),
      ]);
    }
  });

  it('counts a month back by the calendar', () => {
    const now = new Date('2026-03-31T12:00:00.000Z');
    expect(
      new Date(instantBefore(now, parseDuration('P1M')!)).toISOString(),
    ).toBe('2026-02-28T12:00:00.000Z');
    expect(
      new Date(instantBefore(now, parseDuration('PT1.5H')!)).toISOString(),
    ).toBe('2026-03-31T10:30:00.000Z');
  });
});

describe('parseDuration', () => {
  it('is undefined for what is not an ISO 8601 duration, however often asked', () => {
    expect(parseDuration('P7D')?.toObject()).toEqual({ days: 7 });
    expect(parseDuration('seven days')).toBeUndefined();
    expect(parseDuration('seven days')).toBeUndefined();
    expect(parseDuration('P7D')?.toObject()).toEqual({ days: 7 });
  });
});

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
