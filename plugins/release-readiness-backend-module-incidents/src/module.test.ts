/*
 * The module in a test backend with the real events backend: webhooks go
 * through its HTTP ingress (`POST /api/events/http/<topic>`), which refuses
 * what is not signed; accepted incidents reach the recorder the Release
 * Readiness backend gives each incident source, once per entity whose
 * annotation names the PagerDuty service or whose Opsgenie component
 * selector picks the alert. The recorder here stands in for the backend
 * and remembers what it was given; the backend's own tests store it.
 */
import { createHmac } from 'node:crypto';
import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsBackend from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  ExternalIncident,
  ExternalIncidentOutcome,
  releaseReadinessIncidentSourcesExtensionPoint,
} from '@release-readiness/plugin-node';
import request from 'supertest';
import incidentWebhooks from './index';
import triggered from './__fixtures__/pagerduty_incident_triggered.json';
import priorityUpdated from './__fixtures__/pagerduty_incident_priority_updated.json';
import serviceUpdated from './__fixtures__/pagerduty_service_updated.json';
import alertCreate from './__fixtures__/opsgenie_alert_create.json';

const SECRET = 'pd-webhook-secret';
const TOKEN = 'opsgenie-shared-token-0001';

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

const ENTITIES = [
  entity('payment-gateway', { 'pagerduty.com/service-id': 'PCHK001' }),
  // One PagerDuty service can page for two components.
  entity('card-tokenizer', { 'pagerduty.com/service-id': 'PCHK001' }),
  entity('ledger', { 'pagerduty.com/service-id': 'PLEDG42' }),
  entity('checkout', {
    'opsgenie.com/component-selector': 'detailsPair(service:checkout)',
  }),
  entity('search', { 'opsgenie.com/component-selector': 'tag:search' }),
  entity('cart', {
    'opsgenie.com/component-selector': 'tag:checkout OR tag:cart',
  }),
];

type Recorded = { source: string } & ExternalIncident;

/** Stands in for the Release Readiness backend on its extension point. */
function fakeReadinessBackend(
  answer: (i: ExternalIncident) => Promise<ExternalIncidentOutcome>,
) {
  const recorded: Recorded[] = [];
  const sources: Array<{ id: string; title: string }> = [];
  const plugin = createBackendPlugin({
    pluginId: 'release-readiness',
    register(env) {
      const added: any[] = [];
      env.registerExtensionPoint(
        releaseReadinessIncidentSourcesExtensionPoint,
        {
          addSource: (...s) => added.push(...s),
        },
      );
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {
          for (const source of added) {
            sources.push({ id: source.id, title: source.title });
            source.connect({
              record: async (incident: ExternalIncident) => {
                recorded.push({ source: source.id, ...incident });
                return answer(incident);
              },
            });
          }
        },
      });
    },
  });
  return { plugin, recorded, sources };
}

async function start(
  incidents: object,
  answer: (
    i: ExternalIncident,
  ) => Promise<ExternalIncidentOutcome> = async () => ({
    outcome: 'created',
    incidentId: 'stored-1',
    release: '2.4.0',
  }),
) {
  const fake = fakeReadinessBackend(answer);
  const { server } = await startTestBackend({
    features: [
      // The real events service (the test backend's mock is one per plugin):
      // what the ingress publishes reaches the module's subscription.
      eventsServiceFactory,
      eventsBackend,
      incidentWebhooks,
      fake.plugin,
      catalogServiceMock.factory({ entities: ENTITIES }),
      mockServices.rootConfig.factory({
        data: {
          events: { useEventBus: 'never' },
          releaseReadiness: { incidents },
        },
      }),
    ],
  });
  return { api: request(server), ...fake };
}

const raw = (payload: unknown) => JSON.stringify(payload);
const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Waits for the events service to hand the webhook to the module. */
async function eventually(check: () => void, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(r => setTimeout(r, 20));
    }
  }
}

describe('incident webhooks through the events backend', () => {
  const both = {
    linkWindowDays: 10,
    pagerduty: { webhookSecret: SECRET },
    opsgenie: { webhookToken: TOKEN, domain: 'https://acme.app.opsgenie.com' },
  };

  it('records a signed PagerDuty incident on every entity of its service, and nothing unsigned', async () => {
    const { api, recorded, sources } = await start(both);
    expect(sources).toEqual([
      { id: 'pagerduty', title: 'PagerDuty' },
      { id: 'opsgenie', title: 'Opsgenie' },
    ]);
    const body = raw(triggered);

    for (const signature of [undefined, sign(body, 'guessed'), 'v1=00']) {
      const req = api
        .post('/api/events/http/pagerduty')
        .set('Content-Type', 'application/json');
      const refused = await (signature
        ? req.set('X-PagerDuty-Signature', signature)
        : req
      ).send(body);
      expect(refused.status).toBe(401);
    }

    const accepted = await api
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .set('X-PagerDuty-Signature', sign(body))
      .send(body);
    expect(accepted.status).toBe(202);
    await eventually(() => expect(recorded).toHaveLength(2));
    const byEntity = [...recorded].sort((x, y) =>
      x.entityRef.localeCompare(y.entityRef),
    );
    expect(byEntity).toEqual(
      [
        'component:default/card-tokenizer',
        'component:default/payment-gateway',
      ].map(entityRef => ({
        source: 'pagerduty',
        entityRef,
        externalId: 'Q2W5TGKZ8ARJ1',
        severity: 'sev2',
        title: '#4213 Card payments failing at checkout',
        occurredAt: '2026-12-03T14:05:09.000Z',
        link: 'https://acme.pagerduty.com/incidents/Q2W5TGKZ8ARJ1',
        linkWindowDays: 10,
      })),
    );
  });

  it('passes an update on as the same incident and ignores what is not an incident or is on an unknown service', async () => {
    const { api, recorded } = await start(both);
    const post = (payload: unknown) => {
      const body = raw(payload);
      return api
        .post('/api/events/http/pagerduty')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', sign(body))
        .send(body);
    };
    expect((await post(priorityUpdated)).status).toBe(202);
    await eventually(() => expect(recorded).toHaveLength(2));
    expect(recorded.every(r => r.externalId === 'Q2W5TGKZ8ARJ1')).toBe(true);
    expect(recorded.every(r => r.severity === 'sev1')).toBe(true);

    const unknown = JSON.parse(raw(triggered));
    unknown.event.data.id = 'QUNKNOWN1';
    unknown.event.data.service.id = 'PNOBODY';
    expect((await post(unknown)).status).toBe(202);
    expect((await post(serviceUpdated)).status).toBe(202);
    expect((await post({ hello: 'world' })).status).toBe(202);
    // A known service after them: once it is recorded, the others are done.
    const ledger = JSON.parse(raw(triggered));
    ledger.event.data.id = 'QLEDGER01';
    ledger.event.data.service.id = 'PLEDG42';
    expect((await post(ledger)).status).toBe(202);
    await eventually(() => expect(recorded).toHaveLength(3));
    expect(recorded[2]).toMatchObject({
      entityRef: 'component:default/ledger',
      externalId: 'QLEDGER01',
    });
  });

  it('records an Opsgenie alert on the entities whose selector picks it, with the token only', async () => {
    const { api, recorded } = await start(both);
    const body = raw(alertCreate);
    const refused = await api
      .post('/api/events/http/opsgenie')
      .set('Content-Type', 'application/json')
      .set('x-release-readiness-token', 'opsgenie-shared-token-0002')
      .send(body);
    expect(refused.status).toBe(401);
    const accepted = await api
      .post('/api/events/http/opsgenie')
      .set('Content-Type', 'application/json')
      .set('x-release-readiness-token', TOKEN)
      .send(body);
    expect(accepted.status).toBe(202);
    await eventually(() => expect(recorded).toHaveLength(1));
    // checkout's detailsPair matches; cart's OR selector is not guessed at.
    expect(recorded[0]).toEqual({
      source: 'opsgenie',
      entityRef: 'component:default/checkout',
      externalId: '7a3f0c2e-91d4-4b6a-8e5f-0c1d2b3a4f56-1796311200421',
      severity: 'sev2',
      title: 'Checkout latency p99 above 2 s',
      occurredAt: '2026-12-03T15:20:00.421Z',
      link: 'https://acme.app.opsgenie.com/alert/detail/7a3f0c2e-91d4-4b6a-8e5f-0c1d2b3a4f56-1796311200421/details',
      linkWindowDays: 10,
    });
  });

  it('opens only the configured tool, and nothing without configuration', async () => {
    const { api, sources } = await start({
      pagerduty: { webhookSecret: SECRET },
    });
    expect(sources.map(s => s.id)).toEqual(['pagerduty']);
    const none = await api
      .post('/api/events/http/opsgenie')
      .set('Content-Type', 'application/json')
      .set('x-release-readiness-token', TOKEN)
      .send(raw(alertCreate));
    expect(none.status).toBe(404);

    const off = await start({});
    expect(off.sources).toEqual([]);
    expect(
      (
        await off.api
          .post('/api/events/http/pagerduty')
          .set('Content-Type', 'application/json')
          .send(raw(triggered))
      ).status,
    ).toBe(404);
  });

  it('keeps the other entities when the backend refuses one, and tries a failed one again', async () => {
    let failures: Error[] = [];
    const { api, recorded } = await start(both, async i => {
      if (i.entityRef.endsWith('card-tokenizer') && failures.length) {
        throw failures.shift();
      }
      return { outcome: 'created', incidentId: 'x', release: '1.0.0' };
    });
    const body = raw(triggered);
    const post = () =>
      api
        .post('/api/events/http/pagerduty')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', sign(body))
        .send(body);
    const tokenizer = () =>
      recorded.filter(r => r.entityRef.endsWith('card-tokenizer')).length;

    // Refused input is not tried again; the other entity is recorded.
    failures = [
      Object.assign(new Error('occurredAt is in the future'), {
        name: 'InputError',
      }),
    ];
    expect((await post()).status).toBe(202);
    await eventually(() => expect(recorded).toHaveLength(2));
    expect(tokenizer()).toBe(1);

    // A failure of the store is tried again, and the second attempt counts.
    recorded.length = 0;
    failures = [new Error('Connection terminated unexpectedly')];
    expect((await post()).status).toBe(202);
    await eventually(() => expect(tokenizer()).toBe(2));
    expect(recorded).toHaveLength(3);
    expect(failures).toEqual([]);
  });
});
