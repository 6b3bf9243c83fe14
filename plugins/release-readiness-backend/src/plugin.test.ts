import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { as, PRIYA, startReadinessBackend } from './__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'release-readiness plugin on %s',
  databaseId => {
    async function start(
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
    ) {
      const knex = await databases.init(databaseId);
      const backend = await startReadinessBackend({
        knex,
        features: permission
          ? [mockServices.permissions.factory({ result: permission })]
          : [],
      });
      return { server: backend.server, knex };
    }

    it('runs its migrations', async () => {
      const { knex } = await start();
      for (const table of [
        'gate_owner_assignments',
        'entities',
        'gates',
        'gate_items',
        'votes',
        'evidence',
        'decisions',
        'audit_events',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
    });

    it('answers /health without credentials', async () => {
      const { server } = await start();
      const res = await request(server).get('/api/release-readiness/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('serves its OpenAPI spec without credentials', async () => {
      const { server } = await start();
      const res = await request(server).get(
        '/api/release-readiness/openapi.json',
      );
      expect(res.status).toBe(200);
      expect(res.body.paths['/gates/{gateId}/decision']).toBeDefined();
    });

    it('returns the readiness of a catalog entity with its template and checklist', async () => {
      const { server, knex } = await start();
      await knex('gate_owner_assignments').insert({
        entity_ref: 'component:default/payment-gateway',
        owner_ref: 'user:default/ada-admin',
        assigned_by: PRIYA,
        assigned_at: new Date().toISOString(),
      });

      const res = await request(server)
        .get(
          '/api/release-readiness/entities/Component/default/payment-gateway',
        )
        .set('Authorization', as(PRIYA));

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payment-gateway',
        title: 'Payment Gateway',
        template: { name: 'component-gate', tier: 1 },
        gateOwners: [
          { ref: 'group:default/payments', source: 'catalog-owner' },
          { ref: 'user:default/ada-admin', source: 'assigned' },
        ],
        currentGate: null,
        earlierGates: [],
      });
      expect(res.body.checklist.map((i: any) => i.id)).toContain(
        'unit-integration-tests',
      );
    });

    it('answers 404 naming an unknown entity', async () => {
      const { server } = await start();
      const res = await request(server)
        .get(
          '/api/release-readiness/entities/component/default/no-such-service',
        )
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No catalog entity named component:default/no-such-service',
      });
    });

    it('answers 401 without credentials', async () => {
      const { server } = await start();
      const res = await request(server).get(
        '/api/release-readiness/entities/component/default/payment-gateway',
      );
      expect(res.status).toBe(401);
    });

    it('answers 403 when the permission policy denies reading', async () => {
      const { server } = await start(AuthorizeResult.DENY);
      const res = await request(server)
        .get(
          '/api/release-readiness/entities/component/default/payment-gateway',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });

    it('lists the templates with version and hash', async () => {
      const { server } = await start();
      const res = await request(server)
        .get('/api/release-readiness/templates')
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(200);
      expect(res.body.items.map((t: any) => t.name)).toEqual([
        'component-gate',
        'system-gate',
        'business-gate',
        'rapid-release',
      ]);
      for (const t of res.body.items) {
        expect(t.version).toEqual(expect.any(String));
        expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      const one = await request(server)
        .get('/api/release-readiness/templates/rapid-release')
        .set('Authorization', as(PRIYA));
      expect(one.body).toMatchObject({ name: 'rapid-release', rapid: true });
      const none = await request(server)
        .get('/api/release-readiness/templates/nope')
        .set('Authorization', as(PRIYA));
      expect(none.status).toBe(404);
    });
  },
);
