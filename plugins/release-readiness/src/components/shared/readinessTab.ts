/**
 * The kinds of entity whose page has a Readiness tab (both frontend systems
 * offer it on these kinds only). Every link to a Readiness tab asks here
 * first, so that no link points to a tab that does not exist.
 */
export const READINESS_TAB_KINDS: readonly string[] = ['component'];

/** Whether an entity of this kind has a Readiness tab. */
export function hasReadinessTab(kind: string): boolean {
  return READINESS_TAB_KINDS.includes(kind.toLocaleLowerCase('en-US'));
}
