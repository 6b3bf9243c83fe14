import { Evidence } from '@release-readiness/plugin-common';

/** Storage of CI evidence. */
export interface EvidenceStore {
  /** Idempotent on (entity, release, type, runId): a repeat returns the first. */
  addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }>;
  /** Newest observed first; ties by the later received. */
  listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]>;
}
