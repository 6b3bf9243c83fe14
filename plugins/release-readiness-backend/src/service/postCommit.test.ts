/*
 * What a write answers once its transaction has committed. The answer is
 * built inside the transaction, so the only work left after the commit is
 * telling Backstage's auditor that the change succeeded, and sending
 * notifications in the background: when those fail, the write is still
 * answered with success, and what it wrote is there. (A transaction that
 * fails is answered with an error and writes nothing: fuzz.test.ts and the
 * reliability suites in packages/bench.)
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  failNotifications,
  NADIA,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';

describe.each(databases.eachSupportedId())(
  'a committed write whose follow-up fails, on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    const succeeded: string[] = [];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      // The auditor takes every event, and fails to record any success.
      const auditor = mockServices.auditor.mock({
        createEvent: async options => ({
          success: async () => {
            succeeded.push(options.eventId);
            throw new Error('the audit log is unreachable');
          },
          fail: async () => {},
        }),
      });
      failNotifications(true);
      const { server } = await startReadinessBackend({
        knex,
        features: [auditor.factory],
      });
      api = request(server);
    });

    afterAll(() => failNotifications(false));

    it('answers success and keeps what it wrote', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '7.0.0' });
      expect(opened.status).toBe(201);

      const item = opened.body.items.find(
        (i: any) => i.id === 'user-acceptance',
      );
      const marked = await api
        .patch(`${BASE}/gates/${opened.body.id}/items/user-acceptance`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'passed', note: 'checked', version: item.version });
      expect(marked.status).toBe(200);

      const vote = await api
        .post(`${BASE}/gates/${opened.body.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'not-ready', comment: 'flaky' });
      expect(vote.status).toBe(201);

      const decided = await api
        .post(`${BASE}/gates/${opened.body.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'no-go', reason: 'QA found a regression' });
      expect(decided.status).toBe(200);

      // The auditor was asked to record each success, and failed each time.
      expect(succeeded).toEqual([
        'gate-open',
        'gate-item-update',
        'gate-signoff',
        'gate-decision',
      ]);
      // What the writes answered is what is stored.
      const read = await api
        .get(`${BASE}/gates/${opened.body.id}`)
        .set('Authorization', as(PRIYA));
      expect(read.body).toMatchObject({
        state: 'no-go',
        version: decided.body.version,
      });
      expect(
        read.body.items.find((i: any) => i.id === 'user-acceptance'),
      ).toMatchObject({ status: 'passed', note: 'checked' });
      expect(read.body.votes).toEqual([
        expect.objectContaining({ voter: NADIA, verdict: 'not-ready' }),
      ]);
    });
  },
);
