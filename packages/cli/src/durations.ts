import { UsageError } from './errors';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/**
 * Reads a duration such as `30s`, `5m`, `1h`, `1h30m` or `500ms` and returns
 * it in milliseconds. A bare number is refused: `30` could mean seconds or
 * minutes, and a pipeline should say which.
 *
 * @param value - the text given on the command line
 * @param option - the option's name, for the error message, e.g. `--timeout`
 */
export function parseDuration(value: string, option: string): number {
  const text = value.trim().toLowerCase();
  if (!WHOLE.test(text)) {
    throw new UsageError(
      `${option} ${JSON.stringify(
        value,
      )} is not a duration; use a number with a unit, for example 30s, 5m, 1h or 1h30m`,
    );
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNITS[unit];
  }
  total = Math.round(total);
  if (total <= 0) {
    throw new UsageError(`${option} must be longer than zero`);
  }
  return total;
}

/** Writes milliseconds the way people read them: `1h 5m`, `30s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))}ms`;
  }
  let seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = [];
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join(' ');
}
