#!/usr/bin/env node
// Prints the README's benchmark tables from a bench.json that `yarn bench`
// wrote: latency (p50 / p95) and queries per request, throughput, and peak
// memory, one column per engine and size.
//
//   node scripts/bench-tables.mjs [docs/benchmark/bench.json]
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/benchmark/bench.json';
const { rows } = JSON.parse(readFileSync(file, 'utf8'));

const ENGINES = { sqlite: 'SQLite', pg: 'PostgreSQL' };
const short = size => (size >= 1000 ? `${size / 1000}k` : String(size));
const columns = [];
for (const engine of Object.keys(ENGINES)) {
  const sizes = [
    ...new Set(rows.filter(r => r.engine === engine).map(r => r.size)),
  ].sort((a, b) => a - b);
  for (const size of sizes) columns.push({ engine, size });
}
const operations = [...new Set(rows.map(r => r.operation))];
const cell = (operation, { engine, size }) =>
  rows.find(
    r => r.operation === operation && r.engine === engine && r.size === size,
  );
const heading = ({ engine, size }) => `${ENGINES[engine]} ${short(size)}`;

function table(header, lines) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => String(l[i]).length)),
  );
  const pad = (value, i) =>
    i === 0
      ? String(value).padEnd(widths[i])
      : String(value).padStart(widths[i]);
  const out = [
    `| ${header.map(pad).join(' | ')} |`,
    `| ${widths
      .map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`))
      .join(' | ')} |`,
    ...lines.map(l => `| ${l.map(pad).join(' | ')} |`),
  ];
  return out.join('\n');
}

const distinct = values =>
  [...new Set(values.filter(v => v !== undefined))]
    .sort((a, b) => a - b)
    .join(', ');

console.log(
  table(
    ['operation', ...columns.map(heading), 'queries/request'],
    operations.map(op => [
      op,
      ...columns.map(c => {
        const r = cell(op, c);
        return r ? `${r.p50Ms} / ${r.p95Ms}` : '';
      }),
      distinct(columns.map(c => cell(op, c)?.queriesPerRequest)),
    ]),
  ),
);
console.log();
console.log(
  table(
    ['throughput, 16 clients (requests/s)', ...columns.map(heading)],
    operations.map(op => [
      op,
      ...columns.map(c => cell(op, c)?.throughputPerSec ?? ''),
    ]),
  ),
);
console.log();

// Peak memory: over the whole run, and until the request before metrics.
const sizes = [...new Set(columns.map(c => c.size))].sort((a, b) => a - b);
const memoryLines = [];
for (const engine of Object.keys(ENGINES)) {
  const ofRun = size =>
    rows.filter(r => r.engine === engine && r.size === size);
  if (!sizes.some(size => ofRun(size).length)) continue;
  const whole = size => Math.max(...ofRun(size).map(r => r.peakMemoryMb));
  const untilMetrics = size => {
    const run = ofRun(size);
    const at = run.findIndex(r => r.operation === 'metrics');
    return at > 0 ? run[at - 1].peakMemoryMb : '';
  };
  memoryLines.push([`${ENGINES[engine]}: whole run`, ...sizes.map(whole)]);
  memoryLines.push([
    `${ENGINES[engine]}: until metrics`,
    ...sizes.map(untilMetrics),
  ]);
}
console.log(
  table(['backend peak memory (MB)', ...sizes.map(short)], memoryLines),
);

// How each p95 grows with the catalog (bench.json's `growth`, computed by
// the benchmark's report): × the smallest size's p95, per engine.
const { growth = [] } = JSON.parse(readFileSync(file, 'utf8'));
if (growth.length) {
  console.log();
  const growthSizes = [...new Set(growth.flatMap(g => g.sizes))].sort(
    (a, b) => a - b,
  );
  console.log(
    table(
      [
        'p95 growth (× the smallest size)',
        ...Object.keys(ENGINES).flatMap(engine =>
          growthSizes.slice(1).map(size => `${ENGINES[engine]} ${short(size)}`),
        ),
      ],
      operations.map(op => [
        op,
        ...Object.keys(ENGINES).flatMap(engine => {
          const g = growth.find(x => x.operation === op && x.engine === engine);
          return growthSizes.slice(1).map(size => {
            const i = g ? g.sizes.indexOf(size) : -1;
            return i > 0 ? `×${g.p95Factor[i]}` : '';
          });
        }),
      ]),
    ),
  );
}
