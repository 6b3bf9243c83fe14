/*
 * Six months of history for the demo catalog (examples/), so that the
 * portfolio's metrics, charts and "caught before production" have content on
 * first start. Development only: `scripts/start.sh` runs it against the
 * embedded SQLite database before the backend starts, and it does nothing
 * when the database already has history. The demo's current gates are opened
 * afterwards through the API by `scripts/seed-demo.mjs`.
 */
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { toEntityInfo } from '@release-readiness/plugin-backend/internal';
import { GateTemplate } from '@release-readiness/plugin-common';
import type { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { GeneratedEntity, HistorySummary, People } from './history/types';
import { writeHistory } from './history/writeHistory';

/** The seed of the demo's history: the same demo on every machine. */
export const DEMO_SEED = 20_261_127;

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function fullRef(ref: string, defaultKind: string) {
  return lower(
    stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    ),
  );
}

/**
 * An entity as the catalog serves it after processing: with the `ownedBy`
 * and `partOf` relations its `spec.owner` and `spec.system` imply.
 */
export function withCatalogRelations(entity: Entity): Entity {
  const relation = (type: string, ref: unknown, kind: string) => ({
    type,
    targetRef: stringifyEntityRef(
      parseEntityRef(String(ref), {
        defaultKind: kind,
        defaultNamespace: 'default',
      }),
    ),
  });
  return {
    ...entity,
    metadata: { namespace: 'default', ...entity.metadata },
    relations: [
      ...(entity.spec?.owner
        ? [relation(RELATION_OWNED_BY, entity.spec.owner, 'group')]
        : []),
      ...(entity.spec?.system
        ? [relation(RELATION_PART_OF, entity.spec.system, 'system')]
        : []),
    ],
  };
}

/** The entities of the demo catalog files. */
export function readCatalogFiles(files: string[]): Entity[] {
  return files.flatMap(file =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map(doc => doc.toJS() as Entity)
      .filter(e => e && typeof e === 'object' && e.kind),
  );
}

/**
 * What the entity index sync would write for each gated entity of these
 * files, and who is a member of which group.
 */
export function demoOrganisation(
  entities: Entity[],
  templates: GateTemplate[],
): { entities: GeneratedEntity[]; people: People } {
  const members = new Map<string, string[]>();
  for (const user of entities.filter(e => e.kind === 'User')) {
    const ref = fullRef(user.metadata.name, 'user');
    for (const group of (user.spec?.memberOf as string[] | undefined) ?? []) {
      const groupRef = fullRef(group, 'group');
      members.set(groupRef, [...(members.get(groupRef) ?? []), ref]);
    }
  }
  const gated = entities.flatMap(entity => {
    if (!['Component', 'System'].includes(entity.kind)) return [];
    // Experimental services are new: no release has been through a gate yet,
    // so the demo also shows the tab's empty state.
    if (entity.spec?.lifecycle === 'experimental') return [];
    const info = toEntityInfo(withCatalogRelations(entity), templates);
    const template = templates.find(t => t.name === info.templateName);
    return template && !template.rapid ? [info] : [];
  });
  return { entities: gated, people: { byTeam: members, byGroup: members } };
}

/**
 * Writes the demo history unless the database already has gates. Returns
 * what it wrote, or undefined when it left the database alone.
 */
export async function writeDemoHistory(
  db: Knex,
  options: { repoRoot: string; templates: GateTemplate[]; now?: Date },
): Promise<HistorySummary | undefined> {
  const existing = await db('gates').count({ n: '*' }).first();
  if (Number(existing?.n ?? 0) > 0) return undefined;
  const entities = readCatalogFiles(
    ['entities.yaml', 'org.yaml'].map(f =>
      join(options.repoRoot, 'examples', f),
    ),
  );
  const organisation = demoOrganisation(entities, options.templates);
  return writeHistory(db, {
    entities: organisation.entities,
    people: organisation.people,
    templates: options.templates,
    options: {
      seed: DEMO_SEED,
      now: options.now ?? new Date(),
      months: 6,
      pastGates: { min: 3, max: 6 },
      currentGates: false,
      ciPrincipal: 'external:ci',
      // Calendar versions: they never clash with the semantic versions the
      // demo seed opens through the API.
      releaseName: (_k, openedAt) =>
        openedAt.toISOString().slice(0, 10).replace(/-/g, '.'),
    },
  });
}
