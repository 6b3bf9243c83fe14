/*
 * wire.mjs wires an app from the package READMEs, or refuses: a README that
 * lacks a step (or names the wrong package or file) must fail the install
 * test instead of being papered over. Runs first in scripts/install-test.sh,
 * or alone: node --test scripts/install-test/wire.test.mjs
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const WIRE = path.join(REPO, 'scripts/install-test/wire.mjs');
const PKGS = ['release-readiness', 'release-readiness-backend'];
const made = [];
after(() => made.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the repository's READMEs, changed by `edit(pkg, text)`. */
function fakeRepo(edit = (_pkg, text) => text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-wire-repo-'));
  made.push(dir);
  for (const pkg of PKGS) {
    fs.mkdirSync(path.join(dir, 'plugins', pkg), { recursive: true });
    for (const f of ['README.md', 'package.json']) {
      const text = fs.readFileSync(path.join(REPO, 'plugins', pkg, f), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'plugins', pkg, f),
        f === 'README.md' ? edit(pkg, text) : text,
      );
    }
  }
  fs.mkdirSync(path.join(dir, 'gate-templates'));
  fs.copyFileSync(
    path.join(REPO, 'gate-templates/component-gate.yaml'),
    path.join(dir, 'gate-templates/component-gate.yaml'),
  );
  return dir;
}

/** The parts of create-app's template that the wiring touches. */
function fakeApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-wire-app-'));
  made.push(dir);
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('packages/app/package.json', '{ "name": "app", "dependencies": {} }\n');
  write(
    'packages/backend/package.json',
    '{ "name": "backend", "dependencies": {} }\n',
  );
  write(
    'packages/backend/src/index.ts',
    "const backend = createBackend();\nbackend.add(\n  import('@backstage/plugin-permission-backend-module-allow-all-policy'),\n);\nbackend.start();\n",
  );
  write('app-config.yaml', 'app:\n  title: x\n  packages: all\n');
  write(
    'packages/app/src/App.tsx',
    "import { createApp } from '@backstage/frontend-defaults';\nimport catalogPlugin from '@backstage/plugin-catalog/alpha';\n\nexport default createApp({\n  features: [catalogPlugin],\n});\n",
  );
  return dir;
}

function wire(step, app, repo) {
  return execFileSync('node', [WIRE, step, app, repo], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
function refused(step, app, repo) {
  try {
    wire(step, app, repo);
  } catch (e) {
    return e.stderr;
  }
  return assert.fail(`${step} wired an app from a README that lacks the step`);
}
const read = (app, rel) => fs.readFileSync(path.join(app, rel), 'utf8');

test('the READMEs as they are wire the backend and the new frontend system', () => {
  const repo = fakeRepo();
  const app = fakeApp();
  for (const step of [
    'dependencies',
    'backend',
    'policy',
    'frontend-explicit',
  ]) {
    wire(step, app, repo);
  }
  const version = JSON.parse(
    read(repo, 'plugins/release-readiness/package.json'),
  ).version;
  assert.equal(
    JSON.parse(read(app, 'packages/app/package.json')).dependencies[
      '@release-readiness/plugin'
    ],
    `^${version}`,
  );
  const index = read(app, 'packages/backend/src/index.ts');
  assert.match(
    index,
    /backend\.add\(import\('@release-readiness\/plugin-backend'\)\);\nbackend\.start/,
  );
  assert.match(
    index,
    /backend\.add\(import\('\.\/modules\/releaseReadinessPolicy'\)\);/,
  );
  assert.doesNotMatch(index, /allow-all-policy'\),/);
  assert.match(
    read(app, 'packages/backend/src/modules/releaseReadinessPolicy.ts'),
    /ReleaseReadinessPolicy\.fromConfig/,
  );
  assert.ok(
    fs.existsSync(path.join(app, 'gate-templates/component-gate.yaml')),
  );
  assert.match(
    read(app, 'packages/app/src/App.tsx'),
    /features: \[releaseReadinessPlugin, catalogPlugin\]/,
  );
  assert.match(
    read(app, 'app-config.yaml'),
    /packages:\n {4}exclude:\n {6}- '@release-readiness\/plugin'/,
  );
});

test('a backend README without the backend.add line is refused', () => {
  const repo = fakeRepo((pkg, text) =>
    pkg === 'release-readiness-backend'
      ? text.replace(
          "backend.add(import('@release-readiness/plugin-backend'));\n",
          '',
        )
      : text,
  );
  assert.match(
    refused('backend', fakeApp(), repo),
    /no code block with backend\.add\(import\('@release-readiness/,
  );
});

test('a permission module that does not say which file it is is refused', () => {
  const repo = fakeRepo((pkg, text) =>
    text.replace(
      '// packages/backend/src/modules/releaseReadinessPolicy.ts\n',
      '',
    ),
  );
  assert.match(
    refused('policy', fakeApp(), repo),
    /does not say which file it is/,
  );
});

test('an install command naming another package is refused', () => {
  const repo = fakeRepo((pkg, text) =>
    text.replace(
      'add @release-readiness/plugin\n',
      'add @release-readiness/frontend\n',
    ),
  );
  assert.match(
    refused('dependencies', fakeApp(), repo),
    /installs @release-readiness\/frontend/,
  );
});

test('a legacy section that names no entity page is refused', () => {
  const repo = fakeRepo((pkg, text) =>
    text.replace(
      /\(in a new app,\n`serviceEntityPage` and `websiteEntityPage`\)/,
      '',
    ),
  );
  assert.match(
    refused('frontend-legacy', fakeApp(), repo),
    /does not name the entity pages/,
  );
});
