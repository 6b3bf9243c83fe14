import { RiskAssessment } from '@release-readiness/plugin-common';
import { toLocalInput } from '../shared/format';
import {
  communicationPlanChanged,
  emptyImpactRow,
  impactRowErrors,
  initialRiskForm,
  parseAudiences,
  RiskFormState,
  rollbackPlanChanged,
  toRiskUpdate,
} from './riskFormModel';

const RISK: RiskAssessment = {
  version: 4,
  rollbackPlan: 'Redeploy 1.3.2 with the deploy pipeline',
  rollbackVerifiedAt: '2026-06-12T09:00:00.000Z',
  rollbackVerifiedBy: 'user:default/priya.raman',
  impactMatrix: [
    {
      failureMode: 'Card payments time out',
      impact: 'high',
      likelihood: 'low',
      mitigation: 'Feature flag',
    },
  ],
  residualRisk: {
    acceptedBy: 'user:default/margaret.osei',
    acceptedAt: '2026-06-13T09:00:00.000Z',
    note: 'Low traffic window',
  },
  communication: {
    audiences: ['support', 'merchants'],
    scheduledAt: '2026-06-20T08:00:00.000Z',
    approvedBy: 'user:default/david.kim',
    approvedAt: '2026-06-13T10:00:00.000Z',
  },
};

function formWith(changes: Partial<RiskFormState>): RiskFormState {
  return { ...initialRiskForm('gate-1', RISK), ...changes };
}

describe('parseAudiences', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseAudiences(' support,, merchants ,')).toEqual([
      'support',
      'merchants',
    ]);
    expect(parseAudiences('  ')).toEqual([]);
  });
});

describe('initialRiskForm', () => {
  it('is empty without an assessment', () => {
    expect(initialRiskForm('gate-1', undefined)).toEqual({
      gateId: 'gate-1',
      rollbackPlan: '',
      verifyRollback: false,
      rows: [],
      acceptResidualRisk: false,
      residualRiskNote: '',
      audiences: '',
      scheduledAt: '',
      approvePlan: false,
    });
  });

  it('starts from the assessment, never verifying anew', () => {
    const form = initialRiskForm('gate-1', RISK);
    expect(form).toEqual({
      gateId: 'gate-1',
      rollbackPlan: 'Redeploy 1.3.2 with the deploy pipeline',
      verifyRollback: false,
      rows: RISK.impactMatrix,
      acceptResidualRisk: true,
      residualRiskNote: 'Low traffic window',
      audiences: 'support, merchants',
      scheduledAt: toLocalInput('2026-06-20T08:00:00.000Z'),
      approvePlan: true,
    });
    expect(form.rows[0]).not.toBe(RISK.impactMatrix[0]);
  });
});

describe('impact rows', () => {
  it('flags rows without a failure mode', () => {
    const form = formWith({
      rows: [...RISK.impactMatrix, emptyImpactRow(), emptyImpactRow()],
    });
    form.rows[2] = { ...form.rows[2], failureMode: '  ' };
    expect(impactRowErrors(form)).toEqual([false, true, true]);
  });
});

describe('what lapses when the form changes', () => {
  it('notices an edited verified rollback plan, not whitespace', () => {
    expect(rollbackPlanChanged(formWith({}), RISK)).toBe(false);
    expect(
      rollbackPlanChanged(
        formWith({ rollbackPlan: `${RISK.rollbackPlan}  ` }),
        RISK,
      ),
    ).toBe(false);
    expect(
      rollbackPlanChanged(formWith({ rollbackPlan: 'Restore backup' }), RISK),
    ).toBe(true);
    expect(
      rollbackPlanChanged(formWith({ rollbackPlan: 'Restore backup' }), {
        ...RISK,
        rollbackVerifiedBy: undefined,
      }),
    ).toBe(false);
  });

  it('notices new audiences or a new time in an approved plan', () => {
    expect(communicationPlanChanged(formWith({}), RISK)).toBe(false);
    expect(
      communicationPlanChanged(formWith({ audiences: 'support' }), RISK),
    ).toBe(true);
    expect(communicationPlanChanged(formWith({ scheduledAt: '' }), RISK)).toBe(
      true,
    );
    expect(
      communicationPlanChanged(formWith({ audiences: 'support' }), {
        ...RISK,
        communication: { audiences: ['support', 'merchants'] },
      }),
    ).toBe(false);
  });
});

describe('toRiskUpdate', () => {
  it('sends a new assessment with version 0 and trimmed text', () => {
    const form: RiskFormState = {
      ...initialRiskForm('gate-1', undefined),
      rollbackPlan: ' Redeploy ',
      verifyRollback: true,
      rows: [
        {
          failureMode: ' Refunds fail ',
          impact: 'high',
          likelihood: 'low',
          mitigation: ' Flag off ',
        },
      ],
      acceptResidualRisk: true,
      residualRiskNote: ' Small ',
      audiences: 'support',
      approvePlan: true,
    };
    expect(toRiskUpdate(form, undefined)).toEqual({
      version: 0,
      rollbackPlan: 'Redeploy',
      rollbackVerified: true,
      impactMatrix: [
        {
          failureMode: 'Refunds fail',
          impact: 'high',
          likelihood: 'low',
          mitigation: 'Flag off',
        },
      ],
      acceptResidualRisk: true,
      residualRiskNote: 'Small',
      communication: { audiences: ['support'], approve: true },
      consent: { gateId: 'gate-1', riskVersion: 0 },
    });
  });

  it('keeps earlier acceptance and approval by leaving them out', () => {
    expect(toRiskUpdate(initialRiskForm('gate-1', RISK), RISK)).toEqual({
      version: 4,
      rollbackPlan: RISK.rollbackPlan,
      impactMatrix: RISK.impactMatrix,
      communication: {
        audiences: ['support', 'merchants'],
        scheduledAt: '2026-06-20T08:00:00.000Z',
      },
    });
  });

  it('withdraws acceptance and approval when unticked', () => {
    const update = toRiskUpdate(
      formWith({ acceptResidualRisk: false, approvePlan: false }),
      RISK,
    );
    expect(update.acceptResidualRisk).toBe(false);
    expect(update.communication?.approve).toBe(false);
  });

  it('accepts again when the note of an accepted risk changes', () => {
    const update = toRiskUpdate(formWith({ residualRiskNote: 'New' }), RISK);
    expect(update.acceptResidualRisk).toBe(true);
    expect(update.residualRiskNote).toBe('New');
    expect(update.consent).toEqual({ gateId: 'gate-1', riskVersion: 4 });
  });

  it('names no consent when nothing is accepted or approved now', () => {
    expect(
      toRiskUpdate(initialRiskForm('gate-1', RISK), RISK).consent,
    ).toBeUndefined();
    expect(
      toRiskUpdate(
        formWith({ acceptResidualRisk: false, approvePlan: false }),
        RISK,
      ).consent,
    ).toBeUndefined();
  });

  it('names the gate the form was filled for, not the one it is sent to', () => {
    const form = {
      ...initialRiskForm('gate-earlier', undefined),
      acceptResidualRisk: true,
    };
    expect(toRiskUpdate(form, undefined).consent).toEqual({
      gateId: 'gate-earlier',
      riskVersion: 0,
    });
  });

  it('approves a changed plan anew while its box stays ticked', () => {
    const update = toRiskUpdate(formWith({ audiences: 'support' }), RISK);
    expect(update.communication).toEqual({
      audiences: ['support'],
      scheduledAt: '2026-06-20T08:00:00.000Z',
      approve: true,
    });
  });

  it('sends no communication plan when there is none', () => {
    expect(
      toRiskUpdate(initialRiskForm('gate-1', undefined), undefined)
        .communication,
    ).toBeUndefined();
  });
});
