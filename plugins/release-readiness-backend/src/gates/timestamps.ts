import { InputError } from '@backstage/errors';

/**
 * A date-time from a request body, as the ISO string that is stored.
 *
 * The OpenAPI `date-time` format (RFC 3339) admits times that cannot be
 * stored: the leap second `2030-12-31T23:59:60Z`, where
 * `new Date(value).toISOString()` throws a RangeError, and year 0000 (or a
 * time an offset moves into year 0 or 10000), which PostgreSQL refuses to
 * parse. Either would be a 500; this is a 400 naming the field instead.
 */
export function requestTimestamp(value: string, field: string): string {
  const time = new Date(value).getTime();
  const iso = Number.isNaN(time) ? undefined : new Date(time).toISOString();
  if (!iso || !/^\d{4}-/.test(iso) || iso.startsWith('0000-')) {
    const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
    throw new InputError(
      `${field}: "${shown}" is not a date and time that can be stored; use one between the years 1 and 9999, such as 2026-12-24T10:00:00Z (leap seconds are not supported)`,
    );
  }
  return iso;
}
