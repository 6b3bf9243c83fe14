import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { makeMidwayGate } from '../../__fixtures__/gate';
import { GateHeader } from './GateHeader';

const midwayGate = makeMidwayGate();

function withVerdict(
  verdict: GateWithEvaluation['evaluation']['verdict'],
  state: GateWithEvaluation['state'],
): GateWithEvaluation {
  return {
    ...midwayGate,
    state,
    evaluation: { ...midwayGate.evaluation, verdict },
  };
}

describe('GateHeader', () => {
  it('shows the release, template and state', async () => {
    await renderInTestApp(<GateHeader gate={midwayGate} />);

    expect(screen.getByText('Release 2.4.0')).toBeInTheDocument();
    expect(
      screen.getByText('Template component-gate v3 · State: In progress'),
    ).toBeInTheDocument();
  });

  it.each([
    ['GO', 'go'],
    ['NO-GO', 'no-go'],
    ['IN PROGRESS', 'in-progress'],
  ] as const)('shows the verdict %s as text', async (verdict, state) => {
    await renderInTestApp(<GateHeader gate={withVerdict(verdict, state)} />);

    expect(screen.getByTestId('gate-verdict')).toHaveTextContent(verdict);
    expect(
      within(screen.getByTestId('gate-verdict')).getByText(verdict),
    ).toBeInTheDocument();
  });

  it('shows the health score with a labelled progress bar', async () => {
    await renderInTestApp(<GateHeader gate={midwayGate} />);

    expect(screen.getByText('Score 72 / 100')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', {
      name: 'Health score 72 out of 100',
    });
    expect(bar).toHaveAttribute('aria-valuenow', '72');
  });

  it('shows every condition as met or not met', async () => {
    await renderInTestApp(<GateHeader gate={midwayGate} />);

    const list = screen.getByRole('list', { name: 'Conditions for GO' });
    // Seven: a component gate's always-met roll-up is not shown.
    expect(within(list).getAllByRole('listitem')).toHaveLength(7);
    expect(
      screen.queryByLabelText('Component gates: met'),
    ).not.toBeInTheDocument();

    expect(screen.getByLabelText('Risk assessment: met')).toBeInTheDocument();
    expect(screen.getByLabelText('Release window: met')).toBeInTheDocument();
    const artifacts = screen.getByRole('button', {
      name: 'Checklist artifacts · 2 blockers: not met',
    });
    expect(artifacts).toHaveTextContent('Checklist artifacts · 2 blockers');
    expect(artifacts).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.getByRole('button', { name: 'Sign-offs · 1 blocker: not met' }),
    ).toBeInTheDocument();
    // Met conditions are not toggles.
    expect(
      screen.queryByRole('button', { name: /Risk assessment/ }),
    ).not.toBeInTheDocument();
  });

  it('expands an unmet condition to show its blockers with a link to fix them', async () => {
    await renderInTestApp(<GateHeader gate={midwayGate} />);
    const user = userEvent.setup();

    expect(
      screen.queryByText('QA needs 1 more Ready vote.'),
    ).not.toBeInTheDocument();

    const artifacts = screen.getByRole('button', {
      name: /^Checklist artifacts\b.*: not met/,
    });
    await user.click(artifacts);
    expect(artifacts).toHaveAttribute('aria-expanded', 'true');

    const section = screen.getByRole('region', {
      name: 'Checklist artifacts: 2 blockers',
    });
    expect(
      within(section).getByText(
        'Mark "Manual smoke test in staging" passed, or waive it.',
      ),
    ).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Mark "Release notes written" passed, or waive it.',
      ),
    ).toBeInTheDocument();
    // Each blocker links to the item it names (issue 15), not the top of
    // the checklist.
    expect(
      within(section).getByRole('link', {
        name: 'Go to "Manual smoke test in staging"',
      }),
    ).toHaveAttribute('href', '#item-staging-smoke-test');
    expect(
      within(section).getByRole('link', {
        name: 'Go to "Release notes written"',
      }),
    ).toHaveAttribute('href', '#item-release-notes');

    // Collapse again.
    await user.click(artifacts);
    expect(artifacts).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByText('Mark "Release notes written" passed, or waive it.'),
    ).not.toBeInTheDocument();
  });

  it('expands with the keyboard and links each condition to its place', async () => {
    await renderInTestApp(<GateHeader gate={midwayGate} />);
    const user = userEvent.setup();

    const signoffs = screen.getByRole('button', {
      name: /^Sign-offs\b.*: not met/,
    });
    signoffs.focus();
    await user.keyboard('{Enter}');
    expect(signoffs).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('QA needs 1 more Ready vote.')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Go to the QA sign-off',
      }),
    ).toHaveAttribute('href', '#signoff-role-qa');

    await user.click(
      screen.getByRole('button', { name: /^Rollback plan\b.*: not met/ }),
    );
    expect(
      screen.getByRole('link', { name: 'Go to the rollback plan' }),
    ).toHaveAttribute('href', '#risk');

    await user.click(
      screen.getByRole('button', { name: /^Automated checks\b.*: not met/ }),
    );
    expect(
      screen.getByText(/Security scan failed: score 84, needs score >= 90/),
    ).toBeInTheDocument();
  });

  it('links window and rollup blockers to their places', async () => {
    const gate: GateWithEvaluation = {
      ...midwayGate,
      evaluation: {
        ...midwayGate.evaluation,
        conditions: [
          {
            id: 'window',
            title: 'Release window',
            met: false,
            progress: 0,
            blockers: [
              {
                condition: 'window',
                message: 'The payments freeze is on until June 30.',
              },
            ],
          },
          {
            id: 'rollup',
            title: 'Component gates',
            met: false,
            progress: 0.5,
            blockers: [
              {
                condition: 'rollup',
                message: 'ledger has no GO for 2.4.0 yet.',
              },
            ],
          },
        ],
      },
    };
    await renderInTestApp(<GateHeader gate={gate} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: /Release window/ }));
    await user.click(screen.getByRole('button', { name: /Component gates/ }));
    expect(
      screen.getByRole('link', { name: 'Go to the release window' }),
    ).toHaveAttribute('href', '#window');
    expect(
      screen.getByRole('link', { name: 'Go to the decision' }),
    ).toHaveAttribute('href', '#decision');
  });
});

describe('GateHeader with a recorded GO', () => {
  const decision = {
    id: 'd-1',
    verdict: 'go' as const,
    reason: 'All conditions met',
    by: 'user:default/priya.raman',
    at: '2026-06-15T09:00:00.000Z',
    stateHash: 'h',
  };
  const goGate = (evaluation: Partial<GateWithEvaluation['evaluation']>) => ({
    ...midwayGate,
    state: 'go' as const,
    decisions: [decision],
    evaluation: {
      ...midwayGate.evaluation,
      verdict: 'GO' as const,
      ready: true,
      blockers: [],
      releaseNow: { met: true, blockers: [] },
      ...evaluation,
    },
  });

  it('shows GO, and that it holds, while every condition still holds', async () => {
    await renderInTestApp(<GateHeader gate={goGate({})} />);
    expect(screen.getByTestId('gate-verdict')).toHaveTextContent(/^GO$/);
    expect(screen.getByTestId('gate-verdict')).toHaveAttribute(
      'data-holds',
      'true',
    );
    expect(screen.getByTestId('go-hold')).toHaveTextContent(
      'GO recorded at 2026-06-15 09:00 UTC by priya.raman holds: every condition is still met',
    );
  });

  it('never shows a lapsed GO as a green GO, and says what lapsed', async () => {
    const failing = {
      condition: 'automated' as const,
      message: 'Unit tests: test-report evidence shows passed false',
    };
    await renderInTestApp(
      <GateHeader gate={goGate({ ready: false, blockers: [failing] })} />,
    );
    const verdict = screen.getByTestId('gate-verdict');
    expect(verdict).toHaveTextContent('GO no longer holds');
    expect(verdict).toHaveAttribute('data-holds', 'false');
    expect(verdict.className).toMatch(/NO-GO/);
    expect(screen.getByTestId('go-hold')).toHaveTextContent(
      'GO recorded at 2026-06-15 09:00 UTC by priya.raman, no longer holds: Unit tests: test-report evidence shows passed false',
    );
  });

  it('says so when a freeze is active now', async () => {
    const frozen = {
      condition: 'window' as const,
      message: "Now (2026-06-15 12:00 UTC) is inside the freeze 'Incident'",
    };
    await renderInTestApp(
      <GateHeader
        gate={goGate({ releaseNow: { met: false, blockers: [frozen] } })}
      />,
    );
    expect(screen.getByTestId('gate-verdict')).toHaveTextContent(
      'GO no longer holds',
    );
    expect(screen.getByTestId('go-hold')).toHaveTextContent(frozen.message);
  });

  it.each([
    ['released', 'Released', 'went out; its gate is closed'],
    ['rolled-back', 'Rolled back', 'was rolled back'],
    ['cancelled', 'Cancelled', 'was cancelled before it went out'],
  ] as const)(
    "shows a %s gate by its final state, not by today's evaluation",
    async (state, label, sentence) => {
      // Today's evaluation says NO-GO with blockers; the gate is over.
      await renderInTestApp(<GateHeader gate={withVerdict('NO-GO', state)} />);
      expect(screen.getByTestId('gate-verdict')).toHaveTextContent(label);
      expect(screen.getByTestId('gate-verdict')).not.toHaveTextContent('NO-GO');
      expect(screen.getByText(new RegExp(sentence))).toBeInTheDocument();
      expect(screen.queryByText(/Score \d+ \/ 100/)).not.toBeInTheDocument();
      expect(
        screen.queryByRole('list', { name: 'Conditions for GO' }),
      ).not.toBeInTheDocument();
    },
  );
});
