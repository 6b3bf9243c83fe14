import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  FacetCount,
  MetricsPeriodBucket,
  MetricsResponse,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import { formatHours, formatPercent } from './format';

/**
 * The numbers of the tiles: the current gates from the portfolio's state and
 * verdict facets (each counts every service the other filters keep), and the
 * newest period of the metrics' overall bucket, which the backend computes
 * over every gate (its median lead time is the median of all gates, not of
 * the teams' medians).
 */
export function tileValues(
  portfolio: PortfolioResponse | undefined,
  metrics: MetricsResponse | undefined,
) {
  const count = (facet: FacetCount[] | undefined, value?: string) =>
    (facet ?? [])
      .filter(f => value === undefined || f.value === value)
      .reduce((total, f) => total + f.count, 0);
  const states = portfolio?.facets.state;
  const verdicts = portfolio?.facets.verdict;
  const periods = metrics?.overall.periods ?? [];
  const latest: MetricsPeriodBucket | undefined = periods[periods.length - 1];
  return {
    entities: count(states),
    withGate: count(states) - count(states, 'none'),
    go: count(verdicts, 'GO'),
    noGo: count(verdicts, 'NO-GO'),
    inProgress: count(verdicts, 'IN PROGRESS'),
    period: latest?.period,
    medianLeadTime: latest?.leadTimeHours.median ?? null,
    p90LeadTime: latest?.leadTimeHours.p90 ?? null,
    noGoRate: latest?.noGoRate ?? null,
    decisions: latest ? latest.goDecisions + latest.noGoDecisions : 0,
    noGoDecisions: latest?.noGoDecisions ?? 0,
    blockersPerGate: latest?.blockersPerGate ?? null,
    incidents: latest?.incidents ?? 0,
    releases: latest?.releases ?? 0,
    incidentsPerRelease: latest?.incidentsPerRelease ?? null,
  };
}

/** A ratio as the backend rounds it, to two decimals, or `—` when unknown. */
function formatRatio(value: number | null): string {
  return value === null ? '—' : String(Math.round(value * 100) / 100);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
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
 * The portfolio at a glance: the current gates and their verdicts, then the
 * seed's metrics for the newest period (lead time, no-go rate, blockers per
 * gate, incidents per release) over every gate the filters keep.
 */
export function MetricTiles(props: {
  portfolio?: PortfolioResponse;
  metrics?: MetricsResponse;
}) {
  const v = tileValues(props.portfolio, props.metrics);
  const ofServices = `of ${plural(v.entities, 'service', 'services')}`;
  const inPeriod = (detail: string) =>
    v.period ? `${v.period} · ${detail}` : 'no gates yet';
  const tiles: { label: string; value: string; detail: string }[] = [
    {
      label: 'Services with a gate',
      value: String(v.withGate),
      detail: ofServices,
    },
    { label: 'GO', value: String(v.go), detail: 'current releases' },
    { label: 'NO-GO', value: String(v.noGo), detail: 'current releases' },
    {
      label: 'In progress',
      value: String(v.inProgress),
      detail: 'current releases',
    },
    {
      label: 'Median lead time',
      value: formatHours(v.medianLeadTime),
      detail: inPeriod(`p90 ${formatHours(v.p90LeadTime)}, all gates`),
    },
    {
      label: 'No-go rate',
      value: formatPercent(v.noGoRate),
      detail: inPeriod(
        `${v.noGoDecisions} of ${plural(v.decisions, 'decision', 'decisions')}`,
      ),
    },
    {
      label: 'Blockers per gate',
      value: formatRatio(v.blockersPerGate),
      detail: inPeriod('at decision time'),
    },
    {
      label: 'Incidents per release',
      value: formatRatio(v.incidentsPerRelease),
      detail: inPeriod(
        `${plural(v.incidents, 'incident', 'incidents')}, ${plural(
          v.releases,
          'release',
          'releases',
        )}`,
      ),
    },
  ];
  return (
    <Grid container spacing={2}>
      {tiles.map(tile => (
        <Grid item xs={6} sm={3} key={tile.label}>
          <Tile {...tile} />
        </Grid>
      ))}
    </Grid>
  );
}
