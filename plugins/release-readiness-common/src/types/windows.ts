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
}
