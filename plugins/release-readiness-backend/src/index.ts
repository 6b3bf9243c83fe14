/**
 * The Release Readiness backend plugin: gates, checklists, sign-offs, evidence
 * and the Go/No-Go decision, served at `/api/release-readiness`. What an app
 * needs: the plugin (default export), the permission policy this package
 * ships and the helpers for a policy of one's own. The plugin has no
 * extension points.
 *
 * @packageDocumentation
 */

export { releaseReadinessPlugin as default } from './plugin';
export {
  gateConditions,
  createGateConditionalDecision,
  gatePermissionResourceRef,
  isGateOwner,
} from './permissions';
export type { GateQuery } from './permissions';
export { ReleaseReadinessPolicy } from './permissions/ReleaseReadinessPolicy';
export type { ReleaseReadinessPolicyOptions } from './permissions/ReleaseReadinessPolicy';
