/*
 * One run of the benchmark: one engine, one size. Writes the data, starts the
 * benchmark backend on it as a process of its own, and measures each
 * operation.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../harness/api';
import { startBackendProcess, BackendProcess } from '../harness/backendProcess';
import { createScratchPostgres, POSTGRES_URL } from '../harness/postgres';
import {
  loadRepoTemplates,
  openPluginDatabase,
  copyPgDatabase,
  recreatePgDatabase,
  REPO_ROOT,
} from '../generate/database';
import { writeHistory } from '../generate/history/writeHistory';
import { Random } from '../generate/random';
import { SyntheticCatalog } from '../generate/syntheticCatalog';
import { measure, peakRssMb } from './measure';
import { benchmarkOperations, CI_TOKEN } from './operations';
import type { BenchRow } from './report';

/** The seed of the data and of the requests' choice of entities and gates. */
export const SEED = 42;

/** How each run goes, as the command line set it. */
export interface RunSettings {
  samples: number;
  out: string;
  port: number;
  /** SQLite files of earlier runs to use instead of generating, by size. */
  reuseSqlite: Map<number, string>;
  /** Keep the SQLite data generated, for --reuse-sqlite. */
  keep: boolean;
  /** PostgreSQL databases of earlier runs to copy instead of writing the data, per size. */
  reusePg: Map<number, string>;
  /** Keep the PostgreSQL data generated, as a database of its own, for --reuse-pg. */
  keepPg: boolean;
  /** Measure only the operations whose name contains one of these. */
  operations?: string[];
}

/** Benchmarks one engine at one size: a row per operation. */
export async function runOne(
  engine: 'sqlite' | 'pg',
  size: number,
  options: RunSettings,
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
    const reusedPg = engine === 'pg' ? options.reusePg.get(size) : undefined;
    if (reusedPg) {
      // A database an earlier run of the same seed and size wrote (kept with
      // --keep-pg): copied, and migrated to the current schema.
      await copyPgDatabase(
        POSTGRES_URL,
        reusedPg,
        scratch!.databaseName('release-readiness'),
      );
      const db = await openPluginDatabase({
        engine: 'pg',
        connection: POSTGRES_URL,
        database: scratch!.databaseName('release-readiness'),
      });
      // The migrations' new tables and indexes need the planner's
      // statistics too.
      await db.raw('VACUUM ANALYZE');
      await db.destroy();
      console.log(`${label}: reused the data of database ${reusedPg}`);
    } else if (reused) {
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
      if (engine === 'pg' && options.keepPg) {
        const kept = `rr_bench_data_${size}`;
        await copyPgDatabase(
          POSTGRES_URL,
          scratch!.databaseName('release-readiness'),
          kept,
        );
        console.log(
          `${label}: data kept in database ${kept} (--reuse-pg ${size}=${kept})`,
        );
      }
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
    const operations = await benchmarkOperations(backend, {
      catalog,
      size,
      user,
      random: new Random(SEED + 1),
    });

    const rows: BenchRow[] = [];
    const chosen = operations.filter(
      op =>
        !options.operations ||
        options.operations.some(part => op.name.includes(part)),
    );
    for (const op of chosen) {
      const result = await measure(backend, op, options.samples);
      const row: BenchRow = {
        ...result,
        engine,
        size,
        peakMemoryMb: peakRssMb(backend.pid),
        ...(op.factsPerRequest
          ? { factsPerSec: result.throughputPerSec * op.factsPerRequest }
          : {}),
      };
      rows.push(row);
      console.log(
        `${label}: ${op.name}: p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms, ${
          row.throughputPerSec
        }/s${row.factsPerSec ? ` (${row.factsPerSec} facts/s)` : ''}, ${
          row.queriesPerRequest
        } queries, ${row.errors} errors`,
      );
    }
    return rows;
  } finally {
    await backend?.stop();
    await scratch?.drop();
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  }
}
