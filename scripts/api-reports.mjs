#!/usr/bin/env node
// Runs `backstage-repo-tools api-reports` for each published package, one
// package at a time, passing on the options given (e.g. `--ci`).
//
// Why not all packages in one run: repo-tools reads the packages in parallel
// and hands API Extractor their entry points in the order the reads finish.
// TypeScript orders the members of a union by when it first met each type, so
// the unions in the reports (e.g. the extension data of a blueprint) come out
// in a different order from run to run, and `--ci` then fails on a report
// that has not changed. One package per run gives the same report every time.
//
// Reports read the declarations in dist-types/: run `yarn tsc` first (as
// `yarn build:api-reports` and scripts/test.sh do). An incremental tsc that
// re-checks only the changed files can also meet the types in another order
// than the whole check CI runs on a fresh clone; `yarn build:api-reports`
// therefore runs tsc with --incremental false.
//
// Usage: node scripts/api-reports.mjs [repo-tools options]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const published = ['plugins', 'packages'].flatMap(parent =>
  readdirSync(parent)
    .map(name => join(parent, name))
    .filter(dir => {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) return false;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      return !pkg.private && pkg.backstage?.role;
    })
    .sort(),
);

const failed = [];
for (const dir of published) {
  const { status } = spawnSync(
    'yarn',
    ['backstage-repo-tools', 'api-reports', ...process.argv.slice(2), dir],
    { stdio: 'inherit' },
  );
  if (status !== 0) failed.push(dir);
}
if (failed.length > 0) {
  console.error(`\nAPI reports failed for: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nAPI reports done for: ${published.join(', ')}`);
