import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { teamReadPermissions } from '../__testUtils__/teamReadPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Requests without a token act as a CI pipeline with a restricted token. */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});
const BASE = '/api/release-readiness';
const CHECKOUT = 'group:default/checkout';
const PAYMENTS = 'group:default/payments';

describe.each(databases.eachSupportedId())(
  'GET /metrics and GET /portfolio on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let openedFrom: string;
    let openedTo: string;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [teamReadPermissions.factory],
      });
      api = request(server);
      openedFrom = new Date(Date.now() - 60_000).toISOString();
      const open = async (path: string, body: object) => {
        const res = await api
          .post(`${BASE}/entities/${path}/gates`)
          .set('Authorization', as(PRIYA))
          .send(body);
        expect(res.status).toBe(201);
      };
      await open('component/default/payment-gateway', {
        release: '1.0.0',
        plannedAt: '2030-12-10T10:00:00Z',
      });
      await open('component/default/promotions-engine', {
        release: '0.9.0',
        rapidReason: 'Checkout is down',
        plannedAt: '2030-12-17T10:00:00Z',
      });
      await open('system/default/payments-platform', {
        release: '2030.1',
        plannedAt: '2030-12-17T12:00:00Z',
      });
      openedTo = new Date(Date.now() + 60_000).toISOString();
    });

    const get = (path: string, query: Record<string, string>, user = PRIYA) =>
      api.get(`${BASE}${path}`).query(query).set('Authorization', as(user));

    describe('GET /metrics', () => {
      const gates = async (query: Record<string, string>, user = PRIYA) => {
        const res = await get('/metrics', query, user);
        expect(res.status).toBe(200);
        return res.body.overall.total.gates as number;
      };

      it('answers with the buckets and the overall bucket', async () => {
        const res = await get('/metrics', { groupBy: 'team', period: 'month' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ groupBy: 'team', period: 'month' });
        expect(res.body.buckets.map((b: any) => b.group).sort()).toEqual([
          CHECKOUT,
          PAYMENTS,
        ]);
        expect(res.body.overall.periods).toHaveLength(1);
        expect(res.body.overall.periods[0]).toMatchObject({ gates: 3 });
        expect(res.body.overall.total).toMatchObject({
          gates: 3,
          releases: 0,
          noGoRate: null,
          leadTimeHours: { median: null, p90: null },
        });
      });

      it('filters by owner (in any case), system and tier', async () => {
        expect(await gates({ owner: PAYMENTS })).toBe(2);
        expect(await gates({ owner: 'Group:Default/Checkout' })).toBe(1);
        expect(
          await gates({ system: 'system:default/payments-platform' }),
        ).toBe(2);
        expect(await gates({ tier: '2' })).toBe(1);
        expect(await gates({ owner: PAYMENTS, tier: '1' })).toBe(1);
      });

      it('filters by the time the gates were opened', async () => {
        expect(await gates({ from: openedFrom, to: openedTo })).toBe(3);
        expect(await gates({ from: openedTo })).toBe(0);
        expect(await gates({ to: openedFrom })).toBe(0);
        // An offset is read as such (the + sent encoded).
        expect(await gates({ from: openedFrom.replace('Z', '+00:00') })).toBe(
          3,
        );
      });

      it('lists the buckets of at most limit groups, and how many there are', async () => {
        const res = await get('/metrics', {
          groupBy: 'team',
          period: 'month',
          limit: '1',
        });
        expect(res.status).toBe(200);
        expect(res.body.groupCount).toBe(2);
        expect(res.body.buckets).toHaveLength(1);
        // Neither team has a NO-GO; payments has two gates to one.
        expect(res.body.buckets[0].group).toBe(PAYMENTS);
        expect(res.body.overall.total.gates).toBe(3);
      });

      it('counts only the gates the caller may read', async () => {
        expect(await gates({}, HIROSHI)).toBe(1);
        expect(await gates({ owner: PAYMENTS }, HIROSHI)).toBe(0);
        const res = await get('/metrics', { groupBy: 'system' }, HIROSHI);
        expect(res.body.buckets).toEqual([
          expect.objectContaining({
            group: 'system:default/payments-platform',
            gates: 1,
          }),
        ]);
      });
    });

    describe('GET /portfolio with a planned range', () => {
      const refs = async (query: Record<string, string>, user = PRIYA) => {
        const res = await get('/portfolio', query, user);
        expect(res.status).toBe(200);
        expect(res.body.totalItems).toBe(res.body.items.length);
        return res.body.items.map((i: any) => i.entityRef);
      };

      it('returns the gates planned in [plannedFrom, plannedTo), by planned time', async () => {
        expect(
          await refs({
            plannedFrom: '2030-12-10T10:00:00Z',
            plannedTo: '2030-12-17T12:00:00Z',
            sort: 'plannedAt',
          }),
        ).toEqual([
          'component:default/payment-gateway',
          'component:default/promotions-engine',
        ]);
        expect(
          await refs({
            plannedFrom: '2030-12-10T10:00:00.001Z',
            sort: 'plannedAt',
            order: 'desc',
          }),
        ).toEqual([
          'system:default/payments-platform',
          'component:default/promotions-engine',
        ]);
        expect(await refs({ plannedTo: '2030-12-10T11:00:00+01:00' })).toEqual(
          [],
        );
      });

      it('keeps to what the caller may read', async () => {
        expect(
          await refs({ plannedFrom: '2030-01-01T00:00:00Z' }, HIROSHI),
        ).toEqual(['component:default/promotions-engine']);
      });
    });

    describe('bad parameters', () => {
      const cases: [string, Record<string, string>, RegExp][] = [
        ['/metrics', { groupBy: 'owner' }, /^groupBy: /],
        ['/metrics', { period: 'week' }, /^period: /],
        ['/metrics', { tier: '4' }, /^tier: /],
        ['/metrics', { owner: '' }, /^owner: /],
        [
          '/metrics',
          { system: `system:default/${'x'.repeat(250)}` },
          /^system: /,
        ],
        ['/metrics', { from: 'yesterday' }, /^from: /],
        ['/metrics', { to: '2027-02-30T00:00:00Z' }, /^to: /],
        ['/metrics', { from: '2027-03-01' }, /^from: /],
        [
          '/metrics',
          { from: '2027-03-01T00:00:00Z', to: '2027-03-01T00:00:00Z' },
          /^to: must be later than from/,
        ],
        [
          '/metrics',
          { from: '2027-03-02T00:00:00Z', to: '2027-03-01T00:00:00Z' },
          /^to: /,
        ],
        ['/metrics', { team: PAYMENTS }, /team/],
        ['/metrics', { limit: '0' }, /^limit: must be between 1 and 1000/],
        ['/metrics', { limit: '1001' }, /^limit: must be between 1 and 1000/],
        ['/metrics', { limit: 'ten' }, /^limit: /],
        ['/metrics', { limit: '-1' }, /^limit: /],
        ['/portfolio', { plannedFrom: 'next week' }, /^plannedFrom: /],
        ['/portfolio', { plannedTo: '2030-12-32T00:00:00Z' }, /^plannedTo: /],
        [
          '/portfolio',
          {
            plannedFrom: '2030-12-10T10:00:00Z',
            plannedTo: '2030-12-10T11:00:00+01:00',
          },
          /^plannedTo: must be later than plannedFrom/,
        ],
        [
          '/portfolio',
          { plannedFrom: '0000-01-01T00:00:00Z' },
          /^plannedFrom: /,
        ],
      ];

      it.each(cases)(
        'GET %s with %j is a 400 naming the field',
        async (path, query, message) => {
          const res = await get(path, query);
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toMatch(message);
        },
      );
    });
  },
);

describe.each(databases.eachSupportedId())(
  "the portfolio's current gate on %s",
  databaseId => {
    it('stays the newest gate when an earlier one is read or cancelled', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [teamReadPermissions.factory],
      });
      const api = request(server);
      const PAYMENT_GATEWAY = 'component:default/payment-gateway';
      const open = async (release: string) => {
        const res = await api
          .post(`${BASE}/entities/component/default/payment-gateway/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release });
        expect(res.status).toBe(201);
        return res.body as { id: string; version: number };
      };
      const current = async () => {
        const res = await api
          .get(`${BASE}/portfolio`)
          .query({ q: 'payment-gateway' })
          .set('Authorization', as(PRIYA));
        expect(res.status).toBe(200);
        const row = res.body.items.find(
          (item: { entityRef: string }) => item.entityRef === PAYMENT_GATEWAY,
        );
        return row.currentGate?.release;
      };

      const earlier = await open('1.0.0');
      expect(await current()).toBe('1.0.0');
      await new Promise(resolve => setTimeout(resolve, 5));
      await open('1.1.0');
      expect(await current()).toBe('1.1.0');

      // Reading the earlier gate, or asking whether it may go, refreshes
      // its evaluation without making it the current gate again.
      const read = await api
        .get(`${BASE}/gates/${earlier.id}`)
        .set('Authorization', as(PRIYA));
      expect(read.status).toBe(200);
      const asked = await api
        .get(`${BASE}/decision`)
        .query({ entityRef: PAYMENT_GATEWAY, release: '1.0.0' })
        .set('Authorization', as(PRIYA));
      expect(asked.status).toBe(200);
      expect(await current()).toBe('1.1.0');

      // Cancelling the earlier gate leaves the current one in place.
      const cancelled = await api
        .post(`${BASE}/gates/${earlier.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'Superseded by 1.1.0' });
      expect(cancelled.status).toBe(200);
      expect(await current()).toBe('1.1.0');
    });

    it('follows evidence and a cancelled current gate without anyone reading the gate', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [teamReadPermissions.factory],
        defaultCredentials: ci as any,
      });
      const api = request(server);
      const row = async () => {
        const res = await api
          .get(`${BASE}/portfolio`)
          .query({ q: 'payment-gateway' })
          .set('Authorization', as(PRIYA));
        expect(res.status).toBe(200);
        return res.body.items[0].currentGate;
      };
      const open = async (release: string) => {
        const res = await api
          .post(`${BASE}/entities/component/default/payment-gateway/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release });
        expect(res.status).toBe(201);
        return res.body as {
          id: string;
          evaluation: { score: number; blockers: unknown[] };
        };
      };
      const evidence = (release: string, runId: string) =>
        api.post(`${BASE}/evidence`).send({
          entityRef: 'component:default/payment-gateway',
          release,
          type: 'test-report',
          status: 'passed',
          metrics: { passed: true, total: 812 },
          runId,
        });

      const earlier = await open('1.0.0');
      await new Promise(resolve => setTimeout(resolve, 5));
      const later = await open('1.1.0');
      expect(await row()).toMatchObject({
        id: later.id,
        score: later.evaluation.score,
        blockers: later.evaluation.blockers.length,
      });

      // Evidence for another release leaves the current gate as it was;
      // evidence for its own release moves it at once.
      expect((await evidence('1.0.0', 'run-1')).status).toBe(201);
      expect(await row()).toMatchObject({
        id: later.id,
        score: later.evaluation.score,
      });
      expect((await evidence('1.1.0', 'run-2')).status).toBe(201);
      const moved = await row();
      expect(moved.id).toBe(later.id);
      expect(moved.score).toBeGreaterThan(later.evaluation.score);
      expect(moved.blockers).toBe(later.evaluation.blockers.length - 1);

      // Cancelling the current gate makes the earlier one current, as the
      // entity's page shows it.
      const cancelled = await api
        .post(`${BASE}/gates/${later.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'Built from the wrong branch' });
      expect(cancelled.status).toBe(200);
      expect((await row()).id).toBe(earlier.id);
      const page = await api
        .get(`${BASE}/entities/component/default/payment-gateway`)
        .set('Authorization', as(PRIYA));
      expect(page.body.currentGate.id).toBe(earlier.id);
    });

    it('follows a release window created through the API', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [teamReadPermissions.factory],
      });
      const api = request(server);
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '1.0.0', plannedAt: '2030-12-24T10:00:00Z' });
      expect(opened.status).toBe(201);
      const blockers = async () => {
        const res = await api
          .get(`${BASE}/portfolio`)
          .query({ q: 'payment-gateway' })
          .set('Authorization', as(PRIYA));
        return res.body.items[0].currentGate.blockers;
      };
      expect(await blockers()).toBe(opened.body.evaluation.blockers.length);

      // The window starts the background pass (the test scheduler runs it
      // before answering; a real one, on some replica, moments later).
      const window = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(PRIYA))
        .send({
          id: 'year-end',
          name: 'Year-end freeze',
          kind: 'freeze',
          from: '2030-12-20T00:00:00Z',
          to: '2031-01-04T00:00:00Z',
          scope: { all: true },
        });
      expect(window.status).toBe(201);
      expect(await blockers()).toBe(opened.body.evaluation.blockers.length + 1);
    });
  },
);
