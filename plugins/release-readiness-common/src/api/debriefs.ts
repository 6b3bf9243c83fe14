import type { GateDebrief } from '../types/debriefs';

/**
 * The longest text accepted in each of a debrief's three answers and in a
 * follow-up's action.
 *
 * @public
 */
export const DEBRIEF_TEXT_MAX = 4000;

/**
 * The most follow-up actions one debrief holds.
 *
 * @public
 */
export const DEBRIEF_FOLLOW_UPS_MAX = 20;

/**
 * A follow-up action as `PUT /gates/:gateId/debrief` takes it: with the `id`
 * of an action the debrief holds to change it, without to add one. An
 * action the debrief holds and the body leaves out is removed.
 *
 * @public
 */
export interface DebriefFollowUpInput {
  id?: string;
  action: string;
  /** Entity ref of a catalog user or group. */
  owner: string;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  done?: boolean;
}

/**
 * The body of `PUT /gates/:gateId/debrief`. There is no field for a person's
 * name: a debrief is about the process and the system.
 *
 * @public
 */
export interface DebriefRequest {
  wentWell: string;
  wentWrong: string;
  toChange: string;
  followUps: DebriefFollowUpInput[];
  /** The debrief version the writer saw; absent for the first write. */
  version?: number;
}

/**
 * The answer of `GET /gates/:gateId/debrief`: the debrief, when one was
 * recorded, and whether the gate's state asks for one.
 *
 * @public
 */
export interface DebriefResponse {
  debrief?: GateDebrief;
  due: boolean;
}

/**
 * One team's debriefs and follow-up actions in `GET /portfolio/learning`
 * (the team: the owner of the entities).
 *
 * @public
 */
export interface TeamLearning {
  owner: string;
  /** Gates that ended (released, rolled back, NO-GO, cancelled) in the period. */
  endedGates: number;
  /** Of those, the ones with a debrief. */
  debriefed: number;
  /** Follow-up actions not done (of any period), and of those the overdue. */
  openFollowUps: number;
  overdueFollowUps: number;
}

/**
 * How many gates opened in the period a person facilitated.
 *
 * @public
 */
export interface FacilitatorCount {
  /** A user ref, lower case. */
  person: string;
  gates: number;
}

/**
 * The answer of `GET /portfolio/learning`: per team, debrief completion and
 * open follow-ups; per person, the gates they facilitated in the period.
 *
 * @public
 */
export interface PortfolioLearning {
  from: string;
  to: string;
  teams: TeamLearning[];
  facilitators: FacilitatorCount[];
  /** The gate heroes of the period, most catches first. */
  heroes: GateHero[];
}

/**
 * A gate hero: someone whose Not-ready vote or failed check came before a
 * NO-GO of the period whose fix then landed (the gate went GO after it).
 *
 * @public
 */
export interface GateHero {
  /** A user ref, lower case. */
  person: string;
  /** NO-GO decisions they caught (each counted once). */
  catches: number;
}

/**
 * The query of `GET /portfolio/learning`.
 *
 * @public
 */
export interface PortfolioLearningQuery {
  owner?: string;
  from?: string;
  to?: string;
}
