/*
 * "Which checks predict incidents" on the portfolio (issue 18): the items
 * riskier first as the backend orders them, each with its finding, a small
 * chart of the two rates, the reading in words, how to read it (correlation,
 * not cause), sorting on the page, and paging on the server.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ItemInsight,
  ItemInsightsResponse,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { InsightsCard } from './InsightsCard';

const rate = (releases: number, incidents: number) => ({
  releases,
  incidents,
  rate: incidents / releases,
  interval: [0, 1] as [number, number],
});

const riskier: ItemInsight = {
  template: 'component-gate',
  itemId: 'user-acceptance',
  title: 'User acceptance',
  releases: 30,
  incidents: 9,
  outcomes: [
    { outcome: 'waived', ...rate(12, 8), otherwise: rate(18, 1) },
    { outcome: 'passed', ...rate(18, 1), otherwise: rate(12, 8) },
  ],
  finding: 'riskier',
  findingOutcome: 'waived',
  reading:
    'waived in 12 releases, 8 had a sev1–2 incident within 14 days: 67 % vs 6 % otherwise',
};
const retire: ItemInsight = {
  template: 'component-gate',
  itemId: 'runbook-updated',
  title: 'Runbook updated',
  releases: 60,
  incidents: 3,
  outcomes: [{ outcome: 'passed', ...rate(60, 3), otherwise: rate(0, 0) }],
  finding: 'retire-candidate',
  reading: 'Passed in all 60 releases, never waived or failed',
};

function page(
  items: ItemInsight[],
  extra: Partial<ItemInsightsResponse> = {},
): ItemInsightsResponse {
  return {
    from: '2026-06-09T00:00:00.000Z',
    to: '2026-12-06T00:00:00.000Z',
    windowDays: 14,
    minSample: 10,
    items,
    totalItems: items.length,
    offset: 0,
    limit: 10,
    ...extra,
  };
}

describe('InsightsCard', () => {
  it('lists the riskier item first with its chart and reading, and says how to read it', async () => {
    const getItemInsights = jest
      .fn()
      .mockResolvedValue(page([riskier, retire]));
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { getItemInsights }]]}>
        <InsightsCard owner="group:default/payments" />
      </TestApiProvider>,
    );
    expect(getItemInsights).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      offset: 0,
      limit: 10,
    });
    const table = await screen.findByRole('table', {
      name: 'Which checks predict incidents',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/User acceptance/);
    expect(rows[1]).toHaveTextContent(/Riskier when waived/);
    expect(
      within(rows[1]).getByRole('img', {
        name: 'Incident rate when waived 67 %, otherwise 6 %',
      }),
    ).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent(/Runbook updated.*Candidate to retire/);
    expect(screen.getByText(/correlation, not cause/)).toBeInTheDocument();
    expect(
      screen.getByText(/nothing is claimed below 10 releases/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Releases from 2026-06-09 to 2026-12-06'),
    ).toBeInTheDocument();

    // Sorting on the page: by releases, the retire candidate comes first.
    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by Releases' }),
    );
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(
      /Runbook updated/,
    );
  });

  it('downloads the review record of a template, with its patch', async () => {
    const getTemplateReviewMarkdown = jest
      .fn()
      .mockResolvedValue('# Template review: Component gate');
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseReadinessApiRef,
            {
              getItemInsights: jest.fn().mockResolvedValue(page([riskier])),
              getTemplateReviewMarkdown,
            },
          ],
        ]}
      >
        <InsightsCard />
      </TestApiProvider>,
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download review record and patch',
      }),
    );
    expect(getTemplateReviewMarkdown).toHaveBeenCalledWith('component-gate');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Downloaded template-review-component-gate.md.',
    );
  });

  it('pages on the server', async () => {
    const getItemInsights = jest
      .fn()
      .mockResolvedValueOnce(page([riskier], { totalItems: 11 }))
      .mockResolvedValueOnce(page([retire], { totalItems: 11, offset: 10 }));
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { getItemInsights }]]}>
        <InsightsCard />
      </TestApiProvider>,
    );
    expect(await screen.findByText('1–1 of 11 items')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(getItemInsights).toHaveBeenLastCalledWith({ offset: 10, limit: 10 });
    expect(await screen.findByText('Runbook updated')).toBeInTheDocument();
  });
});
