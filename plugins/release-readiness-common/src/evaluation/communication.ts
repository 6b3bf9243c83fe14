import { Blocker, ConditionResult, Gate, RiskRequirements } from '../types';
import { conditionResult, fraction } from './conditions';

/**
 * Condition 5: when the template demands a communication plan, it names at
 * least one audience, is scheduled and is approved. Each gap is its own
 * blocker.
 */
export function evaluateCommunication(
  requirements: RiskRequirements,
  gate: Pick<Gate, 'release' | 'risk'>,
): ConditionResult {
  if (!requirements.communicationPlan) {
    return conditionResult('communication', 1, []);
  }
  const plan = gate.risk?.communication;
  const messages: string[] = [];
  if (!plan?.audiences?.some(audience => audience.trim())) {
    messages.push(
      `The communication plan names no audience; list who must hear about release ${gate.release} (for example support or affected teams)`,
    );
  }
  if (!plan?.scheduledAt) {
    messages.push(
      `The release communication is not scheduled; set when the audiences will be told about release ${gate.release}`,
    );
  }
  if (!plan?.approvedBy?.trim()) {
    messages.push(
      'The communication plan is not approved; ask the person responsible for release communication to approve it',
    );
  }
  const blockers: Blocker[] = messages.map(message => ({
    condition: 'communication',
    message,
  }));
  return conditionResult(
    'communication',
    fraction(3 - blockers.length, 3),
    blockers,
  );
}
