/*
 * Release windows: trains and freezes, and the exceptions approved for a gate.
 */

/**
 * A release train (releases only inside) or a freeze (never inside).
 * Recurring: `cron` start times in `timezone`, each lasting `duration`.
 * One-off: from `from` to `to`.
 *
 * @public
 */
export interface ReleaseWindow {
  id: string;
  name: string;
  description?: string;
  kind: 'freeze' | 'train';
  cron?: string;
  /** ISO 8601 duration of each occurrence, e.g. `PT6H30M`. */
  duration?: string;
  /** IANA time zone of `cron`, e.g. `America/New_York`. Default UTC. */
  timezone?: string;
  from?: string;
  to?: string;
  scope: {
    all?: boolean;
    /** System refs, e.g. `system:default/payments-platform`. */
    systems?: string[];
    /** Entity refs. */
    entities?: string[];
    tags?: string[];
  };
  /** Who approves exceptions: each listed group or user must approve. */
  approvers: string[];
  source: 'config' | 'api';
  /**
   * Windows created through the API: the version of the definition, from 1,
   * moved on by every edit and by retiring. Config windows have none.
   */
  version?: number;
  /** Who last edited or retired it, and when (API windows). */
  updatedBy?: string;
  updatedAt?: string;
  /**
   * When the window was retired: it no longer applies to any gate, but it is
   * kept, with its history, for the decisions and records that refer to it.
   */
  retiredAt?: string;
  retiredBy?: string;
  retireReason?: string;
}

/**
 * One version of an API window: what it became, who changed it, why.
 *
 * @public
 */
export interface ReleaseWindowVersion {
  windowId: string;
  version: number;
  action: 'create' | 'edit' | 'retire';
  /** The definition as it was from this version on. */
  window: Omit<ReleaseWindow, 'source'>;
  actor: string;
  reason?: string;
  at: string;
}

/**
 * A gate owner's request for an exception to a release window that blocks
 * their gate. `open` until every approver the window names approved it
 * (`approved`), one of them rejected it (`rejected`), or the window was
 * edited or retired after it was made (`lapsed`: request again).
 *
 * @public
 */
export interface WindowExceptionRequestRecord {
  id: string;
  gateId: string;
  windowId: string;
  /** The window's version the request was made for (API windows). */
  windowVersion?: number;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  state: 'open' | 'approved' | 'rejected' | 'lapsed';
  /** Who rejected it, or whose approval completed it, and why. */
  decidedBy?: string;
  decisionReason?: string;
  decidedAt?: string;
}

/**
 * An approval of an exception to a window for one gate.
 *
 * @public
 */
export interface WindowException {
  windowId: string;
  gateId: string;
  reason: string;
  /** User ref of the approver. */
  approvedBy: string;
  /** The approver refs (from the window's `approvers`) this approval covers. */
  covers: string[];
  approvedAt: string;
  /**
   * The window's version the approval was given for (API windows): once the
   * window is edited, the approval no longer counts.
   */
  windowVersion?: number;
  /** The exception request the approval answered, if any. */
  requestId?: string;
}
