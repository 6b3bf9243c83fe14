import { requestTimestamp } from './timestamps';

describe('requestTimestamp', () => {
  it.each([
    ['2026-02-30T10:00:00Z', /February 2026 has days 01 to 28/],
    ['2026-02-29T10:00:00Z', /February 2026 has days 01 to 28/],
    ['2026-04-31T00:00:00+01:00', /April 2026 has days 01 to 30/],
    ['2026-13-01T00:00:00Z', /no month 13/],
    ['2026-00-10T00:00:00Z', /no month 00/],
    ['2026-01-00T00:00:00Z', /January 2026 has days 01 to 31/],
    ['2026-03-01T24:00:00Z', /no hour 24/],
    ['2026-03-01T10:60:00Z', /no minute 60/],
    ['2026-03-01T10:00:00+24:00', /offset/],
    ['2030-12-31T23:59:60Z', /leap seconds are not supported/],
    ['0000-06-01T00:00:00Z', /between the years 1 and 9999/],
  ])('refuses %s, naming the field', (value, why) => {
    expect(() => requestTimestamp(value, 'plannedAt')).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^plannedAt: /),
      }),
    );
    expect(() => requestTimestamp(value, 'plannedAt')).toThrow(why);
  });

  it.each([
    ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
    ['2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00.000Z'],
    ['2026-06-30t08:00:00z', '2026-06-30T08:00:00.000Z'],
  ])('keeps a real date %s, as UTC', (value, stored) => {
    expect(requestTimestamp(value, 'plannedAt')).toBe(stored);
  });

  it('refuses 29 February outside leap years, including 1900 and 2100', () => {
    for (const year of ['1900', '2100', '2027']) {
      expect(() => requestTimestamp(`${year}-02-29T00:00:00Z`, 'from')).toThrow(
        /^from: /,
      );
    }
  });
});
