import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { releaseReadinessApiRef } from '../../api';
import { PortfolioPage } from './PortfolioPage';
import {
  CaughtRelease,
  MetricsQuery,
  MetricsResponse,
  PortfolioQuery,
  PortfolioResponse,
  ReleaseWindowWithNext,
  SystemRollup,
} from '@release-readiness/plugin-common';
import {
  emptyMetrics,
  portfolioFixture,
  row,
  teamMetricsFixture,
} from './__fixtures__/portfolio';

// The whole page renders here (tiles, table, charts, calendar, tier view), and
// every interaction renders it again: on a busy machine one test takes longer
// than jest's default five seconds.
jest.setTimeout(30_000);

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

function search(): URLSearchParams {
  return new URLSearchParams(screen.getByTestId('location').textContent ?? '');
}

interface MockApi {
  getPortfolio: jest.Mock<Promise<PortfolioResponse>, [PortfolioQuery]>;
  getMetrics: jest.Mock<Promise<MetricsResponse>, [MetricsQuery]>;
  listWindows: jest.Mock<Promise<ReleaseWindowWithNext[]>, []>;
  getSystemRollups: jest.Mock<Promise<SystemRollup[]>, []>;
  getCaughtReleases: jest.Mock<Promise<CaughtRelease[]>, []>;
}

function mockApi(overrides: Partial<MockApi> = {}): MockApi {
  return {
    getPortfolio: jest
      .fn<Promise<PortfolioResponse>, [PortfolioQuery]>()
      .mockResolvedValue(portfolioFixture),
    getMetrics: jest
      .fn<Promise<MetricsResponse>, [MetricsQuery]>()
      .mockResolvedValue(teamMetricsFixture),
    listWindows: jest
      .fn<Promise<ReleaseWindowWithNext[]>, []>()
      .mockResolvedValue([]),
    getSystemRollups: jest.fn<Promise<SystemRollup[]>, []>().mockResolvedValue([
      {
        systemRef: 'system:default/payments-platform',
        system: {
          entityRef: 'system:default/payments-platform',
          kind: 'system',
          title: 'Payments Platform',
          tags: [],
          currentGate: {
            id: 'sg1',
            release: '2026.12',
            state: 'in-progress',
            verdict: 'IN PROGRESS',
            score: 40,
            blockers: 3,
          },
        },
        components: 10,
        go: 4,
        noGo: 1,
        inProgress: 2,
        noGate: 3,
      },
    ]),
    getCaughtReleases: jest
      .fn<Promise<CaughtRelease[]>, []>()
      .mockResolvedValue([
        {
          gateId: 'g9',
          entityRef: 'component:default/card-vault',
          title: 'card-vault',
          release: '5.1.0',
          decidedAt: '2026-11-20T10:00:00.000Z',
          decidedBy: 'user:default/priya-raman',
          reason: 'Critical CVE',
          fixed: true,
          caughtBy: [
            {
              ref: 'user:default/samuel-adeyemi',
              how: 'not-ready vote',
              detail: 'security: CVE in the base image',
            },
          ],
        },
      ]),
    ...overrides,
  };
}

/** The calendar's calls: the services planned in its range. */
function calendarCalls(api: MockApi) {
  return api.getPortfolio.mock.calls
    .map(([query]) => query)
    .filter(query => query.plannedFrom !== undefined);
}

/** The calls of the caught releases: as many services as one call returns. */
function isWideCall(query: PortfolioQuery) {
  return (
    query.plannedFrom === undefined &&
    query.sort === 'plannedAt' &&
    query.limit === 200
  );
}

/** The calls of the services list (not the calendar's nor the caught releases'). */
function tableCalls(api: MockApi) {
  return api.getPortfolio.mock.calls
    .map(([query]) => query)
    .filter(query => query.plannedFrom === undefined && !isWideCall(query));
}

async function renderPage(api = mockApi(), url = '/portfolio') {
  await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
      <PortfolioPage />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  await screen.findByRole('table', { name: 'Services by team' });
  return api;
}

describe('PortfolioPage', () => {
  it('shows the header and the metric tiles', async () => {
    await renderPage();
    expect(
      screen.getByRole('heading', { name: 'Release readiness portfolio' }),
    ).toBeInTheDocument();
    const tile = (label: string) =>
      within(screen.getByRole('region', { name: label }));
    expect(tile('Services with a gate').getByText('16')).toBeInTheDocument();
    expect(
      tile('Services with a gate').getByText('of 20 services'),
    ).toBeInTheDocument();
    expect(tile('GO').getByText('4')).toBeInTheDocument();
    expect(tile('NO-GO').getByText('3')).toBeInTheDocument();
    expect(tile('In progress').getByText('9')).toBeInTheDocument();
    // February over all gates: 18 h, where the median of the teams'
    // medians (20 h and 10 h) would say 15 h.
    await waitFor(() =>
      expect(tile('Median lead time').getByText('18 h')).toBeInTheDocument(),
    );
    expect(
      tile('Median lead time').getByText('2026-02 · p90 2.1 d, all gates'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/median of teams/)).not.toBeInTheDocument();
    expect(tile('No-go rate').getByText('20%')).toBeInTheDocument();
    expect(
      tile('No-go rate').getByText('2026-02 · 1 of 5 decisions'),
    ).toBeInTheDocument();
    expect(tile('Blockers per gate').getByText('1.25')).toBeInTheDocument();
    expect(tile('Incidents per release').getByText('0.25')).toBeInTheDocument();
    expect(
      tile('Incidents per release').getByText(
        '2026-02 · 1 incident, 4 releases',
      ),
    ).toBeInTheDocument();
  });

  it('takes the lead time tile from the overall bucket, not from the teams', async () => {
    // One team's bucket says 2 h; the overall bucket, over all gates, 7 h.
    const metrics: MetricsResponse = {
      ...teamMetricsFixture,
      buckets: [teamMetricsFixture.buckets[2]],
      overall: {
        periods: [
          {
            ...teamMetricsFixture.overall.periods[1],
            leadTimeHours: { median: 7, p90: 9 },
          },
        ],
        total: teamMetricsFixture.overall.total,
      },
    };
    await renderPage(
      mockApi({ getMetrics: jest.fn().mockResolvedValue(metrics) }),
    );
    const leadTime = within(
      screen.getByRole('region', { name: 'Median lead time' }),
    );
    expect(await leadTime.findByText('7 h')).toBeInTheDocument();
    expect(
      leadTime.getByText('2026-02 · p90 9 h, all gates'),
    ).toBeInTheDocument();
  });

  it('fills the filters from the facets, with counts', async () => {
    await renderPage();
    const team = screen.getByLabelText('Team');
    expect(
      within(team).getByRole('option', { name: 'payments (12)' }),
    ).toBeInTheDocument();
    expect(
      within(team).getByRole('option', { name: 'checkout (8)' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('System')).getByRole('option', {
        name: 'storefront (10)',
      }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Tier')).getByRole('option', {
        name: 'Tier 1 (15)',
      }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('State')).getByRole('option', {
        name: 'No gate (4)',
      }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Verdict')).getByRole('option', {
        name: 'NO-GO (3)',
      }),
    ).toBeInTheDocument();
  });

  it('writes a filter to the URL, resets the page and queries with it', async () => {
    const api = await renderPage(mockApi(), '/portfolio?offset=50&tier=1');
    expect(tableCalls(api)[0]).toEqual({
      tier: '1',
      sort: 'owner',
      order: 'asc',
      offset: 50,
      limit: 50,
    });

    await userEvent.selectOptions(
      screen.getByLabelText('Team'),
      'group:default/checkout',
    );

    await waitFor(() =>
      expect(search().get('owner')).toBe('group:default/checkout'),
    );
    expect(search().get('tier')).toBe('1');
    expect(search().get('offset')).toBeNull();
    await waitFor(() =>
      expect(tableCalls(api).at(-1)).toEqual({
        owner: 'group:default/checkout',
        tier: '1',
        sort: 'owner',
        order: 'asc',
        offset: 0,
        limit: 50,
      }),
    );
    // The calendar follows the filters too, asking for its range only.
    await waitFor(() =>
      expect(calendarCalls(api).at(-1)).toEqual({
        owner: 'group:default/checkout',
        tier: '1',
        plannedFrom: expect.any(String),
        plannedTo: expect.any(String),
        sort: 'plannedAt',
        order: 'asc',
        offset: 0,
        limit: 200,
      }),
    );
    // So do the metrics, with the filters that describe services.
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith({
        groupBy: 'team',
        period: 'month',
        owner: 'group:default/checkout',
        tier: '1',
      }),
    );

    await userEvent.selectOptions(screen.getByLabelText('Team'), '');
    await waitFor(() => expect(search().get('owner')).toBeNull());
  });

  it('searches by text through the URL', async () => {
    const api = await renderPage();
    await userEvent.type(screen.getByLabelText('Search'), 'ledger');
    await waitFor(() => expect(search().get('q')).toBe('ledger'));
    await waitFor(() =>
      expect(tableCalls(api).at(-1)).toEqual(
        expect.objectContaining({ q: 'ledger', offset: 0 }),
      ),
    );
  });

  it('sorts through the URL', async () => {
    const api = await renderPage();
    await userEvent.click(screen.getByRole('button', { name: 'Score' }));
    await waitFor(() => expect(search().get('sort')).toBe('score'));
    await waitFor(() =>
      expect(tableCalls(api).at(-1)).toEqual(
        expect.objectContaining({ sort: 'score', order: 'asc' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Score' }));
    await waitFor(() => expect(search().get('order')).toBe('desc'));
  });

  it('groups the services by team with their totals and links to the Readiness tab', async () => {
    await renderPage();
    const payments = screen.getByRole('rowgroup', { name: 'Team payments' });
    expect(
      within(payments).getByText(
        '12 services · 2 GO · 3 NO-GO · 5 in progress · 2 without a gate',
      ),
    ).toBeInTheDocument();
    expect(
      within(payments).getByRole('link', { name: 'payment-gateway' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
    expect(
      within(payments).getByRole('link', { name: 'ledger' }),
    ).toBeInTheDocument();
    // The gate's state and its verdict, both NO-GO.
    expect(within(payments).getAllByText('NO-GO')).toHaveLength(2);

    const checkout = screen.getByRole('rowgroup', { name: 'Team checkout' });
    expect(
      within(checkout).getByRole('link', { name: 'checkout-web' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-web/readiness',
    );
    expect(
      within(checkout).queryByRole('link', { name: 'ledger' }),
    ).not.toBeInTheDocument();
    // The gate's state and its verdict, both GO.
    expect(within(checkout).getAllByText('GO')).toHaveLength(2);
  });

  it('pages on the server with next and previous', async () => {
    const api = await renderPage();
    expect(screen.getByText('1–3 of 120 services')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    api.getPortfolio.mockResolvedValue({
      ...portfolioFixture,
      offset: 50,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(search().get('offset')).toBe('50'));
    await waitFor(() =>
      expect(tableCalls(api).at(-1)).toEqual(
        expect.objectContaining({ offset: 50, limit: 50 }),
      ),
    );
    expect(
      await screen.findByText('51–53 of 120 services'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await waitFor(() => expect(search().get('offset')).toBeNull());

    await userEvent.selectOptions(
      screen.getByLabelText('Rows per page'),
      '100',
    );
    await waitFor(() => expect(search().get('limit')).toBe('100'));
    await waitFor(() =>
      expect(tableCalls(api).at(-1)).toEqual(
        expect.objectContaining({ offset: 0, limit: 100 }),
      ),
    );
  });

  it('shows the charts and the metric grouping from the URL', async () => {
    const api = await renderPage(mockApi(), '/portfolio?groupBy=tier');
    expect(await screen.findByText('Gate lead time')).toBeInTheDocument();
    expect(screen.getByText('No-go rate by team')).toBeInTheDocument();
    expect(screen.getByText('Blockers per gate by team')).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith({
      groupBy: 'team',
      period: 'month',
    });
    expect(api.getMetrics).toHaveBeenCalledWith({
      groupBy: 'tier',
      period: 'month',
    });
    await userEvent.selectOptions(screen.getByLabelText('Period'), 'quarter');
    await waitFor(() => expect(search().get('period')).toBe('quarter'));
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith({
        groupBy: 'tier',
        period: 'quarter',
      }),
    );
  });

  it('says "No data yet" when there are no metrics', async () => {
    await renderPage(
      mockApi({ getMetrics: jest.fn().mockResolvedValue(emptyMetrics) }),
    );
    await waitFor(() =>
      expect(screen.getAllByText('No data yet')).toHaveLength(3),
    );
    expect(
      within(
        screen.getByRole('region', { name: 'Median lead time' }),
      ).getByText('—'),
    ).toBeInTheDocument();
  });

  it('asks for the four weeks of the calendar, and pages through them', async () => {
    const planned = (offset: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        row(
          `svc-${offset + i}`,
          { systemRef: `system:default/s-${offset + i}` },
          {
            plannedAt: new Date(
              Date.now() + (offset + i + 1) * 60_000,
            ).toISOString(),
            // Released gates are left off the calendar: only the last one,
            // from the last page, is drawn, which keeps the test fast.
            state: offset + i === 449 ? 'go' : 'released',
          },
        ),
      );
    const getPortfolio = jest.fn(async (query: PortfolioQuery) =>
      query.plannedFrom
        ? {
            ...portfolioFixture,
            items: planned(query.offset ?? 0, query.offset === 400 ? 50 : 200),
            totalItems: 450,
            offset: query.offset ?? 0,
            limit: 200,
          }
        : portfolioFixture,
    );
    const before = Date.now();
    const api = await renderPage(mockApi({ getPortfolio }));
    await waitFor(() => expect(calendarCalls(api)).toHaveLength(3));
    const calls = calendarCalls(api);
    expect(calls.map(c => c.offset).sort((a, b) => a! - b!)).toEqual([
      0, 200, 400,
    ]);
    const from = new Date(calls[0].plannedFrom!).getTime();
    const to = new Date(calls[0].plannedTo!).getTime();
    expect(from).toBeGreaterThanOrEqual(before - 1000);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(to - from).toBe(28 * 24 * 60 * 60 * 1000);
    for (const call of calls) {
      expect(call).toMatchObject({
        plannedFrom: calls[0].plannedFrom,
        plannedTo: calls[0].plannedTo,
        sort: 'plannedAt',
        order: 'asc',
        limit: 200,
      });
    }
    // All 450 are on the calendar, and it does not claim to be partial.
    expect(
      await screen.findByRole('link', { name: 'svc-449' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument();
  });

  it('shows the caught releases and the calendar', async () => {
    await renderPage();
    expect(
      await screen.findByText(
        /Caught before production: 1 release stopped by a NO-GO/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Release calendar')).toBeInTheDocument();
  });

  it('shows an error when the portfolio cannot be loaded', async () => {
    const api = mockApi({
      getPortfolio: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
        <PortfolioPage />
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('shows the tier view: each system with its components rolled up', async () => {
    const api = mockApi();
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Systems and their components',
    });
    expect(table).toHaveTextContent('Payments Platform');
    expect(table).toHaveTextContent('2026.12: IN PROGRESS');
    expect(api.getSystemRollups).toHaveBeenCalled();
  });

  it('credits who caught the releases a NO-GO stopped', async () => {
    const api = mockApi();
    await renderPage(api);
    const list = await screen.findByRole('list', { name: 'Who caught them' });
    expect(list).toHaveTextContent('card-vault');
    expect(list).toHaveTextContent(
      'samuel-adeyemi (not-ready vote: security: CVE in the base image)',
    );
    expect(
      screen.getByText(/1 of 1 caught release was fixed and went on to GO/),
    ).toBeInTheDocument();
  });
});
