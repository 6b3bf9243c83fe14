import { GateItem } from '../types';
import { formatDay, parseInstant } from './time';

/**
 * Where an item's waiver stands at a given time.
 *
 * - `not-waived`: the item's status is not `waived`.
 * - `active`: waived, and the waiver expires after now; the item counts as
 *   satisfied.
 * - `lapsed`: marked waived, but the waiver expired, is missing, has an
 *   unreadable expiry or awaits the approval the template asks for; it no longer counts. `reason` says which, in words.
 *
 * @public
 */
export type WaiverCheck =
  | { state: 'not-waived' }
  | { state: 'active'; expiresAt: string }
  | { state: 'lapsed'; reason: string };

/**
 * Checks an item's waiver against `now`: a waiver counts while its
 * `expiresAt` is strictly after `now`.
 *
 * @public
 */
export function checkWaiver(
  item: Pick<GateItem, 'status' | 'waiver'>,
  now: Date,
): WaiverCheck {
  if (item.status !== 'waived') {
    return { state: 'not-waived' };
  }
  if (!item.waiver) {
    return { state: 'lapsed', reason: 'no waiver is recorded' };
  }
  const expiresAt = parseInstant(item.waiver.expiresAt);
  if (expiresAt === undefined) {
    return {
      state: 'lapsed',
      reason: `the waiver's expiry "${item.waiver.expiresAt}" is not a valid date`,
    };
  }
  const approval = item.waiver.approval;
  if (approval && !approval.approvedBy) {
    return {
      state: 'lapsed',
      reason: `the waiver awaits approval by ${approval.approvers.join(
        ' or ',
      )} and does not count until then`,
    };
  }
  if (expiresAt <= now.getTime()) {
    return {
      state: 'lapsed',
      reason: `the waiver expired on ${formatDay(expiresAt)}`,
    };
  }
  return { state: 'active', expiresAt: item.waiver.expiresAt };
}
