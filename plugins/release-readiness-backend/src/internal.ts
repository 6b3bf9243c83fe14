/**
 * Internal entry point of the Release Readiness backend, for this
 * repository's own packages: the row shapes and helpers the benchmark and the
 * demo-history generator use to write realistic data straight into the
 * plugin's tables, the audit hash they and the reliability tests recompute,
 * and the migration retry the demo backend wraps every plugin's migrations
 * in. Not part of the public API: it changes with the database schema and
 * the internals, without notice or changeset.
 *
 * @packageDocumentation
 */

export { toEntityInfo } from './catalog/entityInfo';
export { gateMetricsRow } from './database/gateMetrics';
export type {
  DecisionFacts,
  EntityOwnership,
  GateFacts,
  GateMetricsRow,
} from './database/gateMetrics';
export { contributionOf, moveItemOutcomes } from './database/itemOutcomes';
export type {
  ContributionFacts,
  ContributionMove,
  IncidentFacts,
  OutcomeContribution,
  OutcomeItemFacts,
} from './database/itemOutcomes';
export {
  moveTeamMonths,
  storedTeamMonths,
  teamMonthsFromMetrics,
} from './database/teamMonths';
export type {
  TeamMonthFacts,
  TeamMonthMove,
  TeamMonthRow,
} from './database/teamMonths';
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
export { canonicalJson, hashAuditEvent } from './audit/chain';
export type { HashedContent } from './audit/chain';
export {
  isConcurrentMigration,
  migrateWithRetry,
  withMigrationLock,
} from './database/migrations';
