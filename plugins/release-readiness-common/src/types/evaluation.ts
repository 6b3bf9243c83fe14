/*
 * The evaluation of a gate: what it is given and what it answers.
 */

import { Evidence, Gate, GateState } from './gates';
import { GateTemplateSpec, SignoffRole } from './templates';
import { ReleaseWindow, WindowException } from './windows';

/**
 * The conditions of a Go decision.
 *
 * @public
 */
export type ConditionId =
  | 'artifacts'
  | 'automated'
  | 'risk'
  | 'rollback'
  | 'communication'
  | 'signoffs'
  | 'window'
  | 'rollup';

/**
 * One condition: met or not, how far along, and every reason it is not met.
 *
 * @public
 */
export interface ConditionResult {
  id: ConditionId;
  title: string;
  met: boolean;
  /** 0..1, how much of the condition is satisfied; feeds the health score. */
  progress: number;
  /** Blocking reasons in plain words, each one actionable. Empty when met. */
  blockers: Blocker[];
}

/**
 * A reason a gate is not ready.
 *
 * @public
 */
export interface Blocker {
  condition: ConditionId;
  /** What to do, in plain words. */
  message: string;
  /** The checklist item or sign-off role concerned, if any. */
  itemId?: string;
  role?: string;
}

/**
 * How an automated item stands against its evidence.
 *
 * @public
 */
export interface AutomatedItemResult {
  itemId: string;
  outcome: 'passed' | 'failed' | 'stale' | 'missing' | 'waived';
  /** The evidence used, if any. */
  evidenceId?: string;
  /** When the evidence used was observed, as its pipeline reported. */
  observedAt?: string;
  /** When the plugin received the evidence used. */
  receivedAt?: string;
  /** Words for people: "score 84, needs score \>= 90". */
  detail: string;
}

/**
 * Quorum of one sign-off role.
 *
 * @public
 */
export interface RoleResult {
  role: string;
  title: string;
  min: number;
  /** Distinct eligible voters whose Ready counts. */
  readyVoters: string[];
  notReadyVoters: string[];
  staleVoters: string[];
  met: boolean;
}

/**
 * The verdict shown for a gate.
 *
 * @public
 */
export type Verdict = 'GO' | 'NO-GO' | 'IN PROGRESS';

/**
 * The evaluation of a gate.
 *
 * @public
 */
export interface GateEvaluation {
  /** Every condition is met: a Go decision may be recorded. */
  ready: boolean;
  /** GO or NO-GO once decided; IN PROGRESS before. */
  verdict: Verdict;
  /** 0..100. */
  score: number;
  conditions: ConditionResult[];
  /** All blockers of all conditions, in condition order. */
  blockers: Blocker[];
  automated: AutomatedItemResult[];
  roles: RoleResult[];
  /**
   * The release windows at `now` rather than at the planned time: whether
   * the release could go out at the moment of the evaluation. Not part of
   * `ready` (a GO is recorded on the planned time); a recorded GO holds only
   * while this is met too (see `goHold`).
   */
  releaseNow: { met: boolean; blockers: Blocker[] };
  evaluatedAt: string;
}

/**
 * Whether a recorded GO still holds at the moment it is asked: every
 * condition of the evaluation is still met and the release windows let the
 * release go out now. Only a gate that is GO (decided, not yet released)
 * has one.
 *
 * @public
 */
export interface GoHold {
  /** When the GO was recorded, and by whom. */
  decidedAt: string;
  decidedBy: string;
  /** Every condition still holds, and the release may go out now. */
  holds: boolean;
  /** What lapsed since the GO; empty while it holds. */
  blockers: Blocker[];
  /**
   * In words: "GO recorded at 2026-12-01 09:00 UTC by user:default/priya
   * holds: every condition is still met" or "GO recorded at …, no longer
   * holds: …" followed by each lapsed condition.
   */
  message: string;
}

/**
 * Everything the evaluation needs, nothing else. `isEligible` answers whether a
 * user may vote for a role (the backend resolves catalog membership in bulk
 * before calling it).
 *
 * @public
 */
export interface EvaluationInput {
  template: GateTemplateSpec;
  gate: Gate;
  /** Evidence for the gate's entity and release, any order. */
  evidence: Evidence[];
  isEligible: (voter: string, role: SignoffRole) => boolean;
  now: Date;
  /**
   * The release windows that apply to the gate's entity (already filtered by
   * scope) and the exceptions approved for this gate. Absent: no window
   * applies, the condition is met.
   */
  windows?: { windows: ReleaseWindow[]; exceptions: WindowException[] };
  /**
   * For a tier-2 (system) gate: the system's components and the state of
   * each one's gate for the same release (absent when it has none).
   */
  rollup?: { components: { entityRef: string; state?: GateState }[] };
}
