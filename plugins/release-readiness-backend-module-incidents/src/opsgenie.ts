import { timingSafeEqual } from 'node:crypto';
import { IncidentReport, IncidentTarget, ParseResult, Severity } from './types';

/**
 * The annotation of the Opsgenie plugin for Backstage: a query selecting
 * the entity's alerts, e.g. `detailsPair(service:checkout)` or
 * `tag:checkout`.
 *
 * @public
 */
export const OPSGENIE_COMPONENT_SELECTOR_ANNOTATION =
  'opsgenie.com/component-selector';

/** The header an Opsgenie webhook integration sends the shared token in. */
export const OPSGENIE_TOKEN_HEADER = 'x-release-readiness-token';

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `P1` → sev1, `P2` → sev2, `P3` (Opsgenie's default) → sev3, `P4`, `P5` → sev4. */
export function opsgenieSeverity(priority: unknown): Severity {
  switch (String(priority ?? 'P3').toUpperCase()) {
    case 'P1':
      return 'sev1';
    case 'P2':
      return 'sev2';
    case 'P4':
    case 'P5':
      return 'sev4';
    default:
      return 'sev3';
  }
}

/** Opsgenie times are epoch milliseconds (some fields nanoseconds). */
function epochToIso(value: unknown): string | undefined {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    const parsed = Date.parse(value);
    return isNaN(parsed) ? undefined : new Date(parsed).toISOString();
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  let ms = n;
  if (n > 1e17) ms = n / 1e6;
  else if (n > 1e14) ms = n / 1e3;
  return new Date(Math.floor(ms)).toISOString();
}

/**
 * Reads an Opsgenie webhook integration payload: `{ action, alert }`. Every
 * action on an alert (Create, UpdatePriority, Close…) stores or updates it,
 * except Delete, which is ignored: an incident that happened stays
 * recorded.
 */
export function parseOpsgenieWebhook(
  payload: unknown,
  options: { domain?: string } = {},
): ParseResult {
  if (!isObject(payload) || !isObject(payload.alert)) {
    return { kind: 'malformed', reason: 'no alert object' };
  }
  const action = String(payload.action ?? '');
  if (!action) return { kind: 'malformed', reason: 'no action' };
  if (action === 'Delete') {
    return { kind: 'ignored', reason: 'a deleted alert is not unrecorded' };
  }
  const alert = payload.alert;
  const id = typeof alert.alertId === 'string' ? alert.alertId.trim() : '';
  const message = typeof alert.message === 'string' ? alert.message.trim() : '';
  if (!id || !message) {
    return {
      kind: 'malformed',
      reason: 'the alert lacks an alertId or a message',
    };
  }
  const occurredAt = epochToIso(alert.createdAt);
  if (!occurredAt) {
    return { kind: 'malformed', reason: 'the alert has no creation time' };
  }
  const details: Record<string, string> = {};
  if (isObject(alert.details)) {
    for (const [key, value] of Object.entries(alert.details)) {
      details[key] = String(value);
    }
  }
  const report: IncidentReport = {
    externalId: id,
    severity: opsgenieSeverity(alert.priority),
    title: message,
    occurredAt,
    ...(options.domain
      ? {
          link: `${options.domain.replace(
            /\/+$/,
            '',
          )}/alert/detail/${encodeURIComponent(id)}/details`,
        }
      : {}),
  };
  const target: IncidentTarget = {
    alert: {
      tags: Array.isArray(alert.tags) ? alert.tags.map(String) : [],
      details,
      ...(typeof alert.entity === 'string' && alert.entity
        ? { entity: alert.entity }
        : {}),
      ...(typeof alert.alias === 'string' && alert.alias
        ? { alias: alert.alias }
        : {}),
      ...(typeof alert.source === 'string' && alert.source
        ? { source: alert.source }
        : {}),
    },
  };
  return { kind: 'incident', report, target };
}

type Term = (
  alert: Extract<IncidentTarget, { alert: unknown }>['alert'],
) => boolean;

const unquote = (value: string) => value.trim().replace(/^"(.*)"$/, '$1');
const same = (a: string | undefined, b: string) =>
  a !== undefined &&
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

function parseTerm(text: string): Term | undefined {
  const pair = /^detailsPair\(\s*([^:()]+?)\s*:\s*([^()]+?)\s*\)$/i.exec(text);
  if (pair) {
    const [, key, value] = pair;
    return alert =>
      Object.entries(alert.details).some(
        ([k, v]) => same(k, unquote(key)) && same(v, unquote(value)),
      );
  }
  const field = /^(tag|tags|entity|alias|source)\s*:\s*(.+)$/i.exec(text);
  if (!field) return undefined;
  const name = field[1].toLowerCase();
  const value = unquote(field[2]);
  if (!value) return undefined;
  if (name === 'tag' || name === 'tags') {
    return alert => alert.tags.some(t => same(t, value));
  }
  const key = name as 'entity' | 'alias' | 'source';
  return alert => same(alert[key], value);
}

/**
 * Compiles the part of Opsgenie's alert query language a component selector
 * uses: terms joined by `AND`, each `detailsPair(key:value)`, `tag:value`,
 * `entity:value`, `alias:value` or `source:value` (values compared without
 * regard to case). Undefined for anything else (`OR`, `NOT`, other fields):
 * such a selector matches no alert, and the module says so in the log.
 */
export function compileComponentSelector(
  selector: string,
): ((target: IncidentTarget) => boolean) | undefined {
  const parts = selector.split(/\s+AND\s+/i).map(s => s.trim());
  if (!parts.length || parts.some(p => !p || /\s(OR|NOT)\s|^NOT\s/i.test(p))) {
    return undefined;
  }
  const terms: Term[] = [];
  for (const part of parts) {
    const term = parseTerm(part);
    if (!term) return undefined;
    terms.push(term);
  }
  return target => 'alert' in target && terms.every(term => term(target.alert));
}

/** Whether the request carries the shared token (compared in constant time). */
export function verifyOpsgenieToken(
  header: string | string[] | undefined,
  token: string,
): boolean {
  const given = Buffer.from(
    Array.isArray(header) ? header[0] ?? '' : header ?? '',
  );
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
