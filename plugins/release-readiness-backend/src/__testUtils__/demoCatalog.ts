/*
 * The demo's catalog (examples/entities.yaml and examples/org.yaml) as the
 * catalog serves it after processing: ownership and system relations on the
 * parts, `memberOf`/`hasMember` between users and groups.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const EXAMPLES = resolve(__dirname, '../../../../examples');

function fullRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

function readFile(file: string): Entity[] {
  return parseAllDocuments(readFileSync(resolve(EXAMPLES, file), 'utf8'))
    .map(doc => doc.toJS() as Entity)
    .filter(e => e && typeof e === 'object' && e.kind);
}

/** The demo catalog, and who is in which group (user ref → group refs). */
export function demoCatalog(): {
  entities: Entity[];
  membership: Record<string, string[]>;
} {
  const all = [...readFile('entities.yaml'), ...readFile('org.yaml')].map(
    e => ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
    }),
  );
  const membership: Record<string, string[]> = {};
  for (const user of all.filter(e => e.kind === 'User')) {
    membership[fullRef(user.metadata.name, 'user')] = (
      (user.spec?.memberOf as string[]) ?? []
    ).map(g => fullRef(g, 'group'));
  }
  const entities = all.map(e => {
    const ref = stringifyEntityRef(e).toLocaleLowerCase('en-US');
    const relations: { type: string; targetRef: string }[] = [];
    if (e.spec?.owner) {
      relations.push({
        type: 'ownedBy',
        targetRef: fullRef(String(e.spec.owner), 'group'),
      });
    }
    if (e.spec?.system) {
      relations.push({
        type: 'partOf',
        targetRef: fullRef(String(e.spec.system), 'system'),
      });
    }
    if (e.kind === 'User') {
      for (const group of membership[ref] ?? []) {
        relations.push({ type: 'memberOf', targetRef: group });
      }
    }
    if (e.kind === 'Group') {
      for (const [user, groups] of Object.entries(membership)) {
        if (groups.includes(ref)) {
          relations.push({ type: 'hasMember', targetRef: user });
        }
      }
    }
    return { ...e, relations };
  });
  return { entities, membership };
}
