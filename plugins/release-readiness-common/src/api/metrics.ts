/*
 * `GET /metrics`: its query and its answer. `MetricsQuery` follows the query
 * parameters of the backend's `src/schema/openapi.yaml`; a backend test fails
 * when the two part.
 */

/**
 * The query of `GET /metrics`: how the buckets are grouped, and the filters
 * that narrow every bucket and the overall one.
 *
 * @public
 */
export interface MetricsQuery {
  /** Default `team`. */
  groupBy?: MetricsResponse['groupBy'];
  /** Default `quarter`. */
  period?: MetricsResponse['period'];
  /** Owner group ref: only the gates of the entities it owns. */
  owner?: string;
  /** System ref: only the gates of its entities. */
  system?: string;
  /** `1`, `2` or `3`: only gates opened with a template of this tier. */
  tier?: string;
  /** Only gates opened at or after this time (ISO 8601). */
  from?: string;
  /** Only gates opened before this time (ISO 8601). */
  to?: string;
  /**
   * At most this many groups in `buckets` (1 to 1,000): those with the most
   * NO-GO decisions in the latest period, then the most gates in it, then
   * by name. `overall` still covers every group. Without it, every group.
   */
  limit?: number;
}

/**
 * The metrics of a set of gates: how many there were, how they were decided,
 * how long they took to GO and what followed their release.
 *
 * @public
 */
export interface MetricsValues {
  /** Gates opened, cancelled ones left out. */
  gates: number;
  /** Gates released (or released and then rolled back). */
  releases: number;
  goDecisions: number;
  noGoDecisions: number;
  /** NO-GO decisions over all decisions, 0..1; null without decisions. */
  noGoRate: number | null;
  /**
   * Hours from opening to the first GO, over the gates that reached GO: the
   * median and the 90th percentile (nearest rank).
   */
  leadTimeHours: { median: number | null; p90: number | null };
  /** Mean blockers at decision time. */
  blockersPerGate: number | null;
  incidents: number;
  /** Incidents over releases; null without releases. */
  incidentsPerRelease: number | null;
}

/**
 * The metrics of one group (a team, tier or system) in one period.
 *
 * @public
 */
export interface MetricsBucket extends MetricsValues {
  /** `2026-11` for a month, `2026-Q4` for a quarter. */
  period: string;
  group: string;
}

/**
 * The metrics of every gate of one period, whatever its group.
 *
 * @public
 */
export interface MetricsPeriodBucket extends MetricsValues {
  /** `2026-11` for a month, `2026-Q4` for a quarter. */
  period: string;
}

/**
 * `GET /metrics`: the gates the caller may read, narrowed by the filters and
 * counted in the period they were opened.
 *
 * @public
 */
export interface MetricsResponse {
  groupBy: 'team' | 'tier' | 'system';
  period: 'month' | 'quarter';
  /**
   * Per group and period, ordered by period, then group: of every group, or
   * of the groups `limit` chose (each of them in every period it has gates).
   */
  buckets: MetricsBucket[];
  /** How many groups have gates under the filters, chosen or not. */
  groupCount: number;
  /**
   * Every gate, whatever its group: each value is computed from the gates
   * themselves (the median lead time is the median over all gates, not a
   * median of the groups' medians).
   */
  overall: {
    /** One per period with gates, oldest first. */
    periods: MetricsPeriodBucket[];
    /** The whole range: every period together. */
    total: MetricsValues;
  };
  /**
   * Incidents of releases that had no gate when reported (marked
   * `ungated`), under the same filters; in no bucket, since no gate let
   * them through.
   */
  ungatedIncidents: number;
}
