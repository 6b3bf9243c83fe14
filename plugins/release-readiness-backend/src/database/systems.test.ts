import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { querySystemRollups } from './portfolio';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function entity(
  ref: string,
  kind: string,
  extra: Record<string, unknown> = {},
) {
  return {
    entity_ref: ref,
    kind,
    title: ref.split('/')[1],
    owner_ref: 'group:default/payments',
    tags: '[]',
    refreshed_at: new Date().toISOString(),
    ...extra,
  };
}

describe.each(databases.eachSupportedId())('the tier view on %s', id => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    const gate = (verdict: string, state: string) => ({
      current_gate_id: `g-${Math.random()}`,
      current_release: '2026.12',
      current_state: state,
      current_verdict: verdict,
      current_score: 50,
      current_blockers: 1,
    });
    await knex('entities').insert([
      entity('system:default/payments-platform', 'system', {
        tier: 2,
        ...gate('IN PROGRESS', 'in-progress'),
      }),
      entity('system:default/storefront', 'system', {
        owner_ref: 'group:default/checkout',
      }),
      entity('component:default/a', 'component', {
        system_ref: 'system:default/payments-platform',
        ...gate('GO', 'go'),
      }),
      entity('component:default/b', 'component', {
        system_ref: 'system:default/payments-platform',
        ...gate('NO-GO', 'no-go'),
      }),
      entity('component:default/c', 'component', {
        system_ref: 'system:default/payments-platform',
      }),
      // Shipped, and shipped then rolled back: no GO, no NO-GO of today.
      entity('component:default/e', 'component', {
        system_ref: 'system:default/payments-platform',
        ...gate('GO', 'released'),
      }),
      entity('component:default/f', 'component', {
        system_ref: 'system:default/payments-platform',
        ...gate('NO-GO', 'rolled-back'),
      }),
      entity('component:default/d', 'component', {
        system_ref: 'system:default/storefront',
        owner_ref: 'group:default/checkout',
        ...gate('IN PROGRESS', 'in-progress'),
      }),
      entity('component:default/orphan', 'component'),
    ]);
  });
  afterAll(() => knex.destroy());

  it('rolls up the components of every system', async () => {
    const rollups = await querySystemRollups(knex, { type: 'all' });
    expect(rollups.map(r => r.systemRef)).toEqual([
      'system:default/payments-platform',
      'system:default/storefront',
    ]);
    expect(rollups[0]).toMatchObject({
      components: 5,
      go: 1,
      noGo: 1,
      inProgress: 0,
      released: 1,
      rolledBack: 1,
      noGate: 1,
      system: { currentGate: { verdict: 'IN PROGRESS', release: '2026.12' } },
    });
    expect(rollups[1]).toMatchObject({
      components: 1,
      inProgress: 1,
      noGate: 0,
    });
    expect(rollups[1].system?.currentGate).toBeUndefined();
  });

  it('shows only what the caller may read', async () => {
    const rollups = await querySystemRollups(knex, {
      type: 'conditional',
      criteria: { ownerRefsAnyOf: ['group:default/checkout'] },
    });
    expect(rollups.map(r => [r.systemRef, r.components])).toEqual([
      ['system:default/storefront', 1],
    ]);
    expect(await querySystemRollups(knex, { type: 'none' })).toEqual([]);
  });
});
