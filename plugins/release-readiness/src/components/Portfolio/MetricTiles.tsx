import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  FacetCount,
  MetricsResponse,
  MetricsValues,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import { formatHours, formatPercent } from './format';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/**
 * The range of periods the metrics cover, oldest to newest: the range the
 * charts show. Undefined without any gate.
 */
export function metricsRange(
  metrics: MetricsResponse | undefined,
  t: ReleaseReadinessT,
): { from: string; to: string; label: string } | undefined {
  const periods = metrics?.overall.periods ?? [];
  if (!periods.length) return undefined;
  const from = periods[0].period;
  const to = periods[periods.length - 1].period;
  return {
    from,
    to,
    label: from === to ? from : t('metricTiles.range', { from, to }),
  };
}

/**
 * The numbers of the tiles: the current gates by state from the portfolio's
 * state facet (each counts every service the other filters keep; a released
 * gate is not counted as a GO waiting to go out), and the metrics over the
 * whole range the charts show (the backend's overall total, computed over
 * every gate: its median lead time is the median of all gates, not of the
 * periods' or the teams' medians).
 */
export function tileValues(
  portfolio: PortfolioResponse | undefined,
  metrics: MetricsResponse | undefined,
  t: ReleaseReadinessT,
) {
  const count = (facet: FacetCount[] | undefined, value?: string) =>
    (facet ?? [])
      .filter(f => value === undefined || f.value === value)
      .reduce((total, f) => total + f.count, 0);
  const states = portfolio?.facets.state;
  const total: MetricsValues | undefined = metrics?.overall.periods.length
    ? metrics.overall.total
    : undefined;
  return {
    entities: count(states),
    withGate: count(states) - count(states, 'none'),
    go: count(states, 'go'),
    noGo: count(states, 'no-go'),
    inProgress: count(states, 'in-progress'),
    released: count(states, 'released'),
    range: metricsRange(metrics, t),
    medianLeadTime: total?.leadTimeHours.median ?? null,
    p90LeadTime: total?.leadTimeHours.p90 ?? null,
    noGoRate: total?.noGoRate ?? null,
    decisions: total ? total.goDecisions + total.noGoDecisions : 0,
    noGoDecisions: total?.noGoDecisions ?? 0,
    blockersPerGate: total?.blockersPerGate ?? null,
    incidents: total?.incidents ?? 0,
    releases: total?.releases ?? 0,
    incidentsPerRelease: total?.incidentsPerRelease ?? null,
  };
}

/** A ratio as the backend rounds it, to two decimals, or `—` when unknown. */
function formatRatio(value: number | null, t: ReleaseReadinessT): string {
  return value === null
    ? t('shared.noValue')
    : String(Math.round(value * 100) / 100);
}

function Tile(props: { label: string; value: string; detail?: string }) {
  return (
    <Card variant="outlined" component="section" aria-label={props.label}>
      <CardContent>
        <Typography variant="overline" component="h3" color="textSecondary">
          {props.label}
        </Typography>
        <Typography variant="h4" component="p">
          {props.value}
        </Typography>
        {props.detail && (
          <Typography variant="caption" color="textSecondary">
            {props.detail}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * The portfolio at a glance: the current gates by state, then the seed's
 * metrics (lead time, no-go rate, blockers per gate, incidents per release)
 * over every gate the filters keep, in the range of periods the charts show,
 * each tile naming that range.
 */
export function MetricTiles(props: {
  portfolio?: PortfolioResponse;
  metrics?: MetricsResponse;
}) {
  const { t } = useReleaseReadinessTranslation();
  const v = tileValues(props.portfolio, props.metrics, t);
  const inRange = (detail: string) =>
    v.range
      ? t('metricTiles.inRange', { range: v.range.label, detail })
      : t('metricTiles.noGatesYet');
  const tiles: { label: string; value: string; detail: string }[] = [
    {
      label: t('metricTiles.withGate'),
      value: String(v.withGate),
      detail: t('metricTiles.withGateDetail', {
        count: v.entities,
        released: String(v.released),
      }),
    },
    {
      label: t('metricTiles.go'),
      value: String(v.go),
      detail: t('metricTiles.goDetail'),
    },
    {
      label: t('metricTiles.noGo'),
      value: String(v.noGo),
      detail: t('metricTiles.currentReleases'),
    },
    {
      label: t('metricTiles.inProgress'),
      value: String(v.inProgress),
      detail: t('metricTiles.currentReleases'),
    },
    {
      label: t('metricTiles.medianLeadTime'),
      value: formatHours(v.medianLeadTime, t),
      detail: inRange(
        t('metricTiles.p90', { p90: formatHours(v.p90LeadTime, t) }),
      ),
    },
    {
      label: t('metricTiles.noGoRate'),
      value: formatPercent(v.noGoRate, t),
      detail: inRange(
        t('metricTiles.decisions', {
          noGo: String(v.noGoDecisions),
          count: v.decisions,
        }),
      ),
    },
    {
      label: t('metricTiles.blockersPerGate'),
      value: formatRatio(v.blockersPerGate, t),
      detail: inRange(t('metricTiles.atDecisionTime')),
    },
    {
      label: t('metricTiles.incidentsPerRelease'),
      value: formatRatio(v.incidentsPerRelease, t),
      detail: inRange(
        t('metricTiles.incidentsAndReleases', {
          incidents: t('metricTiles.incidents', { count: v.incidents }),
          releases: t('metricTiles.releases', { count: v.releases }),
        }),
      ),
    },
  ];
  return (
    <section aria-labelledby="portfolio-at-a-glance">
      <Typography variant="h6" component="h2" id="portfolio-at-a-glance">
        {t('metricTiles.title')}
      </Typography>
      <Typography variant="body2" color="textPrimary" paragraph>
        {v.range
          ? t('metricTiles.intro', { range: v.range.label })
          : t('metricTiles.introEmpty')}
      </Typography>
      <Grid container spacing={2}>
        {tiles.map(tile => (
          <Grid item xs={6} sm={3} key={tile.label}>
            <Tile {...tile} />
          </Grid>
        ))}
      </Grid>
    </section>
  );
}
