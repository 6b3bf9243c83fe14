import {
  MetricsResponse,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
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

/** @internal */
export class DatabasePortfolioStore implements PortfolioStore {
  static create(options: { db: Knex }): DatabasePortfolioStore {
    return new DatabasePortfolioStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  portfolio(query: PortfolioQuery, access: PortfolioAccess) {
    return queryPortfolio(this.db, query, access);
  }

  metrics(query: MetricsQuery, access: PortfolioAccess) {
    return queryMetrics(this.db, query, access);
  }

  systems(access: PortfolioAccess) {
    return querySystemRollups(this.db, access);
  }

  caught(access: PortfolioAccess) {
    return queryCaught(this.db, access);
  }
}
