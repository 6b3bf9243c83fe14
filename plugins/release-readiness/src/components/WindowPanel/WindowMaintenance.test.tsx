/*
 * The window card's exception requests and window maintenance (issue 16):
 * a gate owner asks, an approver approves or rejects with a reason, the
 * state and reasons are shown; an admin edits or retires a window.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  GateWindowExceptions,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi, responseError } from '../../__fixtures__/apis';
import { condition, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { WindowPanel, WindowWithNext } from './WindowPanel';

const FREEZE: WindowWithNext = {
  id: 'launch-freeze',
  name: 'Launch freeze',
  kind: 'freeze',
  from: '2026-06-18T00:00:00.000Z',
  to: '2026-06-25T00:00:00.000Z',
  scope: { all: true },
  approvers: ['group:default/release-management'],
  source: 'api',
  version: 3,
};

const BLOCKER =
  "The planned time 2026-06-20 10:00 UTC is inside the freeze 'Launch freeze' (until 2026-06-25 00:00 UTC); move the release or get an exception approved by group:default/release-management";

const blockedGate = makeGate({
  evaluation: makeEvaluation({
    ready: false,
    conditions: [condition('window', [BLOCKER])],
  }),
});

const PRIYA = 'user:default/priya.raman';
const MARGARET = 'user:default/margaret.osei';
const OWNER = [PRIYA, 'group:default/payments'];
const APPROVER = [MARGARET, 'group:default/release-management'];

function request(
  extra: Partial<WindowExceptionRequestRecord> = {},
): WindowExceptionRequestRecord {
  return {
    id: 'req-1',
    gateId: blockedGate.id,
    windowId: FREEZE.id,
    windowVersion: 3,
    reason: 'Customer launch on the 21st',
    requestedBy: PRIYA,
    requestedAt: '2026-06-01T10:00:00.000Z',
    state: 'open',
    ...extra,
  };
}

const none: GateWindowExceptions = { requests: [], approvals: [] };

async function renderPanel(options: {
  ownership: string[];
  api?: Partial<ReleaseReadinessApi>;
  exceptions?: GateWindowExceptions;
  canEdit?: boolean;
  canManageWindows?: boolean;
}) {
  const onChange = jest.fn();
  const onWindowsChange = jest.fn();
  const getWindowExceptions = jest
    .fn()
    .mockResolvedValue(options.exceptions ?? none);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, { getWindowExceptions, ...options.api }],
        [
          identityApiRef,
          mockIdentityApi(options.ownership[0], options.ownership),
        ],
      ]}
    >
      <WindowPanel
        gate={blockedGate}
        windows={[FREEZE]}
        onChange={onChange}
        canEdit={options.canEdit ?? false}
        canManageWindows={options.canManageWindows ?? false}
        onWindowsChange={onWindowsChange}
      />
    </TestApiProvider>,
  );
  await act(async () => {});
  const section = await screen.findByRole('region', {
    name: 'Blocking freeze: Launch freeze',
  });
  return { onChange, onWindowsChange, getWindowExceptions, section };
}

describe('WindowPanel exception requests', () => {
  it('lets a gate owner request an exception with a reason, refusing an empty one', async () => {
    const updated = makeGate({ version: 9 });
    const requestWindowException = jest
      .fn()
      .mockResolvedValue({ request: request(), gate: updated });
    const { section, onChange, getWindowExceptions } = await renderPanel({
      ownership: OWNER,
      canEdit: true,
      api: { requestWindowException },
    });
    expect(
      within(section).getByText(/Exception status: needed/),
    ).toBeInTheDocument();
    // Not an approver: no approve button.
    expect(
      within(section).queryByRole('button', { name: /Approve exception/ }),
    ).toBeNull();

    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Request exception to Launch freeze',
      }),
    );
    const form = screen.getByRole('form', {
      name: 'Request an exception to Launch freeze',
    });
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    expect(
      within(form).getByText(/Give a reason: the approvers decide on it/),
    ).toBeInTheDocument();
    expect(requestWindowException).not.toHaveBeenCalled();

    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why release during/ }),
      'Customer launch on the 21st',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    expect(requestWindowException).toHaveBeenCalledWith('gate-1', {
      windowId: 'launch-freeze',
      reason: 'Customer launch on the 21st',
    });
    expect(onChange).toHaveBeenCalledWith(updated);
    // The requests are loaded again.
    await waitFor(() =>
      expect(getWindowExceptions.mock.calls.length).toBeGreaterThan(1),
    );
  });

  it('does not offer a request to someone who is not a gate owner, nor a second one while one is open', async () => {
    const first = await renderPanel({ ownership: ['user:default/hiroshi'] });
    expect(
      within(first.section).queryByRole('button', {
        name: /Request exception/,
      }),
    ).toBeNull();
  });

  it('shows an open request with its reason and whom it waits for; the approver approves or rejects it', async () => {
    const updated = makeGate({ version: 10 });
    const approveWindowException = jest.fn().mockResolvedValue(updated);
    const rejectWindowException = jest.fn().mockResolvedValue({
      request: request({ state: 'rejected' }),
      gate: updated,
    });
    const { section, onChange } = await renderPanel({
      ownership: APPROVER,
      exceptions: { requests: [request()], approvals: [] },
      api: { approveWindowException, rejectWindowException },
    });
    expect(
      await within(section).findByText(/Exception status: requested/),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent('asked: “Customer launch on the 21st”');
    expect(section).toHaveTextContent(/Waiting for release-management/);

    // Reject: a reason is required.
    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Reject exception to Launch freeze',
      }),
    );
    const rejectForm = screen.getByRole('form', {
      name: 'Rejection of the exception to Launch freeze',
    });
    await userEvent.click(
      within(rejectForm).getByRole('button', { name: 'Reject exception' }),
    );
    expect(rejectWindowException).not.toHaveBeenCalled();
    await userEvent.type(
      within(rejectForm).getByRole('textbox', { name: /Why not/ }),
      'Pen test not done',
    );
    await userEvent.click(
      within(rejectForm).getByRole('button', { name: 'Reject exception' }),
    );
    expect(rejectWindowException).toHaveBeenCalledWith('gate-1', 'req-1', {
      reason: 'Pen test not done',
    });
    expect(onChange).toHaveBeenCalledWith(updated);

    // Approve.
    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Approve exception to Launch freeze',
      }),
    );
    const approveForm = screen.getByRole('form', {
      name: 'Exception to Launch freeze',
    });
    await userEvent.type(
      within(approveForm).getByRole('textbox', { name: /Why release during/ }),
      'Agreed with the launch team',
    );
    await userEvent.click(
      within(approveForm).getByRole('button', { name: 'Approve exception' }),
    );
    expect(approveWindowException).toHaveBeenCalledWith('gate-1', {
      windowId: 'launch-freeze',
      reason: 'Agreed with the launch team',
    });
  });

  it('shows what the backend refused, e.g. an approver who asked for the exception', async () => {
    const approveWindowException = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          403,
          'Forbidden',
          'Only release-management may approve',
        ),
      );
    const { section } = await renderPanel({
      ownership: APPROVER,
      api: { approveWindowException },
    });
    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Approve exception to Launch freeze',
      }),
    );
    const form = screen.getByRole('form', {
      name: 'Exception to Launch freeze',
    });
    await userEvent.type(within(form).getByRole('textbox'), 'ok');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Approve exception' }),
    );
    expect(
      await within(form).findByText('Only release-management may approve'),
    ).toBeInTheDocument();
  });

  it('does not let the approver who asked approve their own request', async () => {
    const { section } = await renderPanel({
      ownership: [MARGARET, 'group:default/release-management'],
      exceptions: {
        requests: [request({ requestedBy: MARGARET })],
        approvals: [],
      },
    });
    await within(section).findByText(/Exception status: requested/);
    expect(
      within(section).queryByRole('button', { name: /Approve exception/ }),
    ).toBeNull();
    expect(
      within(section).getByText(/You asked for this exception/),
    ).toBeInTheDocument();
  });

  it('shows a rejection and a lapse with their reasons, and lets the owner ask again', async () => {
    const { section } = await renderPanel({
      ownership: OWNER,
      canEdit: true,
      exceptions: {
        requests: [
          request({
            state: 'rejected',
            decidedBy: MARGARET,
            decisionReason: 'Pen test not done',
          }),
        ],
        approvals: [],
      },
    });
    expect(
      await within(section).findByText(/Exception status: rejected by/),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent('“Pen test not done”');
    expect(section).toHaveTextContent('The window still blocks this gate.');
    expect(
      within(section).getByRole('button', {
        name: 'Request exception to Launch freeze',
      }),
    ).toBeInTheDocument();
  });

  it('shows a lapsed request', async () => {
    const { section } = await renderPanel({
      ownership: OWNER,
      exceptions: { requests: [request({ state: 'lapsed' })], approvals: [] },
    });
    expect(
      await within(section).findByText(/Exception status: lapsed/),
    ).toBeInTheDocument();
  });
});

describe('WindowPanel window maintenance', () => {
  it('is not offered to people who may not manage windows', async () => {
    await renderPanel({ ownership: OWNER, canEdit: true });
    expect(
      screen.queryByRole('region', { name: 'Maintain release windows' }),
    ).toBeNull();
  });

  it('says a config window is changed in app-config, without Edit or Retire', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseReadinessApiRef,
            { getWindowExceptions: jest.fn().mockResolvedValue(none) },
          ],
          [identityApiRef, mockIdentityApi('user:default/ada-admin')],
        ]}
      >
        <WindowPanel
          gate={blockedGate}
          windows={[{ ...FREEZE, source: 'config', version: undefined }]}
          onChange={onChange}
          canManageWindows
          onWindowsChange={jest.fn()}
        />
      </TestApiProvider>,
    );
    await act(async () => {});
    const region = screen.getByRole('region', {
      name: 'Maintain release windows',
    });
    expect(
      within(region).getByText('Defined in app-config: change it there.'),
    ).toBeInTheDocument();
    expect(within(region).queryByRole('button')).toBeNull();
  });

  it('lets an admin edit a window at its version, with a reason', async () => {
    const editWindow = jest.fn().mockResolvedValue({ ...FREEZE, version: 4 });
    const { onWindowsChange } = await renderPanel({
      ownership: ['user:default/ada-admin'],
      canManageWindows: true,
      api: { editWindow },
    });
    const region = screen.getByRole('region', {
      name: 'Maintain release windows',
    });
    await userEvent.click(
      within(region).getByRole('button', { name: 'Edit Launch freeze' }),
    );
    const form = screen.getByRole('form', { name: 'Edit Launch freeze' });
    const to = within(form).getByRole('textbox', { name: /To \(ISO 8601\)/ });
    await userEvent.clear(to);
    await userEvent.type(to, '2026-06-28T00:00:00.000Z');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save window' }),
    );
    expect(
      within(form).getByText(/Give a reason: it is kept in the window history/),
    ).toBeInTheDocument();
    expect(editWindow).not.toHaveBeenCalled();
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why this change/ }),
      'Launch slipped',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save window' }),
    );
    expect(editWindow).toHaveBeenCalledWith('launch-freeze', {
      name: 'Launch freeze',
      kind: 'freeze',
      from: '2026-06-18T00:00:00.000Z',
      to: '2026-06-28T00:00:00.000Z',
      scope: { all: true },
      approvers: ['group:default/release-management'],
      version: 3,
      reason: 'Launch slipped',
    });
    expect(onWindowsChange).toHaveBeenCalled();
  });

  it('lets an admin narrow the scope of a window, and refuses a scope that names nothing', async () => {
    const editWindow = jest.fn().mockResolvedValue({ ...FREEZE, version: 4 });
    await renderPanel({
      ownership: ['user:default/ada-admin'],
      canManageWindows: true,
      api: { editWindow },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Edit Launch freeze' }),
    );
    const form = screen.getByRole('form', { name: 'Edit Launch freeze' });
    // Scoped to every entity: the lists are not asked for.
    const all = within(form).getByRole('checkbox', {
      name: 'Applies to every entity',
    });
    expect(all).toBeChecked();
    expect(within(form).queryByRole('textbox', { name: /Tags/ })).toBeNull();
    await userEvent.click(all);
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why this change/ }),
      'Only the card platform launches',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save window' }),
    );
    expect(
      within(form).getByText(/Name at least one system, entity or tag/),
    ).toBeInTheDocument();
    expect(editWindow).not.toHaveBeenCalled();

    await userEvent.type(
      within(form).getByRole('textbox', { name: /Systems/ }),
      'system:default/payments-platform',
    );
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Tags/ }),
      'pci, tier-1 ,',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save window' }),
    );
    expect(editWindow).toHaveBeenCalledWith(
      'launch-freeze',
      expect.objectContaining({
        scope: {
          systems: ['system:default/payments-platform'],
          tags: ['pci', 'tier-1'],
        },
        version: 3,
        reason: 'Only the card platform launches',
      }),
    );
  });

  it('says when someone else edited the window first, and offers a reload', async () => {
    const editWindow = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'version: the release window launch-freeze is at version 4, not 3',
        ),
      );
    const { onWindowsChange } = await renderPanel({
      ownership: ['user:default/ada-admin'],
      canManageWindows: true,
      api: { editWindow },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Edit Launch freeze' }),
    );
    const form = screen.getByRole('form', { name: 'Edit Launch freeze' });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why this change/ }),
      'x',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save window' }),
    );
    expect(
      await within(form).findByText(/is at version 4, not 3/),
    ).toBeInTheDocument();
    await userEvent.click(within(form).getByRole('button', { name: 'Reload' }));
    expect(onWindowsChange).toHaveBeenCalled();
  });

  it('lets an admin retire a window with a reason', async () => {
    const retireWindow = jest
      .fn()
      .mockResolvedValue({ ...FREEZE, version: 4, retiredAt: 'now' });
    const { onWindowsChange } = await renderPanel({
      ownership: ['user:default/ada-admin'],
      canManageWindows: true,
      api: { retireWindow },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Retire Launch freeze' }),
    );
    const form = screen.getByRole('form', { name: 'Retire Launch freeze' });
    await userEvent.click(
      within(form).getByRole('button', { name: 'Retire window' }),
    );
    expect(retireWindow).not.toHaveBeenCalled();
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Why retire it/ }),
      'Launch cancelled',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Retire window' }),
    );
    expect(retireWindow).toHaveBeenCalledWith('launch-freeze', {
      version: 3,
      reason: 'Launch cancelled',
    });
    expect(onWindowsChange).toHaveBeenCalled();
  });
});
