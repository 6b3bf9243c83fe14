/*
 * Issue 15 on the window card: the planned time is set and moved after the
 * gate was opened (gate owners only), the blocking window shows its dates in
 * the reader's time, and the next allowed release time is offered.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi, responseError } from '../../__fixtures__/apis';
import { condition, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { formatTime, toLocalInput } from '../shared/format';
import { WindowPanel, WindowWithNext } from './WindowPanel';

const HOUR = 3_600_000;
// Whole hours from now, so that the times fill a minute field exactly.
const base = Math.ceil(Date.now() / HOUR) * HOUR;
const at = (hours: number) => new Date(base + hours * HOUR).toISOString();

const FREEZE: WindowWithNext = {
  id: 'launch-freeze',
  name: 'Launch freeze',
  kind: 'freeze',
  from: at(24),
  to: at(72),
  scope: { all: true },
  approvers: ['group:default/release-management'],
  source: 'api',
  next: { start: at(24), end: at(72) },
};

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: { type: 'service', system: 'payments-platform' },
};

const frozenGate = makeGate({
  plannedAt: at(48),
  evaluation: makeEvaluation({
    ready: false,
    conditions: [
      condition('window', [
        "The planned time is inside the freeze 'Launch freeze'; move the release or get an exception approved by group:default/release-management",
      ]),
    ],
  }),
});

async function render(
  options: {
    api?: Partial<ReleaseReadinessApi>;
    canEdit?: boolean;
    gate?: ReturnType<typeof makeGate>;
  } = {},
) {
  const onChange = jest.fn();
  const onConflict = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, options.api ?? {}],
        [
          identityApiRef,
          mockIdentityApi('user:default/priya.raman', [
            'user:default/priya.raman',
            'group:default/payments',
          ]),
        ],
      ]}
    >
      <WindowPanel
        gate={options.gate ?? frozenGate}
        windows={[FREEZE]}
        canEdit={options.canEdit ?? true}
        entity={ENTITY}
        onChange={onChange}
        onConflict={onConflict}
      />
    </TestApiProvider>,
  );
  await act(async () => {});
  return { onChange, onConflict };
}

describe('WindowPanel planned time (issue 15)', () => {
  it("shows the blocking freeze's dates and the next allowed time, in the reader's time", async () => {
    await render();
    expect(screen.getByTestId('window-dates-launch-freeze')).toHaveTextContent(
      `The freeze runs from ${formatTime(at(24))} to ${formatTime(
        at(72),
      )} (your time).`,
    );
    expect(screen.getByTestId('next-allowed-slot')).toHaveTextContent(
      `Next allowed release time: ${formatTime(at(72))}, your time.`,
    );
    // The next freeze of the windows the backend lists for the entity
    // (another system's freeze is left out there: windowScope.test.ts).
    expect(screen.getByText(/Launch freeze: from/)).toBeInTheDocument();
  });

  it('lets a gate owner move the planned time to the next allowed time, and gives focus back', async () => {
    const moved = makeGate({ plannedAt: at(72), version: 4 });
    const setPlannedTime = jest.fn().mockResolvedValue(moved);
    const { onChange } = await render({ api: { setPlannedTime } });

    await userEvent.click(
      screen.getByRole('button', { name: 'Plan for the next allowed time' }),
    );
    const form = screen.getByRole('form', { name: 'Planned release time' });
    const field = within(form).getByLabelText(/Planned release time/);
    expect(field).toHaveValue(toLocalInput(at(72)));
    await waitFor(() => expect(document.activeElement).toBe(field));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save planned time' }),
    );
    expect(setPlannedTime).toHaveBeenCalledWith('gate-1', {
      plannedAt: at(72),
      version: 3,
    });
    expect(onChange).toHaveBeenCalledWith(moved);
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Change planned time' }),
      ),
    );
  });

  it('sets a planned time on a gate opened without one, and refuses an empty one', async () => {
    const setPlannedTime = jest.fn().mockResolvedValue(makeGate());
    await render({
      api: { setPlannedTime },
      gate: makeGate({ plannedAt: undefined }),
    });
    expect(screen.getByText(/Planned release:/)).toHaveTextContent('not set');
    await userEvent.click(
      screen.getByRole('button', { name: 'Set planned release time' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save planned time' }),
    );
    expect(
      screen.getByText('Choose the date and time the release will go out.'),
    ).toBeInTheDocument();
    expect(setPlannedTime).not.toHaveBeenCalled();

    await userEvent.type(
      within(
        screen.getByRole('form', { name: 'Planned release time' }),
      ).getByLabelText(/Planned release time/),
      '2030-07-01T10:00',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save planned time' }),
    );
    expect(setPlannedTime).toHaveBeenCalledWith('gate-1', {
      plannedAt: new Date('2030-07-01T10:00').toISOString(),
      version: 3,
    });
  });

  it('says what the backend refused, and reloads on a conflict', async () => {
    const setPlannedTime = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'version: the gate is at version 5, not 3: someone else changed it; reload and try again',
        ),
      );
    const { onChange, onConflict } = await render({ api: { setPlannedTime } });
    await userEvent.click(
      screen.getByRole('button', { name: 'Change planned time' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Save planned time' }),
    );
    expect(
      await screen.findByText(
        'version: the gate is at version 5, not 3: someone else changed it; reload and try again. The gate was reloaded; check the time and save again.',
      ),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalledTimes(1);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('offers no change to people who may not edit the gate, nor once it is decided', async () => {
    await render({ canEdit: false });
    expect(screen.queryByRole('button', { name: /planned/i })).toBeNull();
    expect(screen.getByTestId('next-allowed-slot')).toBeInTheDocument();
  });

  it('offers no change once the gate is decided', async () => {
    await render({ gate: { ...frozenGate, state: 'no-go' } });
    expect(
      screen.queryByRole('button', { name: 'Change planned time' }),
    ).toBeNull();
  });
});
