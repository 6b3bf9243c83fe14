import { DateTime, Duration } from 'luxon';

/*
 * Time helpers of the evaluation. Everything is computed from the `now` given
 * to the evaluation, in UTC, so that the result is the same on every machine.
 */

/** The form the plugin writes every timestamp in (`Date#toISOString`). */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Milliseconds since the epoch of an ISO 8601 timestamp, or undefined. */
export function parseInstant(value: string | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  // The plugin's own form, read by the platform: an evaluation reads
  // hundreds of these, and luxon's parser costs far more. Only a value
  // that writes back to itself is taken this way (a day that does not
  // exist, such as February 30, is not): the instant is then the one
  // luxon reads too.
  if (CANONICAL_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === value) {
      return ms;
    }
  }
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** Durations read so far: templates name a few, read at every evaluation. */
const durations = new Map<string, Duration | undefined>();

/** An ISO 8601 duration such as `P7D` or `PT12H`, or undefined if invalid. */
export function parseDuration(value: string | undefined): Duration | undefined {
  if (!value) {
    return undefined;
  }
  if (durations.has(value)) {
    return durations.get(value);
  }
  const parsed = Duration.fromISO(value);
  const duration = parsed.isValid ? parsed : undefined;
  // Luxon's durations do not change; a bound keeps odd input from growing
  // the map for ever.
  if (durations.size >= 1000) durations.clear();
  durations.set(value, duration);
  return duration;
}

/** Units whose length never varies in UTC, in milliseconds. */
const FIXED_UNITS = {
  weeks: 604_800_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
} as const;

/**
 * The length of a duration in milliseconds when it has only units of a
 * fixed length in UTC, in whole numbers (no months or years, whose length
 * depends on the calendar); undefined otherwise.
 */
const fixedLengths = new WeakMap<Duration, number | null>();
function fixedLength(duration: Duration): number | undefined {
  let length = fixedLengths.get(duration);
  if (length === undefined) {
    length = 0;
    for (const [unit, value] of Object.entries(duration.toObject())) {
      const ms = FIXED_UNITS[unit as keyof typeof FIXED_UNITS];
      if (!value) continue;
      if (ms === undefined || !Number.isInteger(value)) {
        length = null;
        break;
      }
      length += value * ms;
    }
    fixedLengths.set(duration, length);
  }
  return length === null ? undefined : length;
}

/** The instant `duration` before `now`, in milliseconds since the epoch. */
export function instantBefore(now: Date, duration: Duration): number {
  const fixed = fixedLength(duration);
  if (fixed !== undefined) {
    return now.getTime() - fixed;
  }
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
