import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import releaseReadinessPlugin from '@release-readiness/plugin-backend';
import { Knex } from 'knex';
import { join } from 'node:path';
import request from 'supertest';
import { loadRepoTemplates, REPO_ROOT } from '../database';

/**
 * The real plugin on a database the generator wrote, with the repository's
 * templates and the given catalog, every request made as `user`.
 */
export async function startPluginBackend(options: {
  knex: Knex;
  entities: Entity[];
  user: string;
}) {
  const { server } = await startTestBackend({
    features: [
      releaseReadinessPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          releaseReadiness: {
            templates: loadRepoTemplates().map(t => join(REPO_ROOT, t.source)),
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.user(options.user),
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
    ],
  });
  return request(server);
}
