import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GateTemplate } from '@release-readiness/plugin-common';
import { EntityIndexStore } from '../database';
import { toEntityInfo } from '../catalog/entityInfo';

/** The kinds the portfolio shows. */
export const INDEXED_KINDS = ['component', 'system'];

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.tags',
  'metadata.annotations',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
  'relations',
];

/**
 * Refreshes the entity index from the catalog, a page at a time (never one
 * request per entity), then removes the rows of entities the catalog no longer
 * has. Upserts are idempotent, so two replicas running it at once (the
 * scheduler prevents it, but a start-up may overlap) do no harm.
 */
export async function syncEntityIndex(options: {
  catalog: CatalogService;
  auth: AuthService;
  entities: EntityIndexStore;
  templates: GateTemplate[];
  pageSize?: number;
}): Promise<{ upserted: number; removed: number }> {
  const { catalog, auth, templates } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const startedAt = new Date().toISOString();
  let upserted = 0;
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: options.pageSize ?? 500 }
        : {
            filter: { kind: INDEXED_KINDS },
            fields: FIELDS,
            limit: options.pageSize ?? 500,
          },
      { credentials },
    );
    const entities = page.items.map(entity => toEntityInfo(entity, templates));
    await options.entities.upsertEntities({
      entities,
      refreshedAt: startedAt,
    });
    upserted += entities.length;
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  const removed = await options.entities.removeStaleEntities({
    kinds: INDEXED_KINDS,
    before: startedAt,
  });
  return { upserted, removed };
}
