/*
 * The blameless debrief on the Readiness tab (issue 18): asked for once the
 * gate is over, saying before anything is typed that it is about the process
 * and the system and has no field for a person; every follow-up needs an
 * action, an owner and a due date (the form puts the focus on what is
 * missing); saved at the version seen; a conflict reloads it and says so;
 * follow-ups are marked done in place; a viewer only reads.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { GateDebrief } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { makeGate } from '../../__fixtures__/gate';
import { DebriefCard, DebriefDialogButton } from './DebriefCard';

const PRIYA = 'user:default/priya-raman';
const PAYMENTS = 'group:default/payments';

function debriefOf(extra: Partial<GateDebrief> = {}): GateDebrief {
  return {
    gateId: 'gate-1',
    entityRef: 'component:default/payment-gateway',
    release: '1.0.0',
    wentWell: 'The canary caught it.',
    wentWrong: 'The load test was stale.',
    toChange: 'Run the load test in the pipeline.',
    followUps: [
      {
        id: 'f1',
        action: 'Add the load test to the pipeline',
        owner: PAYMENTS,
        dueDate: '2099-01-31',
        done: false,
      },
    ],
    recordedBy: PRIYA,
    recordedAt: '2026-12-01T10:00:00Z',
    updatedBy: PRIYA,
    updatedAt: '2026-12-01T10:00:00Z',
    version: 2,
    ...extra,
  };
}

async function renderCard(options: {
  canEdit: boolean;
  api: Partial<ReleaseReadinessApi>;
  state?: 'released' | 'in-progress' | 'cancelled';
}) {
  const gate = makeGate({ id: 'gate-1', state: options.state ?? 'released' });
  await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, options.api]]}>
      <DebriefCard gate={gate} canEdit={options.canEdit} />
    </TestApiProvider>,
  );
  return gate;
}

describe('DebriefCard', () => {
  it('is not shown while the gate is in progress', async () => {
    const getDebrief = jest.fn();
    await renderCard({
      canEdit: true,
      api: { getDebrief },
      state: 'in-progress',
    });
    expect(screen.queryByText('Debrief')).toBeNull();
    expect(getDebrief).not.toHaveBeenCalled();
  });

  it('asks a gate owner for a blameless debrief and records it with its follow-ups', async () => {
    const saved = debriefOf({ version: 1 });
    const putDebrief = jest.fn().mockResolvedValue(saved);
    await renderCard({
      canEdit: true,
      api: {
        getDebrief: jest.fn().mockResolvedValue({ due: true }),
        putDebrief,
      },
    });
    expect(
      await screen.findByText(
        /It is blameless: write about the process and the system/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Record debrief' }),
    );
    const form = screen.getByRole('form', { name: 'Debrief' });
    // No field for a person: only the three answers and the follow-ups.
    expect(
      within(form)
        .getAllByRole('textbox')
        .map(box => box.getAttribute('id')),
    ).toHaveLength(3);
    expect(within(form).queryByLabelText(/who|person|caused/i)).toBeNull();

    // Nothing written: refused on the form.
    await userEvent.click(screen.getByRole('button', { name: 'Save debrief' }));
    expect(screen.getByText(/Write at least one answer/)).toBeInTheDocument();
    expect(putDebrief).not.toHaveBeenCalled();

    await userEvent.type(
      screen.getByLabelText('What went wrong (in the process or the system)'),
      'The load test was stale.',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Add follow-up' }),
    );
    await waitFor(() => expect(screen.getByLabelText('Action')).toHaveFocus());
    await userEvent.type(screen.getByLabelText('Action'), 'Add the load test');
    await userEvent.click(screen.getByRole('button', { name: 'Save debrief' }));
    // The owner is missing: said, and the focus is there.
    expect(
      screen.getByText('Every follow-up needs an owner.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(/^Owner/)).toHaveFocus());
    await userEvent.type(screen.getByLabelText(/^Owner/), PAYMENTS);
    await userEvent.click(screen.getByRole('button', { name: 'Save debrief' }));
    expect(
      screen.getByText('Every follow-up needs a due date.'),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Due date'), '2099-01-31');
    await userEvent.click(screen.getByRole('button', { name: 'Save debrief' }));

    expect(putDebrief).toHaveBeenCalledWith('gate-1', {
      wentWell: '',
      wentWrong: 'The load test was stale.',
      toChange: '',
      followUps: [
        { action: 'Add the load test', owner: PAYMENTS, dueDate: '2099-01-31' },
      ],
    });
    expect(
      await screen.findByText('Add the load test to the pipeline', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Edit debrief' }),
    ).toBeInTheDocument();
  });

  it('marks a follow-up done at the version seen, and reloads on a conflict', async () => {
    const debrief = debriefOf();
    const getDebrief = jest
      .fn()
      .mockResolvedValueOnce({ due: true, debrief })
      .mockResolvedValue({ due: true, debrief: debriefOf({ version: 3 }) });
    const putDebrief = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'version: the debrief is at version 3, not 2',
        ),
      );
    await renderCard({ canEdit: true, api: { getDebrief, putDebrief } });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Mark done: Add the load test to the pipeline',
      }),
    );
    expect(putDebrief).toHaveBeenCalledWith('gate-1', {
      wentWell: debrief.wentWell,
      wentWrong: debrief.wentWrong,
      toChange: debrief.toChange,
      followUps: [
        {
          id: 'f1',
          action: 'Add the load test to the pipeline',
          owner: PAYMENTS,
          dueDate: '2099-01-31',
          done: true,
        },
      ],
      version: 2,
    });
    expect(
      await screen.findByText(
        /the debrief is at version 3, not 2\. The debrief was reloaded/,
      ),
    ).toBeInTheDocument();
    expect(getDebrief).toHaveBeenCalledTimes(2);
  });

  it('lets a viewer read the debrief, with overdue follow-ups marked, and change nothing', async () => {
    await renderCard({
      canEdit: false,
      api: {
        getDebrief: jest.fn().mockResolvedValue({
          due: true,
          debrief: debriefOf({
            followUps: [
              {
                id: 'f1',
                action: 'Rotate the runbook',
                owner: PAYMENTS,
                dueDate: '2020-01-01',
                done: false,
              },
            ],
          }),
        }),
      },
    });
    const list = await screen.findByRole('list', { name: 'Follow-up actions' });
    expect(list).toHaveTextContent(
      /Rotate the runbook.*due 2020-01-01 · Overdue/,
    );
    expect(screen.getByText('The load test was stale.')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('DebriefDialogButton', () => {
  it('opens an earlier gate’s debrief in a dialog', async () => {
    const gate = makeGate({
      id: 'gate-1',
      state: 'cancelled',
      release: '0.9.0',
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseReadinessApiRef,
            { getDebrief: jest.fn().mockResolvedValue({ due: true }) },
          ],
        ]}
      >
        <DebriefDialogButton gate={gate} canEdit={false} />
      </TestApiProvider>,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Debrief of release 0.9.0' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        /No debrief recorded yet\. The gate owners record it\./,
      ),
    ).toBeInTheDocument();
  });
});
