import { Evidence } from '@release-readiness/plugin-common';

/** Storage of CI evidence. */
export interface EvidenceStore {
  /** Idempotent on (entity, release, type, runId): a repeat returns the first. */
  addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }>;
  /**
   * Several facts of one entity and release in one statement, each
   * answered as {@link EvidenceStore.addEvidence} would, in order: a fact
   * whose run is already stored (before, or earlier in the list) answers
   * the stored row.
   */
  addEvidenceMany(options: {
    evidence: Array<Omit<Evidence, 'id' | 'receivedAt'>>;
  }): Promise<Array<{ evidence: Evidence; created: boolean }>>;
  /** Newest observed first; ties by the later received. */
  listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]>;
}
