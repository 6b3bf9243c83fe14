export * from './GateStore';
export { DatabaseGateStore } from './DatabaseGateStore';
export { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
export {
  applyDatabaseMigrations,
  isConcurrentMigration,
  migrateWithRetry,
} from './migrations';
export { DatabaseWindowStore } from './DatabaseWindowStore';
export type { WindowStore } from './DatabaseWindowStore';
export { DatabasePortfolioStore } from './DatabasePortfolioStore';
export type { PortfolioStore } from './DatabasePortfolioStore';
export type { PortfolioAccess, PortfolioQuery } from './portfolio';
export { DatabaseStoreTransactions } from './transactions';
export type {
  EntityAtStart,
  ReadinessStores,
  StoreTransactions,
} from './transactions';
export { readAll } from './readAll';
