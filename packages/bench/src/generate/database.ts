import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  checkTemplateSet,
  GateTemplate,
  parseGateTemplate,
} from '@release-readiness/plugin-common';
import knexFactory, { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository's root: this package is packages/bench. */
export const REPO_ROOT = resolvePackagePath(
  '@release-readiness/bench',
  '..',
  '..',
);

/** The gate templates the demo app loads, parsed as the backend parses them. */
export function loadRepoTemplates(): GateTemplate[] {
  const names = [
    'component-gate',
    'system-gate',
    'business-gate',
    'rapid-release',
  ];
  const templates = names.map(name => {
    const path = join(REPO_ROOT, 'gate-templates', `${name}.yaml`);
    const content = readFileSync(path, 'utf8');
    const hash = createHash('sha256').update(content).digest('hex');
    return parseGateTemplate(content, relative(REPO_ROOT, path), hash);
  });
  checkTemplateSet(templates);
  return templates;
}

/** Where the plugin's own migrations live. */
export const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@release-readiness/plugin-backend',
  'migrations',
);

/** A database the generator writes into. */
export type DatabaseTarget =
  | { engine: 'sqlite'; file: string }
  | { engine: 'pg'; connection: string; database: string };

/**
 * Connects to the plugin's database and brings its schema up to date with the
 * plugin's own migrations, exactly as the backend would at start-up.
 */
export async function openPluginDatabase(
  target: DatabaseTarget,
): Promise<Knex> {
  const db =
    target.engine === 'sqlite'
      ? (mkdirSync(dirname(target.file), { recursive: true }),
        knexFactory({
          client: 'better-sqlite3',
          connection: { filename: target.file },
          useNullAsDefault: true,
        }))
      : knexFactory({
          client: 'pg',
          connection: `${target.connection.replace(/\/$/, '')}/${
            target.database
          }`,
          pool: { min: 0, max: 4 },
        });
  await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  return db;
}

/** Creates an empty PostgreSQL database, dropping one of the same name. */
/**
 * Makes `name` a copy of the database `template` (PostgreSQL copies its
 * files), dropping any database of that name first. No one may be
 * connected to `template` meanwhile.
 */
export async function copyPgDatabase(
  connection: string,
  template: string,
  name: string,
) {
  const admin = knexFactory({ client: 'pg', connection });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, template]);
  } finally {
    await admin.destroy();
  }
}

export async function recreatePgDatabase(connection: string, name: string) {
  const admin = knexFactory({ client: 'pg', connection });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
}
