/*
 * Every Release Readiness route with the app's own permission policy: who may
 * do what, end to end through HTTP. The permissions service hands each request
 * to the policy as the permission backend would, with the caller's catalog
 * groups; conditional decisions are then applied by the plugin itself.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import releaseReadinessPlugin from '@release-readiness/plugin-backend';
import { resolve } from 'node:path';
import request from 'supertest';
import { ReleaseReadinessPolicy } from '../modules/permissionPolicy';

const TEMPLATES = ['component-gate.yaml', 'rapid-release.yaml'].map(file =>
  resolve(__dirname, '../../../../gate-templates', file),
);

const paymentGateway: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

/** Owners must exist in the catalog: the people the tests assign. */
const hiroshi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'hiroshi-tanaka', namespace: 'default' },
  spec: { memberOf: ['checkout'] },
};

const MEMBERSHIP: Record<string, string[]> = {
  'user:default/priya-raman': ['group:default/payments'],
  'user:default/hiroshi-tanaka': ['group:default/checkout'],
  'user:default/margaret-osei': ['group:default/release-management'],
  'user:default/ada-admin': ['group:default/platform-admins'],
  'user:default/nadia-haddad': ['group:default/qa'],
};
const OWNER = 'user:default/priya-raman';
const OTHER_TEAM = 'user:default/hiroshi-tanaka';
const RELEASE_MANAGER = 'user:default/margaret-osei';
const ADMIN = 'user:default/ada-admin';
const QA = 'user:default/nadia-haddad';

const policy = new ReleaseReadinessPolicy({
  adminGroups: ['group:default/platform-admins'],
  releaseManagerGroups: ['group:default/release-management'],
});

/** What the permission backend does: ask the policy, with the user's groups. */
async function decide(
  permission: any,
  credentials: any,
): Promise<PolicyDecision> {
  const principal = credentials.principal;
  if (principal.type === 'none') {
    return { result: AuthorizeResult.DENY };
  }
  if (principal.type === 'service') {
    return policy.handle({ permission });
  }
  const user = principal.userEntityRef;
  return policy.handle(
    { permission },
    {
      info: {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
      },
      credentials,
    },
  );
}

const as = (user: string) => mockCredentials.user.header(user);
const service = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:ci'),
  targetPluginId: 'release-readiness',
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const ENTITY = `${BASE}/entities/component/default/payment-gateway`;

describe.each(databases.eachSupportedId())(
  'permissions of every route on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let gateId: string;
    let release = 0;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          releaseReadinessPlugin,
          mockServices.permissions.mock({
            authorize: async (requests, { credentials }) =>
              Promise.all(
                requests.map(async r => {
                  const decision = await decide(r.permission, credentials);
                  return {
                    result:
                      decision.result === AuthorizeResult.ALLOW
                        ? AuthorizeResult.ALLOW
                        : AuthorizeResult.DENY,
                  };
                }),
              ) as any,
            authorizeConditional: async (requests, { credentials }) =>
              Promise.all(
                requests.map(r => decide(r.permission, credentials)),
              ) as any,
          }).factory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              releaseReadiness: { templates: TEMPLATES },
            },
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          catalogServiceMock.factory({ entities: [paymentGateway, hiroshi] }),
          mockServices.userInfo.mock({
            getUserInfo: async credentials => {
              const user = (credentials.principal as any).userEntityRef;
              return {
                userEntityRef: user,
                ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
              };
            },
          }).factory,
        ],
      });
      api = request(server);
    });

    async function openGate() {
      release += 1;
      const res = await api
        .post(`${ENTITY}/gates`)
        .set('Authorization', as(OWNER))
        .send({ release: `1.0.${release}` });
      expect(res.status).toBe(201);
      gateId = res.body.id;
      return res.body;
    }

    it('GET the entity: anyone signed in reads; no credentials is 401', async () => {
      expect(
        (await api.get(ENTITY).set('Authorization', as(OTHER_TEAM))).status,
      ).toBe(200);
      expect((await api.get(ENTITY).set('Authorization', service)).status).toBe(
        200,
      );
      expect((await api.get(ENTITY)).status).toBe(401);
    });

    it('GET templates: anyone signed in; no credentials is 401', async () => {
      expect(
        (
          await api
            .get(`${BASE}/templates`)
            .set('Authorization', as(OTHER_TEAM))
        ).status,
      ).toBe(200);
      expect((await api.get(`${BASE}/templates`)).status).toBe(401);
    });

    it('POST gates: the gate owner opens; another team gets 403; a service gets 403; none is 401', async () => {
      await openGate();
      const body = { release: '7.7.7' };
      const other = await api
        .post(`${ENTITY}/gates`)
        .set('Authorization', as(OTHER_TEAM))
        .send(body);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toMatch(
        /gate owners of component:default\/payment-gateway/,
      );
      expect(
        (
          await api
            .post(`${ENTITY}/gates`)
            .set('Authorization', service)
            .send(body)
        ).status,
      ).toBe(403);
      expect((await api.post(`${ENTITY}/gates`).send(body)).status).toBe(401);
      const admin = await api
        .post(`${ENTITY}/gates`)
        .set('Authorization', as(ADMIN))
        .send(body);
      expect(admin.status).toBe(201);
    });

    it('PATCH items: the gate owner marks; another team gets 403; none is 401', async () => {
      const gate = await openGate();
      const item = gate.items.find((i: any) => i.id === 'user-acceptance');
      const url = `${BASE}/gates/${gateId}/items/user-acceptance`;
      const body = { status: 'passed', version: item.version };
      expect(
        (await api.patch(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect(
        (
          await api
            .patch(url)
            .set('Authorization', as(RELEASE_MANAGER))
            .send(body)
        ).status,
      ).toBe(403);
      expect(
        (await api.patch(url).set('Authorization', service).send(body)).status,
      ).toBe(403);
      expect((await api.patch(url).send(body)).status).toBe(401);
      expect(
        (await api.patch(url).set('Authorization', as(OWNER)).send(body))
          .status,
      ).toBe(200);
    });

    it('PUT risk: the gate owner fills it; another team gets 403; none is 401', async () => {
      await openGate();
      const url = `${BASE}/gates/${gateId}/risk`;
      const body = { version: 0, impactMatrix: [] };
      expect(
        (await api.put(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect((await api.put(url).send(body)).status).toBe(401);
      expect(
        (await api.put(url).set('Authorization', as(OWNER)).send(body)).status,
      ).toBe(200);
    });

    it('POST signoffs: an eligible user votes; an ineligible one and a service get 403; none is 401', async () => {
      await openGate();
      const url = `${BASE}/gates/${gateId}/signoffs`;
      const body = { role: 'qa', verdict: 'ready' };
      expect(
        (await api.post(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect(
        (await api.post(url).set('Authorization', service).send(body)).status,
      ).toBe(403);
      expect((await api.post(url).send(body)).status).toBe(401);
      expect(
        (await api.post(url).set('Authorization', as(QA)).send(body)).status,
      ).toBe(201);
    });

    it('POST decision: owners and release managers decide; another team gets 403; none is 401', async () => {
      await openGate();
      const url = `${BASE}/gates/${gateId}/decision`;
      const body = { verdict: 'no-go', reason: 'not ready' };
      expect(
        (await api.post(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect(
        (await api.post(url).set('Authorization', service).send(body)).status,
      ).toBe(403);
      expect((await api.post(url).send(body)).status).toBe(401);
      expect(
        (
          await api
            .post(url)
            .set('Authorization', as(RELEASE_MANAGER))
            .send(body)
        ).status,
      ).toBe(200);
      const reopen = { transition: 'reopen', reason: 'fixed' };
      expect(
        (await api.post(url).set('Authorization', as(OWNER)).send(reopen))
          .status,
      ).toBe(200);
    });

    it('PUT owners: gate owners and admins assign; another team gets 403; none is 401', async () => {
      const url = `${ENTITY}/owners`;
      const body = { owners: [OTHER_TEAM] };
      expect(
        (await api.put(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect((await api.put(url).send(body)).status).toBe(401);
      expect(
        (await api.put(url).set('Authorization', as(OWNER)).send(body)).status,
      ).toBe(200);
      // Now assigned, the other team's engineer may open a gate…
      const opened = await api
        .post(`${ENTITY}/gates`)
        .set('Authorization', as(OTHER_TEAM))
        .send({ release: '8.8.8' });
      expect(opened.status).toBe(201);
      // …until an admin takes the assignment away again.
      expect(
        (
          await api
            .put(url)
            .set('Authorization', as(ADMIN))
            .send({ owners: [] })
        ).status,
      ).toBe(200);
      expect(
        (
          await api
            .post(`${ENTITY}/gates`)
            .set('Authorization', as(OTHER_TEAM))
            .send({ release: '8.8.9' })
        ).status,
      ).toBe(403);
    });

    it('POST items: the gate owner adds; another team gets 403; none is 401', async () => {
      const url = `${ENTITY}/items`;
      const body = {
        id: 'pci-attestation',
        title: 'PCI attestation filed',
        category: 'compliance',
        required: true,
      };
      expect(
        (await api.post(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect((await api.post(url).send(body)).status).toBe(401);
      expect(
        (await api.post(url).set('Authorization', as(OWNER)).send(body)).status,
      ).toBe(201);
    });

    it('POST evidence: a user gets 403; an unrestricted service token gets 403; none is 401', async () => {
      const body = {
        entityRef: 'component:default/payment-gateway',
        release: '1.0.0',
        type: 'test-report',
        status: 'passed',
        runId: 'r1',
      };
      expect(
        (
          await api
            .post(`${BASE}/evidence`)
            .set('Authorization', as(ADMIN))
            .send(body)
        ).status,
      ).toBe(403);
      const unrestricted = await api
        .post(`${BASE}/evidence`)
        .set('Authorization', service)
        .send(body);
      expect(unrestricted.status).toBe(403);
      expect(unrestricted.body.error.message).toMatch(/access restrictions/);
      expect((await api.post(`${BASE}/evidence`).send(body)).status).toBe(401);
    });

    it('POST windows: admins only; none is 401', async () => {
      const window = {
        id: 'maintenance',
        name: 'Maintenance',
        kind: 'freeze',
        from: '2031-01-01T00:00:00Z',
        to: '2031-01-02T00:00:00Z',
        scope: { all: true },
        approvers: ['group:default/release-management'],
      };
      const url = `${BASE}/windows`;
      expect(
        (await api.post(url).set('Authorization', as(OWNER)).send(window))
          .status,
      ).toBe(403);
      expect(
        (
          await api
            .post(url)
            .set('Authorization', as(RELEASE_MANAGER))
            .send(window)
        ).status,
      ).toBe(403);
      expect((await api.post(url).send(window)).status).toBe(401);
      expect(
        (await api.post(url).set('Authorization', as(ADMIN)).send(window))
          .status,
      ).toBe(201);
      expect(
        (await api.get(url).set('Authorization', as(OTHER_TEAM))).status,
      ).toBe(200);
    });

    it('POST window-exception: only the window approvers; none is 401', async () => {
      const gate = await openGate();
      const url = `${BASE}/gates/${gate.id}/window-exception`;
      const body = { windowId: 'maintenance', reason: 'Security patch' };
      expect(
        (await api.post(url).set('Authorization', as(OWNER)).send(body)).status,
      ).toBe(403);
      expect((await api.post(url).send(body)).status).toBe(401);
      expect(
        (
          await api
            .post(url)
            .set('Authorization', as(RELEASE_MANAGER))
            .send(body)
        ).status,
      ).toBe(201);
    });

    it('POST incidents: gate owners report, another team gets 403; none is 401', async () => {
      const url = `${BASE}/incidents`;
      const body = {
        entityRef: 'component:default/payment-gateway',
        release: '1.0.1',
        severity: 'sev3',
        title: 'Slow refunds',
      };
      expect((await api.post(url).send(body)).status).toBe(401);
      expect(
        (await api.post(url).set('Authorization', as(OTHER_TEAM)).send(body))
          .status,
      ).toBe(403);
      expect(
        (await api.post(url).set('Authorization', as(OWNER)).send(body)).status,
      ).toBe(201);
    });

    it('GET gate, audit and decision: anyone signed in reads; none is 401', async () => {
      await openGate();
      for (const url of [
        `${BASE}/gates/${gateId}`,
        `${BASE}/gates/${gateId}/audit`,
        `${BASE}/decision?entityRef=component:default/payment-gateway&release=1.0.${release}`,
      ]) {
        expect(
          (await api.get(url).set('Authorization', as(OTHER_TEAM))).status,
        ).toBe(200);
        expect((await api.get(url)).status).toBe(401);
      }
    });
  },
);
