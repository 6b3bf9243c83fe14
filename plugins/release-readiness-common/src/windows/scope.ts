import { ReleaseWindow, WindowException } from '../types';

/** Refs and tags compare case-insensitively, as the catalog does. */
function key(value: string): string {
  return value.trim().toLocaleLowerCase('en-US');
}

function includesKey(list: string[] | undefined, value: string | undefined) {
  if (value === undefined || !list?.length) {
    return false;
  }
  const wanted = key(value);
  return list.some(entry => key(entry) === wanted);
}

/**
 * Whether `window` applies to an entity: its scope covers all entities, names
 * the entity, names the entity's system, or names one of its tags. Refs and
 * tags compare case-insensitively.
 *
 * @public
 */
export function windowApplies(
  window: ReleaseWindow,
  entity: { entityRef: string; systemRef?: string; tags: string[] },
): boolean {
  const scope = window.scope ?? {};
  return (
    scope.all === true ||
    includesKey(scope.entities, entity.entityRef) ||
    includesKey(scope.systems, entity.systemRef) ||
    entity.tags.some(tag => includesKey(scope.tags, tag))
  );
}

/**
 * The approvers of `window` (in the window's order) that no exception for
 * this window and gate covers yet. All of them when none was approved.
 *
 * @public
 */
export function missingApprovers(
  window: ReleaseWindow,
  exceptions: WindowException[],
  gateId: string,
): string[] {
  const covered = new Set(
    exceptions
      .filter(e => e.windowId === window.id && e.gateId === gateId)
      .flatMap(e => e.covers ?? [])
      .map(key),
  );
  const seen = new Set<string>();
  return (window.approvers ?? []).filter(approver => {
    const k = key(approver);
    if (k === '' || covered.has(k) || seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

/**
 * Whether an exception to `window` is approved for the gate: every ref in
 * the window's `approvers` is covered by some exception recorded for this
 * window and this gate. A window that names no approvers can never be
 * excepted.
 *
 * @public
 */
export function exceptionApproved(
  window: ReleaseWindow,
  exceptions: WindowException[],
  gateId: string,
): boolean {
  return (
    (window.approvers ?? []).some(approver => approver.trim() !== '') &&
    missingApprovers(window, exceptions, gateId).length === 0
  );
}
