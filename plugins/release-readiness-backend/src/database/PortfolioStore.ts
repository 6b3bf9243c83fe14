import {
  CaughtResponse,
  MetricsResponse,
  PortfolioResponse,
  PortfolioRow,
} from '@release-readiness/plugin-common';
import { CaughtStoreQuery } from './caught';
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
  /** A page of the NO-GO decisions `access` lets the caller read. */
  caught(
    access: PortfolioAccess,
    query?: CaughtStoreQuery,
  ): Promise<CaughtResponse>;
}
