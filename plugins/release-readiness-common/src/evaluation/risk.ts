import {
  Blocker,
  ConditionResult,
  RiskAssessment,
  RiskRequirements,
} from '../types';
import { conditionResult, fraction } from './conditions';

/**
 * Condition 3: what the template demands of the risk assessment — an impact
 * matrix with at least one row, and residual risk accepted by someone.
 */
export function evaluateRisk(
  requirements: RiskRequirements,
  risk: RiskAssessment | undefined,
): ConditionResult {
  const blockers: Blocker[] = [];
  let demanded = 0;
  if (requirements.impactMatrix) {
    demanded += 1;
    if (!risk?.impactMatrix?.length) {
      blockers.push({
        condition: 'risk',
        message:
          'The impact matrix is empty; add at least one failure mode with its impact, likelihood and mitigation to the risk assessment',
      });
    }
  }
  if (requirements.residualRiskAcceptance) {
    demanded += 1;
    if (!risk?.residualRisk?.acceptedBy?.trim()) {
      blockers.push({
        condition: 'risk',
        message:
          'Nobody has accepted the residual risk; the person accountable for it must accept it in the risk assessment',
      });
    }
  }
  return conditionResult(
    'risk',
    fraction(demanded - blockers.length, demanded),
    blockers,
  );
}
