/*
 * `node --require @backstage/cli-node/config/nodeTransform.cjs
 *   packages/bench/src/generate/demoCli.ts [sqlite file]`
 *
 * Writes the demo's six months of history into the embedded SQLite database
 * of the development app (`.data/release-readiness.sqlite` by default).
 */
import { join } from 'node:path';
import { loadRepoTemplates, openPluginDatabase, REPO_ROOT } from './database';
import { writeDemoHistory } from './demoHistory';

async function main() {
  const file =
    process.argv[2] ?? join(REPO_ROOT, '.data', 'release-readiness.sqlite');
  const db = await openPluginDatabase({ engine: 'sqlite', file });
  try {
    const written = await writeDemoHistory(db, {
      repoRoot: REPO_ROOT,
      templates: loadRepoTemplates(),
    });
    console.log(
      written
        ? `demo-history: ${written.gates} gates of ${written.entities} entities over six months (${written.releases} releases, ${written.noGoDecisions} NO-GOs, ${written.incidents} incidents)`
        : 'demo-history: the database already has gates; nothing to do',
    );
  } finally {
    await db.destroy();
  }
}

main().catch(error => {
  console.error(
    `demo-history: ${String(error.message ?? error).slice(0, 500)}`,
  );
  process.exit(1);
});
