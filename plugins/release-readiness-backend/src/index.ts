/**
 * The Release Readiness backend plugin: gates, checklists, sign-offs, evidence
 * and the Go/No-Go decision, served at `/api/release-readiness`.
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
export { canonicalJson, hashAuditEvent } from './audit/chain';
export type { HashedContent } from './audit/chain';
export { ReleaseReadinessPolicy } from './permissions/ReleaseReadinessPolicy';
export type { ReleaseReadinessPolicyOptions } from './permissions/ReleaseReadinessPolicy';
export {
  isConcurrentMigration,
  migrateWithRetry,
  withMigrationLock,
} from './database/migrations';
