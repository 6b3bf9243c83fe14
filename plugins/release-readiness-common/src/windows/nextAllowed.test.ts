import { nextAllowedSlot } from './nextAllowed';
import { at, londonTrain, yearEnd } from './__fixtures__/windows';

const slot = (s: ReturnType<typeof nextAllowedSlot>) =>
  s && { start: s.start.toISOString(), end: s.end?.toISOString() };

describe('nextAllowedSlot', () => {
  it('is the time asked about when no window applies', () => {
    expect(slot(nextAllowedSlot([], at('2026-12-20T09:00:00Z')))).toEqual({
      start: '2026-12-20T09:00:00.000Z',
      end: undefined,
    });
  });

  it('is the end of the freeze the time falls in', () => {
    expect(
      slot(nextAllowedSlot([yearEnd()], at('2026-12-20T09:00:00Z'))),
    ).toEqual({ start: '2027-01-04T00:00:00.000Z', end: undefined });
  });

  it('ends where the next freeze starts', () => {
    expect(
      slot(nextAllowedSlot([yearEnd()], at('2026-12-10T09:00:00Z'))),
    ).toEqual({
      start: '2026-12-10T09:00:00.000Z',
      end: '2026-12-19T00:00:00.000Z',
    });
  });

  it('is the first train after the freeze', () => {
    // 4 January 2027 is a Monday: the next train is Tuesday 10:00 London (UTC in winter).
    expect(
      slot(
        nextAllowedSlot([yearEnd(), londonTrain()], at('2026-12-20T09:00:00Z')),
      ),
    ).toEqual({
      start: '2027-01-05T10:00:00.000Z',
      end: '2027-01-05T12:00:00.000Z',
    });
  });

  it('is now inside an open train, until the train or a freeze inside it ends the slot', () => {
    expect(
      slot(nextAllowedSlot([londonTrain()], at('2026-12-01T10:30:00Z'))),
    ).toEqual({
      start: '2026-12-01T10:30:00.000Z',
      end: '2026-12-01T12:00:00.000Z',
    });
    const shortFreeze = yearEnd({
      id: 'short',
      from: '2026-12-01T11:00:00Z',
      to: '2026-12-01T11:30:00Z',
    });
    expect(
      slot(
        nextAllowedSlot(
          [londonTrain(), shortFreeze],
          at('2026-12-01T10:30:00Z'),
        ),
      ),
    ).toEqual({
      start: '2026-12-01T10:30:00.000Z',
      end: '2026-12-01T11:00:00.000Z',
    });
    expect(
      slot(
        nextAllowedSlot(
          [londonTrain(), shortFreeze],
          at('2026-12-01T11:10:00Z'),
        ),
      ),
    ).toEqual({
      start: '2026-12-01T11:30:00.000Z',
      end: '2026-12-01T12:00:00.000Z',
    });
  });

  it('is none when the only train never comes again, and ignores invalid windows', () => {
    const pastTrain = londonTrain({
      cron: undefined,
      duration: undefined,
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
    });
    expect(nextAllowedSlot([pastTrain], at('2026-12-01T00:00:00Z'))).toBe(
      undefined,
    );
    const broken = yearEnd({ from: 'not a date' });
    expect(
      slot(nextAllowedSlot([broken], at('2026-12-20T09:00:00Z')))?.start,
    ).toBe('2026-12-20T09:00:00.000Z');
  });
});
