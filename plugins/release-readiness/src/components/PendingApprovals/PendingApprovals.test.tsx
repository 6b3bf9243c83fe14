import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi } from '../../__fixtures__/apis';
import { makeGate } from '../../__fixtures__/gate';
import { PendingApprovals } from './PendingApprovals';

const REQUESTER = 'user:default/priya.raman';
const MANAGER = 'user:default/margaret';

function pendingGate() {
  return makeGate({
    requestedBy: REQUESTER,
    templateReason: 'hotfix for the outage',
    templateApproval: {
      approvers: ['group:default/release-management'],
      because: 'hotfix is the expedited (rapid) template',
    },
  });
}

async function renderAs(
  user: string,
  groups: string[],
  api: Partial<ReleaseReadinessApi> = {},
  gate = pendingGate(),
) {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [identityApiRef, mockIdentityApi(user, [user, ...groups])],
      ]}
    >
      <PendingApprovals gate={gate} onChange={onChange} />
    </TestApiProvider>,
  );
  return onChange;
}

describe('PendingApprovals', () => {
  it('offers an approver the Approve button, and sends the approval', async () => {
    const approved = makeGate();
    const approveTemplate = jest.fn().mockResolvedValue(approved);
    const onChange = await renderAs(
      MANAGER,
      ['group:default/release-management'],
      { approveTemplate },
    );
    expect(
      await screen.findByText(
        /awaits approval by group:default\/release-management/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    expect(approveTemplate).toHaveBeenCalledWith('gate-1', {});
    expect(onChange).toHaveBeenCalledWith(approved);
  });

  it('offers no button to the requester, even in the approving group, nor to others', async () => {
    await renderAs(REQUESTER, ['group:default/release-management']);
    expect(
      await screen.findByText(
        `Only group:default/release-management may approve, not ${REQUESTER}.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('shows nothing when nothing waits for an approval', async () => {
    await renderAs(
      MANAGER,
      ['group:default/release-management'],
      {},
      makeGate(),
    );
    expect(screen.queryByText('Pending approvals')).toBeNull();
  });
});
