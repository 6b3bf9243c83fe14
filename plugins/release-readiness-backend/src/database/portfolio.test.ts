import { TestDatabases } from '@backstage/backend-test-utils';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PortfolioResponse } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import type { GateQuery } from '../permissions';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { GATE_STATES } from '@release-readiness/plugin-common';
import {
  FACET_VALUES,
  OPEN_STATES,
  PortfolioAccess,
  PortfolioStoreQuery,
  queryPortfolio,
} from './portfolio';

const A = 'group:default/a';
const B = 'group:default/b';
const C = 'group:default/c';
const X = 'system:default/x';
const Y = 'system:default/y';
const PRIYA = 'user:default/priya';
const OWNERS = [A, B, C];
const WORDS = ['Payments', 'Ledger', 'Search', 'Checkout', 'Billing'];
const STATES = [
  'in-progress',
  'go',
  'no-go',
  'released',
  'rolled-back',
] as const;
const VERDICTS: Record<string, string> = {
  'in-progress': 'IN PROGRESS',
  go: 'GO',
  'no-go': 'NO-GO',
  released: 'GO',
  'rolled-back': 'NO-GO',
};
/** Gates that are over have no verdict to filter or count by. */
const isOpen = (r: { current_state: string | null }) =>
  r.current_state !== null &&
  !['released', 'rolled-back'].includes(r.current_state);

const pad = (n: number) => String(n).padStart(2, '0');
const ALL: PortfolioAccess = { type: 'all' };

interface Seed {
  entity_ref: string;
  kind: string;
  title: string;
  owner_ref: string | null;
  system_ref: string | null;
  tier: number | null;
  tags: string;
  refreshed_at: string;
  current_gate_id: string | null;
  current_release: string | null;
  current_state: string | null;
  current_verdict: string | null;
  current_score: number | null;
  current_blockers: number | null;
  current_planned_at: string | null;
}

function seedRow(i: number): Seed {
  const gated = i % 5 !== 0;
  const state = STATES[i % 5 === 4 ? 4 : i % 4];
  let title = `T${pad(i)} ${WORDS[i % 5]}`;
  if (i === 28) title = 'T28 under_score';
  if (i === 29) title = 'T29 100% uptime';
  return {
    entity_ref: `component:default/svc-${pad(i)}`,
    kind: 'component',
    title,
    owner_ref: OWNERS[i % 3],
    system_ref: i % 4 === 3 ? null : [X, Y][i % 2],
    tier: i % 7 === 6 ? null : 1 + (i % 2),
    tags: '[]',
    refreshed_at: '2026-11-27T12:00:00.000Z',
    current_gate_id: gated ? `gate-${pad(i)}` : null,
    current_release: gated ? `1.${i}.0` : null,
    current_state: gated ? state : null,
    current_verdict: gated ? VERDICTS[state] : null,
    current_score: gated ? (i * 37) % 101 : null,
    current_blockers: gated ? i % 4 : null,
    current_planned_at:
      gated && i % 6 !== 1
        ? `2026-12-${pad(1 + ((i * 7) % 28))}T10:00:00.000Z`
        : null,
  };
}

const SEED = Array.from({ length: 30 }, (_, i) => seedRow(i));

const COLUMN = {
  title: 'title',
  owner: 'owner_ref',
  system: 'system_ref',
  tier: 'tier',
  state: 'current_state',
  score: 'current_score',
  plannedAt: 'current_planned_at',
} as const;

type Dim = 'owner' | 'system' | 'tier' | 'state' | 'verdict';
const DIM_COLUMN: Record<Dim, keyof Seed> = {
  owner: 'owner_ref',
  system: 'system_ref',
  tier: 'tier',
  state: 'current_state',
  verdict: 'current_verdict',
};

/** The rows a query should match, from the seed, by the documented rules. */
function expected(query: PortfolioStoreQuery, skip?: Dim, rows = SEED): Seed[] {
  return rows.filter(r => {
    if (query.owner && skip !== 'owner' && r.owner_ref !== query.owner)
      return false;
    if (query.system && skip !== 'system' && r.system_ref !== query.system)
      return false;
    if (query.tier !== undefined && skip !== 'tier' && r.tier !== query.tier)
      return false;
    if (query.state && skip !== 'state') {
      if (
        query.state === 'none'
          ? r.current_state !== null
          : r.current_state !== query.state
      )
        return false;
    }
    if (
      query.verdict &&
      skip !== 'verdict' &&
      (r.current_verdict !== query.verdict || !isOpen(r))
    )
      return false;
    if (
      query.plannedFrom &&
      (r.current_planned_at === null ||
        r.current_planned_at < new Date(query.plannedFrom).toISOString())
    )
      return false;
    if (
      query.plannedTo &&
      (r.current_planned_at === null ||
        r.current_planned_at >= new Date(query.plannedTo).toISOString())
    )
      return false;
    if (query.q) {
      const q = query.q.toLowerCase();
      if (
        !r.title.toLowerCase().includes(q) &&
        !r.entity_ref.toLowerCase().includes(q)
      )
        return false;
    }
    return true;
  });
}

function sorted(
  rows: Seed[],
  sort: keyof typeof COLUMN,
  order: 'asc' | 'desc',
) {
  const col = COLUMN[sort] as keyof Seed;
  return [...rows].sort((a, b) => {
    const x = a[col];
    const y = b[col];
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    if (x !== null && y !== null && x !== y) {
      const c = x < y ? -1 : 1;
      return order === 'desc' ? -c : c;
    }
    return a.entity_ref < b.entity_ref ? -1 : 1;
  });
}

function expectedFacet(query: PortfolioStoreQuery, dim: Dim) {
  const counts = new Map<string, number>();
  for (const r of expected(query, dim)) {
    const v = r[DIM_COLUMN[dim]];
    if (v === null && dim !== 'state') continue;
    if (dim === 'verdict' && !isOpen(r)) continue;
    const key = v === null ? 'none' : String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

const refs = (res: PortfolioResponse) => res.items.map(i => i.entityRef);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('queryPortfolio on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    await knex('entities').insert(SEED);
    await knex('gate_owner_assignments').insert([
      {
        entity_ref: 'component:default/svc-01',
        owner_ref: A,
        assigned_by: PRIYA,
        assigned_at: '2026-11-27T12:00:00.000Z',
      },
      {
        entity_ref: 'component:default/svc-02',
        owner_ref: PRIYA,
        assigned_by: PRIYA,
        assigned_at: '2026-11-27T12:00:00.000Z',
      },
    ]);
  });

  afterAll(async () => {
    await knex.destroy();
  });

  const run = (query: PortfolioStoreQuery, access: PortfolioAccess = ALL) =>
    queryPortfolio(knex, query, access);

  it('returns every entity by default, sorted by title, with row details', async () => {
    const res = await run({});
    expect(res.totalItems).toBe(30);
    expect(res.offset).toBe(0);
    expect(res.limit).toBe(50);
    expect(refs(res)).toEqual(
      sorted(SEED, 'title', 'asc').map(r => r.entity_ref),
    );
    const gated = res.items.find(
      i => i.entityRef === 'component:default/svc-02',
    )!;
    expect(gated).toEqual({
      entityRef: 'component:default/svc-02',
      kind: 'component',
      title: 'T02 Search',
      ownerRef: C,
      systemRef: X,
      tags: [],
      tier: 1,
      currentGate: {
        id: 'gate-02',
        release: '1.2.0',
        state: 'no-go',
        verdict: 'NO-GO',
        score: 74,
        blockers: 2,
        plannedAt: '2026-12-15T10:00:00.000Z',
      },
    });
    const ungated = res.items.find(
      i => i.entityRef === 'component:default/svc-00',
    )!;
    expect(ungated.currentGate).toBeUndefined();
  });

  describe('filters', () => {
    const cases: PortfolioStoreQuery[] = [
      { owner: A },
      { owner: 'group:default/nobody' },
      { system: X },
      { system: Y },
      { tier: 1 },
      { tier: 2 },
      { state: 'go' },
      { state: 'in-progress' },
      { state: 'no-go' },
      { state: 'released' },
      { state: 'rolled-back' },
      { state: 'none' },
      { verdict: 'GO' },
      { verdict: 'NO-GO' },
      { verdict: 'IN PROGRESS' },
      { owner: B, system: Y, tier: 2 },
      { owner: C, state: 'none' },
      { verdict: 'GO', tier: 1 },
      { plannedFrom: '2026-12-08T10:00:00.000Z' },
      { plannedTo: '2026-12-15T10:00:00.000Z' },
      {
        plannedFrom: '2026-12-08T10:00:00.000Z',
        plannedTo: '2026-12-22T10:00:00.000Z',
      },
      { plannedFrom: '2026-12-01T00:00:00.000Z', owner: A, state: 'go' },
    ];
    it.each(cases.map(c => [JSON.stringify(c), c]))('%s', async (_, query) => {
      const res = await run({ ...query, limit: 200 });
      const want = expected(query)
        .map(r => r.entity_ref)
        .sort();
      expect([...refs(res)].sort()).toEqual(want);
      expect(res.totalItems).toBe(want.length);
    });

    it('has hand-checked sizes', async () => {
      expect((await run({ owner: A })).totalItems).toBe(10);
      expect((await run({ state: 'none' })).totalItems).toBe(6);
      expect(
        (await run({ state: 'none' })).items.every(i => !i.currentGate),
      ).toBe(true);
      expect((await run({ owner: 'group:default/nobody' })).items).toEqual([]);
    });

    it('searches title and entity ref, case-insensitively', async () => {
      const payments = SEED.filter(r => r.title.includes('Payments')).map(
        r => r.entity_ref,
      );
      expect(payments.length).toBeGreaterThan(0);
      for (const q of ['payments', 'PAYMENTS', 'PaYmEnTs']) {
        const res = await run({ q });
        expect([...refs(res)].sort()).toEqual(payments);
        expect(res.totalItems).toBe(payments.length);
      }
      expect(refs(await run({ q: 'SVC-07' }))).toEqual([
        'component:default/svc-07',
      ]);
      expect(refs(await run({ q: 'Component:Default/svc-1' })).length).toBe(10);
      expect(refs(await run({ q: 't05 ' }))).toEqual([
        'component:default/svc-05',
      ]);
      // Combined with a filter.
      const res = await run({ q: 'ledger', owner: B });
      expect(refs(res)).toEqual(
        expected({ q: 'ledger', owner: B }).map(r => r.entity_ref),
      );
    });

    it('treats LIKE wildcards literally', async () => {
      expect(refs(await run({ q: '%' }))).toEqual(['component:default/svc-29']);
      expect(refs(await run({ q: '100%' }))).toEqual([
        'component:default/svc-29',
      ]);
      expect(refs(await run({ q: '_' }))).toEqual(['component:default/svc-28']);
      expect(refs(await run({ q: 'r_s' }))).toEqual([
        'component:default/svc-28',
      ]);
      for (const q of ['%%', '__', 's_c', 'p%s', '\\', '\\%', 'svc\\-01']) {
        const res = await run({ q });
        expect(res.items).toEqual([]);
        expect(res.totalItems).toBe(0);
      }
    });

    it('is safe against SQL in the search text', async () => {
      for (const q of [
        "'; drop table entities; --",
        "' OR '1'='1",
        '") OR 1=1 --',
        "\\'; --",
      ]) {
        const res = await run({ q });
        expect(res.items).toEqual([]);
        expect(res.totalItems).toBe(0);
        expect(res.teams).toEqual([]);
      }
      expect(Number((await knex('entities').count({ n: '*' }))[0].n)).toBe(30);
    });
  });

  describe('planned range', () => {
    // Planned times in the seed: Dec 1 (6 entities), Dec 8 (4), Dec 15 (6)
    // and Dec 22 (4), each at 10:00 UTC; 10 entities have none.
    const count = async (plannedFrom?: string, plannedTo?: string) =>
      (await run({ plannedFrom, plannedTo, limit: 200 })).totalItems;

    it('includes plannedFrom and excludes plannedTo', async () => {
      expect(await count()).toBe(30);
      expect(await count('2026-12-01T10:00:00.000Z')).toBe(20);
      expect(
        await count('2026-12-08T10:00:00.000Z', '2026-12-15T10:00:00.000Z'),
      ).toBe(4);
      expect(
        await count('2026-12-08T10:00:00.001Z', '2026-12-22T10:00:00.001Z'),
      ).toBe(10);
      expect(await count('2026-12-22T10:00:00.000Z')).toBe(4);
      expect(await count('2026-12-22T10:00:00.001Z')).toBe(0);
      expect(await count(undefined, '2026-12-01T10:00:00.000Z')).toBe(0);
      expect(await count(undefined, '2026-12-01T10:00:00.001Z')).toBe(6);
    });

    it('reads times with an offset or without milliseconds', async () => {
      expect(
        await count('2026-12-08T11:00:00+01:00', '2026-12-15T05:00:00-05:00'),
      ).toBe(4);
    });

    it('pages the range in planned order, with its facets and teams', async () => {
      const query: PortfolioStoreQuery = {
        plannedFrom: '2026-12-05T00:00:00.000Z',
        plannedTo: '2026-12-20T00:00:00.000Z',
        sort: 'plannedAt',
      };
      const want = sorted(expected(query), 'plannedAt', 'asc').map(
        r => r.entity_ref,
      );
      expect(want).toHaveLength(10);
      const first = await run({ ...query, limit: 6 });
      const second = await run({ ...query, offset: 6, limit: 6 });
      expect([...refs(first), ...refs(second)]).toEqual(want);
      expect(first.totalItems).toBe(10);
      expect(second.items).toHaveLength(4);
      expect(first.facets.state.reduce((n, f) => n + f.count, 0)).toBe(10);
      // The teams of the page, counted over the whole range.
      const pageOwners = [...new Set(first.items.map(i => i.ownerRef))].sort();
      expect(first.teams.map(t => t.ownerRef)).toEqual(pageOwners);
      const inRange = expected(query);
      for (const team of first.teams) {
        expect(team.entities).toBe(
          inRange.filter(r => r.owner_ref === team.ownerRef).length,
        );
      }
    });

    it('keeps to what the caller may read', async () => {
      const res = await run(
        { plannedFrom: '2026-12-15T00:00:00.000Z', limit: 200 },
        { type: 'conditional', criteria: { ownerRefsAnyOf: [A] } },
      );
      // A owns svc-03, 06, 18, 27 planned from Dec 15; svc-01 (assigned)
      // has no planned time.
      expect(refs(res).sort()).toEqual(
        ['03', '06', '18', '27'].map(n => `component:default/svc-${n}`),
      );
    });

    it.each([
      ['2026-12-08T10:00:00.000Z', '2026-12-08T10:00:00.000Z'],
      ['2026-12-09T00:00:00.000Z', '2026-12-08T00:00:00.000Z'],
    ])(
      'rejects plannedFrom %s with plannedTo %s, naming plannedTo',
      async (plannedFrom, plannedTo) => {
        await expect(run({ plannedFrom, plannedTo })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^plannedTo: /),
        });
      },
    );

    it.each([
      ['plannedFrom', 'next week'],
      ['plannedTo', '2026-02-30T00:00:00Z'],
      ['plannedFrom', '0000-06-01T00:00:00Z'],
    ])('rejects %s=%s naming it', async (field, value) => {
      await expect(run({ [field]: value })).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(new RegExp(`^${field}: `)),
      });
    });
  });

  describe('sorting', () => {
    const sorts = Object.keys(COLUMN) as (keyof typeof COLUMN)[];
    const cases = sorts.flatMap(s =>
      (['asc', 'desc'] as const).map(o => [s, o] as const),
    );
    it.each(cases)('by %s %s, nulls last', async (sort, order) => {
      const res = await run({ sort, order, limit: 200 });
      expect(refs(res)).toEqual(
        sorted(SEED, sort, order).map(r => r.entity_ref),
      );
      const col = COLUMN[sort] as keyof Seed;
      const nulls = SEED.filter(r => r[col] === null).length;
      // The rows without a value come last, in entity ref order.
      expect(
        res.items.slice(res.items.length - nulls).map(i => i.entityRef),
      ).toEqual(
        SEED.filter(r => r[col] === null)
          .map(r => r.entity_ref)
          .sort(),
      );
    });

    it('sorts ascending when no order is given', async () => {
      const res = await run({ sort: 'score', limit: 200 });
      expect(refs(res)).toEqual(
        sorted(SEED, 'score', 'asc').map(r => r.entity_ref),
      );
    });

    it('keeps a stable order across pages with ties', async () => {
      const all = refs(await run({ sort: 'owner', limit: 200 }));
      const pages: string[] = [];
      for (let offset = 0; offset < 30; offset += 7) {
        pages.push(...refs(await run({ sort: 'owner', offset, limit: 7 })));
      }
      expect(pages).toEqual(all);
    });
  });

  describe('paging', () => {
    const all = sorted(SEED, 'title', 'asc').map(r => r.entity_ref);

    it('returns the first page', async () => {
      const res = await run({ offset: 0, limit: 10 });
      expect(refs(res)).toEqual(all.slice(0, 10));
      expect(res).toMatchObject({ totalItems: 30, offset: 0, limit: 10 });
    });

    it('returns a last partial page', async () => {
      const res = await run({ offset: 24, limit: 8 });
      expect(refs(res)).toEqual(all.slice(24));
      expect(res.items).toHaveLength(6);
      expect(res).toMatchObject({ totalItems: 30, offset: 24, limit: 8 });
    });

    it('returns no items but the total past the end', async () => {
      for (const offset of [30, 31, 1000]) {
        const res = await run({ offset, limit: 10 });
        expect(res.items).toEqual([]);
        expect(res.totalItems).toBe(30);
        expect(res.offset).toBe(offset);
        expect(res.facets.owner).toEqual(expectedFacet({}, 'owner'));
      }
    });

    it('accepts limits 1 and 200', async () => {
      expect(refs(await run({ limit: 1 }))).toEqual(all.slice(0, 1));
      expect(refs(await run({ limit: 200 }))).toEqual(all);
    });

    it.each([0, -1, 201, 1000])(
      'rejects limit %s with an InputError',
      async limit => {
        await expect(run({ limit })).rejects.toMatchObject({
          name: 'InputError',
        });
      },
    );
  });

  describe('facets', () => {
    const queries: PortfolioStoreQuery[] = [
      {},
      { owner: A },
      { owner: B, state: 'none' },
      { system: X, tier: 2 },
      { state: 'go', verdict: 'GO' },
      { verdict: 'NO-GO', owner: C, q: 'svc' },
      { q: 'billing' },
      { plannedFrom: '2026-12-08T10:00:00.000Z', tier: 2 },
    ];
    it.each(queries.map(q => [JSON.stringify(q), q]))(
      'each ignores its own filter and applies the others: %s',
      async (_, query) => {
        const res = await run(query);
        for (const dim of Object.keys(DIM_COLUMN) as Dim[]) {
          expect([dim, res.facets[dim]]).toEqual([
            dim,
            expectedFacet(query, dim),
          ]);
        }
        expect(res.totalItems).toBe(expected(query).length);
      },
    );

    it('has hand-checked counts without filters', async () => {
      const res = await run({});
      expect(res.facets.owner).toEqual([
        { value: A, count: 10 },
        { value: B, count: 10 },
        { value: C, count: 10 },
      ]);
      expect(res.facets.state).toContainEqual({ value: 'none', count: 6 });
      expect(res.facets.state.reduce((s, f) => s + f.count, 0)).toBe(30);
      // Nulls are not a value of the other facets.
      expect(res.facets.system.reduce((s, f) => s + f.count, 0)).toBe(
        SEED.filter(r => r.system_ref).length,
      );
      expect(res.facets.tier.map(f => f.value).sort()).toEqual(['1', '2']);
      expect(res.facets.verdict.map(f => f.value).sort()).toEqual([
        'GO',
        'IN PROGRESS',
        'NO-GO',
      ]);
    });

    it('keeps the other owners in the owner facet when filtering by owner', async () => {
      const res = await run({ owner: A, state: 'none' });
      expect(res.facets.owner.map(f => f.value).sort()).toEqual([A, B, C]);
      expect(res.facets.state).toEqual(expectedFacet({ owner: A }, 'state'));
    });
  });

  describe('team totals', () => {
    function teamsOf(rows: Seed[]) {
      return OWNERS.map(ownerRef => {
        const own = rows.filter(r => r.owner_ref === ownerRef);
        return {
          ownerRef,
          entities: own.length,
          go: own.filter(r => isOpen(r) && r.current_verdict === 'GO').length,
          noGo: own.filter(r => isOpen(r) && r.current_verdict === 'NO-GO')
            .length,
          inProgress: own.filter(
            r => isOpen(r) && r.current_verdict === 'IN PROGRESS',
          ).length,
          released: own.filter(r => r.current_state === 'released').length,
          rolledBack: own.filter(r => r.current_state === 'rolled-back').length,
          noGate: own.filter(r => r.current_gate_id === null).length,
        };
      }).filter(t => t.entities > 0);
    }

    it('counts go, no-go, in progress, released, rolled back and no gate per team', async () => {
      const res = await run({});
      expect(res.teams).toEqual(teamsOf(SEED));
      for (const t of res.teams) {
        expect(
          t.go + t.noGo + t.inProgress + t.released + t.rolledBack + t.noGate,
        ).toBe(t.entities);
      }
      // A released gate is no GO waiting to go out, a rolled-back one no
      // NO-GO: each is counted by its final state.
      expect(res.teams.reduce((n, t) => n + t.released, 0)).toBeGreaterThan(0);
      expect(res.teams.reduce((n, t) => n + t.rolledBack, 0)).toBeGreaterThan(
        0,
      );
      expect(res.teams.reduce((s, t) => s + t.entities, 0)).toBe(30);
    });

    it('applies the filters other than owner, for the team filtered on', async () => {
      const res = await run({ tier: 1, q: 'svc', owner: A });
      expect(res.teams).toEqual(
        teamsOf(expected({ tier: 1 })).filter(t => t.ownerRef === A),
      );
    });

    it('counts only the teams of the page', async () => {
      const res = await run({ sort: 'title', limit: 2 });
      const owners = [...new Set(res.items.map(i => i.ownerRef))].sort();
      expect(owners.length).toBeLessThan(OWNERS.length);
      expect(res.teams).toEqual(
        teamsOf(SEED).filter(t => owners.includes(t.ownerRef)),
      );
    });

    it('is empty when nothing matches', async () => {
      expect((await run({ q: 'no such entity' })).teams).toEqual([]);
    });
  });

  describe('access', () => {
    it("'none' returns nothing and zero counts", async () => {
      const res = await run({}, { type: 'none' });
      expect(res.items).toEqual([]);
      expect(res.totalItems).toBe(0);
      expect(res.facets).toEqual({
        owner: [],
        system: [],
        tier: [],
        state: [],
        verdict: [],
      });
      expect(res.teams).toEqual([]);
    });

    const conditional = (
      criteria: PermissionCriteria<GateQuery>,
    ): PortfolioAccess => ({
      type: 'conditional',
      criteria,
    });
    const owned = (...owners: string[]) =>
      SEED.filter(r => owners.includes(r.owner_ref!));
    const refsOf = (rows: Seed[], ...extra: string[]) =>
      [...rows.map(r => r.entity_ref), ...extra].sort();

    async function expectVisible(
      access: PortfolioAccess,
      want: string[],
      query: PortfolioStoreQuery = {},
    ) {
      const res = await run({ ...query, limit: 200 }, access);
      expect([...refs(res)].sort()).toEqual(want);
      expect(res.totalItems).toBe(want.length);
      if (!query.owner) {
        // Team totals ignore the owner filter, like the owner facet.
        expect(res.teams.reduce((s, t) => s + t.entities, 0)).toBe(want.length);
      }
      expect(res.facets.state.reduce((s, f) => s + f.count, 0)).toBe(
        want.length,
      );
      return res;
    }

    it('limits to the owner and explicit assignments', async () => {
      const res = await expectVisible(
        conditional({ ownerRefsAnyOf: [A] }),
        refsOf(owned(A), 'component:default/svc-01'),
      );
      expect(res.facets.owner).toEqual([
        { value: A, count: 10 },
        { value: B, count: 1 },
      ]);
    });

    it('counts an entity assigned to a user', async () => {
      expect.hasAssertions();
      await expectVisible(conditional({ ownerRefsAnyOf: [PRIYA] }), [
        'component:default/svc-02',
      ]);
      await expectVisible(
        conditional({ ownerRefsAnyOf: [PRIYA, A] }),
        refsOf(
          owned(A),
          'component:default/svc-01',
          'component:default/svc-02',
        ),
      );
    });

    it('matches nothing for no claims', async () => {
      expect.hasAssertions();
      await expectVisible(conditional({ ownerRefsAnyOf: [] }), []);
    });

    it('composes anyOf, allOf and not', async () => {
      expect.hasAssertions();
      await expectVisible(
        conditional({
          anyOf: [{ ownerRefsAnyOf: [A] }, { ownerRefsAnyOf: [PRIYA] }],
        }),
        refsOf(
          owned(A),
          'component:default/svc-01',
          'component:default/svc-02',
        ),
      );
      await expectVisible(
        conditional({ not: { ownerRefsAnyOf: [A] } }),
        refsOf(
          owned(B, C).filter(r => r.entity_ref !== 'component:default/svc-01'),
        ),
      );
      await expectVisible(
        conditional({
          allOf: [{ ownerRefsAnyOf: [A, B] }, { not: { ownerRefsAnyOf: [B] } }],
        }),
        refsOf(owned(A)),
      );
      await expectVisible(
        conditional({
          anyOf: [
            {
              not: {
                anyOf: [{ ownerRefsAnyOf: [A] }, { ownerRefsAnyOf: [B] }],
              },
            },
            { ownerRefsAnyOf: [PRIYA] },
          ],
        }),
        refsOf(owned(C)),
      );
    });

    it('applies filters on top of the conditions', async () => {
      expect.hasAssertions();
      const want = owned(A)
        .filter(r => r.tier === 2)
        .map(r => r.entity_ref);
      if (SEED[1].tier === 2) want.push('component:default/svc-01');
      await expectVisible(conditional({ ownerRefsAnyOf: [A] }), want.sort(), {
        tier: 2,
      });
      await expectVisible(conditional({ ownerRefsAnyOf: [A] }), [], {
        owner: C,
      });
    });

    it("'not' includes entities without an owner", async () => {
      // The in-memory rule says an entity without owner is not owned by A, so
      // not(IS_GATE_OWNER A) allows it; the SQL must agree.
      const orphan = {
        ...seedRow(0),
        entity_ref: 'component:default/orphan',
        title: 'Orphan',
        owner_ref: null,
      };
      await knex('entities').insert(orphan);
      try {
        const res = await run(
          { q: 'orphan' },
          conditional({ not: { ownerRefsAnyOf: [A] } }),
        );
        expect(refs(res)).toEqual(['component:default/orphan']);
        expect(res.totalItems).toBe(1);
        // Teams leave out entities without an owner.
        expect(res.teams).toEqual([]);
      } finally {
        await knex('entities')
          .where({ entity_ref: 'component:default/orphan' })
          .delete();
      }
    });
  });

  it('lists at most FACET_VALUES values per facet, the most common first', async () => {
    // 150 systems of one entity each, and one of three.
    const many = Array.from({ length: 153 }, (_, i) => ({
      ...seedRow(i % 30),
      entity_ref: `component:default/facet-${String(i).padStart(4, '0')}`,
      system_ref:
        i < 3
          ? 'system:default/zz-popular'
          : `system:default/s-${String(i).padStart(4, '0')}`,
    }));
    await knex.batchInsert('entities', many, 50);
    try {
      const res = await run({ limit: 1 });
      expect(res.facets.system).toHaveLength(FACET_VALUES);
      // The seed's own systems have more entities than the popular one.
      const popular = res.facets.system.findIndex(
        f => f.value === 'system:default/zz-popular',
      );
      expect(popular).toBeGreaterThanOrEqual(0);
      expect(res.facets.system[popular].count).toBe(3);
      const counts = res.facets.system.map(f => f.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      // The count and the page still cover every entity.
      expect(res.totalItems).toBe(30 + 153);
    } finally {
      await knex('entities')
        .where('entity_ref', 'like', 'component:default/facet-%')
        .delete();
    }
  });

  it('runs the same number of queries whatever the number of entities', async () => {
    const queries: string[] = [];
    const listener = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', listener);
    let small: number;
    // The planned range is a WHERE clause of the same queries.
    const planned: PortfolioStoreQuery = {
      limit: 10,
      plannedFrom: '2026-12-01T00:00:00.000Z',
      plannedTo: '2027-01-01T00:00:00.000Z',
    };
    try {
      const res = await run({ limit: 10 });
      expect(res.items).toHaveLength(10);
      small = queries.length;
      queries.length = 0;
      await run(planned);
      expect(queries.length).toBe(small);
    } finally {
      knex.removeListener('query', listener);
    }
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(8);

    const many = Array.from({ length: 1000 }, (_, i) => ({
      ...seedRow(i % 30),
      entity_ref: `component:default/bulk-${String(i).padStart(4, '0')}`,
      title: `Bulk ${String(i).padStart(4, '0')}`,
    }));
    await knex.batchInsert('entities', many, 100);
    try {
      queries.length = 0;
      knex.on('query', listener);
      try {
        const res = await run({ limit: 10 });
        expect(res.totalItems).toBe(1030);
        expect(res.teams.reduce((s, t) => s + t.entities, 0)).toBe(1030);
        expect(queries.length).toBe(small);
        queries.length = 0;
        // 20 of every 30 seed rows are planned in December: 20 of the seed,
        // 33 * 20 of the first 990 bulk rows and 6 of the last 10.
        expect((await run(planned)).totalItems).toBe(20 + 660 + 6);
      } finally {
        knex.removeListener('query', listener);
      }
      expect(queries.length).toBe(small);
    } finally {
      await knex('entities')
        .where('entity_ref', 'like', 'component:default/bulk-%')
        .delete();
    }
  });
  it('counts the total itself when the state facet is cut short', async () => {
    // States written behind the plugin's back, more than a facet lists: the
    // total is no longer the sum of the state facet, and is counted.
    const odd = Array.from({ length: FACET_VALUES + 5 }, (_, i) => ({
      ...seedRow(1),
      entity_ref: `component:default/odd-${String(i).padStart(4, '0')}`,
      title: `Odd ${i}`,
      current_state: `odd-${i}`,
    }));
    await knex.batchInsert('entities', odd, 50);
    try {
      const all = await run({ limit: 1 });
      expect(all.facets.state).toHaveLength(FACET_VALUES);
      expect(all.totalItems).toBe(SEED.length + odd.length);
      const one = await run({ state: 'odd-7' as any, limit: 1 });
      expect(one.totalItems).toBe(1);
      const none = await run({ state: 'none', limit: 1 });
      expect(none.totalItems).toBe(SEED.filter(r => !r.current_state).length);
    } finally {
      await knex('entities')
        .where('entity_ref', 'like', 'component:default/odd-%')
        .delete();
    }
  });
  it('has the database derive the open verdict from the state, whoever writes the row', async () => {
    // Written straight into the table, as a tool or a person with the
    // database might: the filter column follows the state and verdict.
    const states = [...GATE_STATES, null];
    await knex('entities').insert(
      states.map((state, i) => ({
        ...seedRow(1),
        entity_ref: `component:default/ov-${i}`,
        title: `Open verdict ${i}`,
        current_state: state,
        current_verdict: 'GO',
      })),
    );
    try {
      const rows = await knex('entities')
        .where('entity_ref', 'like', 'component:default/ov-%')
        .orderBy('entity_ref')
        .select('current_state', 'open_verdict');
      expect(rows).toEqual(
        states.map(state => ({
          current_state: state,
          open_verdict:
            state && OPEN_STATES.includes(state as any) ? 'GO' : null,
        })),
      );
      await knex('entities')
        .where({ entity_ref: 'component:default/ov-0' })
        .update({ current_state: 'released' });
      expect(
        await knex('entities')
          .where({ entity_ref: 'component:default/ov-0' })
          .first('open_verdict'),
      ).toEqual({ open_verdict: null });
    } finally {
      await knex('entities')
        .where('entity_ref', 'like', 'component:default/ov-%')
        .delete();
    }
  });
});
