#!/usr/bin/env node
// The sizes of the demo app's production bundle (packages/app/dist, built by
// `yarn workspace app build` or `bash scripts/start.sh --production`): every
// JS file, raw and gzipped (node:zlib, default level, as the backend sends
// them), and what each holds of ours, read from its source map: the
// release-readiness plugin's code (tab, card, portfolio, its charts) and the
// chart library (recharts, with the d3 modules it brings).
//
// With the cold-load benchmark's cold-load.json (artifacts/bench/, written
// by `yarn workspace @release-readiness/bench bench:cold-load`), it also
// marks the scripts the Readiness tab loaded, and fails if the chart library
// is among them. Without it, it checks the bundle alone: no chunk holding
// the tab's code holds chart code.
//
//   node scripts/bundle-sizes.mjs [--all] [--loaded artifacts/bench/cold-load.json]
//
// Prints Markdown: a summary, then the chunks with our code or chart code
// (--all: every chunk).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'packages/app/dist';
const argv = process.argv.slice(2);
const option = name => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const loadedFile = option('loaded') ?? 'artifacts/bench/cold-load.json';

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(
    `No build in ${DIST}: run \`yarn workspace app build\` (or bash scripts/start.sh --production) first.`,
  );
  process.exit(1);
}

// What a chunk holds, by the source files its map names; the first rule
// that matches a source names it.
const RULES = [
  [
    /plugins\/release-readiness\/src\/components\/Portfolio\/PortfolioCharts/,
    'portfolio charts',
  ],
  [/plugins\/release-readiness\/src\/components\/Portfolio\//, 'portfolio'],
  [
    /plugins\/release-readiness\/src\/components\/ReadinessContent\//,
    'Readiness tab',
  ],
  [
    /plugins\/release-readiness\/src\/components\/EntityReadinessCard\//,
    'entity card',
  ],
  [
    /plugins\/release-readiness\/src\/(alpha|plugin|routes|index)\.tsx?$|plugins\/release-readiness\/src\/api\//,
    'plugin entry',
  ],
  [/plugins\/release-readiness\/(src|package\.json)/, 'plugin (shared)'],
  [/plugins\/release-readiness-common\//, 'plugin-common'],
  [/node_modules\/(recharts|recharts-scale)\//, 'recharts'],
  [/node_modules\/d3-[^/]+\//, 'd3'],
];
const OURS = new Set(RULES.map(([, label]) => label));
const CHART_LIBRARY = 'recharts';

function holds(file) {
  const map = join(DIST, 'static', `${file}.map`);
  if (!existsSync(map)) return { ours: [], mostly: [] };
  const { sources, sourcesContent = [] } = JSON.parse(
    readFileSync(map, 'utf8'),
  );
  const labels = new Set();
  const packages = new Map();
  sources.forEach((source, i) => {
    const rule = RULES.find(([pattern]) => pattern.test(source));
    if (rule) labels.add(rule[1]);
    const name = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(source)?.[1];
    // Weighed by the size of their original source, where the map has it.
    const weight = sourcesContent[i]?.length ?? 1;
    if (name) packages.set(name, (packages.get(name) ?? 0) + weight);
  });
  const ours = RULES.map(([, label]) => label).filter(l => labels.has(l));
  // Other chunks: the packages most of their source comes from.
  const mostly = [...packages.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name]) => name);
  return { ours, mostly };
}

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<script[^>]*src="[^"]*\/static\/([^"]+\.js)"/g)].map(
    m => m[1],
  ),
);
const loadedByTab = existsSync(loadedFile)
  ? new Set(
      JSON.parse(readFileSync(loadedFile, 'utf8')).scriptsLoaded.map(url =>
        url.replace(/^.*\/static\//, ''),
      ),
    )
  : undefined;

const chunks = readdirSync(join(DIST, 'static'))
  .filter(file => file.endsWith('.js'))
  .map(file => {
    const body = readFileSync(join(DIST, 'static', file));
    return {
      file,
      raw: body.length,
      gzip: gzipSync(body).length,
      initial: initial.has(file),
      loadedByTab: loadedByTab?.has(file),
      ...holds(file),
    };
  })
  .sort((a, b) => b.gzip - a.gzip);

const kb = bytes => `${(bytes / 1024).toFixed(1)} kB`;
const sum = (list, key) => list.reduce((total, c) => total + c[key], 0);
const row = cells => `| ${cells.join(' | ')} |`;

const groups = [
  ['all JS files', chunks],
  ['loaded by index.html', chunks.filter(c => c.initial)],
  ...(loadedByTab
    ? [
        [
          'loaded by a cold load of the Readiness tab',
          chunks.filter(c => c.loadedByTab),
        ],
      ]
    : []),
  [
    'with release-readiness code',
    chunks.filter(c => c.ours.some(l => !['recharts', 'd3'].includes(l))),
  ],
  [
    'with the chart library (recharts)',
    chunks.filter(c => c.ours.includes(CHART_LIBRARY)),
  ],
];
console.log(row(['files', 'count', 'raw', 'gzip']));
console.log(row(['---', '--:', '--:', '--:']));
for (const [name, list] of groups) {
  console.log(
    row([name, list.length, kb(sum(list, 'raw')), kb(sum(list, 'gzip'))]),
  );
}

// Every chunk with our code or chart code, and every chunk the tab loaded
// beyond index.html (--all: every chunk).
const listed = argv.includes('--all')
  ? chunks
  : chunks.filter(
      c =>
        c.ours.some(label => OURS.has(label)) || (c.loadedByTab && !c.initial),
    );
console.log();
console.log(
  row([
    'chunk',
    'raw',
    'gzip',
    'holds',
    'loaded by index.html',
    ...(loadedByTab ? ['loaded by the tab'] : []),
  ]),
);
console.log(
  row(['---', '--:', '--:', '---', '---', ...(loadedByTab ? ['---'] : [])]),
);
for (const c of listed) {
  console.log(
    row([
      c.file,
      kb(c.raw),
      kb(c.gzip),
      c.ours.length ? c.ours.join(', ') : `(${c.mostly.join(', ') || '–'})`,
      c.initial ? 'yes' : 'no',
      ...(loadedByTab ? [c.loadedByTab ? 'yes' : 'no'] : []),
    ]),
  );
}

const charts = chunks.filter(c => c.ours.includes(CHART_LIBRARY));
const tabChunks = chunks.filter(c => c.ours.includes('Readiness tab'));
const mixed = tabChunks.filter(c => c.ours.includes(CHART_LIBRARY));
const chartsLoaded = charts.filter(c => c.loadedByTab || c.initial);
console.log();
if (!charts.length) {
  console.log('No chunk holds recharts.');
} else if (mixed.length || chartsLoaded.length) {
  console.log(
    `The chart library is loaded with the tab: ${[...mixed, ...chartsLoaded]
      .map(c => c.file)
      .join(', ')}.`,
  );
  process.exit(1);
} else {
  console.log(
    `The chart library is in ${charts.map(c => c.file).join(', ')} (${kb(
      sum(charts, 'gzip'),
    )} gzip), apart from the tab's code (${tabChunks
      .map(c => c.file)
      .join(', ')}) and ${
      loadedByTab
        ? `not among the ${loadedByTab.size} scripts a cold load of the Readiness tab fetched (${loadedFile})`
        : 'not loaded by index.html (run the cold-load benchmark to check what the tab loads)'
    }.`,
  );
}
