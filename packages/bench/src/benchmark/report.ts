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
  writeFileSync(
    join(out, 'bench.json'),
    `${JSON.stringify({ ...meta, rows }, null, 2)}\n`,
  );
  const markdown = toMarkdown(rows);
  writeFileSync(join(out, 'bench.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written to ${out}/bench.json and bench.md`);
}
