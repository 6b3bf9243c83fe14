import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { as, PRIYA, startReadinessBackend } from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const ENTITY = `${BASE}/entities/component/default/payment-gateway`;

const ci = mockCredentials.service('external:ci', {
  permissionNames: ['release-readiness.evidence.create'],
});

describe.each(databases.eachSupportedId())('bad input on %s', databaseId => {
  // One backend per engine; each test opens a gate of its own release.
  let api: ReturnType<typeof request>;
  let releases = 0;
  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      defaultCredentials: ci as any,
    });
    api = request(server);
  });

  async function setup() {
    releases += 1;
    const opened = await api
      .post(`${ENTITY}/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release: `9.9.${releases}` });
    expect(opened.status).toBe(201);
    return { gate: opened.body };
  }

  /** Every case: method, path (with :gate), body, and the field the message names. */
  const cases: [string, string, string, unknown, RegExp][] = [
    [
      'opening a gate without release',
      'post',
      `${ENTITY}/gates`,
      {},
      /release/,
    ],
    [
      'a release that is blank',
      'post',
      `${ENTITY}/gates`,
      { release: '   ' },
      /release/,
    ],
    [
      'a planned time that is not a date',
      'post',
      `${ENTITY}/gates`,
      { release: '1', plannedAt: 'tomorrow' },
      /plannedAt/,
    ],
    [
      'an unknown template',
      'post',
      `${ENTITY}/gates`,
      { release: '1', template: 'nope' },
      /^template: /,
    ],
    [
      'an unknown field',
      'post',
      `${ENTITY}/gates`,
      { release: '1', requestedBy: 'user:default/ada-admin' },
      /requestedBy/,
    ],
    ['a body that is an array', 'post', `${ENTITY}/gates`, [], /body/],
    // Found by fuzz.test.ts: each was a 500 on PostgreSQL.
    [
      'a planned time on a leap second (valid RFC 3339, no JavaScript date)',
      'post',
      `${ENTITY}/gates`,
      { release: '1', plannedAt: '2030-12-31T23:59:60Z' },
      /^plannedAt: /,
    ],
    [
      'a planned time in year 0000',
      'post',
      `${ENTITY}/gates`,
      { release: '1', plannedAt: '0000-06-01T00:00:00Z' },
      /^plannedAt: /,
    ],
    [
      'a release with a NUL character',
      'post',
      `${ENTITY}/gates`,
      { release: '1.0\u0000' },
      /^release: .*NUL/,
    ],
    [
      'a NUL character deep in a body',
      'put',
      `${BASE}/gates/:gate/risk`,
      {
        version: 0,
        impactMatrix: [
          {
            failureMode: 'x',
            impact: 'high',
            likelihood: 'low',
            mitigation: 'a\u0000b',
          },
        ],
      },
      /^impactMatrix\[0\]\.mitigation: .*NUL/,
    ],
    [
      'an item version beyond a 32-bit integer',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      { status: 'passed', version: 2 ** 31 },
      /^version: /,
    ],
    [
      'a waiver expiring on a leap second',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      {
        status: 'waived',
        version: 1,
        waiver: { justification: 'x', expiresAt: '2098-12-31T23:59:60Z' },
      },
      /^waiver\.expiresAt: /,
    ],
    [
      'owners that are not refs',
      'put',
      `${ENTITY}/owners`,
      { owners: ['not a ref'] },
      /owners/,
    ],
    ['owners missing', 'put', `${ENTITY}/owners`, {}, /owners/],
    [
      'an item with a bad id',
      'post',
      `${ENTITY}/items`,
      { id: 'Bad Id', title: 'x', category: 'security', required: true },
      /id/,
    ],
    [
      'an item with a bad category',
      'post',
      `${ENTITY}/items`,
      { id: 'x', title: 'x', category: 'vibes', required: true },
      /category/,
    ],
    [
      'an item with a bad rule',
      'post',
      `${ENTITY}/items`,
      {
        id: 'x',
        title: 'x',
        category: 'security',
        required: true,
        automated: { evidenceType: 'scan', rule: 'score => 9', maxAge: 'P1D' },
      },
      /^automated\.rule: /,
    ],
    [
      'an item with a bad maxAge',
      'post',
      `${ENTITY}/items`,
      {
        id: 'x',
        title: 'x',
        category: 'security',
        required: true,
        automated: {
          evidenceType: 'scan',
          rule: 'score >= 9',
          maxAge: 'a week',
        },
      },
      /^automated\.maxAge: /,
    ],
    [
      'an item status that does not exist',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      { status: 'done', version: 1 },
      /status/,
    ],
    [
      'an item edit without version',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      { status: 'passed' },
      /version/,
    ],
    [
      'a waiver without justification',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      {
        status: 'waived',
        version: 1,
        waiver: { expiresAt: '2099-01-01T00:00:00Z' },
      },
      /justification/,
    ],
    [
      'waived without a waiver',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      { status: 'waived', version: 1 },
      /^waiver: /,
    ],
    [
      'a waiver that already expired',
      'patch',
      `${BASE}/gates/:gate/items/user-acceptance`,
      {
        status: 'waived',
        version: 1,
        waiver: { justification: 'x', expiresAt: '2001-01-01T00:00:00Z' },
      },
      /^waiver\.expiresAt: /,
    ],
    [
      'passing an automated item by hand',
      'patch',
      `${BASE}/gates/:gate/items/unit-integration-tests`,
      { status: 'passed', version: 1 },
      /^status: .*automated/,
    ],
    [
      'a vote that is not ready or not-ready',
      'post',
      `${BASE}/gates/:gate/signoffs`,
      { role: 'qa', verdict: 'maybe' },
      /verdict/,
    ],
    [
      'a vote for an unknown role',
      'post',
      `${BASE}/gates/:gate/signoffs`,
      { role: 'finance', verdict: 'ready' },
      /^role: /,
    ],
    [
      'a vote naming the voter',
      'post',
      `${BASE}/gates/:gate/signoffs`,
      { role: 'qa', verdict: 'ready', voter: 'user:default/ada-admin' },
      /voter/,
    ],
    [
      'an impact of critical',
      'put',
      `${BASE}/gates/:gate/risk`,
      {
        version: 0,
        impactMatrix: [
          {
            failureMode: 'x',
            impact: 'critical',
            likelihood: 'low',
            mitigation: '',
          },
        ],
      },
      /impact/,
    ],
    [
      'an empty failure mode',
      'put',
      `${BASE}/gates/:gate/risk`,
      {
        version: 0,
        impactMatrix: [
          {
            failureMode: '',
            impact: 'high',
            likelihood: 'low',
            mitigation: '',
          },
        ],
      },
      /failureMode/,
    ],
    [
      'a blank failure mode',
      'put',
      `${BASE}/gates/:gate/risk`,
      {
        version: 0,
        impactMatrix: [
          {
            failureMode: '  ',
            impact: 'high',
            likelihood: 'low',
            mitigation: '',
          },
        ],
      },
      /failureMode/,
    ],
    [
      'a risk without version',
      'put',
      `${BASE}/gates/:gate/risk`,
      { impactMatrix: [] },
      /version/,
    ],
    [
      'a decision that is not go or no-go',
      'post',
      `${BASE}/gates/:gate/decision`,
      { verdict: 'maybe', reason: 'x' },
      /verdict/,
    ],
    [
      'a decision with neither verdict nor transition',
      'post',
      `${BASE}/gates/:gate/decision`,
      { reason: 'x' },
      /^verdict: /,
    ],
    [
      'a decision with both',
      'post',
      `${BASE}/gates/:gate/decision`,
      { verdict: 'go', transition: 'release', reason: 'x' },
      /^verdict: /,
    ],
    [
      'evidence without runId',
      'post',
      `${BASE}/evidence`,
      {
        entityRef: 'component:default/payment-gateway',
        release: '1',
        type: 'test-report',
        status: 'passed',
      },
      /runId/,
    ],
    [
      'evidence with a bad status',
      'post',
      `${BASE}/evidence`,
      {
        entityRef: 'component:default/payment-gateway',
        release: '1',
        type: 'test-report',
        status: 'green',
        runId: '1',
      },
      /status/,
    ],
    [
      'evidence with a bad entity ref',
      'post',
      `${BASE}/evidence`,
      {
        entityRef: 'component:',
        release: '1',
        type: 'test-report',
        status: 'passed',
        runId: '1',
      },
      /^entityRef: /,
    ],
    [
      'evidence with nested metrics',
      'post',
      `${BASE}/evidence`,
      {
        entityRef: 'component:default/payment-gateway',
        release: '1',
        type: 'test-report',
        status: 'passed',
        runId: '1',
        metrics: { a: { b: 1 } },
      },
      /metrics/,
    ],
  ];

  it.each(cases)(
    'rejects %s with a 400 naming the field',
    async (_name, method, path, body, field) => {
      const { gate } = await setup();
      const req = (api as any)[method](path.replace(':gate', gate.id));
      const res = await (path.startsWith(`${BASE}/evidence`)
        ? req
        : req.set('Authorization', as(PRIYA))
      ).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(field);
    },
  );

  it('rejects a NUL character in the path or the query with a 400', async () => {
    const { gate } = await setup();
    const path = await api
      .get(`${BASE}/gates/%00`)
      .set('Authorization', as(PRIYA));
    expect(path.status).toBe(400);
    expect(path.body.error.message).toMatch(/^path: .*NUL/);
    const query = await api
      .get(`${BASE}/decision`)
      .query({ entityRef: gate.entityRef, release: 'a\u0000' })
      .set('Authorization', as(PRIYA));
    expect(query.status).toBe(400);
    expect(query.body.error.message).toMatch(/^release: .*NUL/);
  });

  it('rejects malformed JSON with a 400', async () => {
    await setup();
    const res = await api
      .post(`${ENTITY}/gates`)
      .set('Authorization', as(PRIYA))
      .set('Content-Type', 'application/json')
      .send('{"release": ');
    expect(res.status).toBe(400);
  });

  it('rejects an oversize body with a 413', async () => {
    const { gate } = await setup();
    const res = await api
      .put(`${BASE}/gates/${gate.id}/risk`)
      .set('Authorization', as(PRIYA))
      .send({
        version: 0,
        impactMatrix: [],
        rollbackPlan: 'x'.repeat(300_000),
      });
    expect(res.status).toBe(413);
  });

  it('answers 404 for an unknown gate and item', async () => {
    const { gate } = await setup();
    const noGate = await api
      .get(`${BASE}/gates/00000000-0000-0000-0000-000000000000`)
      .set('Authorization', as(PRIYA));
    expect(noGate.status).toBe(404);
    const noItem = await api
      .patch(`${BASE}/gates/${gate.id}/items/no-such-item`)
      .set('Authorization', as(PRIYA))
      .send({ status: 'passed', version: 1 });
    expect(noItem.status).toBe(404);
  });

  it('lets exactly one of two edits on the same version win', async () => {
    const { gate } = await setup();
    const edit = (status: string) =>
      api
        .patch(`${BASE}/gates/${gate.id}/items/user-acceptance`)
        .set('Authorization', as(PRIYA))
        .send({ status, version: 1 });
    const results = await Promise.all([edit('passed'), edit('failed')]);
    const statuses = results.map(r => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = results.find(r => r.status === 409)!;
    expect(loser.body.error.message).toMatch(/reload and try again/);
    const winner = results.find(r => r.status === 200)!;
    const stored = await api
      .get(`${BASE}/gates/${gate.id}`)
      .set('Authorization', as(PRIYA));
    const item = stored.body.items.find((i: any) => i.id === 'user-acceptance');
    expect(item.status).toBe(
      winner.body.items.find((i: any) => i.id === 'user-acceptance').status,
    );
    expect(item.version).toBe(2);
  });

  it('refuses a stale version and overwrites nothing', async () => {
    const { gate } = await setup();
    const first = await api
      .patch(`${BASE}/gates/${gate.id}/items/user-acceptance`)
      .set('Authorization', as(PRIYA))
      .send({ status: 'passed', note: 'first', version: 1 });
    expect(first.status).toBe(200);
    const stale = await api
      .patch(`${BASE}/gates/${gate.id}/items/user-acceptance`)
      .set('Authorization', as(PRIYA))
      .send({ status: 'failed', note: 'second', version: 1 });
    expect(stale.status).toBe(409);
    const stored = await api
      .get(`${BASE}/gates/${gate.id}`)
      .set('Authorization', as(PRIYA));
    expect(
      stored.body.items.find((i: any) => i.id === 'user-acceptance'),
    ).toMatchObject({ status: 'passed', note: 'first', version: 2 });
  });

  it('takes identity from credentials, never from the body', async () => {
    const { gate } = await setup();
    const res = await api
      .put(`${BASE}/gates/${gate.id}/risk`)
      .set('Authorization', as(PRIYA))
      .send({
        version: 0,
        impactMatrix: [],
        acceptResidualRisk: true,
        consent: { gateId: gate.id, riskVersion: 0 },
      });
    expect(res.status).toBe(200);
    expect(res.body.risk.residualRisk.acceptedBy).toBe(PRIYA);
  });
});
