import {
  Gate,
  ReleaseWindow,
  ReleaseWindowVersion,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';

/** A window definition as stored: without its source and bookkeeping. */
export type WindowDefinition = Omit<
  ReleaseWindow,
  | 'source'
  | 'version'
  | 'updatedBy'
  | 'updatedAt'
  | 'retiredAt'
  | 'retiredBy'
  | 'retireReason'
>;

/**
 * Release windows created through the API, their history, and the gate
 * owners' requests for exceptions to windows. A window is never deleted:
 * retiring it keeps it (and every version of it) for the records that refer
 * to it, and takes it out of {@link WindowStore.listWindows}.
 */
export interface WindowStore {
  /** The windows in force; retired ones too when asked. */
  listWindows(options?: { includeRetired?: boolean }): Promise<ReleaseWindow[]>;
  /** One API window, retired or not. */
  getWindow(options: { windowId: string }): Promise<ReleaseWindow | undefined>;
  /** Every version of an API window, oldest first. */
  listWindowVersions(options: {
    windowId: string;
  }): Promise<ReleaseWindowVersion[]>;
  createWindow(options: {
    window: WindowDefinition;
    actor: string;
  }): Promise<ReleaseWindow>;
  /**
   * Replaces the definition when the window is still at `expectedVersion`
   * (409 otherwise, and when retired; 404 when there is no such window);
   * requests and approvals given for the earlier version lapse.
   */
  editWindow(options: {
    window: WindowDefinition;
    expectedVersion: number;
    actor: string;
    reason: string;
  }): Promise<ReleaseWindow>;
  /** Retires the window at `expectedVersion`, with the same rules. */
  retireWindow(options: {
    windowId: string;
    expectedVersion: number;
    actor: string;
    reason: string;
  }): Promise<ReleaseWindow>;

  // Exception requests -------------------------------------------------------

  /**
   * The gate's exception requests; given the gate as a read of the gate
   * store returned it, those read with it (no query).
   */
  listExceptionRequests(options: {
    gateId: string;
    gate?: Gate;
  }): Promise<WindowExceptionRequestRecord[]>;
  getExceptionRequest(options: {
    requestId: string;
  }): Promise<WindowExceptionRequestRecord | undefined>;
  /** The open request for the gate and window, if any. */
  openExceptionRequest(options: {
    gateId: string;
    windowId: string;
  }): Promise<WindowExceptionRequestRecord | undefined>;
  addExceptionRequest(options: {
    gateId: string;
    windowId: string;
    windowVersion?: number;
    reason: string;
    requestedBy: string;
  }): Promise<WindowExceptionRequestRecord>;
  /**
   * Closes an open request as approved or rejected; 409 when it is no longer
   * open (someone else closed it first, or the window changed).
   */
  closeExceptionRequest(options: {
    requestId: string;
    state: 'approved' | 'rejected';
    decidedBy: string;
    reason: string;
  }): Promise<WindowExceptionRequestRecord>;
}
