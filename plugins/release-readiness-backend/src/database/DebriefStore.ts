import type {
  FacilitatorCount,
  GateDebrief,
  GateHero,
  TeamLearning,
} from '@release-readiness/plugin-common';
import type { PortfolioAccess } from './portfolio';

/** A follow-up as a debrief write takes it, checked by gates/debrief.ts. */
export interface FollowUpChange {
  id?: string;
  action: string;
  /** A catalog user or group ref, lower case. */
  owner: string;
  dueDate: string;
  done: boolean;
}

/** What recording or editing a gate's debrief needs. */
export interface DebriefChange {
  gateId: string;
  wentWell: string;
  wentWrong: string;
  toChange: string;
  followUps: FollowUpChange[];
  /** The debrief version the person saw; absent for the first write. */
  expectedVersion?: number;
  actor: string;
}

/** A follow-up action past its due date and not done. */
export interface OverdueFollowUp {
  id: string;
  gateId: string;
  entityRef: string;
  release: string;
  action: string;
  owner: string;
  dueDate: string;
}

/** The debriefs of gates and their follow-up actions (issue 18). */
export interface DebriefStore {
  getDebrief(options: { gateId: string }): Promise<GateDebrief | undefined>;
  /**
   * Records or edits the debrief in one transaction with its audit event
   * (`gate.debrief`); a 409 when the gate does not ask for one, or the
   * debrief moved on since `expectedVersion`.
   */
  writeDebrief(change: DebriefChange): Promise<GateDebrief>;
  /** Follow-ups not done and due before `today` (`YYYY-MM-DD`), by id. */
  listOverdueFollowUps(options: {
    today: string;
    after?: string;
    limit: number;
  }): Promise<OverdueFollowUp[]>;
  /** Per team and per facilitator, the entities the caller may read. */
  learning(
    access: PortfolioAccess,
    query: { from: string; to: string; today: string; owner?: string },
  ): Promise<{
    teams: TeamLearning[];
    facilitators: FacilitatorCount[];
    heroes: GateHero[];
  }>;
}
