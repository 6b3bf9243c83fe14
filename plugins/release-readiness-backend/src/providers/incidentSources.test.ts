/*
 * Incidents from incident tools (issue 19), on both engines: through the
 * incident sources extension point, an incident is linked to the entity's
 * last release marked released at or before it began, within the link
 * window; a repeat changes nothing, an update changes what it says but not
 * where it counts, two reports at once store one; bad reports are refused
 * and store nothing. End to end, a signed PagerDuty webhook through the
 * events backend's HTTP ingress and the incidents module lands on the
 * release of the entity whose annotation names the service, and an unknown
 * service lands nowhere.
 */
import { createHmac } from 'node:crypto';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import eventsBackend from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import incidentWebhooks from '@release-readiness/plugin-backend-module-incidents';
import {
  IncidentRecorder,
  releaseReadinessIncidentSourcesExtensionPoint,
} from '@release-readiness/plugin-node';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  ENTITIES,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { driveToReady } from '../__testUtils__/readyGate';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG_REF = 'component:default/payment-gateway';
const SECRET = 'pagerduty-test-secret';
const DAY = 24 * 60 * 60 * 1000;

const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

type Api = ReturnType<typeof request>;

/** An incident source whose recorder the tests call directly. */
function testSource() {
  const holder: { recorder?: IncidentRecorder } = {};
  const module = createBackendModule({
    pluginId: 'release-readiness',
    moduleId: 'test-incident-tool',
    register(env) {
      env.registerInit({
        deps: { sources: releaseReadinessIncidentSourcesExtensionPoint },
        async init({ sources }) {
          sources.addSource({
            id: 'test-tool',
            title: 'Test Tool',
            connect: recorder => {
              holder.recorder = recorder;
            },
          });
        },
      });
    },
  });
  return { module, holder };
}

/** A gate of the payment gateway taken to released; returns its id. */
async function releasedGate(api: Api, release: string): Promise<string> {
  const gate = await driveToReady(api, release);
  const go = await api
    .post(`${BASE}/gates/${gate.id}/decision`)
    .set('Authorization', as(TOMASZ))
    .send({ verdict: 'go', reason: 'every condition met' });
  expect(go.status).toBe(200);
  const out = await api
    .post(`${BASE}/gates/${gate.id}/decision`)
    .set('Authorization', as(PRIYA))
    .send({ transition: 'release' });
  expect(out.status).toBe(200);
  expect(out.body.state).toBe('released');
  return gate.id;
}

function pagerDutyWebhook(options: {
  id: string;
  serviceId: string;
  createdAt: string;
  priority: string;
}) {
  return JSON.stringify({
    event: {
      id: `01EVENT${options.id}${options.priority}`,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: options.createdAt,
      agent: null,
      client: null,
      data: {
        id: options.id,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${options.id}`,
        html_url: `https://acme.pagerduty.com/incidents/${options.id}`,
        number: 77,
        status: 'triggered',
        created_at: options.createdAt,
        title: 'Card payments failing',
        service: {
          id: options.serviceId,
          type: 'service_reference',
          summary: 'Payment gateway',
        },
        priority: {
          id: 'PPRIO1',
          type: 'priority_reference',
          summary: options.priority,
        },
        urgency: 'high',
      },
    },
  });
}

async function eventually(check: () => Promise<void>, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}

describe.each(databases.eachSupportedId())(
  'incidents from incident tools on %s',
  databaseId => {
    let api: Api;
    let knex: Knex;
    const source = testSource();
    const recorder = () => source.holder.recorder!;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        entities: ENTITIES.map(e =>
          e.metadata.name === 'payment-gateway'
            ? {
                ...e,
                metadata: {
                  ...e.metadata,
                  annotations: {
                    ...e.metadata.annotations,
                    'pagerduty.com/service-id': 'PPAYGW1',
                  },
                },
              }
            : e,
        ),
        config: { incidents: { pagerduty: { webhookSecret: SECRET } } },
        // One backend: events stay in the process.
        otherConfig: { events: { useEventBus: 'never' } },
        features: [
          policyPermissions.factory,
          source.module,
          eventsServiceFactory,
          eventsBackend,
          incidentWebhooks,
        ],
      });
      api = request(server);
    });

    const incidentsOf = (release: string) =>
      knex('incidents')
        .where({ entity_ref: PG_REF, release })
        .orderBy('occurred_at');

    const setReleasedAt = (gateId: string, at: Date) =>
      knex('gates').where({ id: gateId }).update({
        released_at: at.toISOString(),
      });

    it('links a signed PagerDuty webhook to the release it followed, by annotation, once, and updates it', async () => {
      const gateId = await releasedGate(api, 'pd-1');
      const createdAt = new Date().toISOString();
      const post = (body: string, secret = SECRET) =>
        api
          .post('/api/events/http/pagerduty')
          .set('Content-Type', 'application/json')
          .set(
            'X-PagerDuty-Signature',
            `v1=${createHmac('sha256', secret).update(body).digest('hex')}`,
          )
          .send(body);

      const forged = pagerDutyWebhook({
        id: 'QFORGED1',
        serviceId: 'PPAYGW1',
        createdAt,
        priority: 'P1',
      });
      expect((await post(forged, 'not-the-secret')).status).toBe(401);

      const body = pagerDutyWebhook({
        id: 'QPAY0001',
        serviceId: 'PPAYGW1',
        createdAt,
        priority: 'P3',
      });
      expect((await post(body)).status).toBe(202);
      await eventually(async () => {
        expect(await incidentsOf('pd-1')).toHaveLength(1);
      });
      // Delivered again (the tool retries): still one.
      expect((await post(body)).status).toBe(202);
      // On an unknown service: nowhere.
      const stranger = pagerDutyWebhook({
        id: 'QOTHER01',
        serviceId: 'PNOBODY',
        createdAt,
        priority: 'P1',
      });
      expect((await post(stranger)).status).toBe(202);
      // Raised to P1: the same incident, now a sev1.
      const raised = pagerDutyWebhook({
        id: 'QPAY0001',
        serviceId: 'PPAYGW1',
        createdAt,
        priority: 'P1',
      });
      expect((await post(raised)).status).toBe(202);
      await eventually(async () => {
        const [row] = await incidentsOf('pd-1');
        expect(row.severity).toBe('sev1');
      });
      expect(await incidentsOf('pd-1')).toHaveLength(1);
      expect(
        await knex('incidents').where({ external_id: 'QOTHER01' }),
      ).toHaveLength(0);
      expect(
        await knex('incidents').where({ external_id: 'QFORGED1' }),
      ).toHaveLength(0);

      const gate = await api
        .get(`${BASE}/gates/${gateId}`)
        .set('Authorization', as(PRIYA));
      expect(gate.body.incidents).toEqual([
        expect.objectContaining({
          release: 'pd-1',
          severity: 'sev1',
          title: '#77 Card payments failing',
          link: 'https://acme.pagerduty.com/incidents/QPAY0001',
          reportedBy: 'incident-source:pagerduty',
          source: {
            id: 'pagerduty',
            title: 'PagerDuty',
            externalId: 'QPAY0001',
          },
        }),
      ]);
      // The sev1 counts against the gate it followed.
      const metrics = await knex('gate_metrics').where({ gate_id: gateId });
      expect(Number(metrics[0].incidents)).toBe(1);
      expect(Boolean(Number(metrics[0].incident_after_release))).toBe(true);
    });

    it('links by the window: the last release at or before the incident, within the days allowed', async () => {
      const now = Date.now();
      const first = await releasedGate(api, 'win-1');
      const second = await releasedGate(api, 'win-2');
      // Nothing else of the payment gateway released near these times.
      await knex('gates')
        .where({ entity_ref: PG_REF, state: 'released' })
        .whereNotIn('id', [first, second])
        .update({ released_at: new Date(now - 400 * DAY).toISOString() });
      await setReleasedAt(first, new Date(now - 40 * DAY));
      await setReleasedAt(second, new Date(now - 20 * DAY));
      const at = (daysAgo: number) =>
        new Date(now - daysAgo * DAY).toISOString();
      const report = (id: string, daysAgo: number, linkWindowDays?: number) =>
        recorder().record({
          externalId: id,
          entityRef: PG_REF,
          severity: 'sev2',
          title: `incident ${id}`,
          occurredAt: at(daysAgo),
          ...(linkWindowDays ? { linkWindowDays } : {}),
        });

      expect(await report('W-between', 30)).toMatchObject({
        outcome: 'created',
        release: 'win-1',
      });
      expect(await report('W-after-second', 15)).toMatchObject({
        outcome: 'created',
        release: 'win-2',
      });
      // 17 days after the last release: outside the 14 days by default...
      expect(await report('W-late', 3)).toMatchObject({
        outcome: 'unlinked',
        reason: expect.stringContaining('14 days'),
      });
      // ...inside a 30-day window.
      expect(await report('W-late', 3, 30)).toMatchObject({
        outcome: 'created',
        release: 'win-2',
      });
      // Before any release near it: no release to blame.
      expect(await report('W-before', 45)).toMatchObject({
        outcome: 'unlinked',
      });
      expect(
        (await incidentsOf('win-1')).map((r: any) => r.external_id),
      ).toEqual(['W-between']);
      expect(
        (await incidentsOf('win-2')).map((r: any) => r.external_id),
      ).toEqual(['W-after-second', 'W-late']);
      expect(
        await knex('incidents').where({ external_id: 'W-before' }),
      ).toHaveLength(0);
    });

    it('stores one incident for two reports at once, and keeps it on its release when updated', async () => {
      await releasedGate(api, 'race-1');
      const incident = {
        externalId: 'RACE-1',
        entityRef: PG_REF,
        severity: 'sev3' as const,
        title: 'Slow checkout',
        occurredAt: new Date().toISOString(),
      };
      const outcomes = await Promise.all([
        recorder().record(incident),
        recorder().record(incident),
      ]);
      expect(outcomes.map(o => o.outcome).sort()).toEqual([
        'created',
        'unchanged',
      ]);
      expect(
        await knex('incidents').where({ external_id: 'RACE-1' }),
      ).toHaveLength(1);
      // The same again: unchanged.
      expect(await recorder().record(incident)).toMatchObject({
        outcome: 'unchanged',
        release: 'race-1',
      });
      // A later release does not take an update of an incident it did not follow.
      await releasedGate(api, 'race-2');
      expect(
        await recorder().record({ ...incident, severity: 'sev2' }),
      ).toMatchObject({ outcome: 'updated', release: 'race-1' });
      const rows = await knex('incidents').where({ external_id: 'RACE-1' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ release: 'race-1', severity: 'sev2' });
    });

    it('marks an incident on a named release that had no gate as ungated', async () => {
      expect(
        await recorder().record({
          externalId: 'UNGATED-1',
          entityRef: PG_REF,
          release: '0.0.1-hotfix',
          severity: 'sev1',
          title: 'Shipped around the gate',
          occurredAt: new Date().toISOString(),
        }),
      ).toMatchObject({ outcome: 'created', release: '0.0.1-hotfix' });
      const [row] = await knex('incidents').where({ external_id: 'UNGATED-1' });
      expect(Boolean(Number(row.ungated))).toBe(true);
    });

    it.each([
      ['an unknown severity', { severity: 'critical' }, /severity/],
      [
        'a time in the future',
        { occurredAt: new Date(Date.now() + 3600_000).toISOString() },
        /future/,
      ],
      ['an unreadable time', { occurredAt: 'last tuesday' }, /occurredAt/],
      ['no title', { title: '  ' }, /title/],
      ['no id', { externalId: '' }, /externalId/],
      ['a bad entity ref', { entityRef: 'component:' }, /entityRef/],
      ['a link that is no URL', { link: 'ftp://files.example.com/x' }, /link/],
      ['a window of no days', { linkWindowDays: 0 }, /linkWindowDays/],
    ])('refuses %s and stores nothing', async (_what, change, message) => {
      const before = await knex('incidents').count({ n: '*' });
      await expect(
        recorder().record({
          externalId: 'BAD-1',
          entityRef: PG_REF,
          severity: 'sev2',
          title: 'Bad report',
          occurredAt: new Date().toISOString(),
          ...(change as object),
        } as any),
      ).rejects.toThrow(message);
      expect(await knex('incidents').count({ n: '*' })).toEqual(before);
    });
  },
);
