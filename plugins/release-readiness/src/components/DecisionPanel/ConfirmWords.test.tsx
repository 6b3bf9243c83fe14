/*
 * Issue 15 on the decision panel: confirm buttons say what they do, marking
 * a release out ahead of its planned time is warned about first, and the
 * last decision names its maker by display name.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { ENTITY_REF, makeGate } from '../../__fixtures__/gate';
import { englishT } from '../../__testUtils__/translation';
import { DecisionPanel, timeAhead } from './DecisionPanel';

const presentationApi = {
  forEntity: (ref: string) => {
    const snapshot = {
      entityRef: ref,
      primaryTitle: ref === 'user:default/priya.raman' ? 'Priya Raman' : ref,
    };
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

async function render(gate: GateWithEvaluation, decide = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, { decide }],
        [entityPresentationApiRef, presentationApi],
      ]}
    >
      <DecisionPanel
        gate={gate}
        entityRef={ENTITY_REF}
        templates={[]}
        canDecide
        canOpen
        onChange={jest.fn()}
      />
    </TestApiProvider>,
  );
  return decide;
}

const goDecision = {
  id: 'd1',
  verdict: 'go' as const,
  reason: 'All conditions met',
  by: 'user:default/priya.raman',
  at: new Date(Date.now() - 3_600_000).toISOString(),
  stateHash: 'h',
};

describe('DecisionPanel words (issue 15)', () => {
  it('asks to confirm a cancel with "Cancel gate" beside "Keep gate"', async () => {
    const decide = await render(makeGate());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel gate' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel the gate' });
    const buttons = within(dialog)
      .getAllByRole('button')
      .map(b => b.textContent);
    expect(buttons).toEqual(['Keep gate', 'Cancel gate']);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Keep gate' }),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(decide).not.toHaveBeenCalled();
  });

  it('warns before marking a release out ahead of its planned time', async () => {
    const planned = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
    const decide = jest.fn().mockResolvedValue(makeGate({ state: 'released' }));
    await render(
      makeGate({
        state: 'go',
        plannedAt: planned,
        decisions: [goDecision],
      }),
      decide,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Mark released' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('release-early')).toHaveTextContent(
      /is 3 days from now\. Marking it released now records that it went out ahead of its plan/,
    );
    expect(
      within(dialog).getByRole('button', { name: 'Not yet' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark released' }),
    );
    expect(decide).toHaveBeenCalledWith('gate-1', { transition: 'release' });
  });

  it('gives no warning when the planned time has come', async () => {
    await render(
      makeGate({
        state: 'go',
        plannedAt: new Date(Date.now() - 60_000).toISOString(),
        decisions: [goDecision],
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Mark released' }),
    );
    expect(screen.queryByTestId('release-early')).toBeNull();
  });

  it('names who decided by display name', async () => {
    await render(makeGate({ state: 'go', decisions: [goDecision] }));
    expect(screen.getByText(/Last decision: GO/)).toHaveTextContent(
      'Last decision: GO by Priya Raman on',
    );
  });

  it('tells how far ahead a planned time is', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const t = englishT();
    expect(timeAhead('2026-12-04T10:00:00Z', now, t)).toBe('3 days');
    expect(timeAhead('2026-12-01T15:00:00Z', now, t)).toBe('5 hours');
    expect(timeAhead('2026-12-01T10:20:00Z', now, t)).toBe('20 minutes');
    expect(timeAhead('2026-12-01T09:00:00Z', now, t)).toBeUndefined();
    expect(timeAhead(undefined, now, t)).toBeUndefined();
  });
});
