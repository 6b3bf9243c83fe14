import { cloneElement, ReactElement } from 'react';
import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { MetricsResponse } from '@release-readiness/plugin-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { groupLabel, latestPeriod } from './format';
import { useReleaseReadinessTranslation } from '../../translation';

const CHART_HEIGHT = 260;
/** Each group's row in a bar chart: room for its name at 12 px. */
const BAR_ROW_HEIGHT = 28;
/** Room for the longest group names beside the bars (team refs shortened). */
const GROUP_AXIS_WIDTH = 132;
/** Axis labels at a size that stays readable at 1280 px. */
const TICK = { fontSize: 12 };
/** Used where the browser cannot observe sizes (and in jsdom). */
const FALLBACK_WIDTH = 480;

/**
 * The height of a bar chart with one row per group: every group gets a row
 * of its own, so that every name is written out (none skipped for room).
 */
export function barChartHeight(groups: number): number {
  return Math.max(CHART_HEIGHT, 60 + groups * BAR_ROW_HEIGHT);
}

/** A chart at full width and a fixed height. */
function ChartFrame(props: { children: ReactElement; height?: number }) {
  const height = props.height ?? CHART_HEIGHT;
  if (typeof ResizeObserver === 'undefined') {
    return cloneElement(props.children, {
      width: FALLBACK_WIDTH,
      height,
    });
  }
  return (
    <ResponsiveContainer width="100%" height={height}>
      {props.children}
    </ResponsiveContainer>
  );
}

function NoData() {
  const { t } = useReleaseReadinessTranslation();
  return (
    <Typography variant="body2" color="textSecondary">
      {t('portfolioCharts.noData')}
    </Typography>
  );
}

function round(value: number | null, digits = 1): number | null {
  if (value === null) {
    return null;
  }
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Which groups a bar chart shows, when the backend chose some of them (the
 * page asks for at most {@link CHART_GROUPS}): how many of how many, and
 * why those; nothing when every group is there.
 */
function chosenNote(
  metrics: MetricsResponse | undefined,
  latest: string | undefined,
  t: ReturnType<typeof useReleaseReadinessTranslation>['t'],
): string {
  if (!metrics || !latest) {
    return '';
  }
  const shown = new Set(metrics.buckets.map(b => b.group)).size;
  if (metrics.groupCount <= shown) {
    return '';
  }
  return t(`portfolioCharts.chosenGroups.${metrics.groupBy}`, {
    shown: String(shown),
    total: String(metrics.groupCount),
    period: latest,
  });
}

/** The subheader of a bar chart, with which groups it shows. */
function withNote(subheader: string, note: string): string {
  return note ? `${subheader} · ${note}` : subheader;
}

/**
 * Per period: the median and p90 lead time over all of the period's gates,
 * as the backend's overall bucket gives them.
 */
export function leadTimeTrend(metrics: MetricsResponse) {
  return metrics.overall.periods
    .map(p => ({
      period: p.period,
      median: round(p.leadTimeHours.median),
      p90: round(p.leadTimeHours.p90),
    }))
    .filter(point => point.median !== null || point.p90 !== null);
}

/** The lead time from opening a gate to its first GO, per period. */
export function LeadTimeChart(props: { metrics?: MetricsResponse }) {
  const { t } = useReleaseReadinessTranslation();
  const data = props.metrics ? leadTimeTrend(props.metrics) : [];
  let subheader: string = t('portfolioCharts.leadTimeSubheader');
  if (props.metrics?.period === 'month') {
    subheader = t('portfolioCharts.leadTimeSubheaderMonth');
  } else if (props.metrics?.period === 'quarter') {
    subheader = t('portfolioCharts.leadTimeSubheaderQuarter');
  }
  return (
    <InfoCard title={t('portfolioCharts.leadTime')} subheader={subheader}>
      {data.length === 0 ? (
        <NoData />
      ) : (
        <ChartFrame>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="period" tick={TICK} />
            <YAxis unit={t('portfolioCharts.hoursUnit')} tick={TICK} />
            <Tooltip />
            <Legend />
            <Line
              type="monotone"
              dataKey="median"
              name={t('portfolioCharts.median')}
              stroke="#1565c0"
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p90"
              name={t('portfolioCharts.p90')}
              stroke="#c62828"
              strokeDasharray="5 3"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ChartFrame>
      )}
    </InfoCard>
  );
}

/** NO-GO rate per team in the latest period, in percent. */
export function NoGoRateChart(props: { metrics?: MetricsResponse }) {
  const { t } = useReleaseReadinessTranslation();
  const metrics = props.metrics;
  const latest = metrics ? latestPeriod(metrics.buckets) : undefined;
  const data = (metrics?.buckets ?? [])
    .filter(b => b.period === latest && b.noGoRate !== null)
    .map(b => ({
      group: groupLabel(metrics!.groupBy, b.group, t),
      rate: round(b.noGoRate! * 100),
    }))
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
  return (
    <InfoCard
      title={t('portfolioCharts.noGoRate')}
      subheader={withNote(
        latest
          ? t('portfolioCharts.noGoRateSubheaderIn', { period: latest })
          : t('portfolioCharts.noGoRateSubheader'),
        chosenNote(metrics, latest, t),
      )}
    >
      {data.length === 0 ? (
        <NoData />
      ) : (
        <ChartFrame height={barChartHeight(data.length)}>
          <BarChart data={data} layout="vertical">
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" unit="%" domain={[0, 100]} tick={TICK} />
            <YAxis
              type="category"
              dataKey="group"
              interval={0}
              width={GROUP_AXIS_WIDTH}
              tick={TICK}
            />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="rate"
              name={t('portfolioCharts.noGoRateSeries')}
              fill="#b71c1c"
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFrame>
      )}
    </InfoCard>
  );
}

/** Mean blockers at decision time per group in the latest period. */
export function BlockersChart(props: { metrics?: MetricsResponse }) {
  const { t } = useReleaseReadinessTranslation();
  const metrics = props.metrics;
  const latest = metrics ? latestPeriod(metrics.buckets) : undefined;
  const data = (metrics?.buckets ?? [])
    .filter(b => b.period === latest && b.blockersPerGate !== null)
    .map(b => ({
      group: groupLabel(metrics!.groupBy, b.group, t),
      blockers: round(b.blockersPerGate),
    }));
  return (
    <InfoCard
      title={t(`portfolioCharts.blockersBy.${metrics?.groupBy ?? 'group'}`)}
      subheader={withNote(
        latest
          ? t('portfolioCharts.blockersSubheaderIn', { period: latest })
          : t('portfolioCharts.blockersSubheader'),
        chosenNote(metrics, latest, t),
      )}
    >
      {data.length === 0 ? (
        <NoData />
      ) : (
        <ChartFrame height={barChartHeight(data.length)}>
          <BarChart data={data} layout="vertical">
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals tick={TICK} />
            <YAxis
              type="category"
              dataKey="group"
              interval={0}
              width={GROUP_AXIS_WIDTH}
              tick={TICK}
            />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="blockers"
              name={t('portfolioCharts.blockersSeries')}
              fill="#b45309"
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFrame>
      )}
    </InfoCard>
  );
}

/** Props of {@link PortfolioCharts}. */
export interface PortfolioChartsProps {
  /** Metrics grouped by team (for the no-go rate by team). */
  teamMetrics?: MetricsResponse;
  /** Metrics grouped as the reader chose (lead time overall, blockers). */
  groupMetrics?: MetricsResponse;
}

/**
 * The portfolio's trend charts. Loaded apart from the rest of the plugin
 * (the page imports this module lazily), so that the charting library is
 * fetched only with the portfolio, never with an entity's Readiness tab.
 */
export function PortfolioCharts(props: PortfolioChartsProps) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <LeadTimeChart metrics={props.groupMetrics} />
      </Grid>
      <Grid item xs={12} md={6}>
        <NoGoRateChart metrics={props.teamMetrics} />
      </Grid>
      <Grid item xs={12} md={6}>
        <BlockersChart metrics={props.groupMetrics} />
      </Grid>
    </Grid>
  );
}
