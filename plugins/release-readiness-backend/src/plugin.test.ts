import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { releaseReadinessPlugin } from './plugin';

const paymentGateway: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payment-gateway',
    namespace: 'default',
    title: 'Payment Gateway',
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'release-readiness plugin on %s',
  databaseId => {
    async function startBackend(options?: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    }) {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          releaseReadinessPlugin,
          mockServices.database.factory({ knex }),
          // Requests without a token are anonymous, as in a real backend.
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          catalogServiceMock.factory({ entities: [paymentGateway] }),
          ...(options?.permission
            ? [mockServices.permissions.factory({ result: options.permission })]
            : []),
        ],
      });
      return { server, knex };
    }

    it('runs its migration', async () => {
      const { knex } = await startBackend();
      expect(await knex.schema.hasTable('gate_owner_assignments')).toBe(true);
    });

    it('answers /health without credentials', async () => {
      const { server } = await startBackend();
      const res = await request(server).get('/api/release-readiness/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('returns the readiness of a catalog entity', async () => {
      const { server, knex } = await startBackend();
      await knex('gate_owner_assignments').insert({
        entity_ref: 'component:default/payment-gateway',
        owner_ref: 'user:default/priya-raman',
        assigned_by: 'user:default/ada-admin',
      });

      const res = await request(server)
        .get(
          '/api/release-readiness/entities/Component/default/payment-gateway',
        )
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/priya-raman'),
        );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/payment-gateway',
        title: 'Payment Gateway',
        gateOwners: [
          { ref: 'group:default/payments', source: 'catalog-owner' },
          { ref: 'user:default/priya-raman', source: 'assigned' },
        ],
        checklist: [],
        currentGate: null,
        earlierGates: [],
      });
    });

    it('answers 404 naming an unknown entity', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get(
          '/api/release-readiness/entities/component/default/no-such-service',
        )
        .set('Authorization', mockCredentials.user.header());

      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No catalog entity named component:default/no-such-service',
      });
    });

    it('answers 401 without credentials', async () => {
      const { server } = await startBackend();
      const res = await request(server).get(
        '/api/release-readiness/entities/component/default/payment-gateway',
      );
      expect(res.status).toBe(401);
    });

    it('answers 403 when the permission policy denies reading', async () => {
      const { server } = await startBackend({
        permission: AuthorizeResult.DENY,
      });
      const res = await request(server)
        .get(
          '/api/release-readiness/entities/component/default/payment-gateway',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });
  },
);
