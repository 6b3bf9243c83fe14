import { stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The entity ref used everywhere in the plugin: fully lower-case, as the
 * catalog compares refs case-insensitively, so that refs compare equal however
 * a URL or a pipeline spelled them.
 *
 * @public
 */
export function toReadinessEntityRef(ref: {
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return stringifyEntityRef({
    kind: ref.kind,
    namespace: ref.namespace || 'default',
    name: ref.name,
  }).toLocaleLowerCase('en-US');
}
