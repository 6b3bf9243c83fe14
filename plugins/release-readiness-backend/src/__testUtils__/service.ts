import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import {
  DatabaseApprovalStore,
  DatabaseAuditLog,
  DatabaseEntityIndexStore,
  DatabaseEvidenceStore,
  DatabaseGateStore,
  DatabaseIncidentStore,
  DatabaseStoreTransactions,
  DatabaseWindowStore,
  StoreTransactions,
} from '../database';
import { createGateDomain } from '../gates';
import { loadTemplates } from '../templates/loadTemplates';
import { ENTITIES, PEOPLE, TEMPLATE_FILES, userInfoMock } from './fixtures';

/**
 * The gate domain on a migrated test database, with the real templates and the
 * small catalog of the fixtures, every entity of which is in the index.
 * `transactions` replaces the real ones, to make one fail.
 */
export async function createTestService(
  knex: Knex,
  options: { transactions?: StoreTransactions } = {},
) {
  const templates = await loadTemplates(
    mockServices.rootConfig({
      data: { releaseReadiness: { templates: TEMPLATE_FILES } },
    }),
  );
  const entities = DatabaseEntityIndexStore.create({ db: knex });
  const gates = DatabaseGateStore.create({ db: knex });
  const audit = DatabaseAuditLog.create({ db: knex });
  const domain = createGateDomain({
    catalog: catalogServiceMock({ entities: [...ENTITIES, ...PEOPLE] }),
    permissions: mockServices.permissions(),
    userInfo: userInfoMock,
    auth: mockServices.auth(),
    stores: {
      entities,
      gates,
      audit,
      evidence: DatabaseEvidenceStore.create({ db: knex }),
      windows: DatabaseWindowStore.create({ db: knex }),
      incidents: DatabaseIncidentStore.create({ db: knex }),
      approvals: DatabaseApprovalStore.create({ db: knex }),
    },
    transactions:
      options.transactions ?? DatabaseStoreTransactions.create({ db: knex }),
    templates,
    configWindows: [],
  });
  for (const entity of ENTITIES) await domain.access.syncEntity(entity);
  return { domain, entities, gates, audit };
}
