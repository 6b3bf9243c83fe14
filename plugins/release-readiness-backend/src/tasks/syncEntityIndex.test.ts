import { AuthService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GateTemplate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { TEMPLATE_FILES } from '../__testUtils__/fixtures';
import { DatabaseEntityIndexStore } from '../database/DatabaseEntityIndexStore';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { loadTemplates } from '../templates/loadTemplates';
import { INDEXED_KINDS, syncEntityIndex } from './syncEntityIndex';

const N = 2500;
const CREDENTIALS = { principal: { type: 'service', subject: 'test' } };

function makeEntity(i: number): Entity {
  const isSystem = i % 5 === 0;
  const owner = `group:default/Team-${i % 7}`;
  const system = `system:default/sys-${i % 10}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: isSystem ? 'System' : 'Component',
    metadata: {
      name: `svc-${String(i).padStart(4, '0')}`,
      namespace: 'default',
      ...(i % 3 === 0 ? { title: `Service ${i}` } : {}),
      tags: i % 2 ? ['java', `t${i % 4}`] : [],
    },
    spec: isSystem
      ? { owner }
      : {
          type: i % 2 ? 'service' : 'library',
          lifecycle: 'production',
          owner,
          system: `sys-${i % 10}`,
        },
    relations: [
      { type: RELATION_OWNED_BY, targetRef: owner.toLocaleLowerCase('en-US') },
      ...(isSystem ? [] : [{ type: RELATION_PART_OF, targetRef: system }]),
    ],
  };
}

/** A catalog that implements only `queryEntities`, with cursors. */
class FakeCatalog {
  entities: Entity[];
  calls: { request: any; options: any }[] = [];
  onCall?: (call: number) => Promise<void>;

  constructor(entities: Entity[]) {
    this.entities = entities;
  }

  async queryEntities(request: any, options: any) {
    this.calls.push({ request, options });
    await this.onCall?.(this.calls.length);
    const state: { kinds: string[]; offset: number } = request.cursor
      ? JSON.parse(Buffer.from(request.cursor, 'base64').toString())
      : { kinds: request.filter.kind, offset: 0 };
    const kinds = state.kinds.map(k => k.toLocaleLowerCase('en-US'));
    const matching = this.entities.filter(e =>
      kinds.includes(e.kind.toLocaleLowerCase('en-US')),
    );
    const limit = request.limit ?? 20;
    const items = matching.slice(state.offset, state.offset + limit);
    const next = state.offset + limit;
    return {
      items,
      totalItems: matching.length,
      pageInfo:
        next < matching.length
          ? {
              nextCursor: Buffer.from(
                JSON.stringify({ kinds: state.kinds, offset: next }),
              ).toString('base64'),
            }
          : {},
    };
  }
}

const auth = {
  getOwnServiceCredentials: async () => CREDENTIALS,
} as unknown as AuthService;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('syncEntityIndex on %s', id => {
  let knex: Knex;
  let entities: DatabaseEntityIndexStore;
  let templates: GateTemplate[];
  let catalog: FakeCatalog;

  const sync = () =>
    syncEntityIndex({
      catalog: catalog as unknown as CatalogService,
      auth,
      entities,
      templates,
      pageSize: 500,
    });
  const rowCount = async () =>
    Number((await knex('entities').count({ n: '*' }))[0].n);

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    entities = DatabaseEntityIndexStore.create({ db: knex });
    templates = await loadTemplates(
      new ConfigReader({ releaseReadiness: { templates: TEMPLATE_FILES } }),
    );
    // An entity of another kind, not served by the catalog fake: kept.
    await entities.upsertEntity({
      entity: {
        entityRef: 'domain:default/payments',
        kind: 'domain',
        title: 'Payments',
        tags: [],
      },
    });
    catalog = new FakeCatalog([
      ...Array.from({ length: N }, (_, i) => makeEntity(i)),
      // Not an indexed kind: never asked for.
      ...Array.from({ length: 30 }, (_, i) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: `api-${i}` },
        spec: { type: 'openapi', owner: 'group:default/team-1' },
      })),
    ]);
  });

  afterAll(async () => {
    await knex.destroy();
  });

  it('indexes every entity a page at a time', async () => {
    const result = await sync();
    expect(result).toEqual({ upserted: N, removed: 0 });
    expect(catalog.calls).toHaveLength(5);
    const [first, ...rest] = catalog.calls;
    expect(first.request).toMatchObject({
      filter: { kind: INDEXED_KINDS },
      limit: 500,
    });
    expect(first.request.fields).toEqual(
      expect.arrayContaining([
        'kind',
        'metadata.name',
        'relations',
        'spec.type',
      ]),
    );
    for (const call of rest) {
      expect(call.request).toEqual({ cursor: expect.any(String), limit: 500 });
    }
    for (const call of catalog.calls) {
      expect(call.options).toEqual({ credentials: CREDENTIALS });
    }
    expect(await rowCount()).toBe(N + 1);
    expect(
      Number(
        (await knex('entities').where('kind', 'api').count({ n: '*' }))[0].n,
      ),
    ).toBe(0);
  });

  it('stores kind, title, owner, system, tags and template', async () => {
    const row = (ref: string) =>
      knex('entities').where({ entity_ref: ref }).first();

    // A service component: component gate.
    expect(await row('component:default/svc-0003')).toMatchObject({
      kind: 'component',
      title: 'Service 3',
      type: 'service',
      lifecycle: 'production',
      owner_ref: 'group:default/team-3',
      system_ref: 'system:default/sys-3',
      template_name: 'component-gate',
      tier: 1,
      current_gate_id: null,
    });
    expect(JSON.parse((await row('component:default/svc-0003')).tags)).toEqual([
      'java',
      't3',
    ]);

    // A library: no template applies.
    expect(await row('component:default/svc-0004')).toMatchObject({
      kind: 'component',
      title: 'svc-0004',
      type: 'library',
      owner_ref: 'group:default/team-4',
      system_ref: 'system:default/sys-4',
      template_name: null,
      tier: null,
      tags: '[]',
    });

    // A system: system gate, no system of its own.
    expect(await row('system:default/svc-0010')).toMatchObject({
      kind: 'system',
      title: 'svc-0010',
      type: null,
      owner_ref: 'group:default/team-3',
      system_ref: null,
      template_name: 'system-gate',
      tier: 2,
    });

    const counts = await knex('entities')
      .select('kind')
      .count({ n: '*' })
      .groupBy('kind')
      .orderBy('kind');
    expect(counts.map((c: any) => [c.kind, Number(c.n)])).toEqual([
      ['component', N * 0.8],
      ['domain', 1],
      ['system', N * 0.2],
    ]);
  });

  it('is idempotent and keeps gate summaries', async () => {
    await knex('gates').insert({
      id: 'gate-1',
      entity_ref: 'component:default/svc-0001',
      release: '1.0.0',
      template_name: 'component-gate',
      template_version: '1',
      template: '{}',
      template_hash: 'a'.repeat(64),
      tier: 1,
      state: 'no-go',
      requested_by: 'user:default/priya',
      opened_at: '2026-11-29T10:00:00.000Z',
      updated_at: '2026-11-30T10:00:00.000Z',
    });
    await entities.setGateSummary({
      entityRef: 'component:default/svc-0001',
      gateId: 'gate-1',
      gateVersion: 1,
      summary: {
        gateId: 'gate-1',
        release: '1.0.0',
        state: 'no-go',
        verdict: 'NO-GO',
        score: 42,
        blockers: 3,
        plannedAt: '2026-12-01T10:00:00.000Z',
        lastDecision: { verdict: 'no-go', at: '2026-11-30T10:00:00.000Z' },
      },
    });
    const before = await knex('entities')
      .orderBy('entity_ref')
      .select(
        knex.raw(
          'entity_ref, kind, title, type, lifecycle, owner_ref, system_ref, tags, template_name, tier',
        ),
      );

    catalog.calls = [];
    const result = await sync();
    expect(result).toEqual({ upserted: N, removed: 0 });
    expect(catalog.calls).toHaveLength(5);

    const after = await knex('entities')
      .orderBy('entity_ref')
      .select(
        knex.raw(
          'entity_ref, kind, title, type, lifecycle, owner_ref, system_ref, tags, template_name, tier',
        ),
      );
    expect(after).toEqual(before);
    expect(await rowCount()).toBe(N + 1);

    const summary = await entities.getEntity({
      entityRef: 'component:default/svc-0001',
    });
    expect(summary?.title).toBe('svc-0001');
    const row = await knex('entities')
      .where({ entity_ref: 'component:default/svc-0001' })
      .first();
    expect(row).toMatchObject({
      current_gate_id: 'gate-1',
      current_release: '1.0.0',
      current_state: 'no-go',
      current_verdict: 'NO-GO',
      current_score: 42,
      current_blockers: 3,
      current_decision: 'no-go',
    });
    expect(new Date(row.current_planned_at).toISOString()).toBe(
      '2026-12-01T10:00:00.000Z',
    );
    expect(new Date(row.current_decided_at).toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
  });

  it('picks up changes in the catalog', async () => {
    const changed = makeEntity(7);
    changed.metadata.title = 'Renamed';
    changed.metadata.tags = ['new'];
    changed.relations = [
      { type: RELATION_OWNED_BY, targetRef: 'group:default/team-new' },
      { type: RELATION_PART_OF, targetRef: 'system:default/sys-new' },
    ];
    catalog.entities[7] = changed;
    await sync();
    expect(
      await knex('entities')
        .where({ entity_ref: 'component:default/svc-0007' })
        .first(),
    ).toMatchObject({
      title: 'Renamed',
      tags: '["new"]',
      owner_ref: 'group:default/team-new',
      system_ref: 'system:default/sys-new',
    });
    catalog.entities[7] = makeEntity(7);
  });

  it('removes the entities the catalog no longer has, not those touched since', async () => {
    const removed = catalog.entities.splice(1000, 100);
    expect(removed.every(e => e.kind !== 'API')).toBe(true);
    const removedRefs = removed.map(
      e => `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
    );
    // Another writer adds an entity while the sync runs.
    catalog.calls = [];
    catalog.onCall = async call => {
      if (call === 3) {
        await entities.upsertEntity({
          entity: {
            entityRef: 'component:default/late',
            kind: 'component',
            title: 'Late',
            tags: [],
          },
        });
      }
    };
    try {
      const result = await sync();
      expect(result).toEqual({ upserted: N - 100, removed: 100 });
    } finally {
      catalog.onCall = undefined;
    }
    expect(catalog.calls).toHaveLength(5);
    expect(await rowCount()).toBe(N - 100 + 2);
    expect(
      Number(
        (
          await knex('entities')
            .whereIn('entity_ref', removedRefs)
            .count({ n: '*' })
        )[0].n,
      ),
    ).toBe(0);
    expect(
      await entities.getEntity({ entityRef: 'component:default/late' }),
    ).toBeDefined();
    expect(
      await entities.getEntity({ entityRef: 'domain:default/payments' }),
    ).toBeDefined();
    // The gate summary survived as well.
    expect(
      (
        await knex('entities')
          .where({ entity_ref: 'component:default/svc-0001' })
          .first()
      ).current_gate_id,
    ).toBe('gate-1');
  });

  it('without templates indexes entities without a template', async () => {
    const result = await syncEntityIndex({
      catalog: catalog as unknown as CatalogService,
      auth,
      entities,
      templates: [],
      pageSize: 1000,
    });
    // The late entity is not in the catalog and is now stale.
    expect(result).toEqual({ upserted: N - 100, removed: 1 });
    expect(
      Number(
        (
          await knex('entities').whereNotNull('template_name').count({ n: '*' })
        )[0].n,
      ),
    ).toBe(0);
  });
});
