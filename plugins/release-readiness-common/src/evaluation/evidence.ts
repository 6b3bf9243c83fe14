import { Evidence, Gate } from '../types';
import { parseInstant } from './time';

/**
 * The evidence type whose `passed` reports verify a gate's rollback.
 *
 * @public
 */
export const ROLLBACK_VERIFICATION_EVIDENCE = 'rollback-verification';

/**
 * Evidence with its times read: `observedAt` is when it counts as observed
 * (never after it was received), `receivedAt` when the plugin stored it
 * (undefined when that cannot be read).
 */
export interface TimedEvidence {
  evidence: Evidence;
  observedAt: number;
  receivedAt?: number;
}

function compareDescending(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? 1 : -1;
}

/**
 * The evidence of `type` for the gate's entity and release, newest observed
 * first. Ties go to the later received, then to the greater id, so the order
 * never depends on the order of the input. Evidence whose observed time cannot
 * be read is ignored.
 *
 * Nothing is observed after it arrived: an observed time later than the
 * receive time counts as the receive time. The API refuses observations from
 * the future (beyond a small clock skew); this keeps one stored before that,
 * or written into the database by hand, from ranking above every run posted
 * after it and hiding their failures.
 */
export function evidenceOfType(
  gate: Pick<Gate, 'entityRef' | 'release'>,
  evidence: Evidence[],
  type: string,
): TimedEvidence[] {
  const entityRef = gate.entityRef.toLocaleLowerCase('en-US');
  const timed: TimedEvidence[] = [];
  for (const item of evidence) {
    if (
      item.type !== type ||
      item.release !== gate.release ||
      item.entityRef.toLocaleLowerCase('en-US') !== entityRef
    ) {
      continue;
    }
    const observedAt = parseInstant(item.observedAt);
    if (observedAt !== undefined) {
      const receivedAt = parseInstant(item.receivedAt);
      timed.push({
        evidence: item,
        observedAt:
          receivedAt === undefined
            ? observedAt
            : Math.min(observedAt, receivedAt),
        receivedAt,
      });
    }
  }
  timed.sort(
    (a, b) =>
      b.observedAt - a.observedAt ||
      (b.receivedAt ?? 0) - (a.receivedAt ?? 0) ||
      compareDescending(a.evidence.id, b.evidence.id),
  );
  return timed;
}
