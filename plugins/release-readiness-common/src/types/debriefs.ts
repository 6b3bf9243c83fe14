/*
 * The blameless debrief of a gate (issue 18): held after a release, a
 * rollback, a NO-GO or a cancel, about the process and the system, never
 * about who caused what. No field names a person except the owner of a
 * follow-up action, who is the one to carry it out.
 */

/**
 * A follow-up action of a debrief: what will change, who carries it out (a
 * catalog user or group) and by when.
 *
 * @public
 */
export interface DebriefFollowUp {
  id: string;
  action: string;
  /** Entity ref of a catalog user or group, lower case. */
  owner: string;
  /** The day it is due, `YYYY-MM-DD` (UTC). */
  dueDate: string;
  done: boolean;
  /** When it was marked done, and by whom. */
  doneAt?: string;
  doneBy?: string;
}

/**
 * The debrief of one gate.
 *
 * @public
 */
export interface GateDebrief {
  gateId: string;
  entityRef: string;
  release: string;
  /** What helped, in the process and the system. */
  wentWell: string;
  /** What went wrong, in the process and the system (not who). */
  wentWrong: string;
  /** What to change: the learning the next gates and the template review use. */
  toChange: string;
  followUps: DebriefFollowUp[];
  recordedBy: string;
  recordedAt: string;
  updatedBy: string;
  updatedAt: string;
  /** Bumped on every change; a write naming an older one is a conflict. */
  version: number;
}
