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
export { toEntityInfo } from './catalog/entityInfo';
export { gateMetricsRow } from './database/gateMetrics';
export type {
  DecisionFacts,
  EntityOwnership,
  GateFacts,
  GateMetricsRow,
} from './database/gateMetrics';
export type { EntityInfo } from './database';
export { storedGateSummary } from './gates/storedGateSummary';
export type { StoredGate } from './gates/storedGateSummary';
export type { SummaryColumns } from './database/mappers';
export type {
  DecisionRow,
  EntityRow,
  EvidenceRow,
  GateItemRow,
  GateRow,
  Timestamp,
  VoteRow,
} from './database/tables';
