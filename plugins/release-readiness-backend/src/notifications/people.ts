import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Who the people behind users and groups are. */
export interface PeopleDirectory {
  /**
   * The users among `refs` and the direct members of its groups, as
   * lower-case user refs, each once, sorted.
   */
  usersOf(refs: readonly string[]): Promise<string[]>;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The catalog as the directory of people: a group's members are the users
 * with a `memberOf` relation to it, the membership the sign-off eligibility
 * rule reads from a person's identity. A ref without a kind is a group, as
 * in the templates.
 */
export function catalogPeople(deps: {
  catalog: Pick<CatalogService, 'getEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
}): PeopleDirectory {
  return {
    async usersOf(refs) {
      const all = [...new Set(refs.map(lower))];
      const users = all.filter(ref => ref.startsWith('user:'));
      const groups = all
        .filter(ref => !ref.startsWith('user:'))
        .map(ref => (ref.includes(':') ? ref : `group:default/${ref}`));
      if (groups.length) {
        const { items } = await deps.catalog.getEntities(
          {
            filter: { kind: 'user', 'relations.memberOf': groups },
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          },
          { credentials: await deps.auth.getOwnServiceCredentials() },
        );
        for (const user of items) {
          users.push(lower(stringifyEntityRef(user)));
        }
      }
      return [...new Set(users)].sort();
    },
  };
}
