import {
  MetricsResponse,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import pLimit from 'p-limit';
import { MetricsQuery, queryMetrics } from './metrics';
import {
  PortfolioAccess,
  PortfolioQuery,
  queryPortfolio,
  queryCaught,
  querySystemRollups,
  CaughtRelease,
  SystemRollup,
} from './portfolio';

/** Reads across all entities: the portfolio and the metrics. */
export interface PortfolioStore {
  portfolio(
    query: PortfolioQuery,
    access: PortfolioAccess,
  ): Promise<PortfolioResponse>;
  /** The metrics of the gates `access` lets the caller read. */
  metrics(
    query: MetricsQuery,
    access: PortfolioAccess,
  ): Promise<MetricsResponse>;
  systems(access: PortfolioAccess): Promise<SystemRollup[]>;
  caught(access: PortfolioAccess): Promise<CaughtRelease[]>;
}

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

  portfolio(query: PortfolioQuery, access: PortfolioAccess) {
    return queryPortfolio(this.db, query, access);
  }

  metrics(query: MetricsQuery, access: PortfolioAccess) {
    return this.metricsLimit(() => queryMetrics(this.db, query, access));
  }

  systems(access: PortfolioAccess) {
    return querySystemRollups(this.db, access);
  }

  caught(access: PortfolioAccess) {
    return queryCaught(this.db, access);
  }
}
