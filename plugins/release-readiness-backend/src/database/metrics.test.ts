import { TestDatabases } from '@backstage/backend-test-utils';
import { MetricsBucket } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { median, percentile, periodOf, queryMetrics } from './metrics';
import { MIGRATIONS_DIRECTORY } from './migrations';

describe('periodOf', () => {
  it.each([
    ['2026-01-01T00:00:00.000Z', '2026-01', '2026-Q1'],
    ['2026-03-31T23:59:59.999Z', '2026-03', '2026-Q1'],
    ['2026-04-01T00:00:00.000Z', '2026-04', '2026-Q2'],
    ['2026-06-30T23:59:59.999Z', '2026-06', '2026-Q2'],
    ['2026-07-01T00:00:00.000Z', '2026-07', '2026-Q3'],
    ['2026-09-30T12:00:00.000Z', '2026-09', '2026-Q3'],
    ['2026-10-01T00:00:00.000Z', '2026-10', '2026-Q4'],
    ['2026-12-31T23:59:59.999Z', '2026-12', '2026-Q4'],
    ['2027-01-01T00:00:00.000Z', '2027-01', '2027-Q1'],
  ])('%s is %s and %s', (iso, month, quarter) => {
    expect(periodOf(iso, 'month')).toBe(month);
    expect(periodOf(iso, 'quarter')).toBe(quarter);
  });
});

describe('median', () => {
  it('is null without values', () => {
    expect(median([])).toBeNull();
  });
  it('is the middle value of an odd count', () => {
    expect(median([5])).toBe(5);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 100])).toBe(2);
    expect(median([1, 3, 5, 7, 9])).toBe(5);
  });
  it('is the mean of the two middle values of an even count', () => {
    expect(median([1, 10])).toBe(5.5);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([6, 12.5, 20, 30])).toBe(16.25);
  });
});

describe('percentile', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('is null without values', () => {
    expect(percentile([], 0.9)).toBeNull();
  });
  it('uses the nearest rank', () => {
    expect(percentile(range(10), 0.9)).toBe(9);
    expect(percentile(range(20), 0.9)).toBe(18);
    expect(percentile(range(10), 0.5)).toBe(5);
    expect(percentile(range(20), 0.95)).toBe(19);
    expect(percentile(range(3), 0.9)).toBe(3);
    expect(percentile(range(5), 0.9)).toBe(5);
    expect(percentile(range(11), 0.9)).toBe(10);
  });
  it('is the value itself for a single value', () => {
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 1)).toBe(7);
  });
  it('is the minimum at 0 and the maximum at 1', () => {
    expect(percentile(range(10), 0)).toBe(1);
    expect(percentile(range(10), 1)).toBe(10);
  });
  it('has no floating point off-by-one', () => {
    for (let n = 1; n <= 300; n++) {
      expect([n, percentile(range(n), 0.9)]).toEqual([
        n,
        Math.ceil((9 * n) / 10),
      ]);
      expect([n, percentile(range(n), 0.99)]).toEqual([
        n,
        Math.ceil((99 * n) / 100),
      ]);
    }
  });
});

const A = 'group:default/a';
const B = 'group:default/b';
const X = 'system:default/x';
const PAY = 'component:default/pay';
const LEDGER = 'component:default/ledger';
const SYS = 'system:default/x';
const GHOST = 'component:default/ghost';

const HOUR = 3_600_000;
const plus = (iso: string, hours: number) =>
  new Date(new Date(iso).getTime() + hours * HOUR).toISOString();

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('queryMetrics on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  });

  afterAll(async () => {
    await knex.destroy();
  });

  it('returns no buckets without gates', async () => {
    expect(
      await queryMetrics(knex, { groupBy: 'team', period: 'month' }),
    ).toEqual({
      groupBy: 'team',
      period: 'month',
      buckets: [],
    });
  });

  describe('with gates', () => {
    let decisionCount = 0;
    let incidentCount = 0;

    async function entity(
      ref: string,
      owner: string,
      system: string | null,
      tier: number,
    ) {
      await knex('entities').insert({
        entity_ref: ref,
        kind: ref.split(':')[0],
        title: ref,
        owner_ref: owner,
        system_ref: system,
        tags: '[]',
        tier,
        refreshed_at: '2026-09-01T00:00:00.000Z',
      });
    }

    async function gate(
      gateId: string,
      entityRef: string,
      release: string,
      state: string,
      openedAt: string,
      tier = 1,
      decisions: {
        verdict: 'go' | 'no-go';
        hours: number;
        blockers: number | null;
      }[] = [],
    ) {
      await knex('gates').insert({
        id: gateId,
        entity_ref: entityRef,
        release,
        template_name: 'component-gate',
        template_version: '1',
        template: '{}',
        template_hash: 'a'.repeat(64),
        tier,
        state,
        requested_by: 'user:default/priya',
        opened_at: openedAt,
        updated_at: openedAt,
      });
      for (const d of decisions) {
        decisionCount += 1;
        await knex('decisions').insert({
          id: `d-${decisionCount}`,
          gate_id: gateId,
          verdict: d.verdict,
          reason: 'because',
          decided_by: 'user:default/priya',
          at: plus(openedAt, d.hours),
          state_hash: 'b'.repeat(64),
          blocker_count: d.blockers,
        });
      }
    }

    async function incident(entityRef: string, release: string) {
      incidentCount += 1;
      await knex('incidents').insert({
        id: `i-${incidentCount}`,
        entity_ref: entityRef,
        release,
        severity: 'sev2',
        title: 'Outage',
        occurred_at: '2027-01-02T00:00:00.000Z',
        reported_by: 'user:default/priya',
        reported_at: '2027-01-02T00:00:00.000Z',
      });
    }

    beforeAll(async () => {
      await entity(PAY, A, X, 1);
      await entity(LEDGER, B, X, 1);
      await entity(SYS, A, null, 2);

      // Team A, October.
      await gate(
        'g1',
        PAY,
        '1.0.0',
        'released',
        '2026-10-01T00:00:00.000Z',
        1,
        [
          { verdict: 'no-go', hours: 10, blockers: 3 },
          { verdict: 'go', hours: 30, blockers: 0 },
        ],
      );
      await gate(
        'g2',
        PAY,
        '1.1.0',
        'rolled-back',
        '2026-10-10T00:00:00.000Z',
        1,
        [{ verdict: 'go', hours: 6, blockers: 1 }],
      );
      await gate('g3', SYS, '1.0.0', 'go', '2026-10-20T12:00:00.000Z', 2, [
        { verdict: 'go', hours: 12.5, blockers: 2 },
      ]);
      // Cancelled: excluded with its decision and incident.
      await gate(
        'g4',
        PAY,
        '1.2.0',
        'cancelled',
        '2026-10-25T00:00:00.000Z',
        1,
        [{ verdict: 'go', hours: 1, blockers: 9 }],
      );
      await gate('g5', PAY, '1.3.0', 'in-progress', '2026-10-28T00:00:00.000Z');
      // The later GO is inserted first: the lead time is to the first GO.
      await gate('g10', PAY, '1.4.0', 'go', '2026-10-05T00:00:00.000Z', 1, [
        { verdict: 'go', hours: 40, blockers: 0 },
        { verdict: 'go', hours: 20, blockers: 0 },
      ]);
      // Team B, November; g7 opened on the last hour of November.
      await gate(
        'g6',
        LEDGER,
        '2.0.0',
        'no-go',
        '2026-11-01T00:00:00.000Z',
        1,
        [{ verdict: 'no-go', hours: 5, blockers: 4 }],
      );
      await gate(
        'g7',
        LEDGER,
        '2.1.0',
        'released',
        '2026-11-30T23:00:00.000Z',
        1,
        [{ verdict: 'go', hours: 2, blockers: 0 }],
      );
      // Team A, December, decided next year without a blocker count.
      await gate(
        'g8',
        PAY,
        '2.0.0',
        'released',
        '2026-12-31T23:59:00.000Z',
        1,
        [{ verdict: 'go', hours: 2, blockers: null }],
      );
      // An entity no longer indexed.
      await gate(
        'g9',
        GHOST,
        '0.1.0',
        'in-progress',
        '2026-11-05T00:00:00.000Z',
      );

      await incident(PAY, '1.0.0');
      await incident(PAY, '1.0.0');
      await incident(PAY, '1.1.0');
      await incident(PAY, '1.2.0'); // cancelled gate
      await incident(PAY, '1.3.0'); // not released
      await incident(PAY, '2.0.0');
    });

    const bucket = (
      b: Partial<MetricsBucket> & Pick<MetricsBucket, 'period' | 'group'>,
    ): MetricsBucket => ({
      gates: 0,
      releases: 0,
      goDecisions: 0,
      noGoDecisions: 0,
      noGoRate: null,
      leadTimeHours: { median: null, p90: null },
      blockersPerGate: null,
      incidents: 0,
      incidentsPerRelease: null,
      ...b,
    });

    const teamBNovember = (period: string) =>
      bucket({
        period,
        group: B,
        gates: 2,
        releases: 1,
        goDecisions: 1,
        noGoDecisions: 1,
        noGoRate: 0.5,
        leadTimeHours: { median: 2, p90: 2 },
        blockersPerGate: 2,
        incidents: 0,
        incidentsPerRelease: 0,
      });

    it('groups by team and month', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'team',
        period: 'month',
      });
      expect(res.groupBy).toBe('team');
      expect(res.period).toBe('month');
      expect(res.buckets).toEqual([
        bucket({
          period: '2026-10',
          group: A,
          gates: 5,
          releases: 2,
          goDecisions: 5,
          noGoDecisions: 1,
          noGoRate: 0.17,
          leadTimeHours: { median: 16.25, p90: 30 },
          blockersPerGate: 1,
          incidents: 3,
          incidentsPerRelease: 1.5,
        }),
        teamBNovember('2026-11'),
        bucket({ period: '2026-11', group: 'unknown', gates: 1 }),
        bucket({
          period: '2026-12',
          group: A,
          gates: 1,
          releases: 1,
          goDecisions: 1,
          noGoDecisions: 0,
          noGoRate: 0,
          leadTimeHours: { median: 2, p90: 2 },
          blockersPerGate: null,
          incidents: 1,
          incidentsPerRelease: 1,
        }),
      ]);
    });

    it('groups by team and quarter', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'team',
        period: 'quarter',
      });
      expect(res.buckets).toEqual([
        bucket({
          period: '2026-Q4',
          group: A,
          gates: 6,
          releases: 3,
          goDecisions: 6,
          noGoDecisions: 1,
          noGoRate: 0.14,
          leadTimeHours: { median: 12.5, p90: 30 },
          blockersPerGate: 1,
          incidents: 4,
          incidentsPerRelease: 1.33,
        }),
        teamBNovember('2026-Q4'),
        bucket({ period: '2026-Q4', group: 'unknown', gates: 1 }),
      ]);
    });

    it('groups by tier of the gate', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'tier',
        period: 'month',
      });
      expect(res.buckets).toEqual([
        bucket({
          period: '2026-10',
          group: '1',
          gates: 4,
          releases: 2,
          goDecisions: 4,
          noGoDecisions: 1,
          noGoRate: 0.2,
          leadTimeHours: { median: 20, p90: 30 },
          blockersPerGate: 0.8,
          incidents: 3,
          incidentsPerRelease: 1.5,
        }),
        bucket({
          period: '2026-10',
          group: '2',
          gates: 1,
          releases: 0,
          goDecisions: 1,
          noGoDecisions: 0,
          noGoRate: 0,
          leadTimeHours: { median: 12.5, p90: 12.5 },
          blockersPerGate: 2,
        }),
        bucket({
          period: '2026-11',
          group: '1',
          gates: 3,
          releases: 1,
          goDecisions: 1,
          noGoDecisions: 1,
          noGoRate: 0.5,
          leadTimeHours: { median: 2, p90: 2 },
          blockersPerGate: 2,
          incidents: 0,
          incidentsPerRelease: 0,
        }),
        bucket({
          period: '2026-12',
          group: '1',
          gates: 1,
          releases: 1,
          goDecisions: 1,
          noGoRate: 0,
          leadTimeHours: { median: 2, p90: 2 },
          incidents: 1,
          incidentsPerRelease: 1,
        }),
      ]);
    });

    it('groups by system and quarter', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'system',
        period: 'quarter',
      });
      expect(res.buckets).toEqual([
        bucket({
          period: '2026-Q4',
          group: X,
          gates: 7,
          releases: 4,
          goDecisions: 6,
          noGoDecisions: 2,
          noGoRate: 0.25,
          leadTimeHours: { median: 6, p90: 30 },
          blockersPerGate: 1.14,
          incidents: 4,
          incidentsPerRelease: 1,
        }),
        bucket({
          period: '2026-Q4',
          group: 'unknown',
          gates: 2,
          goDecisions: 1,
          noGoRate: 0,
          leadTimeHours: { median: 12.5, p90: 12.5 },
          blockersPerGate: 2,
        }),
      ]);
    });

    it('leaves cancelled gates out entirely', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'team',
        period: 'quarter',
      });
      const total = res.buckets.reduce((s, b) => s + b.gates, 0);
      const live = await knex('gates')
        .whereNot('state', 'cancelled')
        .count({ n: '*' });
      expect(total).toBe(Number(live[0].n));
      expect(total).toBe(9);
      // The cancelled gate's decision (9 blockers) would raise the maximum.
      expect(
        Math.max(...res.buckets.map(b => b.blockersPerGate ?? 0)),
      ).toBeLessThan(9);
    });

    it('computes lead times in hours with fractions', async () => {
      const res = await queryMetrics(knex, {
        groupBy: 'tier',
        period: 'quarter',
      });
      const tier2 = res.buckets.find(b => b.group === '2')!;
      expect(tier2.leadTimeHours).toEqual({ median: 12.5, p90: 12.5 });
    });

    it('runs three queries whatever the number of gates', async () => {
      let count = 0;
      const listener = () => {
        count += 1;
      };
      knex.on('query', listener);
      try {
        await queryMetrics(knex, { groupBy: 'system', period: 'month' });
      } finally {
        knex.removeListener('query', listener);
      }
      expect(count).toBe(3);
    });
  });
});
