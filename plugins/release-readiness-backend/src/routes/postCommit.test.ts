/*
 * What a write answers once its transaction has committed. The answer is
 * built inside the transaction, so the only work left after the commit is
 * telling Backstage's auditor that the change succeeded, and sending
 * notifications in the background: when those fail, the write is still
 * answered with success, and what it wrote is there.
 *
 * And the converse: a write whose transaction fails at its very last
 * statement (the portfolio summary, after the change and its audit event are
 * written) is answered 503, and nothing of it is there; the client's
 * unchanged retry then succeeds instead of meeting its own write.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
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

      // The auditor was asked to record each success, and failed each time;
      // so did the chain heads anchored after the opening and the decision.
      expect(succeeded).toEqual([
        'gate-open',
        'audit-chain-head',
        'gate-item-update',
        'gate-signoff',
        'gate-decision',
        'audit-chain-head',
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

/**
 * Makes every update of the entity index fail, as a database going away
 * would: the summary is the last thing a write's transaction stores.
 */
async function failSummaryWrites(knex: Knex, fail: boolean) {
  const postgres = knex.client.config.client === 'pg';
  if (!fail) {
    await knex.raw(
      postgres
        ? 'DROP TRIGGER IF EXISTS rr_fail_summary ON entities'
        : 'DROP TRIGGER IF EXISTS rr_fail_summary',
    );
    return;
  }
  if (postgres) {
    await knex.raw(`CREATE OR REPLACE FUNCTION rr_fail_summary() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'terminating connection due to administrator command'
        USING ERRCODE = '57P01'; END $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER rr_fail_summary BEFORE UPDATE ON entities
      FOR EACH ROW EXECUTE FUNCTION rr_fail_summary()`);
  } else {
    await knex.raw(`CREATE TRIGGER rr_fail_summary BEFORE UPDATE ON entities
      BEGIN SELECT RAISE(ABORT, 'Connection terminated unexpectedly'); END`);
  }
}

describe.each(databases.eachSupportedId())(
  'a write whose transaction fails at its last statement, on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      api = request(server);
    });

    afterEach(() => failSummaryWrites(knex, false));

    it('is answered 503, nothing of it is there, and its retry succeeds', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '7.1.0' });
      expect(opened.status).toBe(201);
      const gateId = opened.body.id;
      const item = opened.body.items.find(
        (i: any) => i.id === 'user-acceptance',
      );
      const auditBefore = await knex('audit_events').count({ n: '*' });

      await failSummaryWrites(knex, true);
      const writes = [
        () =>
          api
            .patch(`${BASE}/gates/${gateId}/items/user-acceptance`)
            .set('Authorization', as(PRIYA))
            .send({ status: 'passed', note: 'checked', version: item.version }),
        () =>
          api
            .post(`${BASE}/gates/${gateId}/signoffs`)
            .set('Authorization', as(NADIA))
            .send({ role: 'qa', verdict: 'not-ready', comment: 'flaky' }),
        () =>
          api
            .post(`${BASE}/gates/${gateId}/decision`)
            .set('Authorization', as(PRIYA))
            .send({ verdict: 'no-go', reason: 'QA found a regression' }),
      ];
      for (const write of writes) {
        const failed = await write();
        expect(failed.status).toBe(503);
      }

      // Nothing of the three writes is there: not the change, not its audit
      // event, not a new version of the gate.
      const read = await api
        .get(`${BASE}/gates/${gateId}`)
        .set('Authorization', as(PRIYA));
      expect(read.body).toMatchObject({
        state: 'in-progress',
        version: opened.body.version,
      });
      expect(
        read.body.items.find((i: any) => i.id === 'user-acceptance'),
      ).toMatchObject({ status: item.status, version: item.version });
      expect(read.body.votes).toEqual([]);
      expect(await knex('audit_events').count({ n: '*' })).toEqual(auditBefore);

      // The database is back: the same requests, unchanged, succeed.
      await failSummaryWrites(knex, false);
      const statuses = [];
      for (const write of writes) {
        statuses.push((await write()).status);
      }
      expect(statuses).toEqual([200, 201, 200]);
    });
  },
);
