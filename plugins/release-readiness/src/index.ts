/**
 * Release Readiness for Backstage: the Readiness tab of entity pages.
 *
 * @packageDocumentation
 */

export {
  releaseReadinessPlugin,
  EntityReleaseReadinessContent,
  isReleaseReadinessAvailable,
} from './plugin';
export * from './api';
