/*
 * Open tabs hear of a change at once: every committed change of a gate (an
 * item, evidence from a pipeline) publishes a signal on the gate's own
 * channel with its new version; a refused change publishes nothing.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  PRIYA,
  sentSignals,
  startReadinessBackend,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/** The signals of a gate so far, waiting briefly: they go out after the answer. */
async function signalsOf(gateId: string, atLeast: number) {
  const channel = `release-readiness:gate:${gateId}`;
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = sentSignals.filter(s => s.channel === channel);
    if (found.length >= atLeast || Date.now() > deadline) return found;
    await new Promise(done => setTimeout(done, 20));
  }
}

describe.each(databases.eachSupportedId())('gate signals on %s', databaseId => {
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      defaultCredentials: ci as any,
    });
    api = request(server);
  });

  it("signals each committed change on the gate's channel, and nothing for a refused one", async () => {
    const opened = await api
      .post(`${PG}/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release: `signals-${databaseId}` });
    expect(opened.status).toBe(201);
    const gate = opened.body;
    expect(await signalsOf(gate.id, 1)).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: `release-readiness:gate:${gate.id}`,
        message: { gateId: gate.id, version: gate.version },
      },
    ]);

    const item = await api
      .patch(`${BASE}/gates/${gate.id}/items/release-notes`)
      .set('Authorization', as(PRIYA))
      .send({ status: 'passed', version: gate.version });
    expect(item.status).toBe(200);
    const afterItem = await signalsOf(gate.id, 2);
    expect(afterItem.map(s => s.message)).toEqual([
      { gateId: gate.id, version: gate.version },
      { gateId: gate.id, version: item.body.version },
    ]);

    // A stale version is refused (409): no signal.
    const stale = await api
      .patch(`${BASE}/gates/${gate.id}/items/release-notes`)
      .set('Authorization', as(PRIYA))
      .send({ status: 'failed', version: gate.version });
    expect(stale.status).toBe(409);

    // Evidence from a pipeline changes the evaluation, not the version.
    const evidence = await api.post(`${BASE}/evidence`).send({
      entityRef: 'component:default/payment-gateway',
      release: `signals-${databaseId}`,
      type: 'test-report',
      status: 'passed',
      metrics: { passed: true },
      runId: `signals-${databaseId}-1`,
    });
    expect(evidence.status).toBeLessThan(300);
    const all = await signalsOf(gate.id, 3);
    expect(all.map(s => s.message)).toEqual([
      { gateId: gate.id, version: gate.version },
      { gateId: gate.id, version: item.body.version },
      { gateId: gate.id, version: item.body.version },
    ]);
  });
});
