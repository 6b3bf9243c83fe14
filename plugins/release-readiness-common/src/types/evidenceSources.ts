/**
 * What an evidence provider's last attempt for a release came to.
 *
 * @public
 */
export interface EvidenceCollectionAttempt {
  /** When it ended. */
  at: string;
  /** What started it: the gate opening, the schedule, or a person's refresh. */
  trigger: 'gate-opened' | 'schedule' | 'refresh';
  /** False when the provider failed, timed out or sent refused evidence. */
  ok: boolean;
  /** Why it could not collect, in the provider's or the backend's words. */
  message?: string;
  /** Facts it recorded (new or repeated). */
  collected: number;
}

/**
 * An evidence provider installed in the backend (a backend module using the
 * evidence providers extension point), as a gate sees it.
 *
 * @public
 */
export interface EvidenceSource {
  /** Its id; its evidence is posted by `provider:<id>`. */
  provider: string;
  title: string;
  /** The evidence types it produces that this gate's items read. */
  types: string[];
  /** Its last attempt for this gate's release, if it made one. */
  lastAttempt?: EvidenceCollectionAttempt;
  /**
   * What it reads for each type, in its own words, e.g.
   * `{ ownership: 'check groupOwnerCheck' }`; absent for a type it does not
   * describe.
   */
  reads?: Record<string, string>;
  /**
   * Its newest fact of each type for this release: when the source observed
   * it, the commit it is about and where to see it in the source.
   */
  latest?: Record<
    string,
    { observedAt: string; commit?: string; link?: string }
  >;
}

/**
 * `GET /gates/{gateId}/evidence/sources` and
 * `POST /gates/{gateId}/evidence/refresh`.
 *
 * @public
 */
export interface EvidenceSourcesResponse {
  gateId: string;
  sources: EvidenceSource[];
}
