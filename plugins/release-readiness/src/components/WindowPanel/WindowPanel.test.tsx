import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi } from '../../__fixtures__/apis';
import { condition, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { WindowPanel, WindowWithNext } from './WindowPanel';
import { paragraph } from '../../__fixtures__/text';

const FREEZE: WindowWithNext = {
  id: 'year-end',
  name: 'Year-end freeze',
  kind: 'freeze',
  from: '2026-06-18T00:00:00.000Z',
  to: '2026-06-25T00:00:00.000Z',
  scope: { all: true },
  approvers: ['group:default/release-management'],
  source: 'config',
  next: { start: '2026-12-20T00:00:00.000Z', end: '2027-01-03T00:00:00.000Z' },
};

const TRAIN: WindowWithNext = {
  id: 'weekday-train',
  name: 'Weekday train',
  kind: 'train',
  cron: '0 9 * * 1-5',
  duration: 'PT8H',
  scope: { all: true },
  approvers: [],
  source: 'config',
};

const BLOCKER =
  "The planned time 2026-06-20 10:00 UTC is inside the freeze 'Year-end freeze' (until 2026-06-25 00:00 UTC); move the release or get an exception approved by group:default/release-management";
/** The blocker as shown: refs as display names (issue 15). */
const SHOWN_BLOCKER = paragraph(BLOCKER.replace('group:default/', ''));

const blockedGate = makeGate({
  evaluation: makeEvaluation({
    ready: false,
    conditions: [condition('window', [BLOCKER])],
  }),
});

async function renderPanel(
  ownership: string[],
  api: Partial<ReleaseReadinessApi> = {},
  gate = blockedGate,
) {
  const onChange = jest.fn();
  const user = ownership[0];
  const view = await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [identityApiRef, mockIdentityApi(user, ownership)],
      ]}
    >
      <WindowPanel gate={gate} windows={[FREEZE, TRAIN]} onChange={onChange} />
    </TestApiProvider>,
  );
  // Let the identity of the signed-in user load.
  await act(async () => {});
  return { onChange, view };
}

describe('WindowPanel', () => {
  it('shows the blocker, the planned time and the next freeze', async () => {
    await renderPanel(['user:default/hiroshi.tanaka']);

    expect(await screen.findByText(SHOWN_BLOCKER)).toBeInTheDocument();
    expect(screen.getByText(/Planned release:/)).toBeInTheDocument();
    expect(screen.getByText('not met')).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Blocking freeze: Year-end freeze' }),
    ).toBeInTheDocument();
    // The next freeze and train of the windows given (NextWindows.test.tsx
    // says which, at a fixed time).
    expect(
      screen.getByRole('region', { name: 'Next freeze' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Next train' }),
    ).toBeInTheDocument();
    expect(document.getElementById('window')).not.toBeNull();
  });

  it('lets an approver approve an exception with a reason', async () => {
    const updated = makeGate();
    const approveWindowException = jest.fn().mockResolvedValue(updated);
    const { onChange } = await renderPanel(
      ['user:default/margaret.osei', 'group:default/release-management'],
      { approveWindowException },
    );

    const section = await screen.findByRole('region', {
      name: 'Blocking freeze: Year-end freeze',
    });
    await userEvent.click(
      await within(section).findByRole('button', {
        name: 'Approve exception to Year-end freeze',
      }),
    );
    const form = screen.getByRole('form', {
      name: 'Exception to Year-end freeze',
    });
    await userEvent.click(
      within(form).getByRole('button', { name: 'Approve exception' }),
    );
    expect(
      within(form).getByText(
        'Give a reason: the exception is recorded in the audit trail.',
      ),
    ).toBeInTheDocument();
    expect(approveWindowException).not.toHaveBeenCalled();

    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why release during/ }),
      'Security fix for card data',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Approve exception' }),
    );
    expect(approveWindowException).toHaveBeenCalledWith('gate-1', {
      windowId: 'year-end',
      reason: 'Security fix for card data',
    });
    expect(onChange).toHaveBeenCalledWith(updated);
  });

  it('does not offer the exception to people who are not approvers', async () => {
    await renderPanel(['user:default/priya.raman', 'group:default/payments']);
    await screen.findByText(SHOWN_BLOCKER);
    expect(
      screen.queryByRole('button', { name: /Approve exception/ }),
    ).toBeNull();
    expect(
      screen.getByText(paragraph(/Approvers: release-management \(each/)),
    ).toBeInTheDocument();
  });

  it('says so when the window condition is met', async () => {
    await renderPanel(
      ['user:default/priya.raman'],
      {},
      makeGate({
        evaluation: makeEvaluation({ conditions: [condition('window')] }),
      }),
    );
    expect(await screen.findByText('met')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Blocking/ })).toBeNull();
  });

  it('shows the gate owner the exception granted, by whom and why, once the window no longer blocks', async () => {
    const request = {
      id: 'req-1',
      gateId: blockedGate.id,
      windowId: FREEZE.id,
      reason: 'Card schemes mandate the change by the 21st',
      requestedBy: 'user:default/priya.raman',
      requestedAt: '2026-06-01T10:00:00.000Z',
    };
    const metGate = makeGate({
      evaluation: makeEvaluation({ conditions: [condition('window')] }),
    });
    const getWindowExceptions = jest.fn().mockResolvedValue({
      requests: [
        { ...request, id: 'req-0', state: 'rejected', decisionReason: 'No' },
        {
          ...request,
          state: 'approved',
          decidedBy: 'user:default/margaret.osei',
          decisionReason: 'Regulatory deadline',
        },
      ],
      approvals: [],
    });
    await renderPanel(
      ['user:default/priya.raman', 'group:default/payments'],
      { getWindowExceptions },
      metGate,
    );
    const granted = await screen.findByRole('region', {
      name: 'Exceptions granted',
    });
    expect(
      within(granted).getByRole('heading', {
        name: 'Exception to Year-end freeze',
      }),
    ).toBeInTheDocument();
    // Only the latest request of the window, the approval, is shown.
    expect(granted).toHaveTextContent(
      /Exception status: approved\. .*asked: “Card schemes mandate the change by the 21st”; approved by .*: “Regulatory deadline”\./,
    );
    expect(granted).not.toHaveTextContent('rejected');
  });

  it('lists no exception granted while the window still blocks the gate', async () => {
    const getWindowExceptions = jest.fn().mockResolvedValue({
      requests: [
        {
          id: 'req-1',
          gateId: blockedGate.id,
          windowId: FREEZE.id,
          reason: 'Launch',
          requestedBy: 'user:default/priya.raman',
          requestedAt: '2026-06-01T10:00:00.000Z',
          state: 'approved',
          decidedBy: 'user:default/margaret.osei',
        },
      ],
      approvals: [],
    });
    await renderPanel(['user:default/priya.raman'], { getWindowExceptions });
    await screen.findByRole('region', {
      name: 'Blocking freeze: Year-end freeze',
    });
    await act(async () => {});
    expect(getWindowExceptions).toHaveBeenCalled();
    expect(
      screen.queryByRole('region', { name: 'Exceptions granted' }),
    ).toBeNull();
  });
});
