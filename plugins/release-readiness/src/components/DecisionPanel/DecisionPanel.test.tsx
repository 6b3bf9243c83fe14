import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { ENTITY_REF, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { DecisionPanel, DecisionPanelProps } from './DecisionPanel';

const TEMPLATES = [
  { name: 'standard-service', title: 'Standard service', rapid: false },
  { name: 'hotfix', title: 'Hotfix', rapid: true },
];

function renderPanel(
  gate: GateWithEvaluation | null,
  options: {
    api?: Partial<ReleaseReadinessApi>;
    props?: Partial<DecisionPanelProps>;
  } = {},
) {
  const onChange = jest.fn();
  const view = renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, options.api ?? {}]]}>
      <DecisionPanel
        gate={gate}
        entityRef={ENTITY_REF}
        templates={TEMPLATES}
        defaultTemplate="standard-service"
        canDecide
        canOpen
        onChange={onChange}
        {...options.props}
      />
    </TestApiProvider>,
  );
  return { onChange, view };
}

const notReady = makeEvaluation({
  ready: false,
  blockers: Array.from({ length: 5 }, (_, i) => ({
    condition: 'signoffs' as const,
    message: `Blocker ${i + 1}`,
  })),
});

describe('DecisionPanel', () => {
  it('disables GO with a visible reason while the gate is not ready', async () => {
    await renderPanel(makeGate({ evaluation: notReady }));
    const go = await screen.findByRole('button', { name: 'Record GO' });
    expect(go).toBeDisabled();
    expect(
      screen.getByText('GO needs every condition met: 5 blockers'),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Record NO-GO' })).toBeEnabled();
  });

  it('records GO with the default reason when the gate is ready', async () => {
    const updated = makeGate({ state: 'go' });
    const decide = jest.fn().mockResolvedValue(updated);
    const { onChange } = await renderPanel(makeGate(), { api: { decide } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Record GO' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Record a GO decision' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record GO' }),
    );

    expect(decide).toHaveBeenCalledWith('gate-1', {
      verdict: 'go',
      reason: 'All conditions met',
    });
    expect(onChange).toHaveBeenCalledWith(updated);
  });

  it('requires a reason for NO-GO', async () => {
    const decide = jest.fn().mockResolvedValue(makeGate({ state: 'no-go' }));
    await renderPanel(makeGate({ evaluation: notReady }), { api: { decide } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Record NO-GO' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Record a NO-GO decision',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record NO-GO' }),
    );
    expect(
      within(dialog).getByText(
        'Give a reason: it is recorded in the audit trail.',
      ),
    ).toBeInTheDocument();
    expect(decide).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Payment retries fail',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record NO-GO' }),
    );
    expect(decide).toHaveBeenCalledWith('gate-1', {
      verdict: 'no-go',
      reason: 'Payment retries fail',
    });
  });

  it('shows the error of a refused decision in the dialog', async () => {
    const decide = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'The gate is not ready: 2 blockers',
        ),
      );
    await renderPanel(makeGate(), { api: { decide } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record GO' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record GO' }),
    );
    expect(
      await within(dialog).findByText('The gate is not ready: 2 blockers'),
    ).toBeInTheDocument();
  });

  it('offers Reopen on a NO-GO gate, with a reason', async () => {
    const decide = jest.fn().mockResolvedValue(makeGate());
    await renderPanel(makeGate({ state: 'no-go' }), { api: { decide } });

    expect(screen.queryByRole('button', { name: 'Record GO' })).toBeNull();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reopen gate' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Reopen the gate' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Retries fixed',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reopen gate' }),
    );
    expect(decide).toHaveBeenCalledWith('gate-1', {
      transition: 'reopen',
      reason: 'Retries fixed',
    });
  });

  it('offers Mark released and Cancel gate on a GO gate', async () => {
    const decide = jest.fn().mockResolvedValue(makeGate({ state: 'released' }));
    await renderPanel(makeGate({ state: 'go' }), { api: { decide } });

    expect(
      await screen.findByRole('button', { name: 'Cancel gate' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Open a gate for the next release')).toBeNull();
    await userEvent.click(
      screen.getByRole('button', { name: 'Mark released' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark released' }),
    );
    expect(decide).toHaveBeenCalledWith('gate-1', { transition: 'release' });
  });

  it('offers Record rollback and a new gate on a released gate', async () => {
    await renderPanel(makeGate({ state: 'released' }));
    expect(
      await screen.findByRole('button', { name: 'Record rollback' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Open a gate for the next release'),
    ).toBeInTheDocument();
  });

  it('disables decisions for people who may not decide', async () => {
    await renderPanel(makeGate(), {
      props: { canDecide: false, canOpen: false },
    });
    expect(
      await screen.findByRole('button', { name: 'Record GO' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Record NO-GO' })).toBeDisabled();
    expect(
      screen.getByText('Only the gate owners or a release manager can decide.'),
    ).toBeInTheDocument();
  });

  it('offers to open a gate when the entity has none', async () => {
    await renderPanel(null);
    expect(
      await screen.findByText('Open a gate for the next release'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record GO' })).toBeNull();
  });
});

describe('DecisionPanel with a GO that no longer holds', () => {
  const lapsedGate = makeGate({
    state: 'go',
    decisions: [
      {
        id: 'd-1',
        verdict: 'go',
        reason: 'All conditions met',
        by: 'user:default/priya.raman',
        at: '2026-06-15T09:00:00.000Z',
        stateHash: 'h',
      },
    ],
    evaluation: makeEvaluation({
      verdict: 'GO',
      ready: false,
      blockers: [{ condition: 'automated', message: 'Smoke tests failed' }],
    }),
  });

  it('says so and offers no release to a gate owner', async () => {
    await renderPanel(lapsedGate);
    const alert = await screen.findByTestId('go-lapsed');
    expect(alert).toHaveTextContent('The GO no longer holds');
    expect(alert).toHaveTextContent(
      'GO recorded at 2026-06-15 09:00 UTC by priya.raman, no longer holds: Smoke tests failed',
    );
    expect(alert).toHaveTextContent('only a release manager may release it');
    expect(
      screen.queryByRole('button', { name: 'Mark released' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Release anyway' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel gate' })).toBeEnabled();
  });

  it('lets a release manager release it anyway, with a reason', async () => {
    const released = makeGate({ state: 'released' });
    const decide = jest.fn().mockResolvedValue(released);
    const { onChange } = await renderPanel(lapsedGate, {
      api: { decide },
      props: { canOverride: true },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Release anyway' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Release anyway' }),
    );
    expect(decide).not.toHaveBeenCalled();
    expect(
      within(dialog).getByText(
        'Give a reason: it is recorded in the audit trail.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Flaky smoke test, checked by hand',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Release anyway' }),
    );
    expect(decide).toHaveBeenCalledWith('gate-1', {
      transition: 'release',
      override: true,
      reason: 'Flaky smoke test, checked by hand',
    });
    expect(onChange).toHaveBeenCalledWith(released);
  });

  it('offers the plain release while the GO holds', async () => {
    await renderPanel(
      makeGate({
        state: 'go',
        decisions: lapsedGate.decisions,
        evaluation: makeEvaluation({ verdict: 'GO' }),
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'Mark released' }),
    ).toBeEnabled();
    expect(screen.queryByTestId('go-lapsed')).not.toBeInTheDocument();
  });
});
