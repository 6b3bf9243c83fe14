/*
 * The PagerDuty and Opsgenie webhook payloads (recorded examples in
 * __fixtures__, in the tools' documented shapes) mapped to incidents, the
 * signature and token checks, and the Opsgenie component selectors.
 */
import { createHmac } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import {
  compileComponentSelector,
  opsgenieSeverity,
  parseOpsgenieWebhook,
  verifyOpsgenieToken,
} from './opsgenie';
import {
  pagerDutySeverity,
  parsePagerDutyWebhook,
  verifyPagerDutySignature,
} from './pagerduty';
import { readIncidentWebhookSettings } from './config';
import triggered from './__fixtures__/pagerduty_incident_triggered.json';
import priorityUpdated from './__fixtures__/pagerduty_incident_priority_updated.json';
import resolved from './__fixtures__/pagerduty_incident_resolved.json';
import annotated from './__fixtures__/pagerduty_incident_annotated.json';
import serviceUpdated from './__fixtures__/pagerduty_service_updated.json';
import alertCreate from './__fixtures__/opsgenie_alert_create.json';
import alertPriority from './__fixtures__/opsgenie_alert_update_priority.json';
import alertDelete from './__fixtures__/opsgenie_alert_delete.json';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('PagerDuty webhooks', () => {
  it('maps a triggered incident, its priority and its service', () => {
    expect(parsePagerDutyWebhook(triggered)).toEqual({
      kind: 'incident',
      report: {
        externalId: 'Q2W5TGKZ8ARJ1',
        severity: 'sev2',
        title: '#4213 Card payments failing at checkout',
        occurredAt: '2026-12-03T14:05:09.000Z',
        link: 'https://acme.pagerduty.com/incidents/Q2W5TGKZ8ARJ1',
      },
      target: { serviceId: 'PCHK001' },
    });
  });

  it('reads an update and a resolution as the same incident, with what changed', () => {
    const updated = parsePagerDutyWebhook(priorityUpdated);
    const done = parsePagerDutyWebhook(resolved);
    expect(updated).toMatchObject({
      kind: 'incident',
      report: { externalId: 'Q2W5TGKZ8ARJ1', severity: 'sev1' },
    });
    // The incident began when it was created, whatever event tells of it.
    expect(done).toMatchObject({
      kind: 'incident',
      report: {
        externalId: 'Q2W5TGKZ8ARJ1',
        occurredAt: '2026-12-03T14:05:09.000Z',
      },
    });
  });

  it('ignores events that are not about an incident or carry none', () => {
    expect(parsePagerDutyWebhook(annotated)).toMatchObject({
      kind: 'ignored',
    });
    expect(parsePagerDutyWebhook(serviceUpdated)).toEqual({
      kind: 'ignored',
      reason: 'event service.updated is not about an incident',
    });
  });

  it.each([
    ['not an object', 'pong'],
    ['no event', { messages: [] }],
    [
      'no service',
      (() => {
        const p = clone(triggered) as any;
        delete p.event.data.service;
        return p;
      })(),
    ],
    [
      'no title',
      (() => {
        const p = clone(triggered) as any;
        p.event.data.title = '  ';
        return p;
      })(),
    ],
    [
      'an unreadable time',
      (() => {
        const p = clone(triggered) as any;
        p.event.data.created_at = 'yesterday';
        p.event.occurred_at = undefined;
        return p;
      })(),
    ],
  ])('calls a payload with %s malformed', (_what, payload) => {
    expect(parsePagerDutyWebhook(payload)).toMatchObject({
      kind: 'malformed',
    });
  });

  it.each([
    ['P1', 'low', 'sev1'],
    ['P2', 'high', 'sev2'],
    ['P3', 'high', 'sev3'],
    ['P4', 'high', 'sev4'],
    ['P5', 'high', 'sev4'],
    [undefined, 'high', 'sev2'],
    [undefined, 'low', 'sev3'],
    ['Critical', 'high', 'sev2'],
  ])('priority %s and urgency %s make %s', (priority, urgency, severity) => {
    expect(pagerDutySeverity(priority, urgency)).toBe(severity);
  });

  describe('signatures', () => {
    const body = Buffer.from(JSON.stringify(triggered));
    const sign = (secret: string, raw = body) =>
      `v1=${createHmac('sha256', secret).update(raw).digest('hex')}`;

    it('accepts the body signed with the secret, or with a previous one during a rotation', () => {
      expect(verifyPagerDutySignature(body, sign('s3cret'), ['s3cret'])).toBe(
        true,
      );
      expect(
        verifyPagerDutySignature(
          body,
          `${sign('new-one')},${sign('old-one')}`,
          ['old-one'],
        ),
      ).toBe(true);
      expect(
        verifyPagerDutySignature(body, sign('old-one'), ['new-one', 'old-one']),
      ).toBe(true);
    });

    it('refuses a missing, wrong, truncated or replayed-on-other-content signature', () => {
      expect(verifyPagerDutySignature(body, undefined, ['s3cret'])).toBe(false);
      expect(verifyPagerDutySignature(body, sign('guess'), ['s3cret'])).toBe(
        false,
      );
      expect(
        verifyPagerDutySignature(body, sign('s3cret').slice(0, 20), ['s3cret']),
      ).toBe(false);
      const other = Buffer.from(JSON.stringify(priorityUpdated));
      expect(verifyPagerDutySignature(other, sign('s3cret'), ['s3cret'])).toBe(
        false,
      );
      expect(
        verifyPagerDutySignature(body, sign('s3cret').replace('v1=', 'v0='), [
          's3cret',
        ]),
      ).toBe(false);
    });
  });
});

describe('Opsgenie webhooks', () => {
  it('maps a created alert, with a link when the site is configured', () => {
    expect(
      parseOpsgenieWebhook(alertCreate, {
        domain: 'https://acme.app.opsgenie.com/',
      }),
    ).toEqual({
      kind: 'incident',
      report: {
        externalId: '7a3f0c2e-91d4-4b6a-8e5f-0c1d2b3a4f56-1796311200421',
        severity: 'sev2',
        title: 'Checkout latency p99 above 2 s',
        occurredAt: '2026-12-03T15:20:00.421Z',
        link: 'https://acme.app.opsgenie.com/alert/detail/7a3f0c2e-91d4-4b6a-8e5f-0c1d2b3a4f56-1796311200421/details',
      },
      target: {
        alert: {
          tags: ['checkout', 'production'],
          details: { service: 'checkout', region: 'eu-west-1' },
          entity: 'checkout-service',
          alias: 'checkout-latency-p99',
          source: 'prometheus',
        },
      },
    });
    expect(parseOpsgenieWebhook(alertCreate)).not.toHaveProperty('report.link');
  });

  it('reads an update as the same alert and ignores a deletion', () => {
    expect(parseOpsgenieWebhook(alertPriority)).toMatchObject({
      kind: 'incident',
      report: {
        externalId: '7a3f0c2e-91d4-4b6a-8e5f-0c1d2b3a4f56-1796311200421',
        severity: 'sev1',
        occurredAt: '2026-12-03T15:20:00.421Z',
      },
    });
    expect(parseOpsgenieWebhook(alertDelete)).toMatchObject({
      kind: 'ignored',
    });
  });

  it.each([
    ['no alert', { action: 'Create' }],
    ['no action', { alert: clone(alertCreate).alert }],
    [
      'no message',
      {
        ...clone(alertCreate),
        alert: { ...clone(alertCreate).alert, message: '' },
      },
    ],
    [
      'no creation time',
      {
        ...clone(alertCreate),
        alert: { ...clone(alertCreate).alert, createdAt: 'soon' },
      },
    ],
  ])('calls a payload with %s malformed', (_what, payload) => {
    expect(parseOpsgenieWebhook(payload)).toMatchObject({ kind: 'malformed' });
  });

  it.each([
    ['P1', 'sev1'],
    ['P2', 'sev2'],
    ['P3', 'sev3'],
    [undefined, 'sev3'],
    ['P4', 'sev4'],
    ['P5', 'sev4'],
  ])('priority %s makes %s', (priority, severity) => {
    expect(opsgenieSeverity(priority)).toBe(severity);
  });

  describe('component selectors', () => {
    const parsed = parseOpsgenieWebhook(alertCreate);
    if (parsed.kind !== 'incident') throw new Error('fixture');
    const alert = parsed.target;

    it.each([
      ['detailsPair(service:checkout)', true],
      ['detailsPair(Service:CHECKOUT)', true],
      ['detailsPair(service:payments)', false],
      ['tag:checkout', true],
      ['tags:"production"', true],
      ['tag:staging', false],
      ['entity:checkout-service', true],
      ['alias:checkout-latency-p99 AND source:prometheus', true],
      ['detailsPair(service:checkout) AND tag:staging', false],
    ])('%s selects the alert: %s', (selector, selected) => {
      const matches = compileComponentSelector(selector);
      expect(matches).toBeDefined();
      expect(matches!(alert)).toBe(selected);
    });

    it.each([
      'tag:checkout OR tag:payments',
      'NOT tag:staging',
      'message:latency',
      'detailsPair(service)',
      '',
    ])('does not guess at %j', selector => {
      expect(compileComponentSelector(selector)).toBeUndefined();
    });
  });

  it('checks the shared token exactly', () => {
    const token = 'a-long-shared-token-1234';
    expect(verifyOpsgenieToken(token, token)).toBe(true);
    expect(verifyOpsgenieToken([token], token)).toBe(true);
    expect(verifyOpsgenieToken(undefined, token)).toBe(false);
    expect(verifyOpsgenieToken(`${token}x`, token)).toBe(false);
    expect(verifyOpsgenieToken(token.toUpperCase(), token)).toBe(false);
  });
});

describe('configuration', () => {
  const read = (incidents: any) =>
    readIncidentWebhookSettings(
      new ConfigReader({ releaseReadiness: { incidents } }),
    );

  it('is off without a tool', () => {
    expect(readIncidentWebhookSettings(new ConfigReader({}))).toBeUndefined();
    expect(read({ linkWindowDays: 7 })).toBeUndefined();
  });

  it('reads both tools with their defaults', () => {
    expect(
      read({
        pagerduty: {
          webhookSecret: 'pd-secret',
          previousWebhookSecrets: ['old'],
        },
        opsgenie: {
          webhookToken: 'an-opsgenie-token-of-length',
          domain: 'https://acme.app.opsgenie.com',
        },
      }),
    ).toEqual({
      linkWindowDays: 14,
      pagerduty: { topic: 'pagerduty', webhookSecrets: ['pd-secret', 'old'] },
      opsgenie: {
        topic: 'opsgenie',
        webhookToken: 'an-opsgenie-token-of-length',
        domain: 'https://acme.app.opsgenie.com',
      },
    });
  });

  it.each([
    [{ pagerduty: {} }, /webhookSecret/],
    [{ pagerduty: { webhookSecret: '' } }, /webhookSecret/],
    [{ opsgenie: { webhookToken: 'short' } }, /at least 16/],
    [{ opsgenie: { webhookToken: 'x'.repeat(16), domain: 'acme' } }, /domain/],
    [{ pagerduty: { webhookSecret: 's', topic: 'Pager Duty' } }, /topic/],
    [
      { linkWindowDays: 0, pagerduty: { webhookSecret: 's' } },
      /linkWindowDays/,
    ],
    [
      {
        pagerduty: { webhookSecret: 's', topic: 'incidents' },
        opsgenie: { webhookToken: 'x'.repeat(16), topic: 'incidents' },
      },
      /different topics/,
    ],
  ])('refuses %j', (incidents, message) => {
    expect(() => read(incidents)).toThrow(message);
  });
});
