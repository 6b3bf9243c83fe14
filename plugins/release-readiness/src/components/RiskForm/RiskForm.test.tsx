import { useState } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { makeGate } from '../../__fixtures__/gate';
import { RiskForm } from './RiskForm';
import { paragraph } from '../../__fixtures__/text';

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
      consent: { gateId: 'gate-1', riskVersion: 0 },
    });
    expect(onChange).toHaveBeenCalledWith(updated);
  });

  it('starts afresh for the next gate: nothing ticked or typed for the last one carries over', async () => {
    // The tab shows the next gate in the same place once one is released or
    // cancelled, without a reload.
    const accepted = { ...withRisk, state: 'in-progress' as const };
    const released = { ...withRisk, state: 'released' as const };
    const next = makeGate({ id: 'gate-2', release: '1.5.0' });
    const updateRisk = jest.fn().mockResolvedValue(next);
    function NextGate() {
      const [gate, setGate] = useState<GateWithEvaluation>(accepted);
      return (
        <>
          <button onClick={() => setGate(released)}>Release</button>
          <button onClick={() => setGate(next)}>Open the next gate</button>
          <RiskForm
            gate={gate}
            canEdit
            onChange={() => {}}
            onConflict={() => {}}
          />
        </>
      );
    }
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { updateRisk }]]}>
        <NextGate />
      </TestApiProvider>,
    );
    const accept = () =>
      screen.getByRole('checkbox', { name: 'I accept the residual risk' });
    const approve = () =>
      screen.getByRole('checkbox', {
        name: 'I approve the communication plan',
      });
    // The first gate's acceptance and approval show as ticked boxes.
    expect(await screen.findByRole('form')).toBeInTheDocument();
    expect(accept()).toBeChecked();
    expect(approve()).toBeChecked();
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Rollback plan' }),
      ' and more',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Release' }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Open the next gate' }),
    );

    expect(accept()).not.toBeChecked();
    expect(approve()).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Rollback plan' })).toHaveValue(
      '',
    );
    expect(
      screen.getByText('Nobody accepted the residual risk yet.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );
    expect(updateRisk).toHaveBeenCalledWith('gate-2', {
      version: 0,
      impactMatrix: [],
    });
  });

  it('starts afresh when the gate changes while the form is open', async () => {
    const updateRisk = jest.fn().mockResolvedValue(withRisk);
    const next = makeGate({ id: 'gate-2', release: '1.5.0' });
    function Switch() {
      const [gate, setGate] = useState<GateWithEvaluation>(withRisk);
      return (
        <>
          <button onClick={() => setGate(next)}>Switch</button>
          <RiskForm
            gate={gate}
            canEdit
            onChange={() => {}}
            onConflict={() => {}}
          />
        </>
      );
    }
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { updateRisk }]]}>
        <Switch />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('checkbox', {
        name: 'I accept the residual risk',
      }),
    ).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Switch' }));
    expect(
      screen.getByRole('checkbox', { name: 'I accept the residual risk' }),
    ).not.toBeChecked();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'I accept the residual risk' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save risk assessment' }),
    );
    // A deliberate tick on this gate names this gate.
    expect(updateRisk).toHaveBeenCalledWith('gate-2', {
      version: 0,
      impactMatrix: [],
      acceptResidualRisk: true,
      consent: { gateId: 'gate-2', riskVersion: 0 },
    });
  });

  it('sends the version it saw and keeps earlier approvals', async () => {
    const updateRisk = jest.fn().mockResolvedValue(withRisk);
    await renderForm(withRisk, { api: { updateRisk } });

    expect(
      await screen.findByText(paragraph(/Last verified by priya.raman on/)),
    ).toBeInTheDocument();
    expect(
      screen.getByText(paragraph(/Accepted by margaret.osei on/)),
    ).toBeInTheDocument();
    expect(
      screen.getByText(paragraph(/Approved by david.kim on/)),
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
