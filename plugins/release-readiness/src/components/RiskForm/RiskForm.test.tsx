import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { makeGate } from '../../__fixtures__/gate';
import { RiskForm } from './RiskForm';

const withRisk = makeGate({
  risk: {
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
    },
    communication: {
      audiences: ['support'],
      scheduledAt: '2026-06-20T08:00:00.000Z',
      approvedBy: 'user:default/david.kim',
      approvedAt: '2026-06-13T10:00:00.000Z',
    },
  },
});

function renderForm(
  gate: GateWithEvaluation,
  options: { api?: Partial<ReleaseReadinessApi>; canEdit?: boolean } = {},
) {
  const onChange = jest.fn();
  const onConflict = jest.fn();
  const view = renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, options.api ?? {}]]}>
      <RiskForm
        gate={gate}
        canEdit={options.canEdit ?? true}
        onChange={onChange}
        onConflict={onConflict}
      />
    </TestApiProvider>,
  );
  return { onChange, onConflict, view };
}

describe('RiskForm', () => {
  it('asks to describe the failure mode before saving', async () => {
    const updateRisk = jest.fn();
    await renderForm(makeGate(), { api: { updateRisk } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Add row' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );

    const row = screen.getByRole('group', { name: 'Impact row 1' });
    expect(
      within(row).getByText('Describe the failure mode'),
    ).toBeInTheDocument();
    expect(updateRisk).not.toHaveBeenCalled();
  });

  it('saves a new assessment with version 0', async () => {
    const updated = makeGate({ version: 5 });
    const updateRisk = jest.fn().mockResolvedValue(updated);
    const { onChange } = await renderForm(makeGate(), { api: { updateRisk } });

    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Rollback plan' }),
      'Redeploy 1.3.2',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'I verified the rollback now' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add row' }));
    const row = screen.getByRole('group', { name: 'Impact row 1' });
    await userEvent.type(
      within(row).getByRole('textbox', { name: /Failure mode/ }),
      'Refunds fail',
    );
    await userEvent.selectOptions(
      within(row).getByRole('combobox', { name: 'Impact' }),
      'high',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'I accept the residual risk' }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Audiences/ }),
      'support, sales',
    );
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'I approve the communication plan',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );

    expect(updateRisk).toHaveBeenCalledWith('gate-1', {
      version: 0,
      rollbackPlan: 'Redeploy 1.3.2',
      rollbackVerified: true,
      impactMatrix: [
        {
          failureMode: 'Refunds fail',
          impact: 'high',
          likelihood: 'medium',
          mitigation: '',
        },
      ],
      acceptResidualRisk: true,
      communication: { audiences: ['support', 'sales'], approve: true },
    });
    expect(onChange).toHaveBeenCalledWith(updated);
  });

  it('sends the version it saw and keeps earlier approvals', async () => {
    const updateRisk = jest.fn().mockResolvedValue(withRisk);
    await renderForm(withRisk, { api: { updateRisk } });

    expect(
      await screen.findByText(/Last verified by user:default\/priya.raman/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Accepted by user:default\/margaret.osei/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Approved by user:default\/david.kim/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );
    expect(updateRisk).toHaveBeenCalledWith('gate-1', {
      version: 4,
      rollbackPlan: 'Redeploy 1.3.2 with the deploy pipeline',
      impactMatrix: withRisk.risk!.impactMatrix,
      communication: {
        audiences: ['support'],
        scheduledAt: '2026-06-20T08:00:00.000Z',
      },
    });
  });

  it('keeps the input and asks to reload when someone else saved first', async () => {
    const updateRisk = jest
      .fn()
      .mockRejectedValue(
        await responseError(409, 'Conflict', 'Stale version 4, now 5'),
      );
    const { onConflict, onChange } = await renderForm(withRisk, {
      api: { updateRisk },
    });

    const plan = await screen.findByRole('textbox', { name: 'Rollback plan' });
    await userEvent.clear(plan);
    await userEvent.type(plan, 'Roll back with Argo');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );

    expect(
      await screen.findByText(
        'Someone else saved the risk assessment first. It was reloaded; your changes are still in the form — review and save again.',
      ),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('textbox', { name: 'Rollback plan' })).toHaveValue(
      'Roll back with Argo',
    );
  });

  it('shows other errors with their message', async () => {
    const updateRisk = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          400,
          'Bad Request',
          'impactMatrix[0].impact: must be equal to one of the allowed values',
        ),
      );
    await renderForm(withRisk, { api: { updateRisk } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Save risk assessment' }),
    );
    expect(
      await screen.findByText(
        'impactMatrix[0].impact: must be equal to one of the allowed values',
      ),
    ).toBeInTheDocument();
  });

  it('removes impact rows', async () => {
    await renderForm(withRisk);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Remove impact row 1' }),
    );
    expect(screen.queryByRole('group', { name: 'Impact row 1' })).toBeNull();
  });

  it('renders read-only for people who may not edit', async () => {
    await renderForm(withRisk, { canEdit: false });
    expect(
      await screen.findByText('Card payments time out'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Save risk assessment' }),
    ).toBeNull();
    expect(
      screen.getByText('Only the gate owners can edit the risk assessment.'),
    ).toBeInTheDocument();
  });
});
