import { useApi } from '@backstage/core-plugin-api';
import { releaseReadinessApiRef } from '../../api';
import { PortfolioDataApi } from './types';

/**
 * The Release Readiness client, seen through the methods the portfolio uses.
 * `getPortfolio` and `getMetrics` are declared on `ReleaseReadinessApi` by the
 * plugin's API module; this view keeps the portfolio independent of the rest
 * of that interface.
 */
export function usePortfolioApi(): PortfolioDataApi {
  return useApi(releaseReadinessApiRef) as unknown as PortfolioDataApi;
}
