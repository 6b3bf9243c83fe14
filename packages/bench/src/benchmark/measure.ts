/*
 * How one operation is measured against the running backend: latency over
 * requests made one after the other, throughput with concurrent clients, the
 * database queries per request the backend counted, and the backend's peak
 * memory.
 */
import { readFileSync } from 'node:fs';
import { request } from '../harness/api';
import { BackendProcess } from '../harness/backendProcess';
import type { Operation } from './operations';
import type { BenchRow } from './report';

export const CONCURRENCY = 16;
const SEQUENTIAL_BUDGET_MS = 20_000;
const CONCURRENT_BUDGET_MS = 10_000;

const quantile = (sorted: number[], q: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
    : NaN;

export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Measures one operation: its row of the table but for engine, size and memory. */
export async function measure(
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
      statementMs?: Record<string, number>;
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
    const msOf = (sql: string) =>
      ((after.statementMs?.[sql] ?? 0) - (before.statementMs?.[sql] ?? 0)) /
      latencies.length;
    for (const [sql, n] of diff.slice(0, 25)) {
      console.log(
        `    ${(n / latencies.length).toFixed(2)} × ${msOf(sql).toFixed(
          2,
        )} ms × ${sql}`,
      );
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
