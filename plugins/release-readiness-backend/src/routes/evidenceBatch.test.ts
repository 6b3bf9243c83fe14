/*
 * POST /evidence/batch (issue 20), on both engines: many facts in one
 * request, each judged as POST /evidence judges it and answered at its
 * index — stored (201), a repeat (200), refused (400, 404, 409) — so that
 * one bad fact never stops the others; idempotent per fact when the same
 * batch comes again or twice at once; the gate's evaluation moves with
 * the facts of its release; only restricted service tokens may post.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG_REF = 'component:default/payment-gateway';
const PROMO_REF = 'component:default/promotions-engine';

/** Requests without a token act as the CI pipeline. */
const ci = mockCredentials.service('external:ci', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/** One observed time for every fact, so that a repeat is the same content. */
const OBSERVED = new Date(Date.now() - 60_000).toISOString();

const fact = (overrides: Record<string, unknown> = {}) => ({
  entityRef: PG_REF,
  release: '9.0.0',
  type: 'test-report',
  status: 'passed',
  metrics: { passed: true, total: 120 },
  runId: 'run-1',
  observedAt: OBSERVED,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'POST /evidence/batch on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
      });
      api = request(server);
    });

    const post = (evidence: unknown[]) =>
      api.post(`${BASE}/evidence/batch`).send({ evidence });

    const rowsOf = (release: string) =>
      knex('evidence').where({ release }).orderBy(['entity_ref', 'run_id']);

    it('stores the facts of several entities and releases, and moves the gate of their release', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: 'b-1.0.0' });
      expect(opened.status).toBe(201);
      const before = opened.body.evaluation.automated.find(
        (a: any) => a.itemId === 'unit-integration-tests',
      );
      expect(before.outcome).toBe('missing');

      const res = await post([
        fact({ release: 'b-1.0.0', runId: 'unit-1' }),
        fact({
          release: 'b-1.0.0',
          type: 'security-scan',
          metrics: { critical: 0, high: 0 },
          runId: 'scan-1',
        }),
        fact({ entityRef: PROMO_REF, release: 'b-1.0.0', runId: 'promo-1' }),
        fact({ release: 'b-0.9.0', runId: 'older-1' }),
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 4, unchanged: 0, failed: 0 });
      expect(res.body.results.map((r: any) => [r.index, r.status])).toEqual([
        [0, 201],
        [1, 201],
        [2, 201],
        [3, 201],
      ]);
      const rows = await rowsOf('b-1.0.0');
      expect(
        rows.map((r: any) => [r.entity_ref, r.run_id, r.posted_by]),
      ).toEqual([
        [PG_REF, 'scan-1', 'external:ci'],
        [PG_REF, 'unit-1', 'external:ci'],
        [PROMO_REF, 'promo-1', 'external:ci'],
      ]);
      expect(res.body.results[0].evidenceId).toBe(
        rows.find((r: any) => r.run_id === 'unit-1').id,
      );

      const gate = await api
        .get(`${BASE}/gates/${opened.body.id}`)
        .set('Authorization', as(PRIYA));
      const outcomes = Object.fromEntries(
        gate.body.evaluation.automated.map((a: any) => [a.itemId, a.outcome]),
      );
      expect(outcomes['unit-integration-tests']).toBe('passed');
      expect(outcomes['security-scan']).toBe('passed');
      // The portfolio's summary moved in the same transactions.
      const portfolio = await api
        .get(`${BASE}/portfolio?q=payment-gateway`)
        .set('Authorization', as(PRIYA));
      const row = portfolio.body.items.find((i: any) => i.entityRef === PG_REF);
      expect(row.currentGate.release).toBe('b-1.0.0');
      expect(row.currentGate.blockers).toBeLessThan(
        opened.body.evaluation.blockers.length,
      );
    });

    it('makes current votes stale when its facts change an item, as a single post does', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: 'b-7.0.0' });
      expect(opened.status).toBe(201);
      expect(
        (await post([fact({ release: 'b-7.0.0', runId: 'green' })])).body
          .created,
      ).toBe(1);
      const vote = await api
        .post(`${BASE}/gates/${opened.body.id}/signoffs`)
        .set('Authorization', as(TOMASZ))
        .send({
          role: 'engineering',
          verdict: 'ready',
          comment: 'tests green',
        });
      expect(vote.status).toBe(201);
      const res = await post([
        fact({
          release: 'b-7.0.0',
          runId: 'red',
          status: 'failed',
          metrics: { passed: false },
        }),
        fact({ release: 'b-7.0.0', runId: 'scan', type: 'security-scan' }),
      ]);
      expect(res.body).toMatchObject({ created: 2, failed: 0 });
      const gate = await api
        .get(`${BASE}/gates/${opened.body.id}`)
        .set('Authorization', as(PRIYA));
      const votes = gate.body.votes.filter((v: any) => v.voter === TOMASZ);
      expect(votes).toHaveLength(1);
      // The vote was cast on an older checklist revision: it no longer counts.
      expect(gate.body.checklistRevision).toBeGreaterThan(
        votes[0].checklistRevision,
      );
      const trail = await api
        .get(`${BASE}/gates/${opened.body.id}/audit`)
        .set('Authorization', as(PRIYA));
      const stale = trail.body.items.filter(
        (e: any) => e.action === 'signoffs.stale',
      );
      // Once for the batch, judged before and after it as a whole.
      expect(stale).toHaveLength(1);
      expect(stale[0].after.because).toMatch(
        /^test-report, security-scan evidence of runs red, scan changed .*Unit and integration tests pass \(passed to failed\)/,
      );
    });

    it('leaves the votes current when the batch as a whole changes no outcome', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: 'b-8.0.0' });
      await post([fact({ release: 'b-8.0.0', runId: 'green-1' })]);
      const vote = await api
        .post(`${BASE}/gates/${opened.body.id}/signoffs`)
        .set('Authorization', as(TOMASZ))
        .send({ role: 'engineering', verdict: 'ready', comment: 'green' });
      expect(vote.status).toBe(201);
      const minutesAgo = (m: number) =>
        new Date(Date.now() - m * 60_000).toISOString();
      // A red run and a newer green one: the item stays passed.
      const res = await post([
        fact({
          release: 'b-8.0.0',
          runId: 'red-2',
          status: 'failed',
          metrics: { passed: false },
          observedAt: minutesAgo(2),
        }),
        fact({
          release: 'b-8.0.0',
          runId: 'green-3',
          observedAt: minutesAgo(1),
        }),
      ]);
      expect(res.body.created).toBe(2);
      const gate = await api
        .get(`${BASE}/gates/${opened.body.id}`)
        .set('Authorization', as(PRIYA));
      const [current] = gate.body.votes.filter((v: any) => v.voter === TOMASZ);
      expect(gate.body.checklistRevision).toBe(current.checklistRevision);
      const trail = await api
        .get(`${BASE}/gates/${opened.body.id}/audit`)
        .set('Authorization', as(PRIYA));
      expect(
        trail.body.items.filter((e: any) => e.action === 'signoffs.stale'),
      ).toEqual([]);
    });

    it('answers the same batch again as repeats, storing nothing new', async () => {
      const batch = [
        fact({ release: 'b-2.0.0', runId: 'again-1' }),
        fact({ release: 'b-2.0.0', runId: 'again-2', status: 'failed' }),
      ];
      const first = await post(batch);
      const second = await post(batch);
      expect(second.body).toMatchObject({
        created: 0,
        unchanged: 2,
        failed: 0,
      });
      expect(second.body.results.map((r: any) => r.evidenceId)).toEqual(
        first.body.results.map((r: any) => r.evidenceId),
      );
      expect(await rowsOf('b-2.0.0')).toHaveLength(2);
    });

    it('answers each fact on its own: one bad fact never stops the others', async () => {
      expect(
        (await post([fact({ release: 'b-3.0.0', runId: 'taken' })])).status,
      ).toBe(200);
      const res = await post([
        fact({ release: 'b-3.0.0', runId: 'good-1' }),
        fact({ release: 'b-3.0.0', runId: 'bad-status', status: 'great' }),
        fact({ release: 'b-3.0.0', runId: 'taken', status: 'failed' }),
        fact({
          release: 'b-3.0.0',
          runId: 'future',
          observedAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
        fact({ entityRef: 'component:default/no-such', release: 'b-3.0.0' }),
        fact({ release: 'b-3.0.0', runId: 'good-1' }),
        fact({
          release: 'b-3.0.0',
          runId: 'good-1',
          metrics: { passed: false },
        }),
        fact({ entityRef: 'component:', release: 'b-3.0.0' }),
        fact({ release: 'b-3.0.0', runId: 'good-2', type: 'Test Report' }),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: any) => r.status)).toEqual([
        201, 400, 409, 400, 404, 200, 409, 400, 400,
      ]);
      expect(res.body).toMatchObject({ created: 1, unchanged: 1, failed: 7 });
      const errors = res.body.results.map((r: any) => r.error?.message ?? '');
      expect(errors[1]).toMatch(/status/);
      expect(errors[2]).toMatch(
        /run taken already posted .* with other content/,
      );
      expect(errors[3]).toMatch(/in the future/);
      expect(errors[8]).toMatch(/type/);
      expect(
        (await rowsOf('b-3.0.0')).map((r: any) => [r.run_id, r.status]),
      ).toEqual([
        ['good-1', 'passed'],
        ['taken', 'passed'],
      ]);
    });

    it('stores each fact once when the same batch comes twice at once', async () => {
      const batch = Array.from({ length: 20 }, (_, i) =>
        fact({
          entityRef: i % 2 ? PG_REF : PROMO_REF,
          release: 'b-4.0.0',
          runId: `race-${i}`,
        }),
      );
      const [a, b] = await Promise.all([post(batch), post(batch)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      for (let i = 0; i < batch.length; i++) {
        expect(
          [a.body.results[i].status, b.body.results[i].status].sort(),
        ).toEqual([200, 201]);
        expect(a.body.results[i].evidenceId).toBe(b.body.results[i].evidenceId);
      }
      expect(await rowsOf('b-4.0.0')).toHaveLength(20);
    });

    it('refuses an empty or oversized batch as a whole', async () => {
      expect((await post([])).status).toBe(400);
      const tooMany = Array.from({ length: 501 }, (_, i) =>
        fact({ release: 'b-5.0.0', runId: `many-${i}` }),
      );
      expect((await post(tooMany)).status).toBe(400);
      const huge = await api
        .post(`${BASE}/evidence/batch`)
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            evidence: [
              fact({ release: 'b-5.0.0', link: 'x'.repeat(5_000_000) }),
            ],
          }),
        );
      expect(huge.status).toBe(413);
      // 500 facts with metrics fit.
      const full = Array.from({ length: 500 }, (_, i) =>
        fact({
          release: 'b-5.0.0',
          runId: `full-${i}`,
          metrics: Object.fromEntries(
            Array.from({ length: 10 }, (__, m) => [`metric${m}`, m * 1.5]),
          ),
        }),
      );
      const stored = await post(full);
      expect(stored.status).toBe(200);
      expect(stored.body.created).toBe(500);
      expect(await knex('evidence').where({ release: 'b-5.0.0' })).toHaveLength(
        500,
      );
    });

    it('takes facts only from restricted service tokens', async () => {
      const batch = [fact({ release: 'b-6.0.0', runId: 'who' })];
      const person = await api
        .post(`${BASE}/evidence/batch`)
        .set('Authorization', as(PRIYA))
        .send({ evidence: batch });
      expect(person.status).toBe(403);
      const unrestricted = await api
        .post(`${BASE}/evidence/batch`)
        .set('Authorization', mockCredentials.service.header())
        .send({ evidence: batch });
      expect([401, 403]).toContain(unrestricted.status);
      expect(await rowsOf('b-6.0.0')).toHaveLength(0);
    });
  },
);
