/*
 * `yarn bench [--sizes 1000,10000,100000] [--engines sqlite,pg]
 *             [--samples 200] [--out artifacts/bench]
 *             [--keep-sqlite] [--reuse-sqlite 100000=artifacts/bench/data-100000.sqlite]`
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
 * Prints a Markdown table and writes the same as JSON (bench.json) and
 * Markdown (bench.md). Not part of the test suite.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from '../harness/api';
import { startBackendProcess, BackendProcess } from '../harness/backendProcess';
import { createScratchPostgres, POSTGRES_URL } from '../harness/postgres';
import {
  loadRepoTemplates,
  openPluginDatabase,
  recreatePgDatabase,
  REPO_ROOT,
} from '../generate/database';
import { writeHistory } from '../generate/history';
import { Random } from '../generate/random';
import { SyntheticCatalog } from '../generate/syntheticCatalog';

const CI_TOKEN = 'bench-ci-token';
const API = '/api/release-readiness';
const CONCURRENCY = 16;
const SEQUENTIAL_BUDGET_MS = 20_000;
const CONCURRENT_BUDGET_MS = 10_000;
const SEED = 42;

interface Options {
  sizes: number[];
  engines: ('sqlite' | 'pg')[];
  samples: number;
  out: string;
  port: number;
  /** SQLite files of earlier runs to use instead of generating, by size. */
  reuseSqlite: Map<number, string>;
  /** Keep the SQLite data generated, for --reuse-sqlite. */
  keep: boolean;
}

/**
 * A path as the person typed it: relative to where they ran `yarn bench`
 * (yarn runs the script in packages/bench and says where it was called from).
 */
function fromCaller(path: string | undefined): string | undefined {
  return path === undefined
    ? undefined
    : resolve(process.env.INIT_CWD ?? process.cwd(), path);
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
    reuseSqlite: new Map(
      (value('reuse-sqlite') ?? '')
        .split(',')
        .filter(Boolean)
        .map(pair => {
          const [size, file] = pair.split('=');
          return [Number(size), fromCaller(file)!] as [number, string];
        }),
    ),
    keep: argv.includes('--keep-sqlite'),
  };
}

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
}

const quantile = (sorted: number[], q: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
    : NaN;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** An operation: how to make its n-th request. */
interface Operation {
  name: string;
  make(n: number): {
    method: string;
    path: string;
    token: string;
    body?: unknown;
  };
  /** Status codes that count as success besides 2xx (e.g. a lost race). */
  alsoOk?: number[];
}

async function measure(
  backend: BackendProcess,
  op: Operation,
  samples: number,
): Promise<Omit<BenchRow, 'engine' | 'size' | 'peakMemoryMb'>> {
  const call = async (n: number) => {
    const { method, path, token, body } = op.make(n);
    const res = await request(method, `${backend.baseUrl}${path}`, {
      token,
      body,
      timeoutMs: 60_000,
    });
    const ok =
      (res.status >= 200 && res.status < 300) ||
      (op.alsoOk ?? []).includes(res.status);
    if (!ok && n < 3) {
      console.warn(
        `  ${op.name}: ${method} ${path} → ${res.status} ${JSON.stringify(
          res.body,
        )?.slice(0, 300)}`,
      );
    }
    return { ms: res.ms, ok };
  };
  const stats = async () =>
    (await request('GET', `${backend.baseUrl}/api/bench/stats`)).body as {
      queries: number;
      statements: Record<string, number>;
    };

  // Warm-up: code paths compiled, caches and connections filled.
  for (let n = 0; n < 20; n++) await call(n + 1_000_000);

  // Each phase stops at its count or its time budget, whichever comes first
  // (at least 20 sequential samples), so that a slow operation at 100,000
  // entities cannot stretch a run to hours.
  let errors = 0;
  const latencies: number[] = [];
  const before = await stats();
  const sequentialUntil = performance.now() + SEQUENTIAL_BUDGET_MS;
  for (let n = 0; n < samples; n++) {
    if (n >= 20 && performance.now() > sequentialUntil) break;
    const { ms, ok } = await call(n);
    latencies.push(ms);
    if (!ok) errors += 1;
  }
  const after = await stats();
  if (process.env.BENCH_DEBUG) {
    const diff = Object.entries(after.statements)
      .map(([sql, n]) => [sql, n - (before.statements[sql] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [sql, n] of diff.slice(0, 25)) {
      console.log(`    ${(n / latencies.length).toFixed(2)} × ${sql}`);
    }
  }
  // The two stats requests make no queries of their own.
  const queriesPerRequest = (after.queries - before.queries) / latencies.length;

  const total = Math.max(samples, CONCURRENCY * 20);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const concurrentUntil = started + CONCURRENT_BUDGET_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total || performance.now() > concurrentUntil) return;
        const { ok } = await call(2_000_000 + n);
        done += 1;
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    operation: op.name,
    p50Ms: round(quantile(latencies, 0.5)),
    p95Ms: round(quantile(latencies, 0.95)),
    throughputPerSec: Math.round(done / seconds),
    queriesPerRequest: round(queriesPerRequest, 2),
    errors,
  };
}

async function runOne(
  engine: 'sqlite' | 'pg',
  size: number,
  options: Options,
): Promise<BenchRow[]> {
  const label = `${engine} × ${size.toLocaleString('en-US')}`;
  const templates = loadRepoTemplates();
  const catalog = new SyntheticCatalog(size);
  const scratch =
    engine === 'pg' ? createScratchPostgres(`bench_${size}`) : undefined;
  const sqliteDir =
    engine === 'sqlite'
      ? mkdtempSync(join(tmpdir(), `rr-bench-${size}-`))
      : undefined;
  let backend: BackendProcess | undefined;
  try {
    // 1. The data, straight into the plugin's tables.
    const started = performance.now();
    if (scratch) {
      await recreatePgDatabase(
        POSTGRES_URL,
        scratch.databaseName('release-readiness'),
      );
    }
    const reused =
      engine === 'sqlite' ? options.reuseSqlite.get(size) : undefined;
    if (reused) {
      // A database an earlier run of the same seed and size wrote: copied, so
      // that the run does not change it, and migrated to the current schema.
      copyFileSync(reused, join(sqliteDir!, 'release-readiness.sqlite'));
      const db = await openPluginDatabase({
        engine: 'sqlite',
        file: join(sqliteDir!, 'release-readiness.sqlite'),
      });
      await db.destroy();
      console.log(`${label}: reused the data of ${reused}`);
    } else {
      const db = await openPluginDatabase(
        engine === 'sqlite'
          ? { engine, file: join(sqliteDir!, 'release-readiness.sqlite') }
          : {
              engine,
              connection: POSTGRES_URL,
              database: scratch!.databaseName('release-readiness'),
            },
      );
      const summary = await writeHistory(db, {
        entities: catalog.components(),
        people: catalog.people(),
        templates,
        options: {
          seed: SEED,
          now: new Date(),
          months: 6,
          pastGates: { min: 0, max: 2 },
          currentGates: true,
          ciPrincipal: 'bench-ci',
        },
      });
      if (engine === 'pg') {
        // What autovacuum does within minutes of a bulk load, at once: the
        // planner's statistics, and the visibility map that lets index-only
        // scans (the metrics' covering indexes) skip the table.
        await db.raw('VACUUM ANALYZE');
      }
      await db.destroy();
      console.log(
        `${label}: wrote ${summary.gates.toLocaleString('en-US')} gates, ${(
          summary.items +
          summary.votes +
          summary.auditEvents +
          summary.evidence
        ).toLocaleString(
          'en-US',
        )} item, vote, audit and evidence rows in ${Math.round(
          (performance.now() - started) / 1000,
        )} s`,
      );
      if (engine === 'sqlite' && options.keep) {
        const kept = join(options.out, `data-${size}.sqlite`);
        mkdirSync(options.out, { recursive: true });
        copyFileSync(join(sqliteDir!, 'release-readiness.sqlite'), kept);
        console.log(`${label}: data kept in ${kept} (--reuse-sqlite)`);
      }
    }

    // 2. The backend, as a process of its own.
    backend = await startBackendProcess({
      name: `bench-${engine}-${size}`,
      entry: 'packages/bench/src/benchmark/benchBackend.ts',
      cwd: REPO_ROOT,
      port: options.port,
      startTimeoutMs: 180_000,
      env: {
        BENCH_SIZE: String(size),
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
      },
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          database: scratch
            ? scratch.backendDatabaseConfig()
            : {
                client: 'better-sqlite3',
                connection: { directory: sqliteDir! },
              },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: CI_TOKEN, subject: 'bench-ci' },
                accessRestrictions: [
                  {
                    plugin: 'release-readiness',
                    permission: [
                      'release-readiness.evidence.create',
                      'release-readiness.gate.read',
                    ],
                  },
                ],
              },
            ],
          },
        },
        auth: {
          environment: 'production',
          providers: {
            guest: {
              userEntityRef: 'user:default/qa-0',
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
        releaseReadiness: {
          templates: templates.map(t => join(REPO_ROOT, t.source)),
          // Background work is not what is measured: the entity index sync
          // would read the synthetic catalog, reminders page through every
          // live gate and the summary refresh through every current gate.
          entityIndexRefresh: {
            frequency: { hours: 24 },
            timeout: { minutes: 30 },
            initialDelay: { hours: 24 },
          },
          reminders: {
            frequency: { hours: 24 },
            timeout: { minutes: 30 },
            initialDelay: { hours: 24 },
          },
          summaryRefresh: {
            frequency: { hours: 24 },
            timeout: { minutes: 30 },
            initialDelay: { hours: 24 },
          },
        },
      },
    });
    const session = await request(
      'GET',
      `${backend.baseUrl}/api/auth/guest/refresh`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    const user = session.body?.backstageIdentity?.token as string;
    if (!user) {
      throw new Error(
        `guest sign-in: ${session.status} ${JSON.stringify(session.body)}`,
      );
    }

    // 3. The operations, on entities and gates spread over the catalog.
    const random = new Random(SEED + 1);
    const entityName = () =>
      SyntheticCatalog.componentName(random.int(0, size - 1));
    const openGates = (
      await request(
        'GET',
        `${backend.baseUrl}${API}/portfolio?state=in-progress&limit=200`,
        { token: user },
      )
    ).body?.items as {
      entityRef: string;
      currentGate?: { id: string; release: string };
    }[];
    const gateIds = (openGates ?? [])
      .map(row => row.currentGate?.id)
      .filter((id): id is string => Boolean(id));
    const openReleases = (openGates ?? []).flatMap(row =>
      row.currentGate
        ? [{ entityRef: row.entityRef, release: row.currentGate.release }]
        : [],
    );
    if (!gateIds.length) {
      throw new Error('no gate in progress found through /portfolio');
    }
    const team = () =>
      `group:default/team-${String(random.int(0, catalog.teams - 1)).padStart(
        6,
        '0',
      )}`;
    let evidenceRun = 0;
    const operations: Operation[] = [
      {
        name: 'portfolio page (50 rows, filtered, sorted)',
        make: () => ({
          method: 'GET',
          path: `${API}/portfolio?owner=${encodeURIComponent(
            team(),
          )}&sort=title&order=asc&limit=50`,
          token: user,
        }),
      },
      {
        name: 'portfolio page (50 rows, whole catalog)',
        make: () => ({
          method: 'GET',
          path: `${API}/portfolio?state=in-progress&sort=score&order=desc&limit=50&offset=${
            random.int(0, 10) * 50
          }`,
          token: user,
        }),
      },
      {
        name: 'portfolio facets',
        make: () => ({
          method: 'GET',
          path: `${API}/portfolio?limit=1&verdict=${encodeURIComponent(
            random.pick(['GO', 'NO-GO', 'IN PROGRESS']),
          )}`,
          token: user,
        }),
      },
      {
        name: 'metrics',
        make: () => ({
          method: 'GET',
          path: `${API}/metrics?groupBy=team&period=month`,
          token: user,
        }),
      },
      {
        name: 'entity readiness',
        make: () => ({
          method: 'GET',
          path: `${API}/entities/component/default/${entityName()}`,
          token: user,
        }),
      },
      {
        name: 'gate detail',
        make: () => ({
          method: 'GET',
          path: `${API}/gates/${random.pick(gateIds)}`,
          token: user,
        }),
      },
      {
        // CI reporting ahead of the gate (the release has none yet).
        name: 'evidence post (no gate yet)',
        make: n => ({
          method: 'POST',
          path: `${API}/evidence`,
          token: CI_TOKEN,
          body: {
            entityRef: `component:default/${entityName()}`,
            release: '9.9.9',
            type: 'test-report',
            status: 'passed',
            metrics: { passed: true, total: 1200 },
            runId: `bench-${n}-${evidenceRun++}`,
          },
        }),
      },
      {
        // CI reporting on a release whose gate is open: the gate is
        // evaluated and the portfolio's summary stored with the evidence.
        name: 'evidence post (gate in progress)',
        make: n => {
          const target = random.pick(openReleases);
          return {
            method: 'POST',
            path: `${API}/evidence`,
            token: CI_TOKEN,
            body: {
              ...target,
              type: 'test-report',
              status: 'passed',
              metrics: { passed: true, total: 1200 },
              runId: `bench-open-${n}-${evidenceRun++}`,
            },
          };
        },
      },
      {
        name: 'sign-off post',
        make: () => ({
          method: 'POST',
          path: `${API}/gates/${random.pick(gateIds)}/signoffs`,
          token: user,
          body: { role: 'qa', verdict: 'ready', comment: 'Benchmark vote' },
        }),
        // A gate that another client just moved on answers 409.
        alsoOk: [409],
      },
      {
        name: 'decision evaluation (pipeline)',
        make: () => {
          const i = random.int(0, size - 1);
          return {
            method: 'GET',
            path: `${API}/decision?entityRef=${encodeURIComponent(
              `component:default/${SyntheticCatalog.componentName(i)}`,
            )}&release=${encodeURIComponent(`1.${random.int(0, 2)}.0`)}`,
            token: CI_TOKEN,
          };
        },
        alsoOk: [404],
      },
    ];

    const rows: BenchRow[] = [];
    for (const op of operations) {
      const result = await measure(backend, op, options.samples);
      const row: BenchRow = {
        ...result,
        engine,
        size,
        peakMemoryMb: peakRssMb(backend.pid),
      };
      rows.push(row);
      console.log(
        `${label}: ${op.name}: p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms, ${row.throughputPerSec}/s, ${row.queriesPerRequest} queries, ${row.errors} errors`,
      );
    }
    return rows;
  } finally {
    await backend?.stop();
    await scratch?.drop();
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  }
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
        } | ${r.queriesPerRequest} | ${r.peakMemoryMb} | ${r.errors} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows: BenchRow[] = [];
  for (const engine of options.engines) {
    for (const size of options.sizes) {
      rows.push(...(await runOne(engine, size, options)));
    }
  }
  mkdirSync(options.out, { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    seed: SEED,
    samples: options.samples,
    concurrency: CONCURRENCY,
  };
  writeFileSync(
    join(options.out, 'bench.json'),
    `${JSON.stringify({ ...meta, rows }, null, 2)}\n`,
  );
  const markdown = toMarkdown(rows);
  writeFileSync(join(options.out, 'bench.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written to ${options.out}/bench.json and bench.md`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
