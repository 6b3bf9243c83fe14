/*
 * Running releases through the gate: release windows and exceptions, the tier
 * roll-up of a system, incidents, notifications, background reminders and the
 * actions for AI agents, through the HTTP API on both databases.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import request from 'supertest';
import {
  as,
  HIROSHI,
  MARGARET,
  NADIA,
  holdNotifications,
  notificationSent,
  PRIYA,
  sentNotifications,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;

/** A year-end freeze over all of December 2030, and a weekday train. */
const WINDOWS = [
  {
    id: 'year-end-freeze',
    name: 'Year-end freeze',
    kind: 'freeze',
    from: '2030-12-01T00:00:00Z',
    to: '2031-01-04T00:00:00Z',
    scope: { all: true },
    approvers: ['group:default/release-management'],
  },
  {
    id: 'market-hours',
    name: 'Market hours',
    kind: 'freeze',
    cron: '30 9 * * 1-5',
    duration: 'PT6H30M',
    timezone: 'America/New_York',
    scope: { tags: ['trading'] },
    approvers: ['group:default/release-management'],
  },
];

describe.each(databases.eachSupportedId())(
  'operating releases on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let releases = 0;
    const registry = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    const actionsFactory = createServiceFactory({
      service: actionsRegistryServiceRef,
      deps: {},
      factory: () => registry,
    });

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        windows: WINDOWS,
        features: [actionsFactory],
      });
      api = request(server);
    });

    async function openGate(body: Record<string, unknown> = {}) {
      releases += 1;
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `5.0.${releases}`, ...body });
      expect(res.status).toBe(201);
      return res.body;
    }

    const windowCondition = (gate: any) =>
      gate.evaluation.conditions.find((c: any) => c.id === 'window');

    it('lists the windows from config with their next occurrence', async () => {
      const res = await api
        .get(`${BASE}/windows`)
        .set('Authorization', as(HIROSHI));
      expect(res.status).toBe(200);
      const market = res.body.items.find((w: any) => w.id === 'market-hours');
      expect(market).toMatchObject({ source: 'config', kind: 'freeze' });
      expect(market.next.start).toEqual(expect.any(String));
    });

    it('blocks a gate planned inside a freeze until the exception is approved', async () => {
      const gate = await openGate({ plannedAt: '2030-12-24T10:00:00Z' });
      const blocked = windowCondition(gate);
      expect(blocked.met).toBe(false);
      expect(blocked.blockers[0].message).toMatch(/Year-end freeze/);
      expect(blocked.blockers[0].message).toMatch(/2031-01-04/);

      const notApprover = await api
        .post(`${BASE}/gates/${gate.id}/window-exception`)
        .set('Authorization', as(PRIYA))
        .send({ windowId: 'year-end-freeze', reason: 'Tax law change' });
      expect(notApprover.status).toBe(403);
      expect(notApprover.body.error.message).toMatch(
        /group:default\/release-management/,
      );

      const unknown = await api
        .post(`${BASE}/gates/${gate.id}/window-exception`)
        .set('Authorization', as(MARGARET))
        .send({ windowId: 'no-such-window', reason: 'x' });
      expect(unknown.status).toBe(400);

      const approved = await api
        .post(`${BASE}/gates/${gate.id}/window-exception`)
        .set('Authorization', as(MARGARET))
        .send({ windowId: 'year-end-freeze', reason: 'Tax law change' });
      expect(approved.status).toBe(201);
      expect(windowCondition(approved.body).met).toBe(true);

      const audit = await api
        .get(`${BASE}/gates/${gate.id}/audit`)
        .set('Authorization', as(PRIYA));
      expect(audit.body.items.map((e: any) => e.action)).toContain(
        'window.exception',
      );
    });

    it('refuses GO in a freeze, with the window named', async () => {
      const gate = await openGate({ plannedAt: '2030-12-10T10:00:00Z' });
      const go = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'ship it' });
      expect(go.status).toBe(409);
      expect(go.body.error.message).toMatch(/Year-end freeze/);
    });

    it('lets a gate planned outside every freeze pass the window condition', async () => {
      const gate = await openGate({ plannedAt: '2030-11-12T10:00:00Z' });
      expect(windowCondition(gate).met).toBe(true);
    });

    it('lets admins create windows and nobody else', async () => {
      const window = {
        id: 'black-friday',
        name: 'Black Friday freeze',
        kind: 'freeze',
        from: '2030-11-29T00:00:00Z',
        to: '2030-12-01T00:00:00Z',
        scope: { systems: ['system:default/payments-platform'] },
        approvers: ['group:default/release-management'],
      };
      const bad = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(PRIYA))
        .send({
          ...window,
          id: 'bad',
          timezone: 'Mars/Base',
          cron: '0 9 * * *',
          duration: 'PT1H',
          from: undefined,
          to: undefined,
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/timezone/);

      const created = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(PRIYA))
        .send(window);
      expect(created.status).toBe(201);
      const again = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(PRIYA))
        .send(window);
      expect(again.status).toBe(409);
      const clash = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(PRIYA))
        .send({ ...window, id: 'year-end-freeze' });
      expect(clash.status).toBe(409);

      // The new window applies to the system's components.
      const gate = await openGate({ plannedAt: '2030-11-29T12:00:00Z' });
      expect(windowCondition(gate).blockers[0].message).toMatch(
        /Black Friday freeze/,
      );
    });

    it('blocks a system gate until its components are GO, naming them', async () => {
      const release = '2030.1';
      const system = await api
        .post(`${BASE}/entities/system/default/payments-platform/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release, plannedAt: '2030-11-12T10:00:00Z' });
      expect(system.status).toBe(201);
      expect(system.body.tier).toBe(2);
      const rollup = (g: any) =>
        g.evaluation.conditions.find((c: any) => c.id === 'rollup');
      expect(rollup(system.body).met).toBe(false);
      const message = rollup(system.body)
        .blockers.map((b: any) => b.message)
        .join(' ');
      expect(message).toMatch(/component:default\/payment-gateway/);
      expect(message).toMatch(/component:default\/promotions-engine/);

      // A component's gate for the release is not enough while in progress.
      await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release });
      const again = await api
        .get(`${BASE}/gates/${system.body.id}`)
        .set('Authorization', as(PRIYA));
      expect(
        rollup(again.body)
          .blockers.map((b: any) => b.message)
          .join(' '),
      ).toMatch(/payment-gateway.*in-progress/);
    });

    it('shows incidents on the gate of their release', async () => {
      const gate = await openGate();
      const res = await api
        .post(`${BASE}/incidents`)
        .set('Authorization', as(PRIYA))
        .send({
          entityRef: 'component:default/payment-gateway',
          release: gate.release,
          severity: 'sev2',
          title: 'Card declines spiked after the release',
          link: 'https://incidents.example.com/INC-42',
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ severity: 'sev2', reportedBy: PRIYA });
      const bad = await api
        .post(`${BASE}/incidents`)
        .set('Authorization', as(PRIYA))
        .send({
          entityRef: 'component:default/payment-gateway',
          release: '1',
          severity: 'sev9',
          title: 'x',
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/severity/);
      const read = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(HIROSHI));
      expect(read.body.incidents).toEqual([
        expect.objectContaining({
          title: 'Card declines spiked after the release',
        }),
      ]);
    });

    it('notifies gate owners of Not-ready votes and decisions (sign-off requests: notifications.test.ts)', async () => {
      sentNotifications.length = 0;
      const gate = await openGate();
      await api
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'not-ready', comment: 'flaky' });
      const notReady = await notificationSent(n =>
        n.payload.title.startsWith('Not ready'),
      );
      expect(notReady.recipients).toMatchObject({
        entityRef: ['group:default/payments'],
      });
      expect(notReady.payload.description).toMatch(/flaky/);

      await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'no-go', reason: 'QA found a regression' });
      const decision = await notificationSent(n =>
        n.payload.title.startsWith('NO-GO'),
      );
      expect(decision.recipients).toMatchObject({
        entityRef: ['group:default/payments'],
      });
      expect(decision.payload.link).toBe(
        '/catalog/default/component/payment-gateway/readiness',
      );
    });

    it('answers a change at once while the notification service hangs, and notifies once it answers', async () => {
      sentNotifications.length = 0;
      const release = holdNotifications();
      try {
        // Each of these awaited a notification before answering: with the
        // service hanging, each request would never settle.
        const gate = await openGate();
        const vote = await api
          .post(`${BASE}/gates/${gate.id}/signoffs`)
          .set('Authorization', as(NADIA))
          .send({ role: 'qa', verdict: 'not-ready', comment: 'hangs' });
        expect(vote.status).toBe(201);
        const decided = await api
          .post(`${BASE}/gates/${gate.id}/decision`)
          .set('Authorization', as(PRIYA))
          .send({ verdict: 'no-go', reason: 'Notifications are down' });
        expect(decided.status).toBe(200);
        expect(decided.body.state).toBe('no-go');
        expect(sentNotifications).toEqual([]);
      } finally {
        release();
      }
      await notificationSent(n => n.payload.title.startsWith('Not ready'));
      await notificationSent(n => n.payload.title.startsWith('NO-GO'));
    });

    it('answers AI agents through the actions registry', async () => {
      const gate = await openGate();
      const readiness = await registry.invoke({
        id: 'test:get-release-readiness',
        input: {
          entityRef: 'component:default/payment-gateway',
          release: gate.release,
        },
        credentials: mockCredentials.user(HIROSHI),
      });
      expect(readiness.output).toMatchObject({
        entityRef: 'component:default/payment-gateway',
        release: gate.release,
        verdict: 'IN PROGRESS',
        ready: false,
      });
      const blockers = await registry.invoke({
        id: 'test:list-release-blockers',
        input: {
          entityRef: 'component:default/payment-gateway',
          release: gate.release,
        },
        credentials: mockCredentials.user(HIROSHI),
      });
      expect((blockers.output as any).blockers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ condition: 'signoffs' }),
        ]),
      );
    });
  },
);
