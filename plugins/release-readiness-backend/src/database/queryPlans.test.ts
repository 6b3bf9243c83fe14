import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { queryMetrics } from './metrics';
import { queryPortfolio } from './portfolio';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * How each engine plans statements the benchmark measures at 100,000
 * entities, kept as structure so that a change of a query or the indexes
 * cannot quietly turn a page into a read and sort of every entity of a
 * state, or a count into a read of every incident.
 */
describe.each(databases.eachSupportedId())('query plans on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    const states = ['in-progress', 'go', 'no-go', 'released', null];
    await knex('entities').insert(
      Array.from({ length: 400 }, (_, i) => {
        const state = states[i % states.length];
        return {
          entity_ref: `component:default/svc-${String(i).padStart(3, '0')}`,
          kind: 'component',
          title: `Service ${i}`,
          owner_ref: `group:default/team-${i % 7}`,
          tags: '[]',
          refreshed_at: '2026-12-01T00:00:00.000Z',
          ...(state
            ? {
                current_gate_id: `gate-${i}`,
                current_release: '1.0.0',
                current_state: state,
                current_verdict: 'IN PROGRESS',
                current_score: (i * 37) % 101,
                current_blockers: 0,
              }
            : {}),
        };
      }),
    );
    if (isPostgres(knex)) await knex.raw('ANALYZE entities');
  });

  afterAll(async () => {
    await knex.destroy();
  });

  /**
   * The plan, as text, of the statement `pick` finds among those `run`
   * makes.
   */
  async function planOf(
    run: () => Promise<unknown>,
    pick: (sql: string) => boolean,
  ): Promise<string> {
    const statements: { sql: string; bindings: readonly unknown[] }[] = [];
    const listener = (q: { sql: string; bindings?: readonly unknown[] }) =>
      statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
    knex.on('query', listener);
    try {
      await run();
    } finally {
      knex.off('query', listener);
    }
    const picked = statements.find(s => pick(s.sql))!;
    expect(picked).toBeDefined();
    if (isPostgres(knex)) {
      // A small table is cheaper to scan and sort whole than to read in
      // order: the planner is told to avoid both (a full sort, not a sort of
      // ties), so that what an index can give shows.
      return knex.transaction(async trx => {
        await trx.raw('SET LOCAL enable_seqscan = off');
        await trx.raw('SET LOCAL enable_bitmapscan = off');
        await trx.raw('SET LOCAL enable_sort = off');
        // knex hands PostgreSQL $1, $2…; its raw() takes ?.
        const rows = await trx.raw(
          `EXPLAIN ${picked.sql.replace(/\$\d+/g, '?')}`,
          picked.bindings as any,
        );
        return rows.rows.map((r: any) => r['QUERY PLAN']).join('\n');
      });
    }
    const rows = await knex.raw(
      `EXPLAIN QUERY PLAN ${picked.sql}`,
      picked.bindings as any,
    );
    return rows.map((r: any) => r.detail).join('\n');
  }

  /** The plan of the page statement of a portfolio query, as text. */
  const pagePlan = (order: 'asc' | 'desc') =>
    planOf(
      () =>
        queryPortfolio(
          knex,
          { state: 'in-progress', sort: 'score', order, limit: 50, offset: 20 },
          { type: 'all' },
        ),
      sql => /order by/i.test(sql) && /current_score/.test(sql),
    );

  it('counts the ungated incidents of the metrics from their index, not from every incident', async () => {
    const plan = await planOf(
      () =>
        queryMetrics(
          knex,
          { groupBy: 'team', period: 'month' },
          { type: 'all' },
        ),
      sql => /ungated/.test(sql),
    );
    expect(plan).toMatch(/incidents_ungated_entity_idx/);
    expect(plan).not.toMatch(/SCAN i\b|Seq Scan on incidents/);
  });

  it.each(['asc', 'desc'] as const)(
    'reads a state by score (%s) in order from an index, sorting only ties',
    async order => {
      const plan = await pagePlan(order);
      const postgres = isPostgres(knex);
      // Each engine has one index per direction (migration
      // 20261209110000_portfolio_score_order_index).
      const ascIndex = postgres
        ? /Index Scan using entities_state_score_idx/
        : /USING INDEX entities_state_score_nulls_last_idx/;
      const descIndex = postgres
        ? /Index Scan using entities_state_score_nulls_last_idx/
        : /USING INDEX entities_state_score_idx/;
      // Ties by entity ref are all that is sorted: the rows come in score
      // order.
      const tiesOnly = postgres
        ? /Presorted Key: current_score/
        : /TEMP B-TREE FOR LAST TERM OF ORDER BY/;
      const wholeSort = postgres
        ? /^\s*(->\s+)?Sort\s+\(/m
        : /TEMP B-TREE FOR ORDER BY/;
      expect(plan).toMatch(order === 'desc' ? descIndex : ascIndex);
      expect(plan).toMatch(tiesOnly);
      expect(plan).not.toMatch(wholeSort);
    },
  );
});
