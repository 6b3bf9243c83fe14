/**
 * Internal entry point of the Release Readiness backend: the row shapes and
 * helpers the repository's benchmark and demo-history generator use to write
 * realistic data straight into the plugin's tables. Not part of the public
 * API: it changes with the database schema, without notice or changeset.
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
