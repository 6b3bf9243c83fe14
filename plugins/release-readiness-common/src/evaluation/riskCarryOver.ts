/**
 * What a new risk assessment keeps of the previous one. The person saving it
 * is who verifies, accepts or approves whatever the save asks to; an earlier
 * verification, acceptance or approval carries over only while what it was
 * given for is unchanged:
 *
 * - the rollback verification, while the rollback plan is the same text;
 * - the residual-risk acceptance, unless the save says yes or no again;
 * - the communication approval, while the audiences and the scheduled time
 *   are the same and the save says nothing about approving.
 */
import { RiskUpdate } from '../api';
import { RiskAssessment } from '../types';

/**
 * A risk save as the rule reads it: the request body less its version and
 * consent (checked before the rule runs), with
 * `communication.scheduledAt` already a normalized ISO timestamp.
 *
 * @public
 */
export type RiskChange = Omit<RiskUpdate, 'version' | 'consent'>;

/**
 * The risk assessment a save produces, given the one before it.
 *
 * @public
 */
export function carryOverRisk(
  change: RiskChange,
  previous: RiskAssessment | undefined,
  actor: string,
  now: string,
): Omit<RiskAssessment, 'version'> {
  const rollbackPlan = change.rollbackPlan?.trim() || undefined;
  const risk: Omit<RiskAssessment, 'version'> = {
    impactMatrix: change.impactMatrix.map(row => ({
      ...row,
      failureMode: row.failureMode.trim(),
    })),
  };
  if (rollbackPlan) {
    risk.rollbackPlan = rollbackPlan;
  }
  if (change.rollbackVerified) {
    risk.rollbackVerifiedAt = now;
    risk.rollbackVerifiedBy = actor;
  } else if (
    previous?.rollbackVerifiedAt &&
    previous.rollbackPlan === rollbackPlan
  ) {
    risk.rollbackVerifiedAt = previous.rollbackVerifiedAt;
    risk.rollbackVerifiedBy = previous.rollbackVerifiedBy;
  }
  if (change.acceptResidualRisk) {
    risk.residualRisk = {
      acceptedBy: actor,
      acceptedAt: now,
      ...(change.residualRiskNote ? { note: change.residualRiskNote } : {}),
    };
  } else if (
    change.acceptResidualRisk === undefined &&
    previous?.residualRisk
  ) {
    risk.residualRisk = previous.residualRisk;
  }
  if (change.communication) {
    const { audiences, scheduledAt, approve } = change.communication;
    const communication: NonNullable<RiskAssessment['communication']> = {
      audiences,
      ...(scheduledAt ? { scheduledAt } : {}),
    };
    const before = previous?.communication;
    const samePlan =
      before !== undefined &&
      JSON.stringify(before.audiences) === JSON.stringify(audiences) &&
      before.scheduledAt === scheduledAt;
    if (approve) {
      communication.approvedBy = actor;
      communication.approvedAt = now;
    } else if (approve === undefined && samePlan && before?.approvedBy) {
      communication.approvedBy = before.approvedBy;
      communication.approvedAt = before.approvedAt;
    }
    risk.communication = communication;
  }
  return risk;
}
