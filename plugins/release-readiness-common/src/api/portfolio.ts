/*
 * `GET /portfolio`, `GET /portfolio/systems` and `GET /portfolio/caught`:
 * their query and their answers. `PortfolioQuery` follows the query
 * parameters of the backend's `src/schema/openapi.yaml`; a backend test
 * fails when the two part.
 */

import { GateState, Verdict } from '../types';

/**
 * Sortable columns of `GET /portfolio`.
 *
 * @public
 */
export type PortfolioSort =
  | 'title'
  | 'owner'
  | 'system'
  | 'tier'
  | 'state'
  | 'score'
  | 'plannedAt';

/**
 * The query of `GET /portfolio`: filters, sort and page. Every key is
 * optional and is sent as a query parameter of the same name. Values are
 * those of the query string: the tier is the text `1`, `2` or `3`; `offset`
 * and `limit` are whole numbers, sent as their digits.
 *
 * @public
 */
export interface PortfolioQuery {
  /** Owner group ref, e.g. `group:default/payments`. */
  owner?: string;
  /** System ref, e.g. `system:default/payments-platform`. */
  system?: string;
  /** `1`, `2` or `3`. */
  tier?: string;
  /** A gate state, or `none` for entities without a gate. */
  state?: string;
  /** `GO`, `NO-GO` or `IN PROGRESS`: of open gates (released and rolled-back ones have no verdict to filter by). */
  verdict?: string;
  /** Free text, matched against titles and refs. */
  q?: string;
  /**
   * Only entities whose current gate is planned at or after this time
   * (ISO 8601); entities without a planned time are left out.
   */
  plannedFrom?: string;
  /** Only entities whose current gate is planned before this time (ISO 8601). */
  plannedTo?: string;
  /** Default `title`. */
  sort?: PortfolioSort;
  /** Default `asc`. */
  order?: 'asc' | 'desc';
  /** Default 0. */
  offset?: number;
  /** 1 to 200, default 50. */
  limit?: number;
}

/**
 * One entity of the portfolio with its current gate.
 *
 * @public
 */
export interface PortfolioRow {
  entityRef: string;
  kind: string;
  title: string;
  type?: string;
  lifecycle?: string;
  ownerRef?: string;
  systemRef?: string;
  tags: string[];
  templateName?: string;
  tier?: number;
  currentGate?: {
    id: string;
    release: string;
    state: GateState;
    verdict: Verdict;
    score: number;
    blockers: number;
    plannedAt?: string;
    lastDecision?: { verdict: 'go' | 'no-go'; at: string };
  };
}

/**
 * A value of a filter and how many entities have it.
 *
 * @public
 */
export interface FacetCount {
  value: string;
  count: number;
}

/**
 * `GET /portfolio`: a page of entities, the facet counts of the filters and
 * the totals of the teams on the page (and of the team filtered on), for the
 * filters given. Each facet, and the team totals, leave out their own filter
 * (the owner filter for the teams), so that the other values stay visible
 * with their counts. A facet lists its 100 most common values.
 *
 * @public
 */
export interface PortfolioResponse {
  items: PortfolioRow[];
  totalItems: number;
  offset: number;
  limit: number;
  facets: {
    owner: FacetCount[];
    system: FacetCount[];
    tier: FacetCount[];
    state: FacetCount[];
    verdict: FacetCount[];
  };
  /**
   * Per team: its current gates by verdict (open gates only), those released
   * or rolled back (shown by that final state), and its services without a
   * gate; together they add up to `entities`.
   */
  teams: {
    ownerRef: string;
    entities: number;
    go: number;
    noGo: number;
    inProgress: number;
    released: number;
    rolledBack: number;
    noGate: number;
  }[];
}

/**
 * One system of the tier view (`GET /portfolio/systems`): its own row, if it
 * is indexed, and its roll-up for its current gate's release, counted as
 * the system's Readiness tab counts it (`GET .../rollup`).
 *
 * @public
 */
export interface SystemRollup {
  systemRef: string;
  system?: PortfolioRow;
  /**
   * The release the components' gates are matched on: the system's current
   * gate's. Absent when the system has no gate: nothing is ready then.
   */
  release?: string;
  /** The release most counted components' current gates are for. */
  proposedRelease?: string;
  /** Every component of the system (its `hasPart` relations). */
  components: number;
  /** Components the roll-up leaves out (libraries, deprecated, named by the system). */
  excluded: number;
  /**
   * The roll-up's own numbers: the components it counts, and of them those
   * whose gate for the release is GO or released (the system tab's "N of M").
   */
  counted: number;
  ready: number;
  /**
   * The counted components by their gate for the release: decided GO, open
   * with a NO-GO or IN PROGRESS verdict, released, rolled back, or no gate
   * for the release. Counted components the caller may not read are in
   * `hidden` alone.
   */
  go: number;
  noGo: number;
  inProgress: number;
  released: number;
  rolledBack: number;
  noGate: number;
  hidden: number;
}

/**
 * A release a NO-GO stopped (`GET /portfolio/caught`), and who caught it.
 *
 * @public
 */
export interface CaughtRelease {
  gateId: string;
  entityRef: string;
  title: string;
  release: string;
  decidedAt: string;
  decidedBy: string;
  reason: string;
  /** The gate went on to GO (or release) after the NO-GO: the fix landed. */
  fixed: boolean;
  caughtBy: {
    ref: string;
    how: 'not-ready vote' | 'failed check';
    detail: string;
  }[];
}

/**
 * The query of `GET /portfolio/caught`: the filters, which narrow the list
 * and its count alike, and the page. Values are those of the query string.
 *
 * @public
 */
export interface CaughtQuery {
  /** Owner group ref: only releases of the entities it owns. */
  owner?: string;
  /** System ref: only releases of its entities. */
  system?: string;
  /** `1`, `2` or `3`: only releases of entities of this tier. */
  tier?: string;
  /**
   * As the portfolio's filters: only releases of entities whose current
   * gate is in this state (`none`: no gate) or has this verdict.
   */
  state?: string;
  verdict?: string;
  /** Only releases of entities whose title or ref contains this text. */
  q?: string;
  /** Only NO-GO decisions taken at or after this time (ISO 8601). */
  from?: string;
  /** Only NO-GO decisions taken before this time (ISO 8601). */
  to?: string;
  /** Default 0. */
  offset?: number;
  /** 1 to 200, default 50. */
  limit?: number;
}

/**
 * `GET /portfolio/caught`: a page of the NO-GO decisions the caller may
 * read, newest first, and how many there are in all under the filters.
 *
 * @public
 */
export interface CaughtResponse {
  items: CaughtRelease[];
  totalItems: number;
  offset: number;
  limit: number;
}
