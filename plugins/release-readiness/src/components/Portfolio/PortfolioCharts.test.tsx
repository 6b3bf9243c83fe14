import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  barChartHeight,
  BlockersChart,
  LeadTimeChart,
  leadTimeTrend,
  NoGoRateChart,
  PortfolioCharts,
} from './PortfolioCharts';
import { emptyMetrics, teamMetricsFixture } from './__fixtures__/portfolio';

describe('PortfolioCharts', () => {
  it('takes the lead time trend from the overall bucket of each period', () => {
    // February's teams say 20 h and 10 h; over all gates it is 18 h.
    expect(leadTimeTrend(teamMetricsFixture)).toEqual([
      { period: '2026-01', median: 30, p90: 70 },
      { period: '2026-02', median: 18, p90: 50 },
    ]);
    expect(leadTimeTrend(emptyMetrics)).toEqual([]);
  });

  it('leaves out periods without a GO', () => {
    const [january, february] = teamMetricsFixture.overall.periods;
    expect(
      leadTimeTrend({
        ...teamMetricsFixture,
        overall: {
          ...teamMetricsFixture.overall,
          periods: [
            { ...january, leadTimeHours: { median: null, p90: null } },
            february,
          ],
        },
      }).map(p => p.period),
    ).toEqual(['2026-02']);
  });

  it('draws the lead time trend with median and p90', async () => {
    const { container } = await renderInTestApp(
      <LeadTimeChart metrics={teamMetricsFixture} />,
    );
    expect(screen.getByText('Gate lead time')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Hours from opening a gate to its first GO, per month, over all gates',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Median')).toBeInTheDocument();
    expect(screen.getByText('P90')).toBeInTheDocument();
    expect(container.querySelector('.recharts-wrapper')).not.toBeNull();
    expect(screen.queryByText('No data yet')).not.toBeInTheDocument();
  });

  it('draws the no-go rate by team for the latest period', async () => {
    const { container } = await renderInTestApp(
      <NoGoRateChart metrics={teamMetricsFixture} />,
    );
    expect(screen.getByText('No-go rate by team')).toBeInTheDocument();
    expect(
      screen.getByText('NO-GO decisions over all decisions, 2026-02'),
    ).toBeInTheDocument();
    expect(screen.getByText('No-go rate (%)')).toBeInTheDocument();
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(
      2,
    );
  });

  it('says which teams it shows when the backend chose some of them', async () => {
    const metrics = { ...teamMetricsFixture, groupCount: 2000 };
    await renderInTestApp(
      <>
        <NoGoRateChart metrics={metrics} />
        <BlockersChart metrics={metrics} />
      </>,
    );
    const note = 'the 2 of 2000 teams with the most NO-GO decisions in 2026-02';
    expect(
      screen.getByText(`NO-GO decisions over all decisions, 2026-02 · ${note}`),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`Mean blockers at decision time, 2026-02 · ${note}`),
    ).toBeInTheDocument();
  });

  it('draws the blockers per gate by group', async () => {
    await renderInTestApp(
      <BlockersChart metrics={{ ...teamMetricsFixture, groupBy: 'team' }} />,
    );
    expect(screen.getByText('Blockers per gate by team')).toBeInTheDocument();
    expect(screen.getByText('Blockers per gate')).toBeInTheDocument();
  });

  it('says "No data yet" in every chart without buckets', async () => {
    await renderInTestApp(
      <PortfolioCharts
        teamMetrics={emptyMetrics}
        groupMetrics={emptyMetrics}
      />,
    );
    expect(screen.getAllByText('No data yet')).toHaveLength(3);
    expect(document.querySelector('.recharts-wrapper')).toBeNull();
  });

  it('says "No data yet" while the metrics are not loaded', async () => {
    await renderInTestApp(<PortfolioCharts />);
    expect(screen.getAllByText('No data yet')).toHaveLength(3);
  });

  it('renders inside a ResponsiveContainer where sizes can be observed', async () => {
    const observe = jest.fn();
    (global as any).ResizeObserver = jest.fn(() => ({
      observe,
      unobserve: jest.fn(),
      disconnect: jest.fn(),
    }));
    try {
      const { container } = await renderInTestApp(
        <LeadTimeChart metrics={teamMetricsFixture} />,
      );
      expect(
        container.querySelector('.recharts-responsive-container'),
      ).not.toBeNull();
      expect(within(container).getByText('Gate lead time')).toBeInTheDocument();
    } finally {
      delete (global as any).ResizeObserver;
    }
  });

  it('names every team, one bar row each, however many there are', async () => {
    const teams = Array.from({ length: 14 }, (_, i) => `team-${i + 1}`);
    const metrics = {
      ...teamMetricsFixture,
      buckets: teams.map((team, i) => ({
        ...teamMetricsFixture.buckets[0],
        period: '2026-02',
        group: `group:default/${team}`,
        noGoRate: (i + 1) / 20,
        blockersPerGate: i / 2,
      })),
    };
    const { container } = await renderInTestApp(
      <>
        <NoGoRateChart metrics={metrics} />
        <BlockersChart metrics={metrics} />
      </>,
    );
    const ticks = [...container.querySelectorAll('.recharts-yAxis tspan')].map(
      t => t.textContent,
    );
    for (const team of teams) {
      // Each chart writes the name once: none is skipped for room.
      expect(ticks.filter(t => t === team)).toHaveLength(2);
    }
    expect(barChartHeight(14)).toBeGreaterThanOrEqual(14 * 28);
    expect(barChartHeight(2)).toBe(260);
  });
});
