#!/usr/bin/env node
// Checks two rules of the code's structure (docs/design.md, "Layers"), and
// exits non-zero when either is broken:
//
//  1. No import cycle inside any package of the repository, type-only imports
//     included (a type cycle is still a layer pointing back up). The import
//     graph comes from dpdm.
//  2. No source file above 600 lines. Tests, test fixtures and helpers, and
//     generated code are not counted.
//
// Usage: node scripts/check-structure.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const MAX_LINES = 600;

function packages() {
  return ['plugins', 'packages'].flatMap(parent =>
    readdirSync(join(root, parent))
      .map(name => join(root, parent, name, 'src'))
      .filter(src => statSync(src, { throwIfNoEntry: false })?.isDirectory()),
  );
}

function sources(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' ? [] : sources(path);
    }
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Tests, their fixtures and helpers, and generated code. */
function isExempt(path) {
  return (
    /\.test\.(ts|tsx)$/.test(path) ||
    /\/(__fixtures__|__testUtils__|__mocks__)\//.test(path) ||
    /\.generated\.ts$/.test(path) ||
    /setupTests\.ts$/.test(path)
  );
}

const problems = [];

for (const src of packages()) {
  const pkg = relative(root, join(src, '..'));
  const json = join(root, 'check-structure.dpdm.json');
  try {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'dpdm', 'lib', 'bin', 'dpdm.js'),
        '--no-warning',
        '--no-tree',
        '--no-circular',
        '--no-progress',
        '--output',
        json,
        `${relative(root, src)}/**/*.{ts,tsx}`,
      ],
      { cwd: root, stdio: 'pipe' },
    );
    const { circulars } = JSON.parse(readFileSync(json, 'utf8'));
    // dpdm follows imports into the other workspace packages; each package
    // answers for the cycles among its own files.
    const own = circulars.filter(cycle =>
      cycle.every(file => !relative(pkg, file).startsWith('..')),
    );
    for (const cycle of own) {
      problems.push(
        `${pkg}: import cycle ${[...cycle, cycle[0]]
          .map(file => relative(pkg, file))
          .join(' -> ')}`,
      );
    }
  } finally {
    try {
      execFileSync('rm', ['-f', json]);
    } catch {
      // nothing to remove
    }
  }
  for (const file of sources(src)) {
    if (isExempt(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES) {
      problems.push(
        `${relative(root, file)}: ${lines} lines (at most ${MAX_LINES})`,
      );
    }
  }
}

if (problems.length) {
  console.error(`check-structure: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('check-structure: no import cycle, no source file above 600 lines');
