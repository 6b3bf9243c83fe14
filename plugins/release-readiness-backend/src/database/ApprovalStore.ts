import { Approval, Gate } from '@release-readiness/plugin-common';

/**
 * The writes of governance (issue 14): approvals a weakening of a gate
 * needs, and votes made stale by a material change. Each write is one
 * transaction (a savepoint inside the entity's) with its audit event; the
 * caller has checked, on the gate as its transaction read it, that the
 * approver may approve.
 */
export interface ApprovalStore {
  /** Records the approval of the gate's template choice. */
  approveTemplate(options: {
    gateId: string;
    actor: string;
    comment?: string;
  }): Promise<Gate>;
  /** Records the approval of an item's waiver. */
  approveWaiver(options: {
    gateId: string;
    itemId: string;
    actor: string;
    comment?: string;
  }): Promise<Gate>;
  /**
   * Moves the gate's checklist revision on, so that every vote cast before
   * counts no more until re-confirmed; `because` says why, in the audit.
   */
  markVotesStale(options: {
    gateId: string;
    actor: string;
    because: string;
  }): Promise<void>;
}

/** An approval as given. */
export type GivenApproval = Required<
  Pick<Approval, 'approvedBy' | 'approvedAt'>
> &
  Pick<Approval, 'comment'>;
