import { ImpactRow, RiskAssessment } from '../types';
import { carryOverRisk, RiskChange } from './riskCarryOver';

const EARLIER = '2030-01-01T10:00:00.000Z';
const NOW = '2030-01-02T10:00:00.000Z';
const row: ImpactRow = {
  failureMode: ' timeouts ',
  likelihood: 'low',
  impact: 'high',
  mitigation: 'feature flag',
};

const previous: RiskAssessment = {
  version: 3,
  impactMatrix: [],
  rollbackPlan: 'helm rollback',
  rollbackVerifiedAt: EARLIER,
  rollbackVerifiedBy: 'user:default/ann',
  residualRisk: { acceptedBy: 'user:default/ann', acceptedAt: EARLIER },
  communication: {
    audiences: ['support'],
    scheduledAt: '2030-01-03T09:00:00.000Z',
    approvedBy: 'user:default/ann',
    approvedAt: EARLIER,
  },
};

const change = (overrides: Partial<RiskChange> = {}): RiskChange => ({
  impactMatrix: [row],
  rollbackPlan: 'helm rollback',
  communication: {
    audiences: ['support'],
    scheduledAt: '2030-01-03T09:00:00.000Z',
  },
  ...overrides,
});

describe('carryOverRisk', () => {
  it('keeps what was given while what it was given for is unchanged', () => {
    const risk = carryOverRisk(change(), previous, 'user:default/bob', NOW);
    expect(risk).toEqual({
      impactMatrix: [{ ...row, failureMode: 'timeouts' }],
      rollbackPlan: 'helm rollback',
      rollbackVerifiedAt: EARLIER,
      rollbackVerifiedBy: 'user:default/ann',
      residualRisk: previous.residualRisk,
      communication: previous.communication,
    });
  });

  it('drops the rollback verification when the plan changes', () => {
    const risk = carryOverRisk(
      change({ rollbackPlan: 'restore the snapshot' }),
      previous,
      'user:default/bob',
      NOW,
    );
    expect(risk.rollbackVerifiedAt).toBeUndefined();
    expect(risk.rollbackVerifiedBy).toBeUndefined();
  });

  it('records a verification, an acceptance and an approval as the saver, now', () => {
    const risk = carryOverRisk(
      change({
        rollbackVerified: true,
        acceptResidualRisk: true,
        residualRiskNote: 'low traffic',
        communication: { audiences: ['support'], approve: true },
      }),
      previous,
      'user:default/bob',
      NOW,
    );
    expect(risk).toMatchObject({
      rollbackVerifiedAt: NOW,
      rollbackVerifiedBy: 'user:default/bob',
      residualRisk: {
        acceptedBy: 'user:default/bob',
        acceptedAt: NOW,
        note: 'low traffic',
      },
      communication: { approvedBy: 'user:default/bob', approvedAt: NOW },
    });
  });

  it('withdraws the residual-risk acceptance when the save says no', () => {
    const risk = carryOverRisk(
      change({ acceptResidualRisk: false }),
      previous,
      'user:default/bob',
      NOW,
    );
    expect(risk.residualRisk).toBeUndefined();
  });

  it('drops the communication approval when the audiences or the time change', () => {
    for (const communication of [
      {
        audiences: ['support', 'sales'],
        scheduledAt: '2030-01-03T09:00:00.000Z',
      },
      { audiences: ['support'], scheduledAt: '2030-01-04T09:00:00.000Z' },
      {
        audiences: ['support'],
        scheduledAt: '2030-01-03T09:00:00.000Z',
        approve: false,
      },
    ]) {
      const risk = carryOverRisk(
        change({ communication }),
        previous,
        'user:default/bob',
        NOW,
      );
      expect(risk.communication?.approvedBy).toBeUndefined();
    }
  });

  it('leaves out an empty rollback plan', () => {
    const risk = carryOverRisk(
      change({ rollbackPlan: '   ' }),
      undefined,
      'user:default/bob',
      NOW,
    );
    expect(risk).not.toHaveProperty('rollbackPlan');
  });
});
