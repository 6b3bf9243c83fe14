import { DateTime } from 'luxon';
import {
  MAX_WINDOW_OCCURRENCES,
  nextOccurrence,
  windowAt,
  windowOccurrences,
} from './occurrences';
import {
  at,
  iso,
  londonTrain,
  marketHours,
  yearEnd,
} from './__fixtures__/windows';

function localTimes(
  occurrences: { start: Date; end: Date }[],
  zone: string,
): string[] {
  const format = (d: Date) =>
    DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');
  return occurrences.map(o => `${format(o.start)} – ${format(o.end)}`);
}

describe('windowOccurrences', () => {
  describe('a recurring window in America/New_York', () => {
    it('keeps 09:30–16:00 local time across the March DST change', () => {
      const occurrences = windowOccurrences(
        marketHours(),
        at('2026-03-05T00:00:00Z'),
        at('2026-03-11T00:00:00Z'),
      );
      expect(occurrences.map(iso)).toEqual([
        ['2026-03-05T14:30:00.000Z', '2026-03-05T21:00:00.000Z'],
        ['2026-03-06T14:30:00.000Z', '2026-03-06T21:00:00.000Z'],
        ['2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z'],
        ['2026-03-10T13:30:00.000Z', '2026-03-10T20:00:00.000Z'],
      ]);
      expect(localTimes(occurrences, 'America/New_York')).toEqual([
        'Thu 2026-03-05 09:30 – Thu 2026-03-05 16:00',
        'Fri 2026-03-06 09:30 – Fri 2026-03-06 16:00',
        'Mon 2026-03-09 09:30 – Mon 2026-03-09 16:00',
        'Tue 2026-03-10 09:30 – Tue 2026-03-10 16:00',
      ]);
    });

    it('keeps 09:30–16:00 local time across the November DST change', () => {
      const occurrences = windowOccurrences(
        marketHours(),
        at('2026-10-29T00:00:00Z'),
        at('2026-11-04T00:00:00Z'),
      );
      expect(occurrences.map(iso)).toEqual([
        ['2026-10-29T13:30:00.000Z', '2026-10-29T20:00:00.000Z'],
        ['2026-10-30T13:30:00.000Z', '2026-10-30T20:00:00.000Z'],
        ['2026-11-02T14:30:00.000Z', '2026-11-02T21:00:00.000Z'],
        ['2026-11-03T14:30:00.000Z', '2026-11-03T21:00:00.000Z'],
      ]);
    });

    it('adds calendar durations in local time and clock durations as elapsed time', () => {
      // Saturday 00:00 New York, the weekend before the March change.
      const weekend = marketHours({ cron: '0 0 * * 6', duration: 'P2D' });
      const range = [at('2026-03-07T00:00:00Z'), at('2026-03-08T00:00:00Z')];
      expect(windowOccurrences(weekend, range[0], range[1]).map(iso)).toEqual([
        // Monday 00:00 EDT: 47 hours later.
        ['2026-03-07T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ]);
      const fortyEight = { ...weekend, duration: 'PT48H' };
      expect(
        windowOccurrences(fortyEight, range[0], range[1]).map(iso),
      ).toEqual([['2026-03-07T05:00:00.000Z', '2026-03-09T05:00:00.000Z']]);
    });
  });

  describe('a recurring window in Europe/London', () => {
    it('follows British Summer Time from 29 March', () => {
      expect(
        windowOccurrences(
          londonTrain(),
          at('2026-03-24T00:00:00Z'),
          at('2026-04-01T00:00:00Z'),
        ).map(iso),
      ).toEqual([
        ['2026-03-24T10:00:00.000Z', '2026-03-24T12:00:00.000Z'],
        ['2026-03-26T10:00:00.000Z', '2026-03-26T12:00:00.000Z'],
        ['2026-03-31T09:00:00.000Z', '2026-03-31T11:00:00.000Z'],
      ]);
    });

    it('returns to GMT from 25 October', () => {
      expect(
        windowOccurrences(
          londonTrain(),
          at('2026-10-20T00:00:00Z'),
          at('2026-10-28T00:00:00Z'),
        ).map(iso),
      ).toEqual([
        ['2026-10-20T09:00:00.000Z', '2026-10-20T11:00:00.000Z'],
        ['2026-10-22T09:00:00.000Z', '2026-10-22T11:00:00.000Z'],
        ['2026-10-27T10:00:00.000Z', '2026-10-27T12:00:00.000Z'],
      ]);
    });
  });

  it('uses UTC when the window names no time zone', () => {
    const utc = londonTrain({ timezone: undefined });
    expect(
      windowOccurrences(
        utc,
        at('2026-06-01T00:00:00Z'),
        at('2026-06-03T00:00:00Z'),
      ).map(iso),
    ).toEqual([['2026-06-02T10:00:00.000Z', '2026-06-02T12:00:00.000Z']]);
  });

  it('includes an occurrence that is open at the start of the range', () => {
    expect(
      windowOccurrences(
        marketHours(),
        at('2026-03-09T15:00:00Z'),
        at('2026-03-09T16:00:00Z'),
      ).map(iso),
    ).toEqual([['2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z']]);
  });

  it('treats the range as half-open', () => {
    const train = londonTrain();
    // Ends exactly at `from`: excluded. Starts exactly at `to`: excluded.
    expect(
      windowOccurrences(
        train,
        at('2026-06-02T11:00:00Z'),
        at('2026-06-04T09:00:00Z'),
      ),
    ).toEqual([]);
    // Starts exactly at `from`: included.
    expect(
      windowOccurrences(
        train,
        at('2026-06-02T09:00:00Z'),
        at('2026-06-02T09:00:00.001Z'),
      ).map(iso),
    ).toEqual([['2026-06-02T09:00:00.000Z', '2026-06-02T11:00:00.000Z']]);
  });

  it('is empty for an empty or reversed range', () => {
    const from = at('2026-03-09T15:00:00Z');
    expect(windowOccurrences(marketHours(), from, from)).toEqual([]);
    expect(
      windowOccurrences(marketHours(), from, at('2026-03-01T00:00:00Z')),
    ).toEqual([]);
  });

  it('gives a one-off window as its single interval when it overlaps', () => {
    const window = yearEnd();
    expect(
      windowOccurrences(
        window,
        at('2026-12-01T00:00:00Z'),
        at('2027-02-01T00:00:00Z'),
      ).map(iso),
    ).toEqual([['2026-12-19T00:00:00.000Z', '2027-01-04T00:00:00.000Z']]);
    expect(
      windowOccurrences(
        window,
        at('2027-01-04T00:00:00Z'),
        at('2027-02-01T00:00:00Z'),
      ),
    ).toEqual([]);
    expect(
      windowOccurrences(
        window,
        at('2026-12-01T00:00:00Z'),
        at('2026-12-19T00:00:00Z'),
      ),
    ).toEqual([]);
  });

  it('has no occurrences for an invalid window', () => {
    const range = [at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')];
    for (const window of [
      marketHours({ cron: 'every weekday' }),
      marketHours({ duration: 'six hours' }),
      marketHours({ timezone: 'Mars/Base' }),
      yearEnd({ from: '2027-01-04T00:00:00Z', to: '2026-12-19T00:00:00Z' }),
      marketHours({ from: '2026-12-19T00:00:00Z', to: '2027-01-04T00:00:00Z' }),
    ]) {
      expect(windowOccurrences(window, range[0], range[1])).toEqual([]);
    }
  });

  it(`returns at most ${MAX_WINDOW_OCCURRENCES} occurrences`, () => {
    const everyMinute = londonTrain({ cron: '* * * * *', duration: 'PT1M' });
    const occurrences = windowOccurrences(
      everyMinute,
      at('2026-01-01T00:00:00Z'),
      at('2026-02-01T00:00:00Z'),
    );
    expect(occurrences).toHaveLength(MAX_WINDOW_OCCURRENCES);
    expect(occurrences[0].start.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('windowAt', () => {
  it('includes the start and excludes the end', () => {
    const window = marketHours();
    const occurrence = ['2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z'];
    expect(iso(windowAt(window, at('2026-03-09T13:30:00Z')))).toEqual(
      occurrence,
    );
    expect(iso(windowAt(window, at('2026-03-09T19:59:59.999Z')))).toEqual(
      occurrence,
    );
    expect(windowAt(window, at('2026-03-09T13:29:59.999Z'))).toBeUndefined();
    expect(windowAt(window, at('2026-03-09T20:00:00Z'))).toBeUndefined();
  });

  it('uses the offset in force on the day, not a fixed one', () => {
    // 16:30 New York on the Monday after the change; with the winter offset
    // it would wrongly be 15:30, inside market hours.
    expect(windowAt(marketHours(), at('2026-03-09T20:30:00Z'))).toBeUndefined();
    // The Monday after the November change: 14:15Z is 09:15 New York (before
    // the open); with the summer offset it would wrongly be 10:15, inside.
    expect(iso(windowAt(marketHours(), at('2026-11-02T14:45:00Z')))).toEqual([
      '2026-11-02T14:30:00.000Z',
      '2026-11-02T21:00:00.000Z',
    ]);
    expect(windowAt(marketHours(), at('2026-11-02T14:15:00Z'))).toBeUndefined();
  });

  it('looks back as far as the duration', () => {
    const fortnight = yearEnd({
      from: undefined,
      to: undefined,
      cron: '0 0 20 12 *',
      duration: 'P15D',
    });
    expect(iso(windowAt(fortnight, at('2027-01-03T12:00:00Z')))).toEqual([
      '2026-12-20T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
    expect(windowAt(fortnight, at('2027-01-04T00:00:00Z'))).toBeUndefined();
  });

  it('finds the one-off interval, start inclusive and end exclusive', () => {
    expect(iso(windowAt(yearEnd(), at('2026-12-19T00:00:00Z')))).toEqual([
      '2026-12-19T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
    expect(windowAt(yearEnd(), at('2026-12-18T23:59:59.999Z'))).toBeUndefined();
    expect(windowAt(yearEnd(), at('2027-01-04T00:00:00Z'))).toBeUndefined();
  });

  it('is undefined for an invalid window or an invalid date', () => {
    expect(
      windowAt(
        marketHours({ timezone: 'Mars/Base' }),
        at('2026-03-09T15:00:00Z'),
      ),
    ).toBeUndefined();
    expect(windowAt(marketHours(), new Date(Number.NaN))).toBeUndefined();
  });
});

describe('nextOccurrence', () => {
  it('gives the first occurrence starting after the instant', () => {
    expect(
      iso(nextOccurrence(marketHours(), at('2026-03-06T22:00:00Z'))),
    ).toEqual(['2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z']);
  });

  it('skips an occurrence starting exactly then or already open', () => {
    const train = londonTrain();
    const following = ['2026-06-04T09:00:00.000Z', '2026-06-04T11:00:00.000Z'];
    expect(iso(nextOccurrence(train, at('2026-06-02T09:00:00Z')))).toEqual(
      following,
    );
    expect(iso(nextOccurrence(train, at('2026-06-02T10:00:00Z')))).toEqual(
      following,
    );
  });

  it('gives a one-off window only before it starts', () => {
    expect(iso(nextOccurrence(yearEnd(), at('2026-12-01T00:00:00Z')))).toEqual([
      '2026-12-19T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
    expect(
      nextOccurrence(yearEnd(), at('2026-12-19T00:00:00Z')),
    ).toBeUndefined();
  });

  it('is undefined for an invalid window', () => {
    expect(
      nextOccurrence(
        marketHours({ cron: '61 * * * *' }),
        at('2026-01-01T00:00:00Z'),
      ),
    ).toBeUndefined();
  });
});
