import { CronExpression, CronExpressionParser } from 'cron-parser';
import { DateTime, Duration, IANAZone } from 'luxon';
import { ReleaseWindow } from '../types';

/*
 * The schedule of a release window, parsed once per call: recurring (a cron
 * expression in a time zone, each occurrence lasting a duration) or one-off
 * (an interval). Nothing here reads the clock.
 */

/** The time zone of a recurring window that names none. */
export const DEFAULT_TIMEZONE = 'UTC';

/** A parsed window. */
export type Schedule =
  | { kind: 'recurring'; cron: string; duration: Duration; zone: string }
  | { kind: 'one-off'; start: number; end: number };

/** Whether an optional string field was given (blank counts as absent). */
export function given(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Milliseconds since the epoch of an ISO 8601 timestamp (UTC when no offset). */
export function parseTimestamp(value: string | undefined): number | undefined {
  if (!given(value)) {
    return undefined;
  }
  const parsed = DateTime.fromISO(value.trim(), { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** Why `duration` is not a usable occurrence length, or undefined if it is. */
export function durationProblem(value: string): string | undefined {
  const duration = Duration.fromISO(value.trim());
  if (!duration.isValid) {
    return `"${value}" is not an ISO 8601 duration such as PT2H, PT6H30M or P1D`;
  }
  if (!(duration.toMillis() > 0)) {
    return `"${value}" is not longer than zero; give how long each occurrence lasts`;
  }
  return undefined;
}

/** Whether `zone` is an IANA time zone, e.g. `Europe/London`, or UTC. */
export function isKnownZone(zone: string): boolean {
  return IANAZone.isValidZone(zone.trim());
}

/** A cron expression iterating from `currentDate` in `zone`; throws if invalid. */
export function cronFrom(
  cron: string,
  zone: string,
  currentDate: Date,
): CronExpression {
  return CronExpressionParser.parse(cron.trim(), { currentDate, tz: zone });
}

const CRON_HINT =
  'write five fields: minute hour day-of-month month day-of-week, e.g. "0 10 * * 2,4" for Tuesdays and Thursdays at 10:00';

/** Why `cron` is not a usable cron expression, or undefined if it is. */
export function cronProblem(cron: string): string | undefined {
  const trimmed = cron.trim();
  const fields = trimmed.split(/\s+/).filter(Boolean);
  // The parser fills missing fields with `*`; for a window that is almost
  // certainly a mistake, so demand a full expression (or a macro like @daily).
  if (!trimmed.startsWith('@') && (fields.length < 5 || fields.length > 6)) {
    return `"${cron}" has ${fields.length} field${
      fields.length === 1 ? '' : 's'
    }; ${CRON_HINT}`;
  }
  try {
    // Parsing alone accepts some expressions that never fire; ask for one.
    cronFrom(trimmed, DEFAULT_TIMEZONE, new Date(0)).next();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `"${cron}" is not a valid cron expression (${reason}); ${CRON_HINT}`;
  }
  return undefined;
}

/**
 * The schedule of a window, or undefined when the window is not valid (see
 * `validateWindow`): recurring needs cron, a positive duration and a known
 * time zone; one-off needs from before to; never both.
 */
export function scheduleOf(window: ReleaseWindow): Schedule | undefined {
  const recurring = given(window.cron) || given(window.duration);
  const oneOff = given(window.from) || given(window.to);
  if (recurring === oneOff) {
    return undefined;
  }
  if (oneOff) {
    const start = parseTimestamp(window.from);
    const end = parseTimestamp(window.to);
    if (start === undefined || end === undefined || !(start < end)) {
      return undefined;
    }
    return { kind: 'one-off', start, end };
  }
  const zone = given(window.timezone)
    ? window.timezone.trim()
    : DEFAULT_TIMEZONE;
  if (
    !given(window.cron) ||
    !given(window.duration) ||
    !isKnownZone(zone) ||
    cronProblem(window.cron) !== undefined ||
    durationProblem(window.duration) !== undefined
  ) {
    return undefined;
  }
  return {
    kind: 'recurring',
    cron: window.cron.trim(),
    duration: Duration.fromISO(window.duration.trim()),
    zone,
  };
}
