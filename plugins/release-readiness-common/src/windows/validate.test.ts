import { validateWindow } from './validate';
import { londonTrain, marketHours, yearEnd } from './__fixtures__/windows';

describe('validateWindow', () => {
  it('accepts valid recurring and one-off windows', () => {
    expect(validateWindow(marketHours())).toEqual([]);
    expect(validateWindow(londonTrain({ timezone: undefined }))).toEqual([]);
    expect(validateWindow(londonTrain({ cron: '@daily' }))).toEqual([]);
    expect(validateWindow(yearEnd())).toEqual([]);
  });

  it('names an invalid cron expression', () => {
    expect(validateWindow(marketHours({ cron: '61 9 * * 1-5' }))).toEqual([
      expect.stringMatching(
        /^cron: "61 9 \* \* 1-5" is not a valid cron expression \(.*61.*\); write five fields: minute hour day-of-month month day-of-week/,
      ),
    ]);
    expect(validateWindow(marketHours({ cron: 'weekdays at 9' }))).toEqual([
      expect.stringMatching(/^cron: "weekdays at 9" has 3 fields; write five/),
    ]);
    expect(validateWindow(marketHours({ cron: '0 0 30 2 *' }))).toEqual([
      expect.stringMatching(/^cron: "0 0 30 2 \*" is not a valid cron/),
    ]);
  });

  it('names an invalid or empty duration', () => {
    expect(validateWindow(marketHours({ duration: '6.5 hours' }))).toEqual([
      'duration: "6.5 hours" is not an ISO 8601 duration such as PT2H, PT6H30M or P1D',
    ]);
    expect(validateWindow(marketHours({ duration: 'PT0S' }))).toEqual([
      'duration: "PT0S" is not longer than zero; give how long each occurrence lasts',
    ]);
  });

  it('names an unknown time zone', () => {
    expect(validateWindow(marketHours({ timezone: 'Mars/Base' }))).toEqual([
      'timezone: unknown time zone "Mars/Base"; use an IANA name such as Europe/London or UTC',
    ]);
  });

  it('needs cron and duration for a recurring window', () => {
    expect(validateWindow(marketHours({ duration: undefined }))).toEqual([
      'duration: a recurring window needs how long each occurrence lasts, as an ISO 8601 duration such as PT2H',
    ]);
    expect(validateWindow(marketHours({ cron: '  ' }))).toEqual([
      'cron: a recurring window needs a cron expression for when each occurrence starts, e.g. "0 10 * * 2,4"',
    ]);
  });

  it('needs from before to for a one-off window', () => {
    expect(
      validateWindow(
        yearEnd({ from: '2027-01-04T00:00:00Z', to: '2026-12-19T00:00:00Z' }),
      ),
    ).toEqual([
      'to: must be after from (from 2027-01-04T00:00:00Z, to 2026-12-19T00:00:00Z)',
    ]);
    expect(validateWindow(yearEnd({ to: yearEnd().from }))).toEqual([
      expect.stringMatching(/^to: must be after from/),
    ]);
    expect(validateWindow(yearEnd({ to: undefined }))).toEqual([
      'to: a one-off window needs both from and to; to is missing',
    ]);
    expect(validateWindow(yearEnd({ from: 'Christmas' }))).toEqual([
      'from: "Christmas" is not an ISO 8601 timestamp such as 2026-12-24T00:00:00Z',
    ]);
  });

  it('refuses a window that is both recurring and one-off, or neither', () => {
    expect(
      validateWindow(marketHours({ from: yearEnd().from, to: yearEnd().to })),
    ).toEqual([
      'from: a window is either recurring (cron and duration) or one-off (from and to), not both; remove one pair',
    ]);
    expect(validateWindow(yearEnd({ from: undefined, to: undefined }))).toEqual(
      [expect.stringMatching(/^cron: a window needs either cron and duration/)],
    );
  });

  it('names an empty scope, a bad approver and a missing name', () => {
    expect(
      validateWindow(
        yearEnd({ name: ' ', scope: {}, approvers: ['release-management'] }),
      ),
    ).toEqual([
      'name: a window needs a name people recognise, e.g. "Year-end freeze"',
      'scope: the window applies to nothing; set all: true or list systems, entities or tags',
      'approvers: "release-management" is not a full user or group ref such as group:default/release-management',
    ]);
    expect(validateWindow(yearEnd({ scope: { tags: ['pci'] } }))).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(
      validateWindow(
        marketHours({
          cron: '* *',
          duration: 'forever',
          timezone: 'Mars/Base',
        }),
      ).map(problem => problem.split(':')[0]),
    ).toEqual(['cron', 'duration', 'timezone']);
  });
});
