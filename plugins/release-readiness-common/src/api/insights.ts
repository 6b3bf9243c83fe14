/*
 * The outcome loop (issue 18): for each checklist item, how the releases it
 * was part of went, by what happened to the item, with the post-release
 * incident rate of each case against the rest.
 */

/**
 * What happened to a checklist item on a released gate: passed (also an
 * automated item its evidence passed), waived, not applicable, or failed at
 * some point and then fixed.
 *
 * @public
 */
export type ItemOutcome =
  | 'passed'
  | 'waived'
  | 'not-applicable'
  | 'failed-then-fixed';

/**
 * A share with its 95 % Wilson score interval.
 *
 * @public
 */
export interface RateWithInterval {
  releases: number;
  /** Of those, the releases with a sev1–2 incident within the window. */
  incidents: number;
  /** `incidents / releases`; null with no release. */
  rate: number | null;
  /** 95 % Wilson score interval of the rate; null with no release. */
  interval: [number, number] | null;
}

/**
 * One outcome of an item: its releases and their incidents, and the same for
 * the item's other releases ("otherwise").
 *
 * @public
 */
export interface ItemOutcomeStats extends RateWithInterval {
  outcome: ItemOutcome;
  otherwise: RateWithInterval;
}

/**
 * What the numbers of an item say.
 *
 * - `riskier`: releases with this outcome had incidents more often than the
 *   item's other releases, beyond chance at 95 % (the intervals do not
 *   overlap), with enough releases on both sides.
 * - `no-difference`: enough releases, no difference beyond chance.
 * - `not-enough-data`: too few releases to say anything.
 * - `retire-candidate`: enough releases, never waived or failed (it never
 *   blocked anything) and no difference: a candidate to retire.
 *
 * @public
 */
export type ItemFindingKind =
  | 'riskier'
  | 'no-difference'
  | 'not-enough-data'
  | 'retire-candidate';

/**
 * One checklist item in `GET /insights/items`.
 *
 * @public
 */
export interface ItemInsight {
  template: string;
  itemId: string;
  title: string;
  /** Released gates that had the item in the period. */
  releases: number;
  /** Of those, the ones with a sev1–2 incident within the window. */
  incidents: number;
  outcomes: ItemOutcomeStats[];
  finding: ItemFindingKind;
  /** The outcome the finding is about, for `riskier`. */
  findingOutcome?: ItemOutcome;
  /** The finding in plain words, with its counts. */
  reading: string;
}

/**
 * The answer of `GET /insights/items`.
 *
 * @public
 */
export interface ItemInsightsResponse {
  /**
   * The start of the first month read (UTC): the period is read in whole
   * months, `from` taken back to the start of its month.
   */
  from: string;
  /** The start of the month after the last month read (UTC). */
  to: string;
  /** Days after a release within which an incident counts. */
  windowDays: number;
  /** Releases needed on each side before anything is claimed. */
  minSample: number;
  items: ItemInsight[];
  totalItems: number;
  offset: number;
  limit: number;
}

/**
 * The query of `GET /insights/items`.
 *
 * @public
 */
export interface ItemInsightsQuery {
  template?: string;
  owner?: string;
  /**
   * Released at or after (ISO 8601), read from the start of its month
   * (UTC); default the month 180 days ago.
   */
  from?: string;
  /**
   * Released before (ISO 8601), read to the end of its month (UTC) unless
   * it is the start of one; default the end of this month.
   */
  to?: string;
  offset?: number;
  limit?: number;
}
