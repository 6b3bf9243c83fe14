/*
 * The risk form's model: what the form holds, how it starts from a gate's
 * risk assessment, and the update it sends. Kept apart from the component so
 * the rules about who verified, accepted or approved what can be tested
 * without rendering.
 */
import {
  ImpactRow,
  RiskAssessment,
  RiskUpdate,
} from '@release-readiness/plugin-common';
import { toIso, toLocalInput } from '../shared/format';

/** What the risk form holds while it is edited. */
export interface RiskFormState {
  /**
   * The gate the form was filled for: an acceptance or approval names it
   * (`consent`), so that the server refuses one sent for another gate.
   */
  gateId: string;
  rollbackPlan: string;
  /** Ticked: the signed-in user verifies the rollback now. */
  verifyRollback: boolean;
  rows: ImpactRow[];
  acceptResidualRisk: boolean;
  residualRiskNote: string;
  /** Comma-separated, as typed. */
  audiences: string;
  /** The value of a `datetime-local` input, in the browser's time zone. */
  scheduledAt: string;
  approvePlan: boolean;
}

/** The audiences as typed (`support, merchants`) as a list. */
export function parseAudiences(text: string): string[] {
  return text
    .split(',')
    .map(a => a.trim())
    .filter(Boolean);
}

/**
 * The form for a gate's risk assessment, or an empty one without it. A box
 * starts ticked only for an acceptance or approval this gate already holds.
 */
export function initialRiskForm(
  gateId: string,
  risk: RiskAssessment | undefined,
): RiskFormState {
  return {
    gateId,
    rollbackPlan: risk?.rollbackPlan ?? '',
    verifyRollback: false,
    rows: risk?.impactMatrix.map(row => ({ ...row })) ?? [],
    acceptResidualRisk: Boolean(risk?.residualRisk),
    residualRiskNote: risk?.residualRisk?.note ?? '',
    audiences: risk?.communication?.audiences.join(', ') ?? '',
    scheduledAt: toLocalInput(risk?.communication?.scheduledAt),
    approvePlan: Boolean(risk?.communication?.approvedBy),
  };
}

/** A new row of the impact matrix, as the "add row" button adds it. */
export function emptyImpactRow(): ImpactRow {
  return {
    failureMode: '',
    impact: 'medium',
    likelihood: 'medium',
    mitigation: '',
  };
}

/** For each row of the impact matrix, whether it lacks its failure mode. */
export function impactRowErrors(form: RiskFormState): boolean[] {
  return form.rows.map(row => !row.failureMode.trim());
}

/** Whether a verified rollback plan was edited (the verification lapses). */
export function rollbackPlanChanged(
  form: RiskFormState,
  risk: RiskAssessment | undefined,
): boolean {
  return (
    Boolean(risk?.rollbackVerifiedBy) &&
    (risk?.rollbackPlan ?? '') !== form.rollbackPlan.trim()
  );
}

/** Whether an approved communication plan was edited (the approval lapses). */
export function communicationPlanChanged(
  form: RiskFormState,
  risk: RiskAssessment | undefined,
): boolean {
  return (
    Boolean(risk?.communication?.approvedBy) &&
    (parseAudiences(form.audiences).join(',') !==
      risk?.communication?.audiences.join(',') ||
      toIso(form.scheduledAt) !== risk?.communication?.scheduledAt)
  );
}

/**
 * The body of the update. Verifying, accepting and approving record the
 * signed-in user, so they are sent only when the user does them now; an
 * earlier acceptance or approval is kept by leaving them out, and withdrawn
 * by sending `false`. A changed communication plan loses its approval: a
 * ticked box approves it anew. An acceptance or approval names the gate the
 * form was filled for and the risk version it was filled on (`consent`).
 */
export function toRiskUpdate(
  form: RiskFormState,
  risk: RiskAssessment | undefined,
): RiskUpdate {
  const update: RiskUpdate = {
    version: risk?.version ?? 0,
    impactMatrix: form.rows.map(row => ({
      ...row,
      failureMode: row.failureMode.trim(),
      mitigation: row.mitigation.trim(),
    })),
  };
  const plan = form.rollbackPlan.trim();
  if (plan) {
    update.rollbackPlan = plan;
  }
  if (form.verifyRollback) {
    update.rollbackVerified = true;
  }

  const accepted = risk?.residualRisk;
  const note = form.residualRiskNote.trim();
  if (form.acceptResidualRisk) {
    if (!accepted || (accepted.note ?? '') !== note) {
      update.acceptResidualRisk = true;
      if (note) {
        update.residualRiskNote = note;
      }
    }
  } else if (accepted) {
    update.acceptResidualRisk = false;
  }

  const audiences = parseAudiences(form.audiences);
  const scheduledAt = toIso(form.scheduledAt);
  const before = risk?.communication;
  const approved =
    Boolean(before?.approvedBy) && !communicationPlanChanged(form, risk);
  if (audiences.length || scheduledAt || form.approvePlan || before) {
    update.communication = {
      audiences,
      ...(scheduledAt ? { scheduledAt } : {}),
    };
    if (form.approvePlan && !approved) {
      update.communication.approve = true;
    } else if (!form.approvePlan && approved) {
      update.communication.approve = false;
    }
  }
  if (update.acceptResidualRisk || update.communication?.approve) {
    update.consent = { gateId: form.gateId, riskVersion: update.version };
  }
  return update;
}
