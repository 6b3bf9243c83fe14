import { Evidence } from '@release-readiness/plugin-common';

/** Where a fact stands in a release's list, for the next page. */
export interface EvidencePosition {
  observedAt: string;
  receivedAt: string;
  id: string;
}

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
  /**
   * What an evaluation of the release reads, never every fact: for each
   * type, its newest fact, and for each type the newest fact with status
   * `passed` (a rollback verification counts its newest passed run).
   * "Newest" is -common's `evidenceOfType` order: observed time (never
   * after the time received), then the later received, then the greater id.
   * Any order; at most two facts per type, whatever the release holds.
   * `per: 'poster'`: instead, the newest fact of each type and poster (the
   * evidence sources show each provider's newest fact).
   */
  listNewestEvidence(options: {
    entityRef: string;
    release: string;
    per?: 'status' | 'poster';
  }): Promise<Evidence[]>;
  /**
   * One page of the release's facts, newest observed first (then the later
   * received, then the greater id), after the fact `after` names: the
   * gate's evidence list and the streamed dossier read a release this way.
   */
  pageEvidence(options: {
    entityRef: string;
    release: string;
    limit: number;
    after?: EvidencePosition;
  }): Promise<Evidence[]>;
  /** Every fact of the release: newest observed first; ties by the later received. */
  listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]>;
}
