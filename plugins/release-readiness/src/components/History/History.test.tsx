import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Gate, GateWithEvaluation } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { makeGate } from '../../__fixtures__/gate';
import { History } from './History';
import { paragraph } from '../../__fixtures__/text';

const earlier: Gate = {
  ...makeGate({
    id: 'gate-0',
    release: '1.3.0',
    state: 'released',
    openedAt: '2026-05-01T09:00:00.000Z',
    decisions: [
      {
        id: 'd1',
        verdict: 'no-go',
        reason: 'Smoke tests failing',
        by: 'user:default/priya.raman',
        at: '2026-05-01T15:00:00.000Z',
        stateHash: 'a',
      },
      {
        id: 'd2',
        verdict: 'go',
        reason: 'All conditions met',
        by: 'user:default/priya.raman',
        at: '2026-05-04T09:00:00.000Z',
        stateHash: 'b',
      },
    ],
  }),
};

function renderHistory(
  gate: GateWithEvaluation | null,
  api: Partial<ReleaseReadinessApi> = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
      <History gate={gate} earlierGates={[earlier]} />
    </TestApiProvider>,
  );
}

describe('History', () => {
  it('lists earlier releases with their decision and lead time', async () => {
    await renderHistory(null);
    const table = await screen.findByRole('table', {
      name: 'Earlier releases',
    });
    const row = within(table).getByRole('row', { name: /1\.3\.0/ });
    expect(within(row).getByText('released')).toBeInTheDocument();
    expect(within(row).getByText('GO: All conditions met')).toBeInTheDocument();
    expect(within(row).getByText('3 days')).toBeInTheDocument();
  });

  it('downloads the dossier of the current gate', async () => {
    const getDossierMarkdown = jest.fn().mockResolvedValue('# Dossier');
    await renderHistory(makeGate(), { getDossierMarkdown });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download dossier' }),
    );
    expect(getDossierMarkdown).toHaveBeenCalledWith('gate-1');
  });

  it('loads the audit trail on demand', async () => {
    const getAudit = jest.fn().mockResolvedValue([
      {
        id: 'a1',
        entityRef: 'component:default/payment-gateway',
        gateId: 'gate-1',
        actor: 'user:default/priya.raman',
        action: 'gate-open',
        at: '2026-06-10T09:00:00.000Z',
      },
    ]);
    await renderHistory(makeGate(), { getAudit });
    expect(getAudit).not.toHaveBeenCalled();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show audit trail' }),
    );
    expect(getAudit).toHaveBeenCalledWith('gate-1');
    expect(
      // The actor by display name (issue 15), not the raw ref.
      await screen.findByText(paragraph(/ · priya.raman · gate-open$/)),
    ).toBeInTheDocument();
  });

  it('shows the incidents of the current gate', async () => {
    await renderHistory(
      makeGate({
        incidents: [
          {
            id: 'i1',
            entityRef: 'component:default/payment-gateway',
            release: '1.4.0',
            severity: 'sev2',
            title: 'Refunds delayed',
            occurredAt: '2026-06-21T10:00:00.000Z',
            reportedBy: 'user:default/priya.raman',
          },
          {
            id: 'i2',
            entityRef: 'component:default/payment-gateway',
            release: '1.4.0',
            severity: 'sev3',
            title: 'Slow receipts',
            occurredAt: '2026-06-01T10:00:00.000Z',
            reportedBy: 'user:default/priya.raman',
            ungated: true,
          },
          {
            id: 'i3',
            entityRef: 'component:default/payment-gateway',
            release: '1.4.0',
            severity: 'sev1',
            title: '#1042 Wallet payments time out',
            link: 'https://demo.pagerduty.com/incidents/QDEMO1',
            occurredAt: '2026-06-22T10:00:00.000Z',
            reportedBy: 'incident-source:pagerduty',
            source: {
              id: 'pagerduty',
              title: 'PagerDuty',
              externalId: 'QDEMO1',
            },
          },
        ],
      }),
    );
    const list = await screen.findByRole('list', { name: 'Incidents' });
    expect(within(list).getByText(/Refunds delayed/)).toBeInTheDocument();
    expect(within(list).getByText(/Refunds delayed/)).not.toHaveTextContent(
      /ungated/,
    );
    expect(within(list).getByText('SEV2')).toBeInTheDocument();
    expect(within(list).getByText(/Slow receipts/)).toHaveTextContent(
      /ungated: reported before this release had a gate/,
    );
    // Arrived as a webhook: the tool and its id, the title linking to it.
    const paged = within(list).getByRole('link', {
      name: '#1042 Wallet payments time out',
    });
    expect(paged).toHaveAttribute(
      'href',
      'https://demo.pagerduty.com/incidents/QDEMO1',
    );
    expect(paged.closest('p')).toHaveTextContent(/from PagerDuty \(QDEMO1\)/);
    expect(within(list).getByText(/Refunds delayed/)).not.toHaveTextContent(
      /from /,
    );
  });
});
