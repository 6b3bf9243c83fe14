import { BenchRow, growthOf } from './report';

const row = (
  operation: string,
  engine: string,
  size: number,
  p95Ms: number,
  queriesPerRequest = 8,
): BenchRow => ({
  operation,
  engine,
  size,
  p50Ms: p95Ms / 2,
  p95Ms,
  throughputPerSec: 100,
  queriesPerRequest,
  peakMemoryMb: 500,
  errors: 0,
});

describe('growthOf', () => {
  it('gives each operation and engine its p95 and queries by size, as multiples of the smallest size', () => {
    const growth = growthOf([
      row('metrics', 'pg', 100_000, 230),
      row('metrics', 'pg', 1_000, 10),
      row('metrics', 'pg', 10_000, 45),
      row('metrics', 'sqlite', 1_000, 8),
      row('metrics', 'sqlite', 10_000, 8, 9),
      // Measured at one size only: nothing to compare.
      row('sign-off post', 'pg', 1_000, 30),
    ]);

    expect(growth).toEqual([
      {
        operation: 'metrics',
        engine: 'pg',
        sizes: [1_000, 10_000, 100_000],
        p95Ms: [10, 45, 230],
        queriesPerRequest: [8, 8, 8],
        p95Factor: [1, 4.5, 23],
      },
      {
        operation: 'metrics',
        engine: 'sqlite',
        sizes: [1_000, 10_000],
        p95Ms: [8, 8],
        queriesPerRequest: [8, 9],
        p95Factor: [1, 1],
      },
    ]);
  });
});
