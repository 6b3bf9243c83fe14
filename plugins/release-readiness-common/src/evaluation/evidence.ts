import { Evidence, Gate } from '../types';
import { parseInstant } from './time';

/**
 * The evidence type whose `passed` reports verify a gate's rollback.
 *
 * @public
 */
export const ROLLBACK_VERIFICATION_EVIDENCE = 'rollback-verification';

/** Evidence with its observed time read. */
export interface TimedEvidence {
  evidence: Evidence;
  observedAt: number;
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
 */
export function evidenceOfType(
  gate: Pick<Gate, 'entityRef' | 'release'>,
  evidence: Evidence[],
  type: string,
): TimedEvidence[] {
  const entityRef = gate.entityRef.toLocaleLowerCase('en-US');
  const timed: (TimedEvidence & { receivedAt: number })[] = [];
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
      const receivedAt = parseInstant(item.receivedAt) ?? 0;
      timed.push({ evidence: item, observedAt, receivedAt });
    }
  }
  timed.sort(
    (a, b) =>
      b.observedAt - a.observedAt ||
      b.receivedAt - a.receivedAt ||
      compareDescending(a.evidence.id, b.evidence.id),
  );
  return timed.map(({ evidence: item, observedAt }) => ({
    evidence: item,
    observedAt,
  }));
}
