import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  HIROSHI,
  NADIA,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';

describe.each(databases.eachSupportedId())(
  'caught before production on %s',
  databaseId => {
    it('credits the Not-ready votes and failed checks that preceded a NO-GO', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const gate = (
        await api
          .post(`${BASE}/entities/component/default/payment-gateway/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: '7.0.0' })
      ).body;
      await api
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({
          role: 'qa',
          verdict: 'not-ready',
          comment: 'refunds double-pay',
        });
      const item = gate.items.find((i: any) => i.id === 'security-review');
      await api
        .patch(`${BASE}/gates/${gate.id}/items/security-review`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'failed', version: item.version });
      const noGo = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'no-go', reason: 'Double refunds' });
      expect(noGo.status).toBe(200);

      const res = await api
        .get(`${BASE}/portfolio/caught`)
        .set('Authorization', as(HIROSHI));
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          gateId: gate.id,
          entityRef: 'component:default/payment-gateway',
          release: '7.0.0',
          decidedBy: PRIYA,
          reason: 'Double refunds',
          fixed: false,
          caughtBy: [
            {
              ref: NADIA,
              how: 'not-ready vote',
              detail: 'qa: refunds double-pay',
            },
            { ref: PRIYA, how: 'failed check', detail: 'security-review' },
          ],
        }),
      ]);

      // Once the release goes on to GO, the catch counts as fixed.
      await knex('decisions').insert({
        id: 'later-go',
        gate_id: gate.id,
        verdict: 'go',
        reason: 'Fixed',
        decided_by: PRIYA,
        at: new Date(Date.now() + 60_000).toISOString(),
        state_hash: 'f'.repeat(64),
      });
      const after = await api
        .get(`${BASE}/portfolio/caught`)
        .set('Authorization', as(HIROSHI));
      expect(after.body.items[0].fixed).toBe(true);
    });
    it('counts what it lists: the total under the filters, a page at a time, newest first', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const open = async (name: string, who: string) => {
        const res = await api
          .post(`${BASE}/entities/component/default/${name}/gates`)
          .set('Authorization', as(who))
          .send({ release: '8.0.0', rapidReason: 'Checkout is down' });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const gateway = await open('payment-gateway', PRIYA);
      const promotions = await open('promotions-engine', HIROSHI);
      // Three NO-GO decisions, two on one gate (the corrective loop).
      const noGo = (id: string, gateId: string, at: string) =>
        knex('decisions').insert({
          id,
          gate_id: gateId,
          verdict: 'no-go',
          reason: `Stopped ${id}`,
          decided_by: PRIYA,
          at,
          state_hash: 'e'.repeat(64),
        });
      await noGo('first', gateway, '2026-11-02T10:00:00.000Z');
      await noGo('second', promotions, '2026-11-09T10:00:00.000Z');
      await noGo('third', gateway, '2026-11-16T10:00:00.000Z');
      const caught = (query: string) =>
        api
          .get(`${BASE}/portfolio/caught${query}`)
          .set('Authorization', as(HIROSHI));

      const all = await caught('');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ totalItems: 3, offset: 0, limit: 50 });
      expect(all.body.items.map((i: any) => i.reason)).toEqual([
        'Stopped third',
        'Stopped second',
        'Stopped first',
      ]);

      const second = await caught('?offset=1&limit=1');
      expect(second.body).toMatchObject({ totalItems: 3, offset: 1, limit: 1 });
      expect(second.body.items.map((i: any) => i.reason)).toEqual([
        'Stopped second',
      ]);
      expect((await caught('?offset=3&limit=1')).body).toMatchObject({
        items: [],
        totalItems: 3,
      });

      // The team filter narrows the list and its count alike (refs in any case).
      const checkout = await caught('?owner=Group:default/Checkout');
      expect(checkout.body.totalItems).toBe(1);
      expect(checkout.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/promotions-engine',
      ]);
      const time = (iso: string) => encodeURIComponent(iso);
      const since = await caught(`?from=${time('2026-11-09T10:00:00Z')}`);
      expect(since.body.totalItems).toBe(2);
      const before = await caught(
        `?from=${time('2026-11-01T00:00:00Z')}&to=${time(
          '2026-11-09T10:00:00Z',
        )}`,
      );
      expect(before.body.items.map((i: any) => i.reason)).toEqual([
        'Stopped first',
      ]);
      expect(
        (await caught('?system=system:default/payments-platform')).body
          .totalItems,
      ).toBe(3);

      // The portfolio table's other filters, with the same meaning: tier,
      // the current gate's state and verdict, and the search text (title
      // or ref, any case) — each narrowing the count with the page.
      const count = async (query: string) => {
        const res = await caught(query);
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
        return res.body.totalItems as number;
      };
      expect(await count('?tier=1')).toBe(3);
      expect(await count('?tier=2')).toBe(0);
      expect(await count('?state=in-progress')).toBe(3);
      expect(await count('?state=go')).toBe(0);
      expect(await count('?state=none')).toBe(0);
      expect(await count('?verdict=GO')).toBe(0);
      const search = await caught('?q=PROMOTIONS&offset=0&limit=1');
      expect(search.body).toMatchObject({ totalItems: 1, limit: 1 });
      expect(search.body.items[0].entityRef).toBe(
        'component:default/promotions-engine',
      );
      expect(await count('?q=Payment%20Gateway')).toBe(2);
      // LIKE's wildcards are text, not patterns.
      expect(await count('?q=%25')).toBe(0);
      // Filters combine; a filter never widens what the caller may read.
      expect(await count('?q=gateway&owner=group:default/checkout')).toBe(0);
      // A value the portfolio refuses is refused here too.
      expect((await caught('?tier=4')).status).toBe(400);
      expect((await caught('?state=lost')).status).toBe(400);
    });

    it('refuses a page or a range that cannot be, naming the field', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const caught = (query: string) =>
        api
          .get(`${BASE}/portfolio/caught${query}`)
          .set('Authorization', as(HIROSHI));
      for (const [query, field] of [
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?limit=ten', 'limit'],
        ['?offset=-1', 'offset'],
        [`?from=${encodeURIComponent('2026-02-30T00:00:00Z')}`, 'from'],
        [
          `?from=${encodeURIComponent(
            '2026-11-09T00:00:00Z',
          )}&to=${encodeURIComponent('2026-11-01T00:00:00Z')}`,
          'to',
        ],
      ]) {
        const res = await caught(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error.message).toContain(field);
      }
      expect((await caught('?limit=200')).status).toBe(200);
    });
  },
);
