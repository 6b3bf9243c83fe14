import { Blocker, ConditionResult, GateItem } from '../types';
import { conditionResult, fraction } from './conditions';
import { checkWaiver } from './waivers';

const WAIVE_OR_MARK =
  'mark it passed or not applicable, or waive it with a justification and an expiry';

/** Why a required manual item is not satisfied, or undefined when it is. */
function manualItemBlocker(item: GateItem, now: Date): string | undefined {
  switch (item.status) {
    case 'passed':
    case 'not-applicable':
      return undefined;
    case 'waived': {
      const waiver = checkWaiver(item, now);
      return waiver.state === 'lapsed'
        ? `${item.title} is waived but ${waiver.reason}; renew the waiver or mark the item`
        : undefined;
    }
    case 'failed': {
      const note = item.note?.trim() ? `: '${item.note.trim()}'` : '';
      return `${item.title} is marked failed${note}; fix it and mark it passed, or waive it with a justification and an expiry`;
    }
    default:
      return `${item.title} is still pending; ${WAIVE_OR_MARK}`;
  }
}

/**
 * Condition 1: every required manual item is passed, not applicable, or waived
 * with an unexpired waiver. Optional items never block.
 */
export function evaluateArtifacts(
  items: GateItem[],
  now: Date,
): ConditionResult {
  const required = items.filter(item => item.required && !item.automated);
  const blockers: Blocker[] = [];
  for (const item of required) {
    const message = manualItemBlocker(item, now);
    if (message) {
      blockers.push({ condition: 'artifacts', message, itemId: item.id });
    }
  }
  return conditionResult(
    'artifacts',
    fraction(required.length - blockers.length, required.length),
    blockers,
  );
}
