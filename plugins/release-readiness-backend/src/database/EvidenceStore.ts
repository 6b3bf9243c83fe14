import { Evidence } from '@release-readiness/plugin-common';

/** Storage of CI evidence. */
export interface EvidenceStore {
  /** Idempotent on (entity, release, type, runId): a repeat returns the first. */
  addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }>;
  listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]>;
}
