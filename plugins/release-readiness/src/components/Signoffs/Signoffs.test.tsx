import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi, responseError } from '../../__fixtures__/apis';
import { GATE_OWNERS, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { Signoffs } from './Signoffs';
import { paragraph } from '../../__fixtures__/text';

const QA_USER = 'user:default/nadia.haddad';

function renderSignoffs(
  gate: GateWithEvaluation,
  options: {
    api?: Partial<ReleaseReadinessApi>;
    user?: string;
    ownership?: string[];
    onChange?: jest.Mock;
  } = {},
) {
  const onChange = options.onChange ?? jest.fn();
  const user = options.user ?? QA_USER;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, options.api ?? {}],
        [
          identityApiRef,
          mockIdentityApi(
            user,
            options.ownership ?? [user, 'group:default/qa'],
          ),
        ],
      ]}
    >
      <Signoffs gate={gate} gateOwners={GATE_OWNERS} onChange={onChange} />
    </TestApiProvider>,
  );
}

const qaSection = () =>
  screen.getByRole('region', { name: 'Quality assurance' });

describe('Signoffs', () => {
  it('shows the quorum of each role with a labelled progress bar', async () => {
    const gate = makeGate({
      votes: [
        {
          id: 'v1',
          role: 'qa',
          voter: 'user:default/ben.carter',
          verdict: 'ready',
          checklistRevision: 2,
          at: '2026-06-14T10:00:00.000Z',
        },
      ],
      evaluation: makeEvaluation({
        roles: [
          {
            role: 'engineering',
            title: 'Engineering',
            min: 1,
            readyVoters: [],
            notReadyVoters: [],
            staleVoters: [],
            met: false,
          },
          {
            role: 'qa',
            title: 'Quality assurance',
            min: 2,
            readyVoters: ['user:default/ben.carter'],
            notReadyVoters: [],
            staleVoters: [],
            met: false,
          },
        ],
      }),
    });
    await renderSignoffs(gate);

    const section = await screen.findByRole('region', {
      name: 'Quality assurance',
    });
    expect(within(section).getByText(/1 of 2 Ready/)).toBeInTheDocument();
    expect(
      within(section).getByRole('progressbar', {
        name: 'Quality assurance quorum: 1 of 2 Ready',
      }),
    ).toBeInTheDocument();
    expect(within(section).getByText('ben.carter')).toBeInTheDocument();
    expect(document.getElementById('signoffs')).not.toBeNull();
  });

  it('lets an eligible user vote Ready', async () => {
    const updated = makeGate({ version: 4 });
    const vote = jest.fn().mockResolvedValue(updated);
    const onChange = jest.fn();
    await renderSignoffs(makeGate(), { api: { vote }, onChange });

    const section = await screen.findByRole('region', {
      name: 'Quality assurance',
    });
    await userEvent.type(
      within(section).getByLabelText('Comment for Quality assurance'),
      'Regression suite green',
    );
    await userEvent.click(
      within(section).getByRole('button', { name: 'Ready' }),
    );

    expect(vote).toHaveBeenCalledWith('gate-1', {
      role: 'qa',
      verdict: 'ready',
      comment: 'Regression suite green',
    });
    expect(onChange).toHaveBeenCalledWith(updated);
  });

  it('gives focus back to the button pressed after a vote, and to the comment when one is missing (issue 15, keyboard)', async () => {
    const vote = jest.fn().mockResolvedValue(makeGate({ version: 4 }));
    await renderSignoffs(makeGate(), { api: { vote } });
    const section = await screen.findByRole('region', {
      name: 'Quality assurance',
    });
    await userEvent.click(
      within(section).getByRole('button', { name: 'Not ready' }),
    );
    await waitFor(() =>
      expect(
        within(section).getByLabelText('Comment for Quality assurance'),
      ).toHaveFocus(),
    );
    expect(vote).not.toHaveBeenCalled();

    const ready = within(section).getByRole('button', { name: 'Ready' });
    await userEvent.click(ready);
    expect(vote).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(
        within(qaSection()).getByRole('button', { name: 'Ready' }),
      ).toHaveFocus(),
    );
  });

  it('asks for a comment before a Not-ready vote', async () => {
    const vote = jest.fn();
    await renderSignoffs(makeGate(), { api: { vote } });

    await screen.findByRole('region', { name: 'Quality assurance' });
    await userEvent.click(
      within(qaSection()).getByRole('button', { name: 'Not ready' }),
    );

    expect(
      within(qaSection()).getByText(
        'A Not-ready vote needs a comment: say what is missing.',
      ),
    ).toBeInTheDocument();
    expect(vote).not.toHaveBeenCalled();
  });

  it('shows the error of a refused vote', async () => {
    const vote = jest
      .fn()
      .mockRejectedValue(
        await responseError(403, 'Forbidden', 'You may not vote as QA'),
      );
    await renderSignoffs(makeGate(), { api: { vote } });

    await screen.findByRole('region', { name: 'Quality assurance' });
    await userEvent.click(
      within(qaSection()).getByRole('button', { name: 'Ready' }),
    );
    expect(
      await within(qaSection()).findByText('You may not vote as QA'),
    ).toBeInTheDocument();
  });

  it('tells an ineligible user why they cannot vote', async () => {
    await renderSignoffs(makeGate(), {
      user: 'user:default/hiroshi.tanaka',
      ownership: ['user:default/hiroshi.tanaka', 'group:default/checkout'],
    });

    expect(
      await screen.findByText(
        paragraph('Only members of qa can sign off as Quality assurance.'),
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ready' })).toBeNull();
    expect(
      screen.getByText(
        paragraph(
          'Only the gate owners (payments) can sign off as Engineering.',
        ),
      ),
    ).toBeInTheDocument();
  });

  it('lets gate owners vote for a role open to gate owners', async () => {
    await renderSignoffs(makeGate(), {
      user: 'user:default/tomasz.kowalski',
      ownership: ['user:default/tomasz.kowalski', 'Group:default/Payments'],
    });
    const section = await screen.findByRole('region', { name: 'Engineering' });
    expect(
      within(section).getByRole('button', { name: 'Ready' }),
    ).toBeInTheDocument();
    expect(
      within(qaSection()).queryByRole('button', { name: 'Ready' }),
    ).toBeNull();
  });

  it('marks stale votes, shows Not-ready comments and keeps superseded votes in the history', async () => {
    const gate = makeGate({
      checklistRevision: 3,
      votes: [
        {
          id: 'v1',
          role: 'qa',
          voter: 'user:default/ben.carter',
          verdict: 'not-ready',
          comment: 'Smoke tests missing',
          checklistRevision: 1,
          at: '2026-06-12T10:00:00.000Z',
          supersededAt: '2026-06-13T10:00:00.000Z',
        },
        {
          id: 'v2',
          role: 'qa',
          voter: 'user:default/ben.carter',
          verdict: 'ready',
          checklistRevision: 2,
          at: '2026-06-13T10:00:00.000Z',
        },
        {
          id: 'v3',
          role: 'qa',
          voter: 'user:default/nadia.haddad',
          verdict: 'not-ready',
          comment: 'Payment retries fail on staging',
          checklistRevision: 3,
          at: '2026-06-14T10:00:00.000Z',
        },
      ],
    });
    await renderSignoffs(gate);

    const section = await screen.findByRole('region', {
      name: 'Quality assurance',
    });
    const live = within(section).getByRole('list', {
      name: 'Votes for Quality assurance',
    });
    expect(within(live).getAllByRole('listitem')).toHaveLength(2);
    expect(within(live).getByText(/stale — re-confirm/)).toBeInTheDocument();
    expect(
      within(live).getByText(/Payment retries fail on staging/),
    ).toBeInTheDocument();
    expect(within(section).getByText(/1 superseded vote/)).toBeInTheDocument();
    expect(
      within(section).getByText(/Your vote: Not ready/),
    ).toBeInTheDocument();
  });

  it('closes voting once the gate is released', async () => {
    await renderSignoffs(makeGate({ state: 'released' }));
    expect(
      await screen.findByText('Voting is closed: the gate is released.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ready' })).toBeNull();
  });
});
