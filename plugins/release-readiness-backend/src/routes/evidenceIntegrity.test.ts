/*
 * Evidence cannot lie, through the API and on both engines: no observation
 * from the future (beyond the clock skew), a failed run never passes, the
 * newest evidence is the latest observed (the later received on a tie), and
 * a runId posted again is the same fact or a conflict.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { as, PRIYA, startReadinessBackend } from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const ENTITY_REF = 'component:default/payment-gateway';
const ENTITY = `${BASE}/entities/component/default/payment-gateway`;
const ITEM = 'unit-integration-tests';
const MINUTE = 60_000;

/** Requests without a token act as the CI pipeline. */
const ci = mockCredentials.service('external:ci', {
  permissionNames: ['release-readiness.evidence.create'],
});

const minutesFromNow = (minutes: number) =>
  new Date(Date.now() + minutes * MINUTE).toISOString();

describe.each(databases.eachSupportedId())('evidence on %s', databaseId => {
  let api: ReturnType<typeof request>;
  let knex: Knex;
  let releases = 0;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      defaultCredentials: ci as any,
    });
    api = request(server);
  });

  /** A gate of a release of its own. */
  async function openGate(): Promise<{ id: string; release: string }> {
    releases += 1;
    const release = `5.0.${releases}`;
    const opened = await api
      .post(`${ENTITY}/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release });
    expect(opened.status).toBe(201);
    return { id: opened.body.id, release };
  }

  const post = (body: Record<string, unknown>) =>
    api.post(`${BASE}/evidence`).send({
      entityRef: ENTITY_REF,
      type: 'test-report',
      status: 'passed',
      metrics: { passed: true },
      ...body,
    });

  async function itemResult(gateId: string) {
    const gate = await api
      .get(`${BASE}/gates/${gateId}`)
      .set('Authorization', as(PRIYA));
    return gate.body.evaluation.automated.find((r: any) => r.itemId === ITEM);
  }

  describe('an observation from the future', () => {
    it('is a 400 naming observedAt, and nothing is stored', async () => {
      const { id, release } = await openGate();
      for (const observedAt of [minutesFromNow(6), '2099-01-01T00:00:00Z']) {
        const res = await post({ release, runId: 'f-1', observedAt });
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(/^observedAt: .*in the future/);
      }
      expect(await itemResult(id)).toMatchObject({ outcome: 'missing' });
    });

    it('is accepted within the clock skew (five minutes by default)', async () => {
      const { id, release } = await openGate();
      const res = await post({
        release,
        runId: 's-1',
        observedAt: minutesFromNow(3),
      });
      expect(res.status).toBe(201);
      expect(await itemResult(id)).toMatchObject({
        outcome: 'passed',
        evidenceId: res.body.id,
      });
    });

    it('stored in the database by hand, does not hide a failing run posted after it', async () => {
      const { id, release } = await openGate();
      // The bypass: a row written around the API, claiming next year.
      const receivedAt = new Date(Date.now() - 10 * MINUTE).toISOString();
      await knex('evidence').insert({
        id: '00000000-0000-4000-8000-00000000f00d',
        entity_ref: ENTITY_REF,
        release,
        type: 'test-report',
        status: 'passed',
        metrics: JSON.stringify({ passed: true }),
        run_id: 'forged',
        observed_at: '2099-01-01T00:00:00.000Z',
        received_at: receivedAt,
        posted_by: 'external:ci',
      });
      const failing = await post({
        release,
        runId: 'real-1',
        status: 'failed',
        metrics: { passed: false },
        observedAt: minutesFromNow(-1),
      });
      expect(failing.status).toBe(201);
      expect(await itemResult(id)).toMatchObject({
        outcome: 'failed',
        evidenceId: failing.body.id,
      });
    });
  });

  it('never lets a failed run pass, however good its metrics', async () => {
    const { id, release } = await openGate();
    const passing = await post({ release, runId: 'p-1' });
    expect(passing.status).toBe(201);
    expect(await itemResult(id)).toMatchObject({ outcome: 'passed' });
    const failed = await post({
      release,
      runId: 'p-2',
      status: 'failed',
      metrics: { passed: true },
    });
    expect(failed.status).toBe(201);
    const result = await itemResult(id);
    expect(result).toMatchObject({
      outcome: 'failed',
      evidenceId: failed.body.id,
    });
    expect(result.detail).toMatch(/run p-2 reported status failed/);
    const pipeline = await api
      .get(`${BASE}/decision`)
      .query({ entityRef: ENTITY_REF, release })
      .set('Authorization', as(PRIYA));
    expect(pipeline.body.blockers.join('\n')).toMatch(
      /Unit and integration tests pass: .*run p-2 reported status failed/,
    );
  });

  describe('the newest evidence', () => {
    it('is the latest observed, not the latest received', async () => {
      const { id, release } = await openGate();
      const newer = await post({
        release,
        runId: 'o-1',
        observedAt: minutesFromNow(-10),
      });
      // Posted later, but observed earlier: a slow pipeline's old run.
      const older = await post({
        release,
        runId: 'o-2',
        status: 'failed',
        metrics: { passed: false },
        observedAt: minutesFromNow(-20),
      });
      expect([newer.status, older.status]).toEqual([201, 201]);
      expect(await itemResult(id)).toMatchObject({
        outcome: 'passed',
        evidenceId: newer.body.id,
        observedAt: newer.body.observedAt,
        receivedAt: newer.body.receivedAt,
      });
    });

    it('on the same observed time, is the later received', async () => {
      const { id, release } = await openGate();
      const observedAt = minutesFromNow(-5);
      const first = await post({ release, runId: 't-1', observedAt });
      await new Promise(done => setTimeout(done, 5));
      const second = await post({
        release,
        runId: 't-2',
        status: 'failed',
        metrics: { passed: false },
        observedAt,
      });
      expect(second.body.receivedAt > first.body.receivedAt).toBe(true);
      const result = await itemResult(id);
      expect(result).toMatchObject({
        outcome: 'failed',
        evidenceId: second.body.id,
        observedAt: second.body.observedAt,
        receivedAt: second.body.receivedAt,
      });
    });
  });

  describe('a runId posted again', () => {
    const run = (release: string) => ({
      release,
      runId: 'r-1',
      metrics: { passed: true, coverage: 91 },
      link: 'https://ci.example.com/r-1',
      commit: 'abc123',
      observedAt: '2026-12-01T10:00:00Z',
    });

    it('with the same content is the stored evidence again (200)', async () => {
      const { release } = await openGate();
      const first = await post(run(release));
      expect(first.status).toBe(201);
      // Same content, metrics in another order, the time written otherwise.
      const again = await post({
        ...run(release),
        metrics: { coverage: 91, passed: true },
        observedAt: '2026-12-01T11:00:00+01:00',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      // Without observedAt (a retry that lets the backend stamp it) too.
      const { observedAt: _omitted, ...withoutTime } = run(release);
      const retry = await post(withoutTime);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
    });

    it.each([
      [
        'status',
        { status: 'failed' },
        /status \(stored "passed", posted "failed"\)/,
      ],
      ['metrics', { metrics: { passed: true, coverage: 40 } }, /metrics/],
      ['link', { link: 'https://ci.example.com/other' }, /link/],
      ['commit', { commit: 'def456' }, /commit/],
      ['observedAt', { observedAt: '2026-12-01T09:00:00Z' }, /observedAt/],
    ])(
      'with another %s is a 409 naming the runId and what differs',
      async (_field, change, differs) => {
        const { id, release } = await openGate();
        const first = await post({ ...run(release), runId: 'c-1' });
        expect(first.status).toBe(201);
        const other = await post({ ...run(release), runId: 'c-1', ...change });
        expect(other.status).toBe(409);
        expect(other.body.error.name).toBe('ConflictError');
        expect(other.body.error.message).toMatch(/^runId: run c-1 /);
        expect(other.body.error.message).toMatch(differs);
        // Nothing was rewritten.
        const stored = await knex('evidence').where({ release, run_id: 'c-1' });
        expect(stored).toHaveLength(1);
        expect(stored[0].id).toBe(first.body.id);
        expect(stored[0].status).toBe('passed');
        expect(await itemResult(id)).toMatchObject({
          evidenceId: first.body.id,
        });
      },
    );

    it('twice at once: one is stored, the other is a 409 or the same fact', async () => {
      const { release } = await openGate();
      const [a, b] = await Promise.all([
        post({ ...run(release), runId: 'race-1' }),
        post({ ...run(release), runId: 'race-1', status: 'failed' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const [c, d] = await Promise.all([
        post({ ...run(release), runId: 'race-2' }),
        post({ ...run(release), runId: 'race-2' }),
      ]);
      expect([c.status, d.status].sort()).toEqual([200, 201]);
      expect(c.body.id).toBe(d.body.id);
      expect(
        await knex('evidence')
          .where({ release })
          .whereIn('run_id', ['race-1', 'race-2']),
      ).toHaveLength(2);
    });
  });
});
