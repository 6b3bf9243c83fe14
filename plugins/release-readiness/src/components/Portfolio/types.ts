import {
  CaughtRelease,
  PortfolioRow,
  MetricsResponse,
  PortfolioResponse,
  ReleaseWindow,
} from '@release-readiness/plugin-common';

/** Sortable columns of `GET /portfolio`. @public */
export type PortfolioSort =
  | 'title'
  | 'owner'
  | 'system'
  | 'tier'
  | 'state'
  | 'score'
  | 'plannedAt';

/**
 * The query of `GET /portfolio`; every key is optional and is sent as a query
 * parameter of the same name.
 *
 * @public
 */
export interface PortfolioQuery {
  /** Owner group ref, e.g. `group:default/payments`. */
  owner?: string;
  /** System ref, e.g. `system:default/payments-platform`. */
  system?: string;
  /** `1`, `2` or `3`. */
  tier?: string;
  /** A gate state, or `none` for entities without a gate. */
  state?: string;
  /** `GO`, `NO-GO` or `IN PROGRESS`. */
  verdict?: string;
  /** Free text, matched by the backend against title and refs. */
  q?: string;
  /** Only current gates planned at or after this ISO 8601 time. */
  plannedFrom?: string;
  /** Only current gates planned before this ISO 8601 time. */
  plannedTo?: string;
  sort?: PortfolioSort;
  order?: 'asc' | 'desc';
  offset?: number;
  /** At most 200. */
  limit?: number;
}

/**
 * The query of `GET /metrics`: how the buckets are grouped, and the filters
 * that narrow every bucket and the overall one.
 *
 * @public
 */
export interface MetricsQuery {
  groupBy: MetricsResponse['groupBy'];
  period: MetricsResponse['period'];
  /** Owner group ref: only the gates of the entities it owns. */
  owner?: string;
  /** System ref: only the gates of its entities. */
  system?: string;
  /** `1`, `2` or `3`: only gates opened with a template of this tier. */
  tier?: string;
  /** Only gates opened at or after this ISO 8601 time. */
  from?: string;
  /** Only gates opened before this ISO 8601 time. */
  to?: string;
}

/** A release window with its next occurrence, as `GET /windows` lists it. @public */
export type PortfolioWindow = ReleaseWindow & {
  next?: { start: string; end: string };
};

/**
 * What the portfolio page needs of the Release Readiness client.
 * `ReleaseReadinessApi` gains `getPortfolio` and `getMetrics` with exactly
 * these signatures; `listWindows` is already there.
 *
 * @public
 */
export interface PortfolioDataApi {
  getPortfolio(query: PortfolioQuery): Promise<PortfolioResponse>;
  getMetrics(query: MetricsQuery): Promise<MetricsResponse>;
  listWindows(): Promise<PortfolioWindow[]>;
  getSystemRollups(): Promise<SystemRollup[]>;
  getCaughtReleases(): Promise<CaughtRelease[]>;
}

/** One system of the tier view (`GET /portfolio/systems`). */
export interface SystemRollup {
  systemRef: string;
  system?: PortfolioRow;
  components: number;
  go: number;
  noGo: number;
  inProgress: number;
  noGate: number;
}
