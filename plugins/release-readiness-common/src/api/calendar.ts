/*
 * What `GET /portfolio/calendar` answers: the release windows and the
 * planned releases of a time range, under the portfolio's filters.
 */

import { GateState, ReleaseWindow } from '../types';

/**
 * `GET /portfolio/calendar`'s query: a range and the portfolio's filters.
 *
 * @public
 */
export interface CalendarQuery {
  /** Start of the range (ISO 8601); default now. */
  from?: string;
  /** End of the range (ISO 8601), later than `from`, at most 366 days on; default 28 days on. */
  to?: string;
  owner?: string;
  system?: string;
  tier?: string;
  state?: string;
  verdict?: string;
  q?: string;
}

/**
 * A window on the calendar with every occurrence in the range: a freeze's
 * occurrences are blocked periods, a train's the allowed slots.
 *
 * @public
 */
export type CalendarWindow = ReleaseWindow & {
  occurrences: { start: string; end: string }[];
};

/**
 * A gate planned in the range (several per entity when it has several open
 * gates), with what the windows that apply to its entity say of its
 * planned time: the evaluation's own window condition.
 *
 * @public
 */
export interface CalendarRelease {
  gateId: string;
  entityRef: string;
  title: string;
  ownerRef?: string;
  systemRef?: string;
  release: string;
  state: GateState;
  plannedAt: string;
  /** The ids of the windows that apply to the entity. */
  windowIds: string[];
  /** Whether the windows let the planned time through (exceptions counted). */
  allowed: boolean;
  /** Why not, when not: the window condition's blockers. */
  blockers: string[];
  /** Windows whose exception every approver approved for this gate. */
  exceptions: { windowId: string; windowName: string }[];
}

/**
 * `GET /portfolio/calendar`.
 *
 * @public
 */
export interface CalendarResponse {
  from: string;
  to: string;
  /**
   * The windows shown: under entity filters, the company-wide ones and those
   * that apply to at least one entity the filters keep; otherwise all.
   * Retired windows are never shown.
   */
  windows: CalendarWindow[];
  releases: CalendarRelease[];
  /** How many gates are planned in the range under the filters. */
  totalReleases: number;
}
