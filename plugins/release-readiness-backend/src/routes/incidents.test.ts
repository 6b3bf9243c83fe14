/*
 * Who may report an incident, decided by the plugin's own policy
 * (ReleaseReadinessPolicy) as the permission backend would, and the mark of
 * incidents on releases that had no gate: on both engines.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  HIROSHI,
  INCIDENT_MANAGERS,
  MEMBERSHIP,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { ReleaseReadinessPolicy } from '../permissions/ReleaseReadinessPolicy';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG_REF = 'component:default/payment-gateway';
const PG = `${BASE}/entities/component/default/payment-gateway`;
/** On call in incident management, in no team that owns a service. */
const OLU = 'user:default/olu-incidents';

const policy = new ReleaseReadinessPolicy({
  adminGroups: ['group:default/platform-admins'],
  releaseManagerGroups: ['group:default/release-management'],
  incidentManagerGroups: [INCIDENT_MANAGERS],
});
const groupsOf = (user: string) =>
  user === OLU ? [INCIDENT_MANAGERS] : MEMBERSHIP[user] ?? [];

async function decide(
  permission: any,
  credentials: any,
): Promise<PolicyDecision> {
  const principal = credentials.principal;
  if (principal.type === 'none') return { result: AuthorizeResult.DENY };
  if (principal.type === 'service') return policy.handle({ permission });
  const user = principal.userEntityRef;
  return policy.handle(
    { permission },
    {
      info: {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...groupsOf(user)],
      },
      credentials,
    },
  );
}

const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    Promise.all(
      requests.map(async r => ({
        result:
          (await decide(r.permission, credentials)).result ===
          AuthorizeResult.ALLOW
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    ) as any,
  authorizeConditional: async (requests, { credentials }) =>
    Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
});

/** An incident tool's token, restricted to reporting incidents. */
const pager = mockCredentials.service('external:pager', {
  permissionNames: ['release-readiness.incident.create'],
});

describe.each(databases.eachSupportedId())('incidents on %s', databaseId => {
  let api: ReturnType<typeof request>;
  let knex: Knex;
  let releases = 0;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      defaultCredentials: pager as any,
      features: [permissions.factory],
    });
    api = request(server);
  });

  async function openGate() {
    releases += 1;
    const res = await api
      .post(`${PG}/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release: `8.0.${releases}` });
    expect(res.status).toBe(201);
    return res.body as { id: string; release: string };
  }

  const report = (release: string, authorization?: string) => {
    const req = api.post(`${BASE}/incidents`);
    return (authorization ? req.set('Authorization', authorization) : req).send(
      { entityRef: PG_REF, release, severity: 'sev2', title: 'Card declines' },
    );
  };

  describe('who may report one', () => {
    it.each([
      [
        'a gate owner of the entity (through its team)',
        () => as(TOMASZ),
        TOMASZ,
      ],
      ['a member of the incident-management group', () => as(OLU), OLU],
      [
        'an incident tool with a restricted service token',
        () => undefined,
        'external:pager',
      ],
    ])('%s may', async (_who, header, reporter) => {
      const gate = await openGate();
      const res = await report(gate.release, header());
      expect(res.status).toBe(201);
      expect(res.body.reportedBy).toBe(reporter);
      expect(
        await knex('incidents').where({ release: gate.release }),
      ).toHaveLength(1);
    });

    it("another team's member may not, and nothing is stored", async () => {
      const gate = await openGate();
      const res = await report(gate.release, as(HIROSHI));
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toMatch(
        /gate owners of component:default\/payment-gateway.*release-readiness\.incident\.create/,
      );
      expect(await knex('incidents').where({ release: gate.release })).toEqual(
        [],
      );
    });

    it('a service token without access restrictions may not', async () => {
      const gate = await openGate();
      const res = await report(gate.release, mockCredentials.service.header());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/access restrictions/);
      expect(await knex('incidents').where({ release: gate.release })).toEqual(
        [],
      );
    });

    it('follows the catalog: assigning Hiroshi as gate owner lets him report', async () => {
      const gate = await openGate();
      await api
        .put(`${PG}/owners`)
        .set('Authorization', as(PRIYA))
        .send({ owners: [HIROSHI] })
        .expect(200);
      try {
        expect((await report(gate.release, as(HIROSHI))).status).toBe(201);
      } finally {
        await api
          .put(`${PG}/owners`)
          .set('Authorization', as(PRIYA))
          .send({ owners: [] })
          .expect(200);
      }
    });
  });

  describe('on a release with no gate', () => {
    it('is accepted, marked ungated, and counted apart from every gate', async () => {
      const metricsBefore = (
        await api.get(`${BASE}/metrics`).set('Authorization', as(PRIYA))
      ).body;
      const res = await report('never-gated-1', as(TOMASZ));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        release: 'never-gated-1',
        ungated: true,
      });
      const stored = await knex('incidents').where({
        release: 'never-gated-1',
      });
      expect(stored.map(r => Boolean(r.ungated))).toEqual([true]);

      const metrics = (
        await api.get(`${BASE}/metrics`).set('Authorization', as(PRIYA))
      ).body;
      expect(metrics.ungatedIncidents).toBe(metricsBefore.ungatedIncidents + 1);
      expect(metrics.overall.total.incidents).toBe(
        metricsBefore.overall.total.incidents,
      );

      // A gate opened afterwards for that release does not take it on.
      const late = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: 'never-gated-1' });
      expect(late.status).toBe(201);
      const row = await knex('gate_metrics').where({ gate_id: late.body.id });
      expect(row.map(r => Number(r.incidents))).toEqual([0]);
      expect(late.body.incidents).toEqual([
        expect.objectContaining({ ungated: true }),
      ]);
    });

    it('is not marked when the release has a gate, and counts once it is released', async () => {
      const gate = await openGate();
      const res = await report(gate.release, as(TOMASZ));
      expect(res.status).toBe(201);
      expect(res.body.ungated).toBeUndefined();
      const row = await knex('gate_metrics').where({ gate_id: gate.id });
      expect(row.map(r => Number(r.incidents))).toEqual([1]);
    });

    it('is marked when the only gate of the release was cancelled', async () => {
      const gate = await openGate();
      await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({
          transition: 'cancel',
          reason: 'Superseded by the next release',
        })
        .expect(200);
      const res = await report(gate.release, as(TOMASZ));
      expect(res.status).toBe(201);
      expect(res.body.ungated).toBe(true);
    });

    it('is counted only where the caller may read, and by the filters', async () => {
      await report('never-gated-2', as(TOMASZ)).expect(201);
      const all = await api
        .get(`${BASE}/metrics`)
        .set('Authorization', as(PRIYA));
      const otherTeam = await api
        .get(`${BASE}/metrics`)
        .query({ owner: 'group:default/checkout' })
        .set('Authorization', as(PRIYA));
      const before = await api
        .get(`${BASE}/metrics`)
        .query({ to: '2020-01-01T00:00:00Z' })
        .set('Authorization', as(PRIYA));
      expect(all.body.ungatedIncidents).toBeGreaterThanOrEqual(2);
      expect(otherTeam.body.ungatedIncidents).toBe(0);
      expect(before.body.ungatedIncidents).toBe(0);
    });
  });
});
