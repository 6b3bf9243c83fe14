export type {
  AuditChainVerification,
  AuditEvent,
  NewAuditEvent,
} from '../audit/types';
export type { AuditLog } from './AuditLog';
export { DatabaseAuditLog } from './DatabaseAuditLog';
export type {
  EntityIndexStore,
  EntityInfo,
  GateOwnerAssignment,
  GateSummary,
  ServiceItem,
} from './EntityIndexStore';
export { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
export { assignmentsReadWith, windowsReadWith } from './entityRows';
export { incidentsReadWith, newestEvidenceReadWith } from './gateRows';
export type { GateHead, GateStore, GoOverride, ItemPatch } from './GateStore';
export type { FacilitatorChange, FacilitatorTurns } from './facilitator';
export { DatabaseGateStore } from './DatabaseGateStore';
export type { EvidenceStore } from './EvidenceStore';
export { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
export type { WindowDefinition, WindowStore } from './WindowStore';
export { DatabaseWindowStore } from './DatabaseWindowStore';
export type { IncidentStore } from './IncidentStore';
export { DatabaseIncidentStore } from './DatabaseIncidentStore';
export type { ApprovalStore } from './ApprovalStore';
export { DatabaseApprovalStore } from './DatabaseApprovalStore';
export type { NotificationClaimStore } from './NotificationClaimStore';
export { DatabaseNotificationClaimStore } from './DatabaseNotificationClaimStore';
export type {
  DeliveryItem,
  HeldDelivery,
  NotificationDeliveryStore,
} from './NotificationDeliveryStore';
export { DatabaseNotificationDeliveryStore } from './DatabaseNotificationDeliveryStore';
export type { PortfolioStore } from './PortfolioStore';
export { DatabasePortfolioStore } from './DatabasePortfolioStore';
export type { CalendarFilters, PlannedGateRow } from './calendar';
export { CALENDAR_MAX_RELEASES, CALENDAR_MAX_SCOPE_ENTITIES } from './calendar';
export type {
  PortfolioAccess,
  PortfolioStoreQuery,
  TierSystem,
} from './portfolio';
export type { MetricsStoreQuery } from './metrics';
export {
  applyDatabaseMigrations,
  isConcurrentMigration,
  migrateWithRetry,
} from './migrations';
export { DatabaseStoreTransactions } from './transactions';
export type {
  EntityAtStart,
  ReadinessStores,
  StoreTransactions,
} from './transactions';
export { readAll } from './readAll';
export { timeRange } from './portfolio';
export type {
  DebriefChange,
  DebriefStore,
  FollowUpChange,
  OverdueFollowUp,
} from './DebriefStore';
export { DatabaseDebriefStore } from './DatabaseDebriefStore';
export { DatabaseEvidenceCollectionStore } from './DatabaseEvidenceCollectionStore';
export type { CollectionAttempt } from './DatabaseEvidenceCollectionStore';
