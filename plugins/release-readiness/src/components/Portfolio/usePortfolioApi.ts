import { useApi } from '@backstage/core-plugin-api';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';

/**
 * What the portfolio page needs of the Release Readiness client: its tests
 * stub these methods only.
 */
export type PortfolioDataApi = Pick<
  ReleaseReadinessApi,
  | 'getPortfolio'
  | 'getMetrics'
  | 'getCalendar'
  | 'getSystemRollups'
  | 'getCaughtReleases'
>;

/** The Release Readiness client, seen through the methods the portfolio uses. */
export function usePortfolioApi(): PortfolioDataApi {
  return useApi(releaseReadinessApiRef);
}
