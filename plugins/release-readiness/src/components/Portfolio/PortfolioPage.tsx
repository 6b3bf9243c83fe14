import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  MetricsQuery,
  PortfolioQuery,
  PortfolioSort,
} from '@release-readiness/plugin-common';
import {
  CAUGHT_PAGE_SIZE,
  CaughtBeforeProduction,
  caughtFrom,
} from './CaughtBeforeProduction';
import { LearningCard } from './LearningCard';
import { InsightsCard } from './InsightsCard';
import { facetValueLabel } from './format';
import { MetricTiles } from './MetricTiles';
import { PortfolioFilters } from './PortfolioFilters';
import { PortfolioTable } from './PortfolioTable';
import {
  CHART_GROUPS,
  FILTER_KEYS,
  FilterKey,
  readMetricsQuery,
  readPortfolioQuery,
  withParam,
} from './query';
import { calendarRange, ReleaseCalendar } from './ReleaseCalendar';
import { TierView } from './TierView';
import { usePortfolioApi } from './usePortfolioApi';
import { useReleaseReadinessTranslation } from '../../translation';

// The charts (and their charting library) load only when the portfolio
// shows them: a chunk of their own, never part of an entity's tab.
const PortfolioCharts = lazy(() =>
  import('./PortfolioCharts').then(m => ({ default: m.PortfolioCharts })),
);

/**
 * The release readiness portfolio: every service's current gate across teams,
 * filterable by team, system, tier, state and verdict, with the metrics and
 * their trend, the release calendar and the releases a NO-GO stopped. Every
 * filter, the sort and the page live in the URL, so a view can be shared.
 *
 * @public
 */
export function PortfolioPage() {
  const { t } = useReleaseReadinessTranslation();
  const api = usePortfolioApi();
  const [params, setParams] = useSearchParams();
  const query = readPortfolioQuery(params);
  const metricsQuery = readMetricsQuery(params);

  const queryKey = JSON.stringify(query);
  const filters: PortfolioQuery = {};
  for (const key of [...FILTER_KEYS, 'q'] as const) {
    if (query[key]) {
      filters[key] = query[key];
    }
  }
  const filtersKey = JSON.stringify(filters);

  // The team, system and tier filters describe services, and so narrow the
  // metrics too; state, verdict and text describe the current release only.
  const metricsFilters: Pick<MetricsQuery, 'owner' | 'system' | 'tier'> = {};
  for (const key of ['owner', 'system', 'tier'] as const) {
    if (query[key]) {
      metricsFilters[key] = query[key];
    }
  }
  const metricsFiltersKey = JSON.stringify(metricsFilters);

  // The calendar's four weeks start when the page opens.
  const [now] = useState(() => new Date());
  const range = useMemo(() => calendarRange(now), [now]);

  const portfolio = useAsync(
    () => api.getPortfolio(query),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, queryKey],
  );
  // The calendar of the range under the same filters: the windows of the
  // services the filters keep and the company-wide ones, every occurrence,
  // and every gate planned in it.
  const calendar = useAsync(
    () =>
      api.getCalendar({
        ...filters,
        from: range.start.toISOString(),
        to: range.end.toISOString(),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, filtersKey, range],
  );
  // The releases a NO-GO stopped, under the portfolio's own filters (team,
  // system, tier, state, verdict and search: the NO-GO decisions of the
  // services the table keeps) and the period chosen on the card, a page at
  // a time; a change of those starts again at the first page.
  const [caughtPeriod, setCaughtPeriod] = useState('all');
  const caughtFiltersKey = JSON.stringify([filters, caughtPeriod]);
  const [caughtPage, setCaughtPage] = useState({ key: '', offset: 0 });
  const caughtOffset =
    caughtPage.key === caughtFiltersKey ? caughtPage.offset : 0;
  const caught = useAsync(() => {
    const from = caughtFrom(caughtPeriod, now);
    return api.getCaughtReleases({
      ...filters,
      ...(from ? { from } : {}),
      offset: caughtOffset,
      limit: CAUGHT_PAGE_SIZE,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, caughtFiltersKey, caughtOffset, now]);
  const caughtFilters = [
    query.owner
      ? t('portfolioPage.caughtTeam', {
          team: facetValueLabel('owner', query.owner, t),
        })
      : '',
    query.system
      ? t('portfolioPage.caughtSystem', {
          system: facetValueLabel('system', query.system, t),
        })
      : '',
    query.tier ? facetValueLabel('tier', query.tier, t) : '',
    query.state
      ? t('portfolioPage.caughtState', {
          state: facetValueLabel('state', query.state, t),
        })
      : '',
    query.verdict
      ? t('portfolioPage.caughtVerdict', {
          verdict: facetValueLabel('verdict', query.verdict, t),
        })
      : '',
    query.q ? t('portfolioPage.caughtSearch', { q: query.q }) : '',
  ]
    .filter(Boolean)
    .join(t('shared.peopleSeparator'));
  const teamMetrics = useAsync(
    () =>
      api.getMetrics({
        groupBy: 'team',
        period: metricsQuery.period,
        limit: CHART_GROUPS,
        ...metricsFilters,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, metricsQuery.period, metricsFiltersKey],
  );
  const otherMetrics = useAsync(
    async () =>
      metricsQuery.groupBy === 'team'
        ? undefined
        : api.getMetrics({
            ...metricsQuery,
            limit: CHART_GROUPS,
            ...metricsFilters,
          }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, metricsQuery.groupBy, metricsQuery.period, metricsFiltersKey],
  );
  const groupMetrics =
    metricsQuery.groupBy === 'team' ? teamMetrics.value : otherMetrics.value;
  const metricsError = teamMetrics.error ?? otherMetrics.error;

  const set = useCallback(
    (changes: Record<string, string | number | undefined>) =>
      setParams(current => {
        let next = current;
        for (const [key, value] of Object.entries(changes)) {
          next = withParam(next, key, value);
        }
        return next;
      }),
    [setParams],
  );
  const onFilter = useCallback(
    (key: FilterKey | 'q', value: string) => set({ [key]: value }),
    [set],
  );
  const onSort = useCallback(
    (sort: PortfolioSort, order: 'asc' | 'desc') => set({ sort, order }),
    [set],
  );

  return (
    <Page themeId="tool">
      <Header
        title={t('portfolioPage.title')}
        subtitle={t('portfolioPage.subtitle')}
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <MetricTiles
              portfolio={portfolio.value}
              metrics={teamMetrics.value}
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard title={t('portfolioPage.services')}>
              <PortfolioFilters
                query={query}
                facets={portfolio.value?.facets}
                onChange={onFilter}
              />
              <div style={{ marginTop: 16 }}>
                {portfolio.error ? (
                  <ResponseErrorPanel error={portfolio.error} />
                ) : null}
                {!portfolio.value && portfolio.loading ? <Progress /> : null}
                {portfolio.value ? (
                  <PortfolioTable
                    portfolio={portfolio.value}
                    query={query}
                    onSort={onSort}
                    onPage={offset => set({ offset })}
                    onPageSize={limit => set({ limit })}
                  />
                ) : null}
              </div>
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <ContentHeader title={t('portfolioPage.trends')}>
              <Grid container spacing={2}>
                <Grid item>
                  <TextField
                    id="portfolio-metrics-group"
                    select
                    label={t('portfolioPage.groupBy')}
                    value={metricsQuery.groupBy}
                    onChange={e => set({ groupBy: e.target.value })}
                    SelectProps={{ native: true }}
                  >
                    <option value="team">{t('portfolioPage.team')}</option>
                    <option value="tier">{t('portfolioPage.tier')}</option>
                    <option value="system">{t('portfolioPage.system')}</option>
                  </TextField>
                </Grid>
                <Grid item>
                  <TextField
                    id="portfolio-metrics-period"
                    select
                    label={t('portfolioPage.period')}
                    value={metricsQuery.period}
                    onChange={e => set({ period: e.target.value })}
                    SelectProps={{ native: true }}
                  >
                    <option value="month">{t('portfolioPage.month')}</option>
                    <option value="quarter">
                      {t('portfolioPage.quarter')}
                    </option>
                  </TextField>
                </Grid>
              </Grid>
            </ContentHeader>
            <Typography variant="body2" color="textSecondary" paragraph>
              {t('portfolioPage.filtersNote')}
            </Typography>
            {metricsError ? (
              <ResponseErrorPanel error={metricsError} />
            ) : (
              <Suspense fallback={<Progress />}>
                <PortfolioCharts
                  teamMetrics={teamMetrics.value}
                  groupMetrics={groupMetrics}
                />
              </Suspense>
            )}
          </Grid>
          <Grid item xs={12} md={7}>
            {calendar.error ? (
              <ResponseErrorPanel error={calendar.error} />
            ) : (
              <ReleaseCalendar
                {...(calendar.value ? { calendar: calendar.value } : {})}
                now={now}
              />
            )}
          </Grid>
          <Grid item xs={12} md={5}>
            {caught.error ? (
              <ResponseErrorPanel error={caught.error} />
            ) : (
              <CaughtBeforeProduction
                {...(caught.value ? { caught: caught.value } : {})}
                onPage={offset =>
                  setCaughtPage({ key: caughtFiltersKey, offset })
                }
                {...(caughtFilters ? { filters: caughtFilters } : {})}
                period={caughtPeriod}
                onPeriod={setCaughtPeriod}
              />
            )}
          </Grid>
          <Grid item xs={12} id="learning">
            <LearningCard {...(query.owner ? { owner: query.owner } : {})} />
          </Grid>
          <Grid item xs={12} id="insights">
            <InsightsCard {...(query.owner ? { owner: query.owner } : {})} />
          </Grid>
          <Grid item xs={12}>
            <TierView />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
