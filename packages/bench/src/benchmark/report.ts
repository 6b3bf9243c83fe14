/*
 * The benchmark's report: the result table, written as JSON (bench.json) and
 * Markdown (bench.md) and printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One row of the result table. */
export interface BenchRow {
  operation: string;
  engine: string;
  size: number;
  p50Ms: number;
  p95Ms: number;
  throughputPerSec: number;
  queriesPerRequest: number;
  peakMemoryMb: number;
  errors: number;
  /** For a batch: facts stored per second with 16 clients. */
  factsPerSec?: number;
}

/**
 * How an operation's figures grow with the catalog, on one engine: p95 and
 * queries per request at each size measured, and each p95 as a multiple of
 * the smallest size's. Anything that grows with N shows here.
 */
export interface BenchGrowth {
  operation: string;
  engine: string;
  sizes: number[];
  p95Ms: number[];
  queriesPerRequest: number[];
  /** p95 at each size divided by p95 at the smallest, two decimals. */
  p95Factor: number[];
}

export function growthOf(rows: BenchRow[]): BenchGrowth[] {
  const groups = new Map<string, BenchRow[]>();
  for (const row of rows) {
    const key = `${row.engine}\u0000${row.operation}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .filter(group => group.length > 1)
    .map(group => {
      const sorted = [...group].sort((a, b) => a.size - b.size);
      const base = sorted[0].p95Ms;
      return {
        operation: sorted[0].operation,
        engine: sorted[0].engine,
        sizes: sorted.map(r => r.size),
        p95Ms: sorted.map(r => r.p95Ms),
        queriesPerRequest: sorted.map(r => r.queriesPerRequest),
        p95Factor: sorted.map(r =>
          base > 0 ? Math.round((r.p95Ms / base) * 100) / 100 : 0,
        ),
      };
    });
}

function growthMarkdown(growth: BenchGrowth[]): string {
  if (!growth.length) return '';
  const lines = [
    '| operation | engine | p95 ms by entities (× the smallest) | queries/req by entities |',
    '|---|---|---|---|',
    ...growth.map(
      g =>
        `| ${g.operation} | ${
          g.engine === 'pg' ? 'PostgreSQL' : 'SQLite'
        } | ${g.sizes
          .map(
            (size, i) =>
              `${size.toLocaleString('en-US')}: ${g.p95Ms[i]}${
                i ? ` (×${g.p95Factor[i]})` : ''
              }`,
          )
          .join(' → ')} | ${g.queriesPerRequest.join(' → ')} |`,
    ),
  ];
  return `\n${lines.join('\n')}\n`;
}

function toMarkdown(rows: BenchRow[]): string {
  const lines = [
    '| operation | engine | entities | p50 ms | p95 ms | req/s (16 clients) | queries/req | peak memory MB | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      r =>
        `| ${r.operation} | ${
          r.engine === 'pg' ? 'PostgreSQL' : 'SQLite'
        } | ${r.size.toLocaleString('en-US')} | ${r.p50Ms} | ${r.p95Ms} | ${
          r.throughputPerSec
        }${r.factsPerSec ? ` (${r.factsPerSec} facts/s)` : ''} | ${
          r.queriesPerRequest
        } | ${r.peakMemoryMb} | ${r.errors} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the rows, with what the run was (`meta`), to `out` and prints them. */
export function writeReport(
  out: string,
  meta: Record<string, unknown>,
  rows: BenchRow[],
) {
  mkdirSync(out, { recursive: true });
  const growth = growthOf(rows);
  writeFileSync(
    join(out, 'bench.json'),
    `${JSON.stringify({ ...meta, rows, growth }, null, 2)}\n`,
  );
  const markdown = toMarkdown(rows) + growthMarkdown(growth);
  writeFileSync(join(out, 'bench.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written to ${out}/bench.json and bench.md`);
}
