import { TestDatabases } from '@backstage/backend-test-utils';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  MetricsBucket,
  MetricsPeriodBucket,
  MetricsResponse,
  MetricsValues,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import type { GateQuery } from '../permissions';
import { periodOf, refreshGateMetrics } from './gateMetrics';
import fc from 'fast-check';
import {
  median,
  medianAndP90,
  percentile,
  queryMetrics,
  wholeNumbersOf,
} from './metrics';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { PortfolioAccess } from './portfolio';

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

describe('medianAndP90', () => {
  it('is null without values', () => {
    expect(medianAndP90(new Float64Array(0))).toEqual({
      median: null,
      p90: null,
    });
  });

  it('gives what median and percentile give of the sorted values, for values in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 1e7 }), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.boolean(),
        (values, fewDistinct) => {
          // Many repeated values too: the selection's partition must keep
          // ties on both sides.
          // (v % 4) + 0: -4 % 4 is -0, which toEqual tells from 0, and
          // which of two equal keys the selection and the sort return is
          // not the point.
          const input = fewDistinct ? values.map(v => (v % 4) + 0) : values;
          const sorted = Float64Array.from(input).sort();
          expect(medianAndP90(Float64Array.from(input))).toEqual({
            median: median(sorted),
            p90: percentile(sorted, 0.9),
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads only the stretch it is given, and reorders nothing outside it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }),
        fc.nat(),
        fc.nat(),
        (values, a, b) => {
          const from = values.length ? a % (values.length + 1) : 0;
          const to =
            from + (values.length ? b % (values.length - from + 1) : 0);
          const array = Float64Array.from(values);
          const stretch = Float64Array.from(values.slice(from, to)).sort();
          expect(medianAndP90(array, from, to)).toEqual({
            median: median(stretch),
            p90: percentile(stretch, 0.9),
          });
          expect([...array.slice(0, from), ...array.slice(to)]).toEqual([
            ...values.slice(0, from),
            ...values.slice(to),
          ]);
          expect([...array.slice(from, to)].sort((x, y) => x - y)).toEqual([
            ...stretch,
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('wholeNumbersOf', () => {
  it('reads the lists the database aggregates', () => {
    expect(Array.from(wholeNumbersOf('109800000,0,-5,42'))).toEqual([
      109_800_000, 0, -5, 42,
    ]);
    expect(Array.from(wholeNumbersOf('7'))).toEqual([7]);
    // Beyond 32 bits: years of lead time in milliseconds.
    expect(Array.from(wholeNumbersOf('94608000000'))).toEqual([94_608_000_000]);
  });
  it('is empty for no list', () => {
    expect(wholeNumbersOf(null)).toHaveLength(0);
    expect(wholeNumbersOf(undefined)).toHaveLength(0);
    expect(wholeNumbersOf('')).toHaveLength(0);
  });
  it('refuses anything but whole numbers', () => {
    expect(() => wholeNumbersOf('1.5,2')).toThrow(/whole numbers/);
    expect(() => wholeNumbersOf('1;2')).toThrow(/whole numbers/);
  });
});

const A = 'group:default/a';
const B = 'group:default/b';
const X = 'system:default/x';
const PAY = 'component:default/pay';
const LEDGER = 'component:default/ledger';
const SYS = 'system:default/x';
const GHOST = 'component:default/ghost';

const ALL: PortfolioAccess = { type: 'all' };

/** The values of a set of gates, zero and null unless given. */
const values = (v: Partial<MetricsValues> = {}): MetricsValues => ({
  gates: 0,
  releases: 0,
  goDecisions: 0,
  noGoDecisions: 0,
  noGoRate: null,
  leadTimeHours: { median: null, p90: null },
  blockersPerGate: null,
  incidents: 0,
  incidentsPerRelease: null,
  ...v,
});

/** A bucket without its period and group. */
const valuesOfBucket = ({
  period,
  group,
  ...rest
}: MetricsBucket): MetricsValues => rest;

const conditional = (
  criteria: PermissionCriteria<GateQuery>,
): PortfolioAccess => ({ type: 'conditional', criteria });

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
      await queryMetrics(knex, { groupBy: 'team', period: 'month' }, ALL),
    ).toEqual({
      groupBy: 'team',
      period: 'month',
      buckets: [],
      groupCount: 0,
      overall: { periods: [], total: values() },
      ungatedIncidents: 0,
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
      await refreshGateMetrics(knex, [gateId]);
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
      // As the window store does in the incident's transaction.
      await refreshGateMetrics(
        knex,
        await knex('gates')
          .where({ entity_ref: entityRef, release })
          .pluck('id'),
      );
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
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'team',
          period: 'month',
        },
        ALL,
      );
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

    it('counts every gate in the overall bucket, per period and in total', async () => {
      const month = await queryMetrics(
        knex,
        { groupBy: 'team', period: 'month' },
        ALL,
      );
      const teamAOctober = valuesOfBucket(month.buckets[0]);
      const teamADecember = valuesOfBucket(month.buckets[3]);
      expect(month.overall.periods).toEqual([
        // Every October gate is team A's.
        { period: '2026-10', ...teamAOctober },
        // Team B's gates and the gate of the entity no longer indexed.
        {
          period: '2026-11',
          ...values({
            gates: 3,
            releases: 1,
            goDecisions: 1,
            noGoDecisions: 1,
            noGoRate: 0.5,
            leadTimeHours: { median: 2, p90: 2 },
            blockersPerGate: 2,
            incidentsPerRelease: 0,
          }),
        },
        { period: '2026-12', ...teamADecember },
      ]);
      // Lead times 2, 2, 6, 12.5, 20, 30: the median of all six, not of
      // the periods' medians (16.25, 2, 2).
      expect(month.overall.total).toEqual(
        values({
          gates: 9,
          releases: 4,
          goDecisions: 7,
          noGoDecisions: 2,
          noGoRate: 0.22,
          leadTimeHours: { median: 9.25, p90: 30 },
          blockersPerGate: 1.25,
          incidents: 4,
          incidentsPerRelease: 1,
        }),
      );
      // The whole range does not depend on the period or the grouping.
      const quarter = await queryMetrics(
        knex,
        { groupBy: 'system', period: 'quarter' },
        ALL,
      );
      expect(quarter.overall.total).toEqual(month.overall.total);
      expect(quarter.overall.periods).toEqual([
        { period: '2026-Q4', ...month.overall.total },
      ]);
    });

    it('groups by team and quarter', async () => {
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'team',
          period: 'quarter',
        },
        ALL,
      );
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
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'tier',
          period: 'month',
        },
        ALL,
      );
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
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'system',
          period: 'quarter',
        },
        ALL,
      );
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
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'team',
          period: 'quarter',
        },
        ALL,
      );
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
      const res = await queryMetrics(
        knex,
        {
          groupBy: 'tier',
          period: 'quarter',
        },
        ALL,
      );
      const tier2 = res.buckets.find(b => b.group === '2')!;
      expect(tier2.leadTimeHours).toEqual({ median: 12.5, p90: 12.5 });
    });

    describe('limit', () => {
      // Every group, and the same query keeping `limit` of them.
      async function both(
        query: Parameters<typeof queryMetrics>[1],
        limit: number,
        access: PortfolioAccess = ALL,
      ) {
        const whole = await queryMetrics(knex, query, access);
        const some = await queryMetrics(knex, { ...query, limit }, access);
        return { whole, some };
      }
      const groups = (res: MetricsResponse) => [
        ...new Set(res.buckets.map(b => b.group)),
      ];

      it('keeps the groups with the most NO-GO decisions in the latest period, then the most gates', async () => {
        // 2026-Q4: A has 1 NO-GO in 6 gates, B 1 in 2, the ghost's group
        // none in 1.
        const { whole, some } = await both(
          { groupBy: 'team', period: 'quarter' },
          1,
        );
        expect(groups(whole)).toEqual([A, B, 'unknown']);
        expect(groups(some)).toEqual([A]);
        expect(some.groupCount).toBe(3);
        expect(whole.groupCount).toBe(3);
        const two = await queryMetrics(
          knex,
          { groupBy: 'team', period: 'quarter', limit: 2 },
          ALL,
        );
        expect(groups(two)).toEqual([A, B]);
      });

      it('ranks a group without gates in the latest period after those with, then by name', async () => {
        // Only A opened gates in December; B and the ghost's group
        // (unknown) in November.
        const { whole, some } = await both(
          { groupBy: 'team', period: 'month' },
          2,
        );
        expect(whole.buckets.filter(b => b.period === '2026-12')).toEqual([
          expect.objectContaining({ group: A }),
        ]);
        expect(groups(some)).toEqual([A, B]);
      });

      it.each([
        ['team (per team and month)', 'team' as const, ALL],
        ['tier (from the gates)', 'tier' as const, ALL],
        [
          'team, for a reader with conditions (from the gates)',
          'team' as const,
          conditional({ ownerRefsAnyOf: [A, B] }),
        ],
      ])(
        'changes nothing but which buckets are listed: %s',
        async (_name, groupBy, access) => {
          for (const period of ['month', 'quarter'] as const) {
            const { whole, some } = await both({ groupBy, period }, 1, access);
            const kept = new Set(groups(some));
            expect(kept.size).toBe(Math.min(1, groups(whole).length));
            expect(some).toEqual({
              ...whole,
              buckets: whole.buckets.filter(b => kept.has(b.group)),
            });
          }
        },
      );

      it("reads the chosen teams' rows and one row per period for the rest in one snapshot: five statements", async () => {
        const sql: string[] = [];
        const listener = (q: { sql: string }) => sql.push(q.sql);
        knex.on('query', listener);
        try {
          await queryMetrics(
            knex,
            { groupBy: 'team', period: 'month', limit: 1 },
            ALL,
          );
        } finally {
          knex.removeListener('query', listener);
        }
        // The latest month, the teams' ranking, the chosen team's rows and
        // the others' sums per month in one snapshot (a gate moving between
        // a chosen team and the others is counted once), then the ungated
        // incidents: five statements.
        const statements = sql.filter(q => !/^(BEGIN|COMMIT)/i.test(q));
        expect(statements).toHaveLength(5);
        const begin = sql.findIndex(q => /^BEGIN/i.test(q));
        const commit = sql.findIndex(q => /^COMMIT/i.test(q));
        expect(begin).toBeGreaterThanOrEqual(0);
        expect(commit).toBeGreaterThan(begin);
        expect(
          sql
            .slice(begin + 1, commit)
            .filter(q => /gate_metrics_team_months/.test(q)),
        ).toHaveLength(4);
        // PostgreSQL's default gives each statement a snapshot of its own.
        expect(
          knex.client.config.client !== 'pg' ||
            /ISOLATION LEVEL repeatable read/i.test(sql[begin]),
        ).toBe(true);
        expect(sql.some(q => /from [`"]gate_metrics[`"]/.test(q))).toBe(false);
      });

      it('lists every group when there are no more than the limit', async () => {
        const { whole, some } = await both(
          { groupBy: 'team', period: 'month' },
          3,
        );
        expect(some).toEqual(whole);
      });

      it.each([0, 1001, 2.5, -1, Number.NaN])(
        'refuses %s with a 400 naming the field',
        async limit => {
          await expect(
            queryMetrics(
              knex,
              { groupBy: 'team', period: 'month', limit },
              ALL,
            ),
          ).rejects.toMatchObject({
            name: 'InputError',
            message: 'limit: must be between 1 and 1000',
          });
        },
      );
    });

    // Two since incidents of releases without a gate are counted apart
    // (issue 14): the gates' query and the ungated incidents' count.
    it('runs two queries whatever the number of gates', async () => {
      let count = 0;
      const listener = () => {
        count += 1;
      };
      knex.on('query', listener);
      try {
        await queryMetrics(knex, { groupBy: 'system', period: 'month' }, ALL);
      } finally {
        knex.removeListener('query', listener);
      }
      expect(count).toBe(2);
    });
  });
});

describe.each(databases.eachSupportedId())(
  'queryMetrics filters and overall bucket on %s',
  id => {
    let knex: Knex;
    const C = 'group:default/c';
    const Y = 'system:default/y';
    const A1 = 'component:default/a1';
    const A2 = 'component:default/a2';
    const B1 = 'component:default/b1';
    const C1 = 'component:default/c1';
    const GONE = 'component:default/gone';
    const PRIYA = 'user:default/priya';
    const MARCH = '2027-03';

    beforeAll(async () => {
      knex = await databases.init(id);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await knex('entities').insert(
        (
          [
            [A1, A, X, 1],
            [A2, A, Y, 1],
            [B1, B, X, 2],
            [C1, C, Y, 1],
          ] as const
        ).map(([ref, owner, system, tier]) => ({
          entity_ref: ref,
          kind: 'component',
          title: ref,
          owner_ref: owner,
          system_ref: system,
          tags: '[]',
          tier,
          refreshed_at: '2027-03-01T00:00:00.000Z',
        })),
      );
      // c1 is also kept by team B, through an explicit assignment.
      await knex('gate_owner_assignments').insert({
        entity_ref: C1,
        owner_ref: B,
        assigned_by: PRIYA,
        assigned_at: '2027-03-01T00:00:00.000Z',
      });

      let decisions = 0;
      const gate = async (
        gateId: string,
        entityRef: string,
        state: string,
        openedAt: string,
        tier: number,
        ds: [verdict: 'go' | 'no-go', hours: number, blockers: number][],
      ) => {
        await knex('gates').insert({
          id: gateId,
          entity_ref: entityRef,
          release: gateId,
          template_name: 'component-gate',
          template_version: '1',
          template: '{}',
          template_hash: 'a'.repeat(64),
          tier,
          state,
          requested_by: PRIYA,
          opened_at: openedAt,
          updated_at: openedAt,
        });
        for (const [verdict, hours, blockers] of ds) {
          decisions += 1;
          await knex('decisions').insert({
            id: `d-${decisions}`,
            gate_id: gateId,
            verdict,
            reason: 'because',
            decided_by: PRIYA,
            at: plus(openedAt, hours),
            state_hash: 'b'.repeat(64),
            blocker_count: blockers,
          });
        }
        await refreshGateMetrics(knex, [gateId]);
      };
      // March 2027. Lead times by team: A 1, 2, 3 (median 2); B 100; C 4,
      // 5 (median 4.5); the entity no longer indexed 7. The median of those
      // medians is 5.75, of their p90s (3, 100, 5, 7) 6; over all seven
      // gates the median is 4 and the p90 100.
      await gate('a1-1', A1, 'released', '2027-03-01T00:00:00.000Z', 1, [
        ['go', 1, 0],
      ]);
      await gate('a1-2', A1, 'go', '2027-03-02T00:00:00.000Z', 1, [
        ['no-go', 1, 4],
        ['go', 2, 0],
      ]);
      await gate('a2-1', A2, 'released', '2027-03-03T00:00:00.000Z', 1, [
        ['go', 3, 1],
      ]);
      await gate('b1-1', B1, 'released', '2027-03-04T00:00:00.000Z', 2, [
        ['go', 100, 2],
      ]);
      await gate('c1-1', C1, 'released', '2027-03-05T00:00:00.000Z', 1, [
        ['no-go', 1, 6],
        ['go', 4, 0],
      ]);
      // Opened in the last hour of March, decided in April: a March gate.
      await gate('c1-2', C1, 'go', '2027-03-31T23:00:00.000Z', 1, [
        ['go', 5, 1],
      ]);
      await gate('gone-1', GONE, 'go', '2027-03-10T00:00:00.000Z', 1, [
        ['go', 7, 0],
      ]);
      // Just before and just at the edges of March.
      await gate('b1-0', B1, 'no-go', '2027-02-28T23:59:59.999Z', 2, [
        ['no-go', 1, 3],
      ]);
      await gate('a1-3', A1, 'in-progress', '2027-04-01T00:00:00.000Z', 1, []);
      // Cancelled: never counted.
      await gate('a1-x', A1, 'cancelled', '2027-03-15T00:00:00.000Z', 1, [
        ['go', 50, 9],
      ]);

      let incidents = 0;
      for (const [entityRef, release] of [
        [A1, 'a1-1'],
        [B1, 'b1-1'],
        [B1, 'b1-1'],
        [B1, 'b1-1'],
        [C1, 'c1-2'], // not released
        [A1, 'a1-x'], // cancelled
        [A1, 'no-gate'],
      ]) {
        incidents += 1;
        await knex('incidents').insert({
          id: `i-${incidents}`,
          entity_ref: entityRef,
          release,
          severity: 'sev2',
          title: 'Outage',
          occurred_at: '2027-04-02T00:00:00.000Z',
          reported_by: PRIYA,
          reported_at: '2027-04-02T00:00:00.000Z',
        });
      }
      // As the window store does in each incident's transaction.
      await refreshGateMetrics(knex, await knex('gates').pluck('id'));
    });

    afterAll(async () => {
      await knex.destroy();
    });

    const run = (
      query: Partial<Parameters<typeof queryMetrics>[1]> = {},
      access: PortfolioAccess = ALL,
    ) =>
      queryMetrics(
        knex,
        { groupBy: 'team', period: 'month', ...query },
        access,
      );

    const march = values({
      gates: 7,
      releases: 4,
      goDecisions: 7,
      noGoDecisions: 2,
      noGoRate: 0.22,
      leadTimeHours: { median: 4, p90: 100 },
      // 0, 4, 0, 1, 2, 6, 0, 1, 0
      blockersPerGate: 1.56,
      incidents: 4,
      incidentsPerRelease: 1,
    });
    const february = values({
      gates: 1,
      noGoDecisions: 1,
      noGoRate: 1,
      blockersPerGate: 3,
    });
    const april = values({ gates: 1 });

    const medianOf = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };

    it('computes the overall lead time over all gates, not from the group medians', async () => {
      const res = await run();
      const marchBuckets = res.buckets.filter(b => b.period === MARCH);
      expect(marchBuckets.map(b => [b.group, b.leadTimeHours.median])).toEqual([
        [A, 2],
        [B, 100],
        [C, 4.5],
        ['unknown', 7],
      ]);
      const medianOfMedians = medianOf(
        marchBuckets.map(b => b.leadTimeHours.median!),
      );
      expect(medianOfMedians).toBe(5.75);
      expect(medianOf(marchBuckets.map(b => b.leadTimeHours.p90!))).toBe(6);

      const overallMarch = res.overall.periods.find(p => p.period === MARCH)!;
      expect(overallMarch.leadTimeHours).toEqual({ median: 4, p90: 100 });
      expect(overallMarch.leadTimeHours.median).not.toBe(medianOfMedians);
    });

    it('gives every overall value per period and for the whole range', async () => {
      const res = await run();
      expect(res.overall.periods).toEqual<MetricsPeriodBucket[]>([
        { period: '2027-02', ...february },
        { period: MARCH, ...march },
        { period: '2027-04', ...april },
      ]);
      // 1, 2, 3, 4, 5, 7, 100 again; 17 blockers in 10 decisions.
      expect(res.overall.total).toEqual(
        values({
          gates: 9,
          releases: 4,
          goDecisions: 7,
          noGoDecisions: 3,
          noGoRate: 0.3,
          leadTimeHours: { median: 4, p90: 100 },
          blockersPerGate: 1.7,
          incidents: 4,
          incidentsPerRelease: 1,
        }),
      );
      // The groups of a period add up to its overall counts.
      for (const p of res.overall.periods) {
        const own = res.buckets.filter(b => b.period === p.period);
        expect(own.reduce((s, b) => s + b.gates, 0)).toBe(p.gates);
        expect(own.reduce((s, b) => s + b.goDecisions, 0)).toBe(p.goDecisions);
        expect(own.reduce((s, b) => s + b.incidents, 0)).toBe(p.incidents);
      }
    });

    it('counts a quarter over all of its gates', async () => {
      const res = await run({ period: 'quarter', groupBy: 'tier' });
      expect(res.overall.periods.map(p => p.period)).toEqual([
        '2027-Q1',
        '2027-Q2',
      ]);
      expect(res.overall.periods[0]).toMatchObject({
        gates: 8,
        noGoDecisions: 3,
        noGoRate: 0.3,
        leadTimeHours: { median: 4, p90: 100 },
        blockersPerGate: 1.7,
      });
    });

    describe('date range', () => {
      it('keeps gates opened in [from, to), by their opening time', async () => {
        const res = await run({
          from: '2027-03-01T00:00:00.000Z',
          to: '2027-04-01T00:00:00.000Z',
        });
        expect(res.overall.periods).toEqual([{ period: MARCH, ...march }]);
        expect(res.overall.total).toEqual(march);
        // c1-2 was decided in April, and still counts.
        expect(res.buckets.find(b => b.group === C)!.gates).toBe(2);
      });

      it('includes from and excludes to, to the millisecond', async () => {
        const gatesIn = async (from?: string, to?: string) =>
          (await run({ from, to })).overall.total.gates;
        expect(await gatesIn('2027-02-28T23:59:59.999Z')).toBe(9);
        expect(await gatesIn('2027-03-01T00:00:00.000Z')).toBe(8);
        expect(await gatesIn(undefined, '2027-04-01T00:00:00.000Z')).toBe(8);
        expect(await gatesIn(undefined, '2027-04-01T00:00:00.001Z')).toBe(9);
        expect(await gatesIn(undefined, '2027-02-28T23:59:59.999Z')).toBe(0);
        expect(
          await gatesIn('2027-04-01T00:00:00.000Z', '2027-04-01T00:00:00.001Z'),
        ).toBe(1);
      });

      it('reads times with an offset or without milliseconds', async () => {
        const res = await run({
          from: '2027-03-01T01:00:00+01:00',
          to: '2027-03-31T19:00:00-05:00',
        });
        expect(res.overall.total).toEqual(march);
      });

      it.each([
        ['2027-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'],
        ['2027-03-02T00:00:00.000Z', '2027-03-01T00:00:00.000Z'],
        ['2027-03-01T01:00:00+01:00', '2027-03-01T00:00:00Z'],
      ])('rejects from %s with to %s, naming to', async (from, to) => {
        await expect(run({ from, to })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^to: /),
        });
      });

      it.each([
        ['from', 'yesterday'],
        ['to', '2027-13-01T00:00:00Z'],
        // Not a leap year: Date alone would read it as March 1.
        ['from', '2027-02-29T00:00:00Z'],
        ['from', '0000-01-01T00:00:00Z'],
        ['to', '+010000-01-01T00:00:00Z'],
      ])('rejects %s=%s with an InputError naming it', async (field, value) => {
        await expect(run({ [field]: value })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(new RegExp(`^${field}: `)),
        });
      });
    });

    describe('filters', () => {
      it('by owner: the gates of the entities the team owns', async () => {
        const res = await run({ owner: A });
        expect(res.buckets.map(b => [b.period, b.group])).toEqual([
          [MARCH, A],
          ['2027-04', A],
        ]);
        expect(res.overall.total).toEqual(
          values({
            gates: 4,
            releases: 2,
            goDecisions: 3,
            noGoDecisions: 1,
            noGoRate: 0.25,
            leadTimeHours: { median: 2, p90: 3 },
            blockersPerGate: 1.25,
            incidents: 1,
            incidentsPerRelease: 0.5,
          }),
        );
      });

      it('by system', async () => {
        const res = await run({ system: Y, groupBy: 'system' });
        expect(res.buckets.map(b => b.group)).toEqual([Y]);
        expect(res.overall.total).toMatchObject({
          gates: 3,
          releases: 2,
          leadTimeHours: { median: 4, p90: 5 },
          incidents: 0,
          incidentsPerRelease: 0,
        });
      });

      it("by tier: the gate's own tier", async () => {
        const res = await run({ tier: 2, groupBy: 'tier' });
        expect(res.buckets.map(b => [b.period, b.group])).toEqual([
          ['2027-02', '2'],
          [MARCH, '2'],
        ]);
        expect(res.overall.total).toMatchObject({
          gates: 2,
          releases: 1,
          noGoRate: 0.5,
          leadTimeHours: { median: 100, p90: 100 },
          incidents: 3,
          incidentsPerRelease: 3,
        });
        // The gate of the entity no longer indexed counts too: the tier
        // filter reads the gate, not the index.
        expect((await run({ tier: 1 })).overall.total.gates).toBe(7);
      });

      it('all together', async () => {
        const res = await run({
          owner: A,
          system: X,
          tier: 1,
          to: '2027-04-01T00:00:00.000Z',
        });
        expect(res.overall.total).toMatchObject({
          gates: 2,
          goDecisions: 2,
          noGoDecisions: 1,
          leadTimeHours: { median: 1.5, p90: 2 },
        });
      });

      it('to nothing', async () => {
        const res = await run({ owner: 'group:default/nobody' });
        expect(res.buckets).toEqual([]);
        expect(res.overall).toEqual({ periods: [], total: values() });
        expect((await run({ tier: 3 })).overall.total).toEqual(values());
      });
    });

    describe('access', () => {
      const gateCount = (res: MetricsResponse) => res.overall.total.gates;

      it('counts nothing without access', async () => {
        const res = await run({}, { type: 'none' });
        expect(res.buckets).toEqual([]);
        expect(res.overall).toEqual({ periods: [], total: values() });
      });

      it("counts only the gates of the caller's entities, assignments included", async () => {
        const res = await run({}, conditional({ ownerRefsAnyOf: [B] }));
        // b1 (owned) and c1 (assigned): b1-0, b1-1, c1-1, c1-2.
        expect(gateCount(res)).toBe(4);
        expect(res.buckets.map(b => [b.period, b.group])).toEqual([
          ['2027-02', B],
          [MARCH, B],
          [MARCH, C],
        ]);
        expect(res.overall.total).toMatchObject({
          releases: 2,
          leadTimeHours: { median: 5, p90: 100 },
          incidents: 3,
        });
      });

      it('applies NOT to gates whose entity is no longer indexed', async () => {
        // Neither owned by A nor assigned: b1, c1 and the one no longer
        // indexed, which has no owner.
        const res = await run(
          {},
          conditional({ not: { ownerRefsAnyOf: [A] } }),
        );
        expect(gateCount(res)).toBe(5);
        expect(res.buckets.find(b => b.group === 'unknown')!.gates).toBe(1);
        expect(
          gateCount(await run({}, conditional({ ownerRefsAnyOf: [] }))),
        ).toBe(0);
      });

      it('applies the filters on top of the conditions', async () => {
        const b = conditional({ ownerRefsAnyOf: [B] });
        expect(gateCount(await run({ owner: A }, b))).toBe(0);
        expect(gateCount(await run({ owner: C }, b))).toBe(2);
        expect(
          gateCount(await run({ from: '2027-03-01T00:00:00.000Z' }, b)),
        ).toBe(3);
      });
    });

    it('runs two queries with every filter and conditions, not over the gates', async () => {
      const sql: string[] = [];
      const listener = (q: { sql: string }) => sql.push(q.sql);
      knex.on('query', listener);
      try {
        await run(
          {
            owner: B,
            system: X,
            tier: 2,
            from: '2027-01-01T00:00:00.000Z',
            to: '2028-01-01T00:00:00.000Z',
          },
          conditional({
            anyOf: [{ ownerRefsAnyOf: [B] }, { not: { ownerRefsAnyOf: [A] } }],
          }),
        );
      } finally {
        knex.removeListener('query', listener);
      }
      expect(sql).toHaveLength(2);
      // The narrow metrics rows, never the gates with their templates; then
      // the count of ungated incidents under the same filters.
      for (const statement of sql) {
        expect(statement).not.toMatch(/[`"]gates[`"]/);
      }
      expect(sql[0]).toMatch(/gate_metrics/);
      expect(sql[1]).toMatch(/from [`"]incidents[`"].*ungated/);
      expect(sql[1]).toMatch(
        /owner_ref[`"] = .*system_ref[`"] = .*tier[`"] = .*occurred_at/,
      );
    });
  },
);
