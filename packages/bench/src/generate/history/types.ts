/*
 * What the history generator is given (the entities, the people who act on
 * their gates, the options) and what it reports having written.
 */
import type { GateState } from '@release-readiness/plugin-common';
import type { EntityInfo } from '@release-readiness/plugin-backend/internal';

/** An entity of the index, as the entity index sync writes it. */
export type GeneratedEntity = EntityInfo;

/** Who may act: the members of each owner team and of each other group. */
export interface People {
  byTeam: Map<string, string[]>;
  byGroup: Map<string, string[]>;
}

/** What to generate. */
export interface HistoryOptions {
  seed: number;
  /** The end of the history; nothing is dated after it. */
  now: Date;
  /** How far back the oldest gate opens. */
  months: number;
  /** How many closed gates each entity had before its current one. */
  pastGates: { min: number; max: number };
  /**
   * Whether each entity also gets a current gate in a random state (the
   * benchmark). Without it, the last past gate is the entity's current one.
   */
  currentGates: boolean;
  /** The service principal that posts evidence. */
  ciPrincipal?: string;
  /** The release name of an entity's k-th gate (default `1.k.0`). */
  releaseName?: (k: number, openedAt: Date) => string;
}

/** What was written, to check the metrics against. */
export interface HistorySummary {
  entities: number;
  gates: number;
  gatesByState: Record<GateState, number>;
  goDecisions: number;
  noGoDecisions: number;
  releases: number;
  incidents: number;
  items: number;
  votes: number;
  evidence: number;
  auditEvents: number;
  /** Lead times (opened → first GO) in hours, per owner team. */
  leadTimeHoursByTeam: Record<string, number[]>;
}
