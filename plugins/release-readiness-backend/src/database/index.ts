export * from './GateStore';
export { DatabaseGateStore } from './DatabaseGateStore';
export { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
export { applyDatabaseMigrations } from './migrations';
