import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { copyEntityOwnership, refreshGateMetrics } from './gateMetrics';
import { queryMetrics, MetricsStoreQuery } from './metrics';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { PortfolioAccess } from './portfolio';
import {
  movedLeadTimes,
  moveTeamMonths,
  storedTeamMonths,
  TeamMonthFacts,
  teamMonthsFromMetrics,
} from './teamMonths';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

describe('movedLeadTimes', () => {
  it('puts values in their place and keeps the list ascending', () => {
    expect(movedLeadTimes('', [], [5])).toBe('5');
    expect(movedLeadTimes('1,5,9', [], [7, 0, 9])).toBe('0,1,5,7,9,9');
    expect(movedLeadTimes('-3,1', [], [-5])).toBe('-5,-3,1');
  });

  it('takes out one occurrence of each value', () => {
    expect(movedLeadTimes('1,5,5,9', [5], [])).toBe('1,5,9');
    expect(movedLeadTimes('1,5,9', [1, 9], [])).toBe('5');
    expect(movedLeadTimes('5', [5], [])).toBe('');
    expect(movedLeadTimes('1,5', [5], [6])).toBe('1,6');
  });

  it('skips a value to take out that the list does not hold', () => {
    expect(movedLeadTimes('1,5', [4], [])).toBe('1,5');
  });
});

/** Every gate: a caller under a condition that keeps them all reads the gates' rows. */
const ALL: PortfolioAccess = { type: 'all' };
const EVERY_GATE_BY_CONDITION: PortfolioAccess = {
  type: 'conditional',
  criteria: { not: { ownerRefsAnyOf: ['group:default/nobody'] } },
};

const HOUR = 3_600_000;

describe.each(databases.eachSupportedId())('team months on %s', id => {
  let knex: Knex;
  let count = 0;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  });

  afterAll(async () => {
    await knex.destroy();
  });

  async function entity(ref: string, owner: string | null) {
    await knex('entities').insert({
      entity_ref: ref,
      kind: 'component',
      title: ref,
      owner_ref: owner,
      system_ref: 'system:default/shop',
      tags: '[]',
      tier: 2,
      refreshed_at: '2026-09-01T00:00:00.000Z',
    });
  }

  /** A gate opened at `openedAt`, decided `hours` later (no decision: null). */
  async function gate(
    entityRef: string,
    openedAt: string,
    state: string,
    decisions: { verdict: 'go' | 'no-go'; hours: number }[],
  ): Promise<string> {
    count += 1;
    const gateId = `gate-${count}`;
    await knex('gates').insert({
      id: gateId,
      entity_ref: entityRef,
      release: `r${count}`,
      template_name: 'component-gate',
      template_version: '1',
      template: '{}',
      template_hash: 'a'.repeat(64),
      tier: 2,
      state,
      requested_by: 'user:default/priya',
      opened_at: openedAt,
      updated_at: openedAt,
    });
    for (const d of decisions) await decide(gateId, openedAt, d);
    await refreshGateMetrics(knex, [gateId]);
    return gateId;
  }

  async function decide(
    gateId: string,
    openedAt: string,
    d: { verdict: 'go' | 'no-go'; hours: number },
  ) {
    count += 1;
    await knex('decisions').insert({
      id: `d-${count}`,
      gate_id: gateId,
      verdict: d.verdict,
      reason: 'because',
      decided_by: 'user:default/priya',
      at: new Date(new Date(openedAt).getTime() + d.hours * HOUR).toISOString(),
      state_hash: 'b'.repeat(64),
      blocker_count: d.verdict === 'go' ? 0 : 2,
    });
  }

  /** The roll-up equals the metrics rows' sums, and answers as they do. */
  async function expectConsistent() {
    const stored = await storedTeamMonths(knex);
    expect(stored).toEqual(await teamMonthsFromMetrics(knex));
    const queries: MetricsStoreQuery[] = [
      { groupBy: 'team', period: 'month' },
      { groupBy: 'team', period: 'quarter' },
      { groupBy: 'team', period: 'month', owner: 'group:default/a' },
      {
        groupBy: 'team',
        period: 'quarter',
        from: '2026-10-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
      },
      // The roll-up's own way to choose teams (rows of the chosen, one row
      // per period for the rest) against choosing from every gate.
      { groupBy: 'team', period: 'month', limit: 1 },
      { groupBy: 'team', period: 'quarter', limit: 1 },
      { groupBy: 'team', period: 'month', limit: 2 },
    ];
    for (const query of queries) {
      expect([query, await queryMetrics(knex, query, ALL)]).toEqual([
        query,
        await queryMetrics(knex, query, EVERY_GATE_BY_CONDITION),
      ]);
    }
    return stored;
  }

  it('keeps the sums of the metrics rows as gates open, are decided, move owner and are cancelled', async () => {
    await entity('component:default/a1', 'group:default/a');
    await entity('component:default/a2', 'group:default/a');
    await entity('component:default/b1', 'group:default/b');
    await entity('component:default/none', null);

    const first = await gate(
      'component:default/a1',
      '2026-10-03T10:00:00.000Z',
      'released',
      [
        { verdict: 'no-go', hours: 2 },
        { verdict: 'go', hours: 30 },
      ],
    );
    await gate('component:default/a2', '2026-10-20T10:00:00.000Z', 'go', [
      { verdict: 'go', hours: 5 },
    ]);
    await gate(
      'component:default/a2',
      '2026-11-02T08:00:00.000Z',
      'in-progress',
      [],
    );
    await gate('component:default/b1', '2026-10-05T00:00:00.000Z', 'go', [
      { verdict: 'go', hours: 5 },
    ]);
    await gate('component:default/none', '2026-12-01T00:00:00.000Z', 'go', [
      { verdict: 'go', hours: 1.5 },
    ]);
    let stored = await expectConsistent();
    const october = stored.find(
      r => r.owner_ref === 'group:default/a' && r.month === '2026-10',
    );
    expect(october).toMatchObject({
      gates: 2,
      releases: 1,
      go_count: 2,
      no_go_count: 1,
      lead_times: `${5 * HOUR},${30 * HOUR}`,
    });
    expect(stored.find(r => r.owner_ref === '')).toMatchObject({
      month: '2026-12',
      gates: 1,
    });

    // A later GO changes nothing of the lead time (the first GO counts); a
    // gate decided for the first time moves its lead time in.
    const waiting = await gate(
      'component:default/b1',
      '2026-11-10T00:00:00.000Z',
      'in-progress',
      [],
    );
    await decide(waiting, '2026-11-10T00:00:00.000Z', {
      verdict: 'go',
      hours: 3,
    });
    await refreshGateMetrics(knex, [waiting]);
    await expectConsistent();

    // An incident of a released gate counts for its team and month.
    await knex('incidents').insert({
      id: 'i-1',
      entity_ref: 'component:default/a1',
      release: 'r1',
      severity: 'sev2',
      title: 'Outage',
      occurred_at: '2026-10-06T00:00:00.000Z',
      reported_by: 'user:default/priya',
      reported_at: '2026-10-06T00:00:00.000Z',
    });
    await refreshGateMetrics(knex, [first]);
    stored = await expectConsistent();
    expect(
      stored.find(
        r => r.owner_ref === 'group:default/a' && r.month === '2026-10',
      )?.incidents,
    ).toBe(1);

    // The entity moves to team b: its gates' parts move with it.
    await knex('entities')
      .where({ entity_ref: 'component:default/a2' })
      .update({ owner_ref: 'group:default/b' });
    await copyEntityOwnership(knex, ['component:default/a2']);
    stored = await expectConsistent();
    expect(
      stored.find(
        r => r.owner_ref === 'group:default/b' && r.month === '2026-10',
      ),
    ).toMatchObject({ gates: 2, lead_times: `${5 * HOUR},${5 * HOUR}` });
    // Team a keeps no gate in November: its row is left out, not listed empty.
    expect(
      stored.find(
        r => r.owner_ref === 'group:default/a' && r.month === '2026-11',
      ),
    ).toBeUndefined();

    // A cancelled gate counts nowhere.
    await knex('gates').where({ id: waiting }).update({ state: 'cancelled' });
    await refreshGateMetrics(knex, [waiting]);
    stored = await expectConsistent();
    expect(
      stored.find(
        r => r.owner_ref === 'group:default/b' && r.month === '2026-11',
      ),
    ).toMatchObject({ gates: 1, lead_times: '' });
  });

  it.each([
    ['a new row', false],
    ['a row that exists', true],
  ])(
    'counts both of two moves into %s made at the same time',
    async (_, exists) => {
      const facts = (lead: number): TeamMonthFacts => ({
        owner_ref: `group:default/race-${exists}`,
        month: '2026-07',
        quarter: '2026-Q3',
        released: false,
        go_count: 1,
        no_go_count: 0,
        blocker_sum: 0,
        blocker_count: 1,
        lead_ms: lead,
        incidents: 0,
      });
      if (exists) await moveTeamMonths(knex, [{ to: facts(5) }]);
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let firstMoved!: () => void;
      const moved = new Promise<void>(resolve => {
        firstMoved = resolve;
      });
      const one = knex.transaction(async trx => {
        await moveTeamMonths(trx, [{ to: facts(7) }]);
        firstMoved();
        await held;
      });
      await moved;
      // On PostgreSQL the second waits for the first's row; on SQLite for the
      // one connection. Either way it must add to what the first wrote.
      const two = knex.transaction(async trx => {
        await moveTeamMonths(trx, [{ to: facts(3) }]);
      });
      await new Promise(resolve => setTimeout(resolve, 200));
      release();
      await Promise.all([one, two]);
      const row = await knex('gate_metrics_team_months')
        .where({ owner_ref: `group:default/race-${exists}`, month: '2026-07' })
        .first();
      expect(Number(row.gates)).toBe(exists ? 3 : 2);
      expect(Number(row.go_count)).toBe(exists ? 3 : 2);
      expect(row.lead_times).toBe(exists ? '3,5,7' : '3,7');
    },
  );
});
