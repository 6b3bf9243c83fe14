/*
 * Issue 15 on the sign-offs: who may sign is named (display names from the
 * catalog), a vote that cannot count is never offered without saying so next
 * to the button, and a vote in the list that does not count says why.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { mockIdentityApi } from '../../__fixtures__/apis';
import { GATE_OWNERS, makeEvaluation, makeGate } from '../../__fixtures__/gate';
import { Signoffs } from './Signoffs';

const PRIYA = 'user:default/priya.raman';

const person = (name: string, displayName: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName } },
});

/** The catalog: members of payments and of qa. */
const catalogApi = {
  getEntities: jest.fn(async ({ filter }: any) => {
    const groups: string[] = filter['relations.memberOf'];
    const items = [
      ...(groups.includes('group:default/payments')
        ? [
            person('priya.raman', 'Priya Raman'),
            person('tomasz.kowalski', 'Tomasz Kowalski'),
          ]
        : []),
      ...(groups.includes('group:default/qa')
        ? [person('nadia.haddad', 'Nadia Haddad')]
        : []),
    ];
    return { items };
  }),
};

function render(gate: GateWithEvaluation, user = PRIYA) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, { vote: jest.fn() }],
        [catalogApiRef, catalogApi],
        [
          identityApiRef,
          mockIdentityApi(user, [user, 'group:default/payments']),
        ],
      ]}
    >
      <Signoffs gate={gate} gateOwners={GATE_OWNERS} onChange={jest.fn()} />
    </TestApiProvider>,
  );
}

const section = (name: string) => screen.getByRole('region', { name });

describe('Signoffs: who counts (issue 15)', () => {
  it('names the people eligible for each role, from the catalog', async () => {
    await render(makeGate());
    expect(
      await within(section('Engineering')).findByText(
        /Eligible for Engineering/,
      ),
    ).toHaveTextContent(
      'Eligible for Engineering: Priya Raman, Tomasz Kowalski.',
    );
    expect(
      await within(section('Quality assurance')).findByText(
        /Eligible for Quality assurance/,
      ),
    ).toHaveTextContent('Eligible for Quality assurance: Nadia Haddad.');
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'User',
          'relations.memberOf': ['group:default/payments'],
        },
      }),
    );
  });

  it('tells the requester, next to the button, that their Ready vote would not count', async () => {
    await render(makeGate({ requestedBy: PRIYA, signoffSelfApproval: false }));
    const engineering = section('Engineering');
    const ready = await within(engineering).findByRole('button', {
      name: /Ready \(will not count\)/,
    });
    expect(ready).toHaveAccessibleDescription(
      /You requested this gate and its template does not allow self-approval/,
    );
  });

  it('offers a plain Ready vote where self-approval is allowed, and to another owner', async () => {
    await render(makeGate({ requestedBy: PRIYA, signoffSelfApproval: true }));
    expect(
      await within(section('Engineering')).findByRole('button', {
        name: 'Ready',
      }),
    ).not.toHaveAccessibleDescription();
  });

  it("marks a requester's vote that does not count, with the reason, in the list", async () => {
    const gate = makeGate({
      requestedBy: PRIYA,
      signoffSelfApproval: false,
      votes: [
        {
          id: 'v1',
          role: 'engineering',
          voter: PRIYA,
          verdict: 'ready',
          checklistRevision: 2,
          at: '2026-06-14T10:00:00.000Z',
        },
        {
          id: 'v2',
          role: 'engineering',
          voter: 'user:default/tomasz.kowalski',
          verdict: 'ready',
          checklistRevision: 2,
          at: '2026-06-14T11:00:00.000Z',
        },
      ],
      evaluation: makeEvaluation({
        roles: [
          {
            role: 'engineering',
            title: 'Engineering',
            min: 1,
            readyVoters: ['user:default/tomasz.kowalski'],
            notReadyVoters: [],
            staleVoters: [],
            met: true,
          },
        ],
      }),
    });
    await render(gate, 'user:default/tomasz.kowalski');
    const votes = within(section('Engineering')).getByRole('list', {
      name: 'Votes for Engineering',
    });
    const [mine, theirs] = within(votes).getAllByRole('listitem');
    expect(mine).toHaveTextContent('priya.raman voted Ready on');
    expect(within(mine).getByTestId('vote-not-counting')).toHaveTextContent(
      '(does not count: they requested this gate and its template does not allow self-approval)',
    );
    expect(within(theirs).queryByTestId('vote-not-counting')).toBeNull();
  });

  it('sends the vote when the person confirms it anyway (a Not ready vote still blocks)', async () => {
    const vote = jest.fn().mockResolvedValue(makeGate());
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [releaseReadinessApiRef, { vote }],
          [
            identityApiRef,
            mockIdentityApi(PRIYA, [PRIYA, 'group:default/payments']),
          ],
        ]}
      >
        <Signoffs
          gate={makeGate({ requestedBy: PRIYA, signoffSelfApproval: false })}
          gateOwners={GATE_OWNERS}
          onChange={jest.fn()}
        />
      </TestApiProvider>,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: /Ready \(will not count\)/ }),
    );
    expect(vote).toHaveBeenCalledWith('gate-1', {
      role: 'engineering',
      verdict: 'ready',
    });
  });
});
