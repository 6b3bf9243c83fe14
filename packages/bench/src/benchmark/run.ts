/*
 * `yarn bench [--sizes 1000,10000,100000] [--engines sqlite,pg]
 *             [--samples 200] [--out artifacts/bench]
 *             [--keep-sqlite] [--reuse-sqlite 100000=artifacts/bench/data-100000.sqlite]
 *             [--keep-pg] [--reuse-pg 100000=rr_bench_data_100000]
 *             [--operations insights,metrics]`
 *
 * For each engine and size: writes a seeded synthetic catalog and its gate
 * histories straight into a fresh database, starts the benchmark backend
 * (benchBackend.ts: the real plugin, permission and auth backends) on it as
 * a process of its own, and measures each operation:
 *
 * - latency p50 / p95 over `samples` requests made one after the other;
 * - throughput with 16 concurrent clients;
 * - database queries per request (the backend counts every query);
 * - the backend's peak memory (VmHWM of its process).
 *
 * `--operations` measures only the operations whose name contains one of
 * the given words (the data is written all the same).
 *
 * Prints a Markdown table and writes the same as JSON (bench.json) and
 * Markdown (bench.md). Not part of the test suite.
 */
import { join } from 'node:path';
import { fromCaller, sizePairs } from './args';
import { REPO_ROOT } from '../generate/database';
import { CONCURRENCY } from './measure';
import { BenchRow, writeReport } from './report';
import { runOne, RunSettings, SEED } from './runOne';

interface Options extends RunSettings {
  sizes: number[];
  engines: ('sqlite' | 'pg')[];
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value('sizes') ?? '1000,10000,100000').split(',').map(Number);
  const engines = (value('engines') ?? 'sqlite,pg').split(',') as (
    | 'sqlite'
    | 'pg'
  )[];
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 10) {
      throw new Error(`--sizes: ${size} is not a whole number of at least 10`);
    }
  }
  for (const engine of engines) {
    if (engine !== 'sqlite' && engine !== 'pg') {
      throw new Error(`--engines: ${engine} is neither sqlite nor pg`);
    }
  }
  return {
    sizes,
    engines,
    samples: Number(value('samples') ?? 200),
    out: fromCaller(value('out')) ?? join(REPO_ROOT, 'artifacts', 'bench'),
    port: Number(value('port') ?? 7401),
    reuseSqlite: sizePairs(
      'reuse-sqlite',
      value('reuse-sqlite'),
      file => fromCaller(file)!,
    ),
    keep: argv.includes('--keep-sqlite'),
    reusePg: sizePairs('reuse-pg', value('reuse-pg'), database => database),
    keepPg: argv.includes('--keep-pg'),
    ...(value('operations')
      ? { operations: value('operations')!.split(',').filter(Boolean) }
      : {}),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows: BenchRow[] = [];
  for (const engine of options.engines) {
    for (const size of options.sizes) {
      rows.push(...(await runOne(engine, size, options)));
    }
  }
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    seed: SEED,
    samples: options.samples,
    concurrency: CONCURRENCY,
  };
  writeReport(options.out, meta, rows);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
