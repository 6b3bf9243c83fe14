#!/usr/bin/env node
// Pins every @backstage/* package in yarn.lock to the newest stable version
// published on or before a cut-off date (the day of the Backstage release we
// target, see backstage.json), by writing them as `resolutions` in the root
// package.json. Without it, caret ranges pull packages of later Backstage
// releases into the tree next to ours, and TypeScript and React see two copies.
//
// Usage: node scripts/pin-backstage-release.mjs 2026-09-18
// then:  yarn install
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cutoff = new Date(`${process.argv[2]}T23:59:59Z`);
if (Number.isNaN(cutoff.getTime())) {
  console.error('usage: pin-backstage-release.mjs YYYY-MM-DD');
  process.exit(2);
}

const lock = readFileSync('yarn.lock', 'utf8');
const names = [
  ...new Set([...lock.matchAll(/^"(@backstage\/[^@"]+)@/gm)].map(m => m[1])),
].sort();

const stable = v => /^\d+\.\d+\.\d+$/.test(v);
const cmp = (a, b) => {
  const [x, y] = [a, b].map(v => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

async function pick(name) {
  const { stdout } = await run('npm', ['view', name, 'time', '--json']);
  const times = JSON.parse(stdout);
  const candidates = Object.entries(times)
    .filter(([v, t]) => stable(v) && new Date(t) <= cutoff)
    .map(([v]) => v)
    .sort(cmp);
  return candidates.at(-1);
}

const resolutions = {};
for (let i = 0; i < names.length; i += 8) {
  const batch = names.slice(i, i + 8);
  const versions = await Promise.all(batch.map(pick));
  batch.forEach((name, j) => {
    if (versions[j]) resolutions[name] = versions[j];
  });
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const kept = Object.fromEntries(
  Object.entries(pkg.resolutions ?? {}).filter(
    ([k]) => !k.startsWith('@backstage/'),
  ),
);
pkg.resolutions = { ...kept, ...resolutions };
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`pinned ${Object.keys(resolutions).length} @backstage packages`);
