import { InputError } from '@backstage/errors';

/**
 * A date-time from a request body, as the ISO string that is stored. Every
 * date of every request body passes through here (`plannedAt`, `observedAt`,
 * `occurredAt`, `communication.scheduledAt`, a window's `from` and `to`,
 * `waiver.expiresAt`), so that a date is stored as it was meant or refused.
 *
 * `new Date(value)` quietly rolls what does not exist over into what does:
 * `2026-02-30` becomes 2 March, `24:00` the next day. Such a date is a typo
 * or a bug in the caller, and storing another date than the one asked for
 * would move a gate, an observation or a freeze without anyone noticing; it
 * is a 400 naming the field instead.
 *
 * The OpenAPI `date-time` format (RFC 3339) also admits times that cannot be
 * stored: the leap second `2030-12-31T23:59:60Z`, where
 * `new Date(value).toISOString()` throws a RangeError, and year 0000 (or a
 * time an offset moves into year 0 or 10000), which PostgreSQL refuses to
 * parse. Either would be a 500; this is a 400 naming the field too.
 */
export function requestTimestamp(value: string, field: string): string {
  const impossible = calendarProblem(value);
  if (impossible) {
    throw new InputError(`${field}: "${shorten(value)}" ${impossible}`);
  }
  const time = new Date(value).getTime();
  const iso = Number.isNaN(time) ? undefined : new Date(time).toISOString();
  if (!iso || !/^\d{4}-/.test(iso) || iso.startsWith('0000-')) {
    throw new InputError(
      `${field}: "${shorten(
        value,
      )}" is not a date and time that can be stored; use one between the years 1 and 9999, such as 2026-12-24T10:00:00Z (leap seconds are not supported)`,
    );
  }
  return iso;
}

function shorten(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (proleptic
  // Gregorian, as RFC 3339 counts).
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** The date, time and offset fields as written, before any rolling over. */
const PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;

/**
 * Why `value` names a day or time that does not exist (30 February, month
 * 13, hour 24, minute 60, an offset of +24:00); undefined when every field
 * is in range or the value is not in the RFC 3339 shape at all (then the
 * parse that follows refuses it). A second of 60 is left to that parse,
 * which refuses leap seconds with its own words.
 */
export function calendarProblem(value: string): string | undefined {
  const parts = PARTS.exec(value.trim());
  if (!parts) return undefined;
  const [year, month, day, hour, minute, , offsetHours, offsetMinutes] = parts
    .slice(1)
    .map(part => (part === undefined ? undefined : Number(part)));
  if (month! < 1 || month! > 12) {
    return `has no month ${parts[2]}; months run from 01 to 12`;
  }
  const last = daysInMonth(year!, month!);
  if (day! < 1 || day! > last) {
    return `is not a day of the calendar: ${
      MONTHS[month! - 1]
    } ${year} has days 01 to ${last}`;
  }
  if (hour !== undefined && hour > 23) {
    return `has no hour ${parts[4]}; hours run from 00 to 23`;
  }
  if (minute !== undefined && minute > 59) {
    return `has no minute ${parts[5]}; minutes run from 00 to 59`;
  }
  if (
    (offsetHours !== undefined && offsetHours > 23) ||
    (offsetMinutes !== undefined && offsetMinutes > 59)
  ) {
    return `has an offset from UTC that does not exist; offsets run from -23:59 to +23:59`;
  }
  return undefined;
}
