/*
 * Which parts of a system (or domain) its roll-up counts. A system gate
 * waits for the gates of the components that ship with it; libraries and
 * SDKs are released on their own terms, and deprecated or experimental
 * components are not what a system release stands on, so none of them is
 * demanded by default. A system may also name parts it does not wait for.
 */
import type { GateTemplateRollup } from '../types/templates';

/**
 * The annotation on a system or domain naming parts its roll-up does not
 * count: comma-separated names (`comp-a, comp-b`, in the whole's namespace)
 * or full refs (`component:default/comp-a`).
 *
 * @public
 */
export const ROLLUP_EXCLUDE_ANNOTATION = 'release-readiness/rollup-exclude';

/**
 * What a roll-up leaves out besides the parts its annotation names.
 *
 * @public
 */
export interface RollupExclusionRules {
  /** Parts of these `spec.type`s do not count. Default: `library`. */
  types: string[];
  /** Parts of these `spec.lifecycle`s do not count. Default: deprecated, experimental. */
  lifecycles: string[];
  /** Parts with any of these `metadata.tags` do not count. Default: none. */
  tags?: string[];
  /**
   * The kinds of parts that count: `component` (and e.g. `resource`) for a
   * system, `system` for a domain. Default: component for a system, system
   * for a domain.
   */
  kinds?: string[];
}

/** @public */
export const DEFAULT_ROLLUP_EXCLUSION_RULES: RollupExclusionRules = {
  types: ['library'],
  lifecycles: ['deprecated', 'experimental'],
  tags: [],
};

const lower = (text: string) => text.trim().toLocaleLowerCase('en-US');

/**
 * The refs named by a whole's exclusion annotation, lower-cased, each a full
 * ref: a bare name is taken in the whole's namespace, of the kind of its
 * parts (components for a system, systems for a domain).
 *
 * @public
 */
export function rollupExcludedRefs(
  annotation: string | undefined,
  whole: { kind: string; namespace?: string },
): Set<string> {
  const partKind = lower(whole.kind) === 'domain' ? 'system' : 'component';
  const namespace = lower(whole.namespace ?? 'default');
  const refs = new Set<string>();
  for (const entry of (annotation ?? '').split(',')) {
    const name = lower(entry);
    if (!name) continue;
    if (name.includes(':')) refs.add(name);
    else if (name.includes('/')) refs.add(`${partKind}:${name}`);
    else refs.add(`${partKind}:${namespace}/${name}`);
  }
  return refs;
}

/**
 * Why a part does not count towards its whole's roll-up, in words, or
 * undefined when it counts. The whole's own list comes first, then the
 * part's type, its lifecycle, then its tags.
 *
 * @public
 */
export function rollupExclusion(
  part: {
    entityRef: string;
    type?: string;
    lifecycle?: string;
    tags?: string[];
  },
  excludedRefs: ReadonlySet<string>,
  rules: RollupExclusionRules = DEFAULT_ROLLUP_EXCLUSION_RULES,
): string | undefined {
  if (excludedRefs.has(lower(part.entityRef))) {
    return `named in the ${ROLLUP_EXCLUDE_ANNOTATION} annotation`;
  }
  const type = part.type ? lower(part.type) : undefined;
  if (type && rules.types.some(t => lower(t) === type)) {
    return `its type is ${part.type} (released on its own)`;
  }
  const lifecycle = part.lifecycle ? lower(part.lifecycle) : undefined;
  if (lifecycle && rules.lifecycles.some(l => lower(l) === lifecycle)) {
    return `its lifecycle is ${part.lifecycle}`;
  }
  const tag = (part.tags ?? []).find(t =>
    (rules.tags ?? []).some(x => lower(x) === lower(t)),
  );
  if (tag) return `it is tagged ${tag}`;
  return undefined;
}

/**
 * The rules in force for a whole: the app's, with each list the template
 * gives in its place.
 *
 * @public
 */
export function rollupRulesFor(
  defaults: RollupExclusionRules,
  template?: GateTemplateRollup,
): RollupExclusionRules {
  const kinds = template?.kinds ?? defaults.kinds;
  const tags = template?.excludeTags ?? defaults.tags;
  return {
    types: template?.excludeTypes ?? defaults.types,
    lifecycles: template?.excludeLifecycles ?? defaults.lifecycles,
    ...(tags ? { tags } : {}),
    ...(kinds ? { kinds } : {}),
  };
}

/**
 * The kinds of parts a whole's roll-up counts, lower-case.
 *
 * @public
 */
export function rollupPartKinds(
  wholeKind: string,
  rules: RollupExclusionRules = DEFAULT_ROLLUP_EXCLUSION_RULES,
): string[] {
  if (rules.kinds?.length) return rules.kinds.map(k => lower(k));
  return [lower(wholeKind) === 'domain' ? 'system' : 'component'];
}
