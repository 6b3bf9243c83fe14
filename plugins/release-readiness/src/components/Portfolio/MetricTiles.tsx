import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  MetricsResponse,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import {
  formatHours,
  formatPercent,
  latestPeriod,
  median,
  noGoRateOf,
} from './format';

/** The numbers of the tiles, from the portfolio's team totals and the metrics. */
export function tileValues(
  portfolio: PortfolioResponse | undefined,
  metrics: MetricsResponse | undefined,
) {
  const teams = portfolio?.teams ?? [];
  const sum = (pick: (t: PortfolioResponse['teams'][number]) => number) =>
    teams.reduce((total, team) => total + pick(team), 0);
  const buckets = metrics?.buckets ?? [];
  const period = latestPeriod(buckets);
  const latest = buckets.filter(b => b.period === period);
  return {
    entities: sum(t => t.entities),
    withGate: sum(t => t.entities - t.noGate),
    go: sum(t => t.go),
    noGo: sum(t => t.noGo),
    inProgress: sum(t => t.inProgress),
    period,
    medianLeadTime: median(
      latest
        .map(b => b.leadTimeHours.median)
        .filter((v): v is number => v !== null),
    ),
    noGoRate: noGoRateOf(latest),
  };
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

/** The portfolio at a glance: gates, verdicts, lead time and no-go rate. */
export function MetricTiles(props: {
  portfolio?: PortfolioResponse;
  metrics?: MetricsResponse;
}) {
  const v = tileValues(props.portfolio, props.metrics);
  const ofServices = `of ${v.entities} ${
    v.entities === 1 ? 'service' : 'services'
  }`;
  const periodDetail = v.period ? `${v.period}` : 'no decisions yet';
  return (
    <Grid container spacing={2}>
      <Grid item xs={6} sm={4} md={2}>
        <Tile
          label="Services with a gate"
          value={String(v.withGate)}
          detail={ofServices}
        />
      </Grid>
      <Grid item xs={6} sm={4} md={2}>
        <Tile label="GO" value={String(v.go)} detail="current releases" />
      </Grid>
      <Grid item xs={6} sm={4} md={2}>
        <Tile label="NO-GO" value={String(v.noGo)} detail="current releases" />
      </Grid>
      <Grid item xs={6} sm={4} md={2}>
        <Tile
          label="In progress"
          value={String(v.inProgress)}
          detail="current releases"
        />
      </Grid>
      <Grid item xs={6} sm={4} md={2}>
        <Tile
          label="Median lead time"
          value={formatHours(v.medianLeadTime)}
          detail={v.period ? `${periodDetail}, median of teams` : periodDetail}
        />
      </Grid>
      <Grid item xs={6} sm={4} md={2}>
        <Tile
          label="No-go rate"
          value={formatPercent(v.noGoRate)}
          detail={periodDetail}
        />
      </Grid>
    </Grid>
  );
}
