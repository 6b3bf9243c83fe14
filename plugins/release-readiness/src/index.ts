/**
 * Release Readiness for Backstage: the Readiness tab of entity pages.
 *
 * @packageDocumentation
 */

export {
  releaseReadinessPlugin,
  EntityReleaseReadinessContent,
  EntityReleaseReadinessCard,
  ReleaseReadinessPortfolioPage,
  isReleaseReadinessAvailable,
} from './plugin';
export * from './api';
