/**
 * The kinds of entity whose page has a Readiness tab (both frontend systems
 * offer it on these kinds only): components (tier-1 gates), systems (tier 2)
 * and domains (tier 3). Every link to a Readiness tab asks here first, so
 * that no link points to a tab that does not exist.
 */
export const READINESS_TAB_KINDS: readonly string[] = [
  'component',
  'system',
  'domain',
];

/** The kinds whose Readiness tab also shows the roll-up of their parts. */
export const ROLLUP_KINDS: readonly string[] = ['system', 'domain'];

/** Whether an entity of this kind has parts to roll up (systems, domains). */
export function hasRollup(kind: string): boolean {
  return ROLLUP_KINDS.includes(kind.toLocaleLowerCase('en-US'));
}

/** Whether an entity of this kind has a Readiness tab. */
export function hasReadinessTab(kind: string): boolean {
  return READINESS_TAB_KINDS.includes(kind.toLocaleLowerCase('en-US'));
}
