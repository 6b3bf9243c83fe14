import { Knex } from 'knex';
import pLimit from 'p-limit';
import {
  CalendarFilters,
  queryApprovedExceptions,
  queryPlannedGates,
  queryScopeEntities,
} from './calendar';
import { CaughtStoreQuery, queryCaught } from './caught';
import { InsightsStoreQuery, queryItemInsights } from './insights';
import { readTemplateReviewData } from './templateReview';
import { isPostgres } from './dialect';
import { MetricsStoreQuery, queryMetrics } from './metrics';
import {
  PortfolioAccess,
  PortfolioStoreQuery,
  queryPortfolio,
  queryTierSystems,
} from './portfolio';
import { PortfolioStore } from './PortfolioStore';
import { queryPartRows } from './rollupRows';

/**
 * How many metrics computations one backend runs at once. Each holds the
 * aggregates of every period and group (at 100,000 entities about 20 MB
 * while it runs); more at once than the database can serve would only add
 * memory, not speed. SQLite has one connection, so one at a time; with
 * PostgreSQL two. The others wait their turn.
 */
function metricsConcurrency(db: Knex): number {
  return isPostgres(db) ? 2 : 1;
}

/** @internal */
export class DatabasePortfolioStore implements PortfolioStore {
  static create(options: {
    db: Knex;
    metricsConcurrency?: number;
  }): DatabasePortfolioStore {
    return new DatabasePortfolioStore(
      options.db,
      pLimit(options.metricsConcurrency ?? metricsConcurrency(options.db)),
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly metricsLimit: pLimit.Limit,
  ) {}

  portfolio(query: PortfolioStoreQuery, access: PortfolioAccess) {
    return queryPortfolio(this.db, query, access);
  }

  metrics(query: MetricsStoreQuery, access: PortfolioAccess) {
    return this.metricsLimit(() => queryMetrics(this.db, query, access));
  }

  systems(access: PortfolioAccess) {
    return queryTierSystems(this.db, access);
  }

  rows(entityRefs: string[], access: PortfolioAccess) {
    return queryPartRows(this.db, entityRefs, access);
  }

  plannedGates(
    range: { from: string; to: string },
    filters: CalendarFilters,
    access: PortfolioAccess,
  ) {
    return queryPlannedGates(this.db, range, filters, access);
  }

  approvedExceptions(gateIds: string[]) {
    return queryApprovedExceptions(this.db, gateIds);
  }

  scopeEntities(filters: CalendarFilters, access: PortfolioAccess) {
    return queryScopeEntities(this.db, filters, access);
  }

  caught(access: PortfolioAccess, query?: CaughtStoreQuery) {
    return queryCaught(this.db, access, query);
  }

  itemInsights(access: PortfolioAccess, query?: InsightsStoreQuery) {
    return queryItemInsights(this.db, access, query);
  }

  templateReviewData(
    access: PortfolioAccess,
    query: { template: string; from: string; to: string },
  ) {
    return readTemplateReviewData(this.db, access, query);
  }
}
