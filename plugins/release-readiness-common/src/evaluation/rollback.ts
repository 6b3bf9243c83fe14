import {
  Blocker,
  ConditionResult,
  Evidence,
  Gate,
  RiskRequirements,
} from '../types';
import { conditionResult, fraction } from './conditions';
import { ROLLBACK_VERIFICATION_EVIDENCE, evidenceOfType } from './evidence';
import {
  describeAge,
  describeDuration,
  formatDay,
  instantBefore,
  parseDuration,
  parseInstant,
} from './time';

/**
 * The newest rollback verification: by a person (`risk.rollbackVerifiedAt`) or
 * by `passed` rollback-verification evidence for the gate's entity and release.
 */
function lastVerification(
  gate: Pick<Gate, 'entityRef' | 'release' | 'risk'>,
  evidence: Evidence[],
): number | undefined {
  const byPerson = parseInstant(gate.risk?.rollbackVerifiedAt);
  const byEvidence = evidenceOfType(
    gate,
    evidence,
    ROLLBACK_VERIFICATION_EVIDENCE,
  ).find(e => e.evidence.status === 'passed')?.observedAt;
  const times = [byPerson, byEvidence].filter(
    (t): t is number => t !== undefined,
  );
  return times.length ? Math.max(...times) : undefined;
}

function verificationBlocker(
  within: string,
  gate: Pick<Gate, 'entityRef' | 'release' | 'risk'>,
  evidence: Evidence[],
  now: Date,
): string | undefined {
  const span = parseDuration(within);
  if (!span) {
    return `The template's rollbackVerifiedWithin "${within}" is invalid (write an ISO 8601 duration such as P30D); fix the gate template`;
  }
  const limit = describeDuration(within);
  const verifiedAt = lastVerification(gate, evidence);
  if (verifiedAt === undefined) {
    return `The rollback has never been verified; rehearse it, then record the verification in the risk assessment or post ${ROLLBACK_VERIFICATION_EVIDENCE} evidence for release ${gate.release} (it must be verified within ${limit} before release)`;
  }
  if (verifiedAt < instantBefore(now, span)) {
    const age = describeAge(now.getTime() - verifiedAt);
    return `The rollback was last verified on ${formatDay(
      verifiedAt,
    )} (${age} ago), longer ago than the ${limit} allowed; rehearse it again and record the verification`;
  }
  return undefined;
}

/**
 * Condition 4: when the template demands it, a rollback plan is written down,
 * and — when it sets `rollbackVerifiedWithin` — the rollback was verified
 * within that time of now.
 */
export function evaluateRollback(
  requirements: RiskRequirements,
  gate: Pick<Gate, 'entityRef' | 'release' | 'risk'>,
  evidence: Evidence[],
  now: Date,
): ConditionResult {
  const messages: string[] = [];
  let demanded = 0;
  if (requirements.rollbackPlan) {
    demanded += 1;
    if (!gate.risk?.rollbackPlan?.trim()) {
      messages.push(
        `There is no rollback plan; describe in the risk assessment (as text or a link) how to roll back release ${gate.release}`,
      );
    }
  }
  if (requirements.rollbackVerifiedWithin !== undefined) {
    demanded += 1;
    const message = verificationBlocker(
      requirements.rollbackVerifiedWithin,
      gate,
      evidence,
      now,
    );
    if (message) {
      messages.push(message);
    }
  }
  const blockers: Blocker[] = messages.map(message => ({
    condition: 'rollback',
    message,
  }));
  return conditionResult(
    'rollback',
    fraction(demanded - blockers.length, demanded),
    blockers,
  );
}
