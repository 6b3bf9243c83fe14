#!/usr/bin/env node
/*
 * Wires the packed Release Readiness packages into an app made by
 * @backstage/create-app, using nothing but the code blocks of the package
 * READMEs: the install commands, the backend line, the configuration, the
 * permission module, the App.tsx and EntityPage.tsx snippets. A README step
 * that is missing, misnamed or does not compile in a fresh app therefore fails
 * the install test (scripts/install-test.sh), which is the point.
 *
 *   node wire.mjs <step> <appDir> <repoDir>
 *
 * Steps: dependencies, backend, policy, frontend-explicit, frontend-legacy.
 * Every edit is anchored on a line of the template; an anchor that is not
 * found stops with an error naming it, rather than wiring something else.
 */
import fs from 'node:fs';
import path from 'node:path';

const [step, appDir, repoDir] = process.argv.slice(2);
if (!step || !appDir || !repoDir) {
  throw new Error('usage: wire.mjs <step> <appDir> <repoDir>');
}

const readme = name =>
  fs.readFileSync(path.join(repoDir, 'plugins', name, 'README.md'), 'utf8');
const FRONTEND = 'release-readiness';
const BACKEND = 'release-readiness-backend';

/** The fenced code blocks of a README, with their language. */
function codeBlocks(text) {
  const blocks = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ lang: m[1], code: m[2] });
  }
  return blocks;
}

/** The one code block of a README that contains `needle`. */
function block(pkg, needle) {
  const found = codeBlocks(readme(pkg)).filter(b => b.code.includes(needle));
  if (found.length === 0) {
    throw new Error(
      `plugins/${pkg}/README.md has no code block with ${needle}`,
    );
  }
  return found[0].code;
}

/** The statement of a code block that starts with `start` (up to `;`). */
function statement(code, start) {
  const i = code.indexOf(start);
  if (i < 0) throw new Error(`README block has no statement ${start}`);
  const end = code.indexOf(';', i);
  return code.slice(i, end + 1);
}

/** The JSX element of a code block that opens with `open` (up to its close). */
function element(code, open, close) {
  const i = code.indexOf(open);
  if (i < 0) throw new Error(`README block has no element ${open}`);
  const end = code.indexOf(close, i);
  if (end < 0) throw new Error(`README block does not close ${open}`);
  return code.slice(i, end + close.length);
}

const file = rel => path.join(appDir, rel);
const read = rel => fs.readFileSync(file(rel), 'utf8');
function edit(rel, change) {
  const before = read(rel);
  const after = change(before);
  if (after === before) throw new Error(`${rel}: nothing changed`);
  fs.writeFileSync(file(rel), after);
  console.log(`wired ${rel}`);
}
function insertBefore(text, anchor, insertion, rel) {
  const i = text.indexOf(anchor);
  if (i < 0) throw new Error(`${rel}: anchor not found: ${anchor}`);
  return text.slice(0, i) + insertion + text.slice(i);
}
function addImport(text, importStatement) {
  // after the template's last import statement
  const imports = [...text.matchAll(/^import [\s\S]*?;\n/gm)];
  const last = imports[imports.length - 1];
  const at = last.index + last[0].length;
  return `${text.slice(0, at)}${importStatement}\n${text.slice(at)}`;
}

/**
 * `yarn --cwd packages/app add @release-readiness/plugin`, as the README has
 * it, adds `^<version>` of the package to that workspace. The install test
 * cannot ask the registry (the packages come from tarballs, through the root
 * `resolutions`), so it writes the same range itself.
 */
function dependencies() {
  for (const pkg of [FRONTEND, BACKEND]) {
    const cmd = block(pkg, 'yarn --cwd').trim();
    const m = /^yarn --cwd (\S+) add (\S+)$/.exec(cmd);
    if (!m) throw new Error(`plugins/${pkg}/README.md: unexpected ${cmd}`);
    const [, workspace, name] = m;
    const own = JSON.parse(
      fs.readFileSync(path.join(repoDir, 'plugins', pkg, 'package.json')),
    );
    if (own.name !== name) {
      throw new Error(
        `plugins/${pkg}/README.md installs ${name}, not ${own.name}`,
      );
    }
    edit(`${workspace}/package.json`, text => {
      const json = JSON.parse(text);
      json.dependencies[name] = `^${own.version}`;
      return `${JSON.stringify(json, null, 2)}\n`;
    });
  }
}

function backend() {
  const line = statement(
    block(BACKEND, "backend.add(import('@release-readiness"),
    'backend.add(',
  );
  edit('packages/backend/src/index.ts', t =>
    insertBefore(t, 'backend.start();', `${line}\n`, 'index.ts'),
  );
  // The README's configuration block, and the template file it points at,
  // copied from the repository's gate-templates/ as the README says.
  const config = block(BACKEND, 'releaseReadiness:\n  templates:');
  edit('app-config.yaml', t => `${t}\n${config}`);
  const templates = [...config.matchAll(/^\s+- (\S+\.yaml)$/gm)].map(m => m[1]);
  if (templates.length === 0)
    throw new Error('README config lists no template');
  for (const template of templates) {
    const target = path.resolve(appDir, 'packages/backend', template);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(
      path.join(repoDir, 'gate-templates', path.basename(template)),
      target,
    );
    console.log(`copied gate-templates/${path.basename(template)}`);
  }
}

/** The README's permission module in place of the template's allow-all policy. */
function policy() {
  const module = block(BACKEND, 'ReleaseReadinessPolicy.fromConfig');
  const where = /^\/\/ (packages\/backend\/src\/\S+\.ts)$/m.exec(module);
  if (!where) {
    throw new Error('README permission module does not say which file it is');
  }
  fs.mkdirSync(path.dirname(file(where[1])), { recursive: true });
  fs.writeFileSync(file(where[1]), module);
  console.log(`wrote ${where[1]}`);
  const add = statement(
    block(BACKEND, "import('./modules/"),
    "backend.add(import('./modules/",
  );
  edit('packages/backend/src/index.ts', t => {
    const allowAll =
      /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);\n/;
    if (!allowAll.test(t))
      throw new Error('index.ts: no allow-all policy line');
    return t.replace(allowAll, `${add}\n`);
  });
}

/** New frontend system, the plugin in App.tsx's features, not discovered. */
function frontendExplicit() {
  const app = block(FRONTEND, "from '@release-readiness/plugin/alpha'");
  const imp = statement(app, 'import releaseReadinessPlugin');
  edit('packages/app/src/App.tsx', t => {
    const withImport = addImport(t, imp);
    if (!/features: \[/.test(withImport)) {
      throw new Error('App.tsx: no features: [ list');
    }
    return withImport.replace(
      /features: \[/,
      'features: [releaseReadinessPlugin, ',
    );
  });
  // The README's app.packages setting that keeps discovery off for the package.
  const config = block(FRONTEND, 'exclude:');
  const lines = config.split('\n').filter(l => l.trim() !== '');
  if (lines[0] !== 'app:')
    throw new Error('README exclude block is not under app:');
  edit('app-config.yaml', t => {
    if (!/^ {2}packages: all$/m.test(t)) {
      throw new Error('app-config.yaml: no "packages: all" under app');
    }
    return t.replace(/^ {2}packages: all$/m, lines.slice(1).join('\n'));
  });
}

/** Legacy frontend system: EntityPage.tsx tab and card, App.tsx route. */
function frontendLegacy() {
  const entity = block(FRONTEND, 'EntityReleaseReadinessContent');
  const imp = statement(entity, 'import {');
  const tab = element(entity, '<EntityLayout.Route', '</EntityLayout.Route>');
  const card = element(entity, '<Grid item', '</Grid>');
  // The README names the pages in its sentence before the block.
  const sentence = /add the tab to ([\s\S]*?):\n\n```/.exec(readme(FRONTEND));
  const pageNames = (sentence?.[1].match(/`\w+EntityPage`/g) ?? []).map(n =>
    n.slice(1, -1),
  );
  if (pageNames.length === 0) {
    throw new Error('README does not name the entity pages to add the tab to');
  }
  const rel = 'packages/app/src/components/catalog/EntityPage.tsx';
  edit(rel, t => {
    let out = addImport(t, imp);
    for (const page of pageNames) {
      const start = out.indexOf(`const ${page} = (`);
      if (start < 0) throw new Error(`${rel}: no ${page}`);
      const end = out.indexOf('</EntityLayout>', start);
      const line = out.lastIndexOf('\n', end) + 1;
      out = `${out.slice(0, line)}${indent(tab, 4)}\n${out.slice(line)}`;
    }
    const overview = out.indexOf('const overviewContent = (');
    if (overview < 0) throw new Error(`${rel}: no overviewContent`);
    const close = out.indexOf('\n  </Grid>\n);', overview);
    if (close < 0)
      throw new Error(`${rel}: overviewContent has no closing Grid`);
    return `${out.slice(0, close)}\n${indent(card, 4)}${out.slice(close)}`;
  });
  const routeBlock = block(FRONTEND, 'ReleaseReadinessPortfolioPage');
  const routeImp = statement(routeBlock, 'import {');
  // the README's `<Route ... />;` (its page element closes with `/>` too)
  const route = element(routeBlock, '<Route', '/>;').slice(0, -1);
  edit('packages/app/src/App.tsx', t =>
    insertBefore(
      addImport(t, routeImp),
      '  </FlatRoutes>',
      `${indent(route, 4)}\n`,
      'App.tsx',
    ),
  );
}

function indent(code, n) {
  const pad = ' '.repeat(n);
  return code
    .split('\n')
    .map(l => (l ? pad + l : l))
    .join('\n');
}

const steps = {
  dependencies,
  backend,
  policy,
  'frontend-explicit': frontendExplicit,
  'frontend-legacy': frontendLegacy,
};
if (!steps[step]) throw new Error(`unknown step ${step}`);
steps[step]();
