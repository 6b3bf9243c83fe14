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

/**
 * The range of periods the metrics cover, oldest to newest: the range the
 * charts show. Undefined without any gate.
 */
export function metricsRange(
  metrics: MetricsResponse | undefined,
): { from: string; to: string; label: string } | undefined {
  const periods = metrics?.overall.periods ?? [];
  if (!periods.length) return undefined;
  const from = periods[0].period;
  const to = periods[periods.length - 1].period;
  return { from, to, label: from === to ? from : `${from} to ${to}` };
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
    range: metricsRange(metrics),
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
 * The portfolio at a glance: the current gates by state, then the seed's
 * metrics (lead time, no-go rate, blockers per gate, incidents per release)
 * over every gate the filters keep, in the range of periods the charts show,
 * each tile naming that range.
 */
export function MetricTiles(props: {
  portfolio?: PortfolioResponse;
  metrics?: MetricsResponse;
}) {
  const v = tileValues(props.portfolio, props.metrics);
  const ofServices = `of ${plural(v.entities, 'service', 'services')}`;
  const inRange = (detail: string) =>
    v.range ? `${v.range.label} · ${detail}` : 'no gates yet';
  const tiles: { label: string; value: string; detail: string }[] = [
    {
      label: 'Services with a gate',
      value: String(v.withGate),
      detail: `${ofServices} · ${v.released} released`,
    },
    { label: 'GO', value: String(v.go), detail: 'current, not yet released' },
    { label: 'NO-GO', value: String(v.noGo), detail: 'current releases' },
    {
      label: 'In progress',
      value: String(v.inProgress),
      detail: 'current releases',
    },
    {
      label: 'Median lead time',
      value: formatHours(v.medianLeadTime),
      detail: inRange(`p90 ${formatHours(v.p90LeadTime)}, all gates`),
    },
    {
      label: 'No-go rate',
      value: formatPercent(v.noGoRate),
      detail: inRange(
        `${v.noGoDecisions} of ${plural(v.decisions, 'decision', 'decisions')}`,
      ),
    },
    {
      label: 'Blockers per gate',
      value: formatRatio(v.blockersPerGate),
      detail: inRange('at decision time'),
    },
    {
      label: 'Incidents per release',
      value: formatRatio(v.incidentsPerRelease),
      detail: inRange(
        `${plural(v.incidents, 'incident', 'incidents')}, ${plural(
          v.releases,
          'release',
          'releases',
        )}`,
      ),
    },
  ];
  return (
    <section aria-labelledby="portfolio-at-a-glance">
      <Typography variant="h6" component="h2" id="portfolio-at-a-glance">
        At a glance
      </Typography>
      <Typography variant="body2" color="textPrimary" paragraph>
        {v.range
          ? `Current releases as they stand now; lead time, no-go rate, blockers and incidents over the gates opened ${v.range.label}, the range of the trends below.`
          : 'Current releases as they stand now; no gate has been opened yet.'}
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
