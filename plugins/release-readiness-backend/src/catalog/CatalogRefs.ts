/*
 * Refs a person types into a request (gate owners, a window's scope) are
 * checked against the catalog before they are stored: a ref to nothing is a
 * typo that would otherwise be kept quietly and match nobody. The catalog is
 * read as the plugin itself, one request for all the refs of a body, so that
 * the answer does not depend on what the caller may see of the catalog.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ReleaseWindow } from '@release-readiness/plugin-common';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A ref as typed, where it was in the body, and the full ref it means. */
interface Named {
  field: string;
  given: string;
  /** Undefined when it cannot be read as a ref at all. */
  ref?: string;
}

function fullRef(
  given: string,
  defaults: { defaultKind: string; defaultNamespace: string },
): string | undefined {
  try {
    return lower(stringifyEntityRef(parseEntityRef(given.trim(), defaults)));
  } catch {
    return undefined;
  }
}

/** Catalog look-ups of refs from request bodies. */
export class CatalogRefs {
  constructor(
    private readonly deps: { catalog: CatalogService; auth: AuthService },
  ) {}

  /** Which of `refs` (full, lower case) the catalog has; one request. */
  private async existing(refs: string[]): Promise<Set<string>> {
    const wanted = [...new Set(refs)];
    if (!wanted.length) return new Set();
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: wanted,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return new Set(
      items.flatMap(entity =>
        entity ? [lower(stringifyEntityRef(entity))] : [],
      ),
    );
  }

  /**
   * Throws a 400 naming every ref of `field` that is no User or Group of the
   * catalog. `refs` are full refs (`user:default/jo`, `group:default/qa`).
   */
  async requireUsersOrGroups(refs: string[], field: string): Promise<void> {
    const named = refs.map(given => ({
      given,
      ref: fullRef(given, { defaultKind: 'user', defaultNamespace: 'default' }),
    }));
    const found = await this.existing(
      named.flatMap(n =>
        n.ref && /^(user|group):/.test(n.ref) ? [n.ref] : [],
      ),
    );
    const missing = named.filter(n => !n.ref || !found.has(n.ref));
    if (missing.length) {
      throw new InputError(
        `${field}: no such user or group in the catalog: ${missing
          .map(n =>
            n.ref && n.ref !== lower(n.given)
              ? `${n.given} (${n.ref})`
              : n.given,
          )
          .join(', ')}`,
      );
    }
  }

  /**
   * The window's scope with every system and entity as the full ref of an
   * entity the catalog has: `mobile-apps` among the systems becomes
   * `system:default/mobile-apps`, `payment-gateway` among the entities
   * `component:default/payment-gateway`. A 400 names every one that is not
   * in the catalog (or, among the systems, is no system). Tags are kept.
   */
  async resolveWindowScope(
    scope: ReleaseWindow['scope'],
  ): Promise<ReleaseWindow['scope']> {
    const systems: Named[] = (scope.systems ?? []).map((given, index) => ({
      field: `scope.systems[${index}]`,
      given,
      ref: fullRef(given, {
        defaultKind: 'system',
        defaultNamespace: 'default',
      }),
    }));
    const entities: Named[] = (scope.entities ?? []).map((given, index) => ({
      field: `scope.entities[${index}]`,
      given,
      ref: fullRef(given, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    }));
    const found = await this.existing(
      [...systems, ...entities].flatMap(n => (n.ref ? [n.ref] : [])),
    );
    const problems = [
      ...systems.map(n => {
        if (!n.ref?.startsWith('system:')) {
          return `${n.field}: "${n.given}" is not a system; name one such as system:default/payments-platform`;
        }
        return found.has(n.ref)
          ? undefined
          : `${n.field}: no system "${n.given}" in the catalog (looked for ${n.ref})`;
      }),
      ...entities.map(n =>
        n.ref && found.has(n.ref)
          ? undefined
          : `${n.field}: no entity "${n.given}" in the catalog${
              n.ref ? ` (looked for ${n.ref})` : ''
            }`,
      ),
    ].filter((p): p is string => p !== undefined);
    if (problems.length) {
      throw new InputError(problems.join('; '));
    }
    return {
      ...scope,
      ...(scope.systems ? { systems: systems.map(n => n.ref!) } : {}),
      ...(scope.entities ? { entities: entities.map(n => n.ref!) } : {}),
    };
  }
}
