/*
 * Issue 19 on the checklist: where an automated item's evidence comes from
 * besides the pipelines, a provider that could not collect shown with its
 * date on the list and on each of its items, and "Refresh evidence" for the
 * people who may change the gate, which reloads the gate afterwards.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { EvidenceSource } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { makeMidwayGate } from '../../__fixtures__/gate';
import { Checklist } from './Checklist';

const gate = makeMidwayGate();

const presentationApi = {
  forEntity: (ref: string) => {
    const snapshot = { entityRef: ref, primaryTitle: ref.split('/').pop()! };
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

const scanner = (lastAttempt?: EvidenceSource['lastAttempt']) =>
  ({
    provider: 'fake-scanner',
    title: 'Fake Scanner',
    types: ['security-scan'],
    ...(lastAttempt ? { lastAttempt } : {}),
  } satisfies EvidenceSource);

async function render(api: Partial<ReleaseReadinessApi>, canEdit = true) {
  const onConflict = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [entityPresentationApiRef, presentationApi],
      ]}
    >
      <Checklist
        gate={gate}
        canEdit={canEdit}
        onChange={jest.fn()}
        onConflict={onConflict}
      />
    </TestApiProvider>,
  );
  return { onConflict };
}

describe('evidence sources on the checklist (issue 19)', () => {
  it('shows a provider that could not collect, with its date and reason, on the list and on its item only', async () => {
    await render({
      getEvidenceSources: jest.fn().mockResolvedValue({
        gateId: gate.id,
        sources: [
          scanner({
            at: '2030-06-12T09:30:00.000Z',
            trigger: 'schedule',
            ok: false,
            message: 'Fake Scanner did not answer within 30 s',
            collected: 0,
          }),
        ],
      }),
    });
    const list = await screen.findByTestId('evidence-sources');
    expect(list).toHaveTextContent('Fake Scanner (security-scan)');
    expect(list).toHaveTextContent(
      'could not collect at 2030-06-12 09:30 UTC: Fake Scanner did not answer within 30 s',
    );
    const scan = screen.getByRole('listitem', { name: 'Security scan' });
    expect(
      within(scan).getByTestId('evidence-source-failed-security-scan'),
    ).toHaveTextContent(
      'Could not collect from Fake Scanner at 2030-06-12 09:30 UTC: Fake Scanner did not answer within 30 s. This never counts as a pass.',
    );
    const tests = screen.getByRole('listitem', { name: 'Unit tests pass' });
    expect(within(tests).queryByText(/Fake Scanner/)).not.toBeInTheDocument();
  });

  it('refreshes for a gate owner, says so, and reloads the gate', async () => {
    const refreshEvidence = jest.fn().mockResolvedValue({
      gateId: gate.id,
      sources: [
        scanner({
          at: '2030-06-12T10:00:00.000Z',
          trigger: 'refresh',
          ok: true,
          collected: 1,
        }),
      ],
    });
    const { onConflict } = await render({
      getEvidenceSources: jest
        .fn()
        .mockResolvedValue({ gateId: gate.id, sources: [scanner()] }),
      refreshEvidence,
    });
    const list = await screen.findByTestId('evidence-sources');
    expect(list).toHaveTextContent('not asked yet');
    await userEvent.click(
      within(list).getByRole('button', { name: 'Refresh evidence' }),
    );
    expect(refreshEvidence).toHaveBeenCalledWith(gate.id);
    expect(await within(list).findByRole('status')).toHaveTextContent(
      'Evidence refreshed.',
    );
    expect(list).toHaveTextContent('last collected 2030-06-12 10:00 UTC');
    expect(onConflict).toHaveBeenCalled();
    const scan = screen.getByRole('listitem', { name: 'Security scan' });
    expect(
      within(scan).getByText(
        'Collected from Fake Scanner; a pipeline may also post it.',
      ),
    ).toBeInTheDocument();
  });

  it('names what the provider reads for the item and its newest fact, with the commit and a link to the source', async () => {
    await render({
      getEvidenceSources: jest.fn().mockResolvedValue({
        gateId: gate.id,
        sources: [
          {
            ...scanner({
              at: '2030-06-12T10:00:00.000Z',
              trigger: 'schedule',
              ok: true,
              collected: 1,
            }),
            reads: { 'security-scan': 'check imageScanCheck' },
            latest: {
              'security-scan': {
                observedAt: '2030-06-12T09:58:00.000Z',
                commit: '3f9c2a1b7d4e8f0a6c5b',
                link: 'https://scanner.example.com/scans/981',
              },
            },
          },
        ],
      }),
    });
    const scan = await screen.findByTestId('evidence-source-security-scan');
    expect(scan).toHaveTextContent(
      'Collected from Fake Scanner, check imageScanCheck; a pipeline may also post it. Its newest fact, about commit 3f9c2a1b7d4e, was observed 2030-06-12 09:58 UTC.',
    );
    expect(
      within(scan).getByRole('link', { name: 'Open in Fake Scanner' }),
    ).toHaveAttribute('href', 'https://scanner.example.com/scans/981');
  });

  it('offers no refresh to people who may not change the gate, and nothing at all without providers', async () => {
    await render(
      {
        getEvidenceSources: jest
          .fn()
          .mockResolvedValue({ gateId: gate.id, sources: [scanner()] }),
      },
      false,
    );
    const list = await screen.findByTestId('evidence-sources');
    expect(
      within(list).queryByRole('button', { name: 'Refresh evidence' }),
    ).not.toBeInTheDocument();
  });

  it('shows nothing when the backend has no provider for the gate', async () => {
    const getEvidenceSources = jest
      .fn()
      .mockResolvedValue({ gateId: gate.id, sources: [] });
    await render({ getEvidenceSources });
    await waitFor(() => expect(getEvidenceSources).toHaveBeenCalled());
    expect(screen.queryByTestId('evidence-sources')).not.toBeInTheDocument();
    expect(screen.queryByText(/Refresh evidence/)).not.toBeInTheDocument();
  });
});
