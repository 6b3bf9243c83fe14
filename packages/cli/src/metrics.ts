import { UsageError } from './errors';

/** A metric value as the API stores it. */
export type MetricValue = number | boolean | string;

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * Reads a metric value the way a gate rule compares it: `true` and `false`
 * are booleans, decimal numbers are numbers, anything else is text.
 */
export function parseMetricValue(text: string): MetricValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
  }
  return text;
}

/**
 * Reads the repeated `--metric key=value` options into the evidence's
 * `metrics`. The value is split at the first `=`, so it may contain `=`.
 * An empty value is refused: it usually means an unset CI variable
 * (`--metric score=$SCORE`), and an empty text would quietly fail the rule.
 */
export function parseMetrics(
  entries: readonly string[],
): Record<string, MetricValue> {
  const metrics = new Map<string, MetricValue>();
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 0) {
      throw new UsageError(
        `--metric ${JSON.stringify(entry)} must be key=value, e.g. score=93`,
      );
    }
    const key = entry.slice(0, at).trim();
    const value = entry.slice(at + 1).trim();
    if (!key) {
      throw new UsageError(
        `--metric ${JSON.stringify(entry)} has no key before "="`,
      );
    }
    if (!value) {
      throw new UsageError(
        `--metric ${key} has no value after "=" (is a CI variable unset?)`,
      );
    }
    if (metrics.has(key)) {
      throw new UsageError(`--metric ${key} is given more than once`);
    }
    metrics.set(key, parseMetricValue(value));
  }
  return Object.fromEntries(metrics);
}
