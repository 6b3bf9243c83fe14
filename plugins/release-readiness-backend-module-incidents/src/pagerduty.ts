import { createHmac, timingSafeEqual } from 'node:crypto';
import { IncidentReport, ParseResult, Severity } from './types';

/**
 * The annotation of the PagerDuty plugin for Backstage: the id of the
 * PagerDuty service of the entity, e.g. `PABC123`.
 *
 * @public
 */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty.com/service-id';

/**
 * The severity of a PagerDuty incident: from its priority (`P1` → sev1,
 * `P2` → sev2, `P3` → sev3, `P4` and lower → sev4), or, without a priority,
 * from its urgency (high → sev2, low → sev3).
 */
export function pagerDutySeverity(
  priority: string | undefined,
  urgency: string | undefined,
): Severity {
  const level = /^P(\d+)\b/i.exec(priority ?? '')?.[1];
  if (level) {
    const n = Number(level);
    if (n <= 1) return 'sev1';
    if (n === 2) return 'sev2';
    if (n === 3) return 'sev3';
    return 'sev4';
  }
  return urgency === 'high' ? 'sev2' : 'sev3';
}

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a PagerDuty webhook (V3) payload: `{ event: { event_type,
 * resource_type, occurred_at, data } }`. Every `incident.*` event carries
 * the incident, so each one stores or updates it; other events (services,
 * annotations on an incident) are ignored.
 */
export function parsePagerDutyWebhook(payload: unknown): ParseResult {
  const event = isObject(payload) ? payload.event : undefined;
  if (!isObject(event)) {
    return { kind: 'malformed', reason: 'no event object' };
  }
  const eventType = String(event.event_type ?? '');
  if (
    event.resource_type !== 'incident' ||
    !eventType.startsWith('incident.')
  ) {
    return {
      kind: 'ignored',
      reason: `event ${eventType || '(no type)'} is not about an incident`,
    };
  }
  const data = event.data;
  if (!isObject(data) || data.type !== 'incident') {
    return {
      kind: 'ignored',
      reason: `event ${eventType} carries no incident`,
    };
  }
  const id = typeof data.id === 'string' ? data.id.trim() : '';
  const serviceId = isObject(data.service) ? data.service.id : undefined;
  const title = typeof data.title === 'string' ? data.title.trim() : '';
  const created = data.created_at ?? event.occurred_at;
  if (!id || typeof serviceId !== 'string' || !serviceId || !title) {
    return {
      kind: 'malformed',
      reason: 'the incident lacks an id, a service id or a title',
    };
  }
  if (typeof created !== 'string' || isNaN(Date.parse(created))) {
    return { kind: 'malformed', reason: 'the incident has no creation time' };
  }
  const report: IncidentReport = {
    externalId: id,
    severity: pagerDutySeverity(
      isObject(data.priority) ? data.priority.summary : undefined,
      data.urgency,
    ),
    title: typeof data.number === 'number' ? `#${data.number} ${title}` : title,
    occurredAt: new Date(created).toISOString(),
    ...(typeof data.html_url === 'string' && /^https?:\/\//.test(data.html_url)
      ? { link: data.html_url }
      : {}),
  };
  return { kind: 'incident', report, target: { serviceId } };
}

/**
 * Whether the `X-PagerDuty-Signature` header signs the raw body with one of
 * the secrets: the header holds one or more `v1=<hex HMAC-SHA256>`, comma
 * separated (several while a secret is being rotated).
 */
export function verifyPagerDutySignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secrets: string[],
): boolean {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  const given = value
    .split(',')
    .map(s => s.trim())
    .filter(s => s.startsWith('v1='))
    .map(s => Buffer.from(s.slice(3), 'hex'));
  return secrets.some(secret => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return given.some(
      g => g.length === expected.length && timingSafeEqual(g, expected),
    );
  });
}
