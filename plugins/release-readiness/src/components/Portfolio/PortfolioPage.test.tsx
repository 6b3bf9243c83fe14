import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { releaseReadinessApiRef } from '../../api';
import { PortfolioPage } from './PortfolioPage';
import {
  CaughtQuery,
  CaughtResponse,
  MetricsQuery,
  MetricsResponse,
  PortfolioQuery,
  PortfolioResponse,
  CalendarQuery,
  CalendarResponse,
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
  getCalendar: jest.Mock<Promise<CalendarResponse>, [CalendarQuery]>;
  getSystemRollups: jest.Mock<Promise<SystemRollup[]>, []>;
  getCaughtReleases: jest.Mock<Promise<CaughtResponse>, [CaughtQuery]>;
  getLearning: jest.Mock;
  getItemInsights: jest.Mock;
}

function mockApi(overrides: Partial<MockApi> = {}): MockApi {
  return {
    getPortfolio: jest
      .fn<Promise<PortfolioResponse>, [PortfolioQuery]>()
      .mockResolvedValue(portfolioFixture),
    getMetrics: jest
      .fn<Promise<MetricsResponse>, [MetricsQuery]>()
      .mockResolvedValue(teamMetricsFixture),
    getCalendar: jest
      .fn<Promise<CalendarResponse>, [CalendarQuery]>()
      .mockImplementation(async query => ({
        from: query.from!,
        to: query.to!,
        windows: [],
        releases: [],
        totalReleases: 0,
      })),
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
        release: '2026.12',
        components: 12,
        excluded: 2,
        counted: 10,
        ready: 4,
        go: 4,
        noGo: 1,
        inProgress: 2,
        released: 0,
        rolledBack: 0,
        noGate: 3,
        hidden: 0,
      },
    ]),
    getCaughtReleases: jest
      .fn<Promise<CaughtResponse>, [CaughtQuery]>()
      .mockResolvedValue({
        totalItems: 1,
        offset: 0,
        limit: 10,
        items: [
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
        ],
      }),
    getLearning: jest.fn().mockResolvedValue({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-12-06T00:00:00.000Z',
      teams: [
        {
          owner: 'group:default/payments',
          endedGates: 4,
          debriefed: 3,
          openFollowUps: 1,
          overdueFollowUps: 0,
        },
      ],
      facilitators: [{ person: 'user:default/priya-raman', gates: 2 }],
      heroes: [{ person: 'user:default/samuel-adeyemi', catches: 2 }],
    }),
    getItemInsights: jest.fn().mockResolvedValue({
      from: '2026-06-09T00:00:00.000Z',
      to: '2026-12-06T00:00:00.000Z',
      windowDays: 14,
      minSample: 10,
      items: [],
      totalItems: 0,
      offset: 0,
      limit: 10,
    }),
    ...overrides,
  };
}

/** The calendar's calls: its range under the filters. */
function calendarCalls(api: MockApi) {
  return api.getCalendar.mock.calls.map(([query]) => query);
}

/** The calls of the services list (not the calendar's). */
function tableCalls(api: MockApi) {
  return api.getPortfolio.mock.calls
    .map(([query]) => query)
    .filter(query => query.plannedFrom === undefined);
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
      tile('Services with a gate').getByText('of 20 services · 0 released'),
    ).toBeInTheDocument();
    expect(tile('GO').getByText('4')).toBeInTheDocument();
    expect(tile('NO-GO').getByText('3')).toBeInTheDocument();
    expect(tile('In progress').getByText('9')).toBeInTheDocument();
    // Over every gate of the range the charts show (January and February):
    // 24 h, where the newest month alone says 18 h.
    await waitFor(() =>
      expect(tile('Median lead time').getByText('24 h')).toBeInTheDocument(),
    );
    expect(
      tile('Median lead time').getByText(
        '2026-01 to 2026-02 · p90 2.9 d, all gates',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/median of teams/)).not.toBeInTheDocument();
    expect(tile('No-go rate').getByText('20%')).toBeInTheDocument();
    expect(
      tile('No-go rate').getByText('2026-01 to 2026-02 · 2 of 10 decisions'),
    ).toBeInTheDocument();
    expect(tile('Blockers per gate').getByText('1.6')).toBeInTheDocument();
    expect(tile('Incidents per release').getByText('0.13')).toBeInTheDocument();
    expect(
      tile('Incidents per release').getByText(
        '2026-01 to 2026-02 · 1 incident, 8 releases',
      ),
    ).toBeInTheDocument();
    // The tiles say which range they cover, under a heading of their own.
    expect(
      screen.getByRole('heading', { level: 2, name: 'At a glance' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/over the gates opened 2026-01 to 2026-02/),
    ).toBeInTheDocument();
  });

  it('takes the tiles over the range the chart shows, never the newest period alone', async () => {
    // The newest month has one gate, not yet GO (no lead time: the old tile
    // said "0 h" or "—"); the chart draws 100 to 200 h over the range.
    const periods = [
      {
        ...teamMetricsFixture.overall.periods[0],
        period: '2026-10',
        leadTimeHours: { median: 100, p90: 150 },
      },
      {
        ...teamMetricsFixture.overall.periods[0],
        period: '2026-11',
        leadTimeHours: { median: 200, p90: 240 },
      },
      {
        ...teamMetricsFixture.overall.periods[1],
        period: '2026-12',
        leadTimeHours: { median: 0, p90: 0 },
      },
    ];
    const metrics: MetricsResponse = {
      ...teamMetricsFixture,
      overall: {
        periods,
        total: {
          ...teamMetricsFixture.overall.total,
          leadTimeHours: { median: 150, p90: 230 },
        },
      },
    };
    await renderPage(
      mockApi({ getMetrics: jest.fn().mockResolvedValue(metrics) }),
    );
    const leadTime = within(
      screen.getByRole('region', { name: 'Median lead time' }),
    );
    expect(await leadTime.findByText('6.3 d')).toBeInTheDocument();
    expect(
      leadTime.getByText('2026-10 to 2026-12 · p90 9.6 d, all gates'),
    ).toBeInTheDocument();
    expect(leadTime.queryByText('0 h')).not.toBeInTheDocument();
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
      within(screen.getByLabelText('Gate level')).getByRole('option', {
        name: 'Component gate (tier 1) (15)',
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
    // The calendar follows the filters too, asking for its range.
    await waitFor(() =>
      expect(calendarCalls(api).at(-1)).toEqual({
        owner: 'group:default/checkout',
        tier: '1',
        from: expect.any(String),
        to: expect.any(String),
      }),
    );
    // So do the metrics, with the filters that describe services.
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith({
        groupBy: 'team',
        period: 'month',
        limit: 20,
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
    // At most 20 groups for the bar charts, however many teams there are.
    expect(api.getMetrics).toHaveBeenCalledWith({
      groupBy: 'team',
      period: 'month',
      limit: 20,
    });
    expect(api.getMetrics).toHaveBeenCalledWith({
      groupBy: 'tier',
      period: 'month',
      limit: 20,
    });
    await userEvent.selectOptions(screen.getByLabelText('Period'), 'quarter');
    await waitFor(() => expect(search().get('period')).toBe('quarter'));
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith({
        groupBy: 'tier',
        period: 'quarter',
        limit: 20,
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

  it('asks for the four weeks of the calendar under the filters, and draws what it answers', async () => {
    const getCalendar = jest.fn(
      async (query: CalendarQuery): Promise<CalendarResponse> => ({
        from: query.from!,
        to: query.to!,
        windows: [],
        releases: [
          {
            gateId: 'g-449',
            entityRef: 'component:default/svc-449',
            title: 'svc-449',
            release: '1.0.0',
            state: 'go',
            plannedAt: new Date(Date.now() + 3_600_000).toISOString(),
            windowIds: [],
            allowed: true,
            blockers: [],
            exceptions: [],
          },
        ],
        totalReleases: 1,
      }),
    );
    const before = Date.now();
    const api = await renderPage(
      mockApi({ getCalendar }),
      '/portfolio?owner=group:default/payments&q=svc',
    );
    await waitFor(() => expect(calendarCalls(api)).toHaveLength(1));
    const [call] = calendarCalls(api);
    expect(call).toMatchObject({ owner: 'group:default/payments', q: 'svc' });
    const from = new Date(call.from!).getTime();
    const to = new Date(call.to!).getTime();
    expect(from).toBeGreaterThanOrEqual(before - 1000);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(to - from).toBe(28 * 24 * 60 * 60 * 1000);
    expect(
      await screen.findByRole('link', { name: 'svc-449' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument();
  });

  it('shows debrief completion, open follow-ups and facilitators under the team filter', async () => {
    const api = mockApi();
    await renderPage(api, '/portfolio?owner=group%3Adefault%2Fpayments');
    expect(
      await screen.findByRole('table', { name: 'Learning from releases' }),
    ).toHaveTextContent(/payments\s*4375 %10/);
    expect(
      screen.getByRole('list', { name: 'Facilitators this quarter' }),
    ).toHaveTextContent(/priya-raman facilitated 2 gates this quarter/);
    expect(api.getLearning).toHaveBeenLastCalledWith({
      owner: 'group:default/payments',
    });
  });

  it('shows the caught releases and the calendar', async () => {
    await renderPage();
    expect(
      await screen.findByText(
        /^1 release stopped by a NO-GO before production/,
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
    // The roll-up's own numbers: ready of counted, and what it leaves out.
    expect(table).toHaveTextContent('4 of 10');
    expect(table).toHaveTextContent('2 of 12');
    expect(api.getSystemRollups).toHaveBeenCalled();
  });

  it('credits who caught the releases a NO-GO stopped', async () => {
    const api = mockApi();
    await renderPage(api);
    const list = await screen.findByRole('list', {
      name: 'Releases stopped by a NO-GO',
    });
    expect(list).toHaveTextContent('card-vault');
    expect(list).toHaveTextContent(
      'samuel-adeyemi (not-ready vote: security: CVE in the base image)',
    );
    expect(list).toHaveTextContent('fixed, went on to GO');
  });

  it('asks for the caught releases a page at a time, under every filter of the portfolio', async () => {
    const api = mockApi();
    api.getCaughtReleases.mockImplementation(async query => ({
      items: [],
      totalItems: 30,
      offset: query.offset ?? 0,
      limit: query.limit ?? 10,
    }));
    await renderPage(
      api,
      '/portfolio?owner=group:default/payments&state=no-go&tier=1&q=card',
    );
    await waitFor(() =>
      expect(api.getCaughtReleases).toHaveBeenLastCalledWith({
        owner: 'group:default/payments',
        tier: '1',
        state: 'no-go',
        q: 'card',
        offset: 0,
        limit: 10,
      }),
    );
    expect(
      await screen.findByText(
        /^30 releases stopped by a NO-GO before production \(team payments, Component gate \(tier 1\), state NO-GO, matching "card"\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Next caught releases' }),
    );
    await waitFor(() =>
      expect(api.getCaughtReleases).toHaveBeenLastCalledWith({
        owner: 'group:default/payments',
        tier: '1',
        state: 'no-go',
        q: 'card',
        offset: 10,
        limit: 10,
      }),
    );
    // A period starts again at the first page, from that many days back.
    const before = Date.now();
    await userEvent.selectOptions(screen.getByLabelText('Decided'), '90d');
    await waitFor(() =>
      expect(api.getCaughtReleases).toHaveBeenLastCalledWith({
        owner: 'group:default/payments',
        tier: '1',
        state: 'no-go',
        q: 'card',
        from: expect.any(String),
        offset: 0,
        limit: 10,
      }),
    );
    const from = new Date(
      api.getCaughtReleases.mock.calls.at(-1)![0].from!,
    ).getTime();
    expect(before - from).toBeGreaterThanOrEqual(90 * 86_400_000 - 60_000);
    expect(before - from).toBeLessThanOrEqual(90 * 86_400_000 + 60_000);
  });

  it('shows released and rolled-back gates by their final state, without a score or blockers', async () => {
    const portfolio: PortfolioResponse = {
      ...portfolioFixture,
      items: [
        row(
          'refunds',
          {},
          {
            release: '2.0.0',
            state: 'rolled-back',
            verdict: 'NO-GO',
            score: 100,
            blockers: 0,
          },
        ),
        row(
          'payouts',
          {},
          {
            release: '1.9.0',
            state: 'released',
            verdict: 'GO',
            score: 62,
            blockers: 5,
          },
        ),
      ],
      teams: [
        {
          ownerRef: 'group:default/payments',
          entities: 2,
          go: 0,
          noGo: 0,
          inProgress: 0,
          released: 1,
          rolledBack: 1,
          noGate: 0,
        },
      ],
    };
    await renderPage(
      mockApi({ getPortfolio: jest.fn().mockResolvedValue(portfolio) }),
    );
    const cells = (name: string) =>
      within(
        screen.getByRole('link', { name }).closest('tr') as HTMLElement,
      ).getAllByRole('cell');
    const refunds = cells('refunds').map(c => c.textContent);
    // Service, system, level, release, state, outcome, score, blockers, planned.
    expect(refunds.slice(3, 8)).toEqual([
      '2.0.0',
      'Rolled back',
      'Rolled back',
      '',
      '',
    ]);
    const payouts = cells('payouts').map(c => c.textContent);
    expect(payouts.slice(3, 8)).toEqual([
      '1.9.0',
      'Released',
      'Released',
      '',
      '',
    ]);
    // The team's totals count them by final state, not as GO or NO-GO.
    expect(
      screen.getByText(
        '2 services · 0 GO · 0 NO-GO · 0 in progress · 1 released · 1 rolled back · 0 without a gate',
      ),
    ).toBeInTheDocument();
  });

  it('links every row to a page that exists: a component, a system and a domain to their Readiness tabs, a group to its catalog page', async () => {
    const portfolio: PortfolioResponse = {
      ...portfolioFixture,
      items: [
        row('payment-gateway'),
        row('payments-platform', {
          entityRef: 'system:default/payments-platform',
          kind: 'system',
          systemRef: undefined,
          tier: 2,
        }),
        row('commerce', {
          entityRef: 'domain:default/commerce',
          kind: 'domain',
          systemRef: undefined,
          tier: 3,
        }),
      ],
    };
    await renderPage(
      mockApi({ getPortfolio: jest.fn().mockResolvedValue(portfolio) }),
    );
    expect(
      screen.getByRole('link', { name: 'payment-gateway' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
    expect(
      screen.getByRole('link', { name: 'payments-platform' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/system/payments-platform/readiness',
    );
    expect(screen.getByRole('link', { name: 'commerce' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/commerce/readiness',
    );
    // The tier view's systems lead to their Readiness tabs, with the roll-up.
    const tierView = await screen.findByRole('table', {
      name: 'Systems and their components',
    });
    expect(
      within(tierView).getByRole('link', { name: 'Payments Platform' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/system/payments-platform/readiness',
    );
    // Only the kinds that have the tab are linked to it.
    for (const link of screen.getAllByRole('link')) {
      expect(link.getAttribute('href')).not.toMatch(
        /\/catalog\/[^/]+\/(group|user|api|resource)\/[^/]+\/readiness/,
      );
    }
  });

  it('names the level of the template that applies, not a bare tier beside a tier-3 tag', async () => {
    const portfolio: PortfolioResponse = {
      ...portfolioFixture,
      items: [
        row('currency-rates', {
          tags: ['go', 'tier-3'],
          templateName: 'component-gate',
          tier: 1,
        }),
        row('payments-platform', {
          entityRef: 'system:default/payments-platform',
          kind: 'system',
          templateName: 'system-gate',
          tier: 2,
        }),
        row('no-template', { templateName: undefined, tier: undefined }, null),
      ],
    };
    await renderPage(
      mockApi({ getPortfolio: jest.fn().mockResolvedValue(portfolio) }),
    );
    const level = (name: string) =>
      within(
        screen.getByRole('link', { name }).closest('tr') as HTMLElement,
      ).getAllByRole('cell')[2].textContent;
    expect(level('currency-rates')).toBe('Component gate');
    expect(level('payments-platform')).toBe('System gate');
    expect(level('no-template')).toBe('');
    expect(
      screen.getByRole('columnheader', { name: /Gate level/ }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Tier 1')).not.toBeInTheDocument();
  });
});
