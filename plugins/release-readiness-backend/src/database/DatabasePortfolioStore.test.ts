import { MetricsResponse } from '@release-readiness/plugin-common';
import knexFactory from 'knex';
import { DatabasePortfolioStore } from './DatabasePortfolioStore';
import { queryMetrics } from './metrics';

jest.mock('./metrics', () => ({ queryMetrics: jest.fn() }));

const RESPONSE: MetricsResponse = {
  groupBy: 'team',
  period: 'month',
  buckets: [],
  overall: {
    periods: [],
    total: {
      gates: 0,
      releases: 0,
      goDecisions: 0,
      noGoDecisions: 0,
      noGoRate: null,
      leadTimeHours: { median: null, p90: null },
      blockersPerGate: null,
      incidents: 0,
      incidentsPerRelease: null,
    },
  },
  groupCount: 0,
  ungatedIncidents: 0,
};

describe('DatabasePortfolioStore.metrics', () => {
  // Each computation waits until the test lets it finish.
  let running = 0;
  let mostAtOnce = 0;
  const waiting: (() => void)[] = [];
  beforeEach(() => {
    running = 0;
    mostAtOnce = 0;
    jest.mocked(queryMetrics).mockImplementation(async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise<void>(resolve => waiting.push(resolve));
      running -= 1;
      return RESPONSE;
    });
  });

  /** Starts `n` computations and lets them finish one by one. */
  async function compute(store: DatabasePortfolioStore, n: number) {
    const all = Promise.all(
      Array.from({ length: n }, () =>
        store.metrics({ groupBy: 'team', period: 'month' }, { type: 'all' }),
      ),
    );
    for (let done = 0; done < n; done++) {
      while (!waiting.length) await new Promise(r => setImmediate(r));
      waiting.shift()!();
    }
    return all;
  }

  it.each([
    ['better-sqlite3', 1],
    ['pg', 2],
  ])('runs at most so many at once on %s: %i', async (client, limit) => {
    const db = knexFactory({ client, useNullAsDefault: true });
    try {
      const results = await compute(DatabasePortfolioStore.create({ db }), 6);
      expect(results).toEqual(Array(6).fill(RESPONSE));
      expect(mostAtOnce).toBe(limit);
    } finally {
      await db.destroy();
    }
  });

  it('takes another limit', async () => {
    const db = knexFactory({ client: 'pg' });
    try {
      await compute(
        DatabasePortfolioStore.create({ db, metricsConcurrency: 4 }),
        6,
      );
      expect(mostAtOnce).toBe(4);
    } finally {
      await db.destroy();
    }
  });
});
