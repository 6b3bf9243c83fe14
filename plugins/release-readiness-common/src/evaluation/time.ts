import { DateTime, Duration } from 'luxon';

/*
 * Time helpers of the evaluation. Everything is computed from the `now` given
 * to the evaluation, in UTC, so that the result is the same on every machine.
 */

/** Milliseconds since the epoch of an ISO 8601 timestamp, or undefined. */
export function parseInstant(value: string | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** An ISO 8601 duration such as `P7D` or `PT12H`, or undefined if invalid. */
export function parseDuration(value: string | undefined): Duration | undefined {
  if (!value) {
    return undefined;
  }
  const parsed = Duration.fromISO(value);
  return parsed.isValid ? parsed : undefined;
}

/** The instant `duration` before `now`, in milliseconds since the epoch. */
export function instantBefore(now: Date, duration: Duration): number {
  return DateTime.fromJSDate(now, { zone: 'utc' }).minus(duration).toMillis();
}

const DURATION_UNITS = [
  ['years', 'year'],
  ['quarters', 'quarter'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
] as const;

function count(value: number, singular: string): string {
  return `${value} ${value === 1 ? singular : `${singular}s`}`;
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) {
    return parts[0] ?? '';
  }
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * An ISO 8601 duration in words: `P7D` is "7 days", `PT12H` "12 hours",
 * `P1M2D` "1 month and 2 days".
 *
 * @public
 */
export function describeDuration(iso: string): string {
  const duration = parseDuration(iso);
  if (!duration) {
    return iso;
  }
  const units = duration.toObject();
  const parts = DURATION_UNITS.filter(([unit]) => units[unit]).map(
    ([unit, singular]) => count(units[unit]!, singular),
  );
  return parts.length ? joinWords(parts) : '0 seconds';
}

/** A length of time in words, to the two largest units: "9 days and 3 hours". */
export function describeAge(milliseconds: number): string {
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes < 1) {
    return 'less than a minute';
  }
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const pair = (a: [number, string], b: [number, string]) =>
    joinWords([count(...a), ...(b[0] ? [count(...b)] : [])]);
  if (days > 0) {
    return pair([days, 'day'], [hours, 'hour']);
  }
  if (hours > 0) {
    return pair([hours, 'hour'], [rest, 'minute']);
  }
  return count(rest, 'minute');
}

/** The UTC calendar day of an instant: `2026-11-20`. */
export function formatDay(milliseconds: number): string {
  return new Date(milliseconds).toISOString().slice(0, 10);
}

/** An instant for people: `2026-12-24 10:00 UTC`. */
export function formatUtc(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: 'utc' }).toFormat(
    "yyyy-MM-dd HH:mm 'UTC'",
  );
}
