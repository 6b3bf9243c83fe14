import {
  MetricsQuery,
  PortfolioQuery,
  PortfolioSort,
} from '@release-readiness/plugin-common';

/** The filters of the portfolio, in the order they are shown. */
export const FILTER_KEYS = [
  'owner',
  'system',
  'tier',
  'state',
  'verdict',
] as const;

/** A select filter of the portfolio. */
export type FilterKey = (typeof FILTER_KEYS)[number];

export const SORTS: readonly PortfolioSort[] = [
  'title',
  'owner',
  'system',
  'tier',
  'state',
  'score',
  'plannedAt',
];

export const DEFAULT_SORT: PortfolioSort = 'owner';
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const PAGE_SIZES = [25, 50, 100, 200];

/** The portfolio query as the page uses it: paging and sorting always set. */
export type ResolvedPortfolioQuery = PortfolioQuery &
  Required<Pick<PortfolioQuery, 'sort' | 'order' | 'offset' | 'limit'>>;

function nonNegativeInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) {
    return undefined;
  }
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Reads the portfolio query from the page's URL. Unknown or malformed values
 * fall back to the defaults, so a hand-edited link still opens a page.
 */
export function readPortfolioQuery(
  params: URLSearchParams,
): ResolvedPortfolioQuery {
  const query: ResolvedPortfolioQuery = {
    sort: DEFAULT_SORT,
    order: 'asc',
    offset: 0,
    limit: DEFAULT_LIMIT,
  };
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) {
      query[key] = value;
    }
  }
  const q = params.get('q')?.trim();
  if (q) {
    query.q = q;
  }
  const sort = params.get('sort');
  if (sort && (SORTS as readonly string[]).includes(sort)) {
    query.sort = sort as PortfolioSort;
  }
  if (params.get('order') === 'desc') {
    query.order = 'desc';
  }
  query.offset = nonNegativeInt(params.get('offset')) ?? 0;
  const limit = nonNegativeInt(params.get('limit'));
  if (limit !== undefined && limit > 0) {
    query.limit = Math.min(limit, MAX_LIMIT);
  }
  return query;
}

/** The metrics query as the page uses it: grouping and period always set. */
export type ResolvedMetricsQuery = MetricsQuery &
  Required<Pick<MetricsQuery, 'groupBy' | 'period'>>;

/** Reads how the metrics are grouped from the page's URL. */
export function readMetricsQuery(
  params: URLSearchParams,
): ResolvedMetricsQuery {
  const groupBy = params.get('groupBy');
  const period = params.get('period');
  return {
    groupBy: groupBy === 'tier' || groupBy === 'system' ? groupBy : 'team',
    period: period === 'quarter' ? 'quarter' : 'month',
  };
}

/**
 * A copy of `params` with `key` set (or removed when `value` is empty or the
 * default). Changing anything but the page itself goes back to the first page.
 */
export function withParam(
  params: URLSearchParams,
  key: string,
  value: string | number | undefined,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const text = value === undefined ? '' : String(value);
  const isDefault =
    (key === 'sort' && text === DEFAULT_SORT) ||
    (key === 'order' && text === 'asc') ||
    (key === 'offset' && text === '0') ||
    (key === 'limit' && text === String(DEFAULT_LIMIT)) ||
    (key === 'groupBy' && text === 'team') ||
    (key === 'period' && text === 'month');
  if (text === '' || isDefault) {
    next.delete(key);
  } else {
    next.set(key, text);
  }
  if (key !== 'offset' && key !== 'groupBy' && key !== 'period') {
    next.delete('offset');
  }
  return next;
}

/**
 * At most this many groups in the page's bar charts: the page asks the
 * backend for the groups with the most NO-GO decisions in the latest period,
 * so that a catalog of thousands of teams draws (and downloads) a readable
 * chart.
 */
export const CHART_GROUPS = 20;
