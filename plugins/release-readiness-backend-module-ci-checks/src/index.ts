/**
 * Release Readiness evidence from the CI checks on a release's commit:
 * GitHub check runs and commit statuses, GitLab pipeline jobs.
 *
 * @packageDocumentation
 */

export { releaseReadinessModuleCiChecks as default } from './module';
export {
  CiChecksEvidenceProvider,
  factOf,
  GITHUB_SLUG_ANNOTATION,
  GITLAB_SLUG_ANNOTATION,
} from './CiChecksEvidenceProvider';
export type { CheckState, CiCheckRule } from './CiChecksEvidenceProvider';
