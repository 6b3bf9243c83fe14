import {
  CaughtResponse,
  ItemInsightsResponse,
  MetricsResponse,
  PortfolioResponse,
  PortfolioRow,
  WindowException,
} from '@release-readiness/plugin-common';
import { CalendarFilters, PlannedGateRow } from './calendar';
import { CaughtStoreQuery } from './caught';
import type { InsightsStoreQuery } from './insights';
import type { DebriefTheme, TemplateTrendRow } from './templateReview';
import { MetricsStoreQuery } from './metrics';
import { PortfolioAccess, PortfolioStoreQuery, TierSystem } from './portfolio';

/** Reads across all entities: the portfolio and the metrics. */
export interface PortfolioStore {
  portfolio(
    query: PortfolioStoreQuery,
    access: PortfolioAccess,
  ): Promise<PortfolioResponse>;
  /** The metrics of the gates `access` lets the caller read. */
  metrics(
    query: MetricsStoreQuery,
    access: PortfolioAccess,
  ): Promise<MetricsResponse>;
  /**
   * The systems of the tier view (their roll-ups are computed by the gates'
   * `readSystemRollups`, as the system tab's are).
   */
  systems(access: PortfolioAccess): Promise<TierSystem[]>;
  /** The rows of these entities that `access` lets the caller read. */
  rows(entityRefs: string[], access: PortfolioAccess): Promise<PortfolioRow[]>;
  /** The open gates planned in `[from, to)` under the filters, earliest first. */
  plannedGates(
    range: { from: string; to: string },
    filters: CalendarFilters,
    access: PortfolioAccess,
  ): Promise<{ rows: PlannedGateRow[]; total: number }>;
  /** The approved window exceptions of these gates, by gate. */
  approvedExceptions(
    gateIds: string[],
  ): Promise<Map<string, WindowException[]>>;
  /**
   * The entities the filters keep, as window scopes see them; undefined
   * when there are too many to read.
   */
  scopeEntities(
    filters: CalendarFilters,
    access: PortfolioAccess,
  ): Promise<
    { entityRef: string; systemRef?: string; tags: string[] }[] | undefined
  >;
  /** A page of the NO-GO decisions `access` lets the caller read. */
  caught(
    access: PortfolioAccess,
    query?: CaughtStoreQuery,
  ): Promise<CaughtResponse>;
  /**
   * The outcome loop: each checklist item's outcomes over the released
   * gates the caller may read, and their incident rates (database/insights.ts).
   */
  itemInsights(
    access: PortfolioAccess,
    query?: InsightsStoreQuery,
  ): Promise<ItemInsightsResponse>;
  /** The template review's trend and debrief themes (templateReview.ts). */
  templateReviewData(
    access: PortfolioAccess,
    query: { template: string; from: string; to: string },
  ): Promise<{ trend: TemplateTrendRow[]; themes: DebriefTheme[] }>;
}
