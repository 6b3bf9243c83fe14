import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { queryTierSystems } from './portfolio';

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

  // What each system's roll-up counts is the gates' (readSystemRollups,
  // routes/rollup.test.ts); the store lists the systems and their rows.
  it('lists every system and every system of a component', async () => {
    const systems = await queryTierSystems(knex, { type: 'all' });
    expect(systems.map(r => r.systemRef)).toEqual([
      'system:default/payments-platform',
      'system:default/storefront',
    ]);
    expect(systems[0]).toMatchObject({
      system: { currentGate: { verdict: 'IN PROGRESS', release: '2026.12' } },
    });
    expect(systems[1].system?.currentGate).toBeUndefined();
  });

  it('shows only what the caller may read', async () => {
    const systems = await queryTierSystems(knex, {
      type: 'conditional',
      criteria: { ownerRefsAnyOf: ['group:default/checkout'] },
    });
    expect(systems.map(r => r.systemRef)).toEqual([
      'system:default/storefront',
    ]);
    expect(await queryTierSystems(knex, { type: 'none' })).toEqual([]);
  });
});
