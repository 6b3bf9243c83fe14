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
  },
);
