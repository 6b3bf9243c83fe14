/*
 * What `GET /entities/:kind/:namespace/:name/rollup` answers: the parts of a
 * system (its components) or of a domain (its systems), each with its gate
 * for the release asked about.
 */

import { GateState, ReleaseManifest, Verdict } from '../types';

/**
 * One part of a system or domain in its roll-up.
 *
 * @public
 */
export interface RollupPart {
  /** Full entity ref, e.g. `component:default/payment-gateway`. */
  entityRef: string;
  /** The part's title, or its name; absent when the caller may not see it. */
  title?: string;
  /** The part's `spec.type` and `spec.lifecycle`, when known. */
  type?: string;
  lifecycle?: string;
  /**
   * Why the part does not count towards the roll-up (a library, a deprecated
   * component, named in the system's exclusion list…); absent when it counts.
   */
  excluded?: string;
  /**
   * False when the caller may not read the part's gates: nothing but its ref
   * is shown, and whether it holds the roll-up back.
   */
  visible: boolean;
  /** The part's gate for the release of the roll-up, if it has one. */
  gate?: {
    release: string;
    state: GateState;
    /** The verdict and blocker count, known when it is the part's current gate. */
    verdict?: Verdict;
    blockers?: number;
  };
  /** The part's current gate, of whatever release: what a new gate proposes. */
  currentGate?: { release: string; state: GateState };
  /** Whether the part's gate for the release is GO (or released). */
  ready: boolean;
}

/**
 * The roll-up of a system (tier 2) or domain (tier 3).
 *
 * @public
 */
export interface EntityRollup {
  entityRef: string;
  /** The kind of its parts: components for a system, systems for a domain. */
  partKind: 'component' | 'system';
  /**
   * The release the parts' gates are matched on: the one asked for, or the
   * entity's current gate's; absent when neither is known.
   */
  release?: string;
  /** Whether the entity's gate waits for its parts (condition 8). */
  blocksGate: boolean;
  /**
   * The release most of the counted parts' current gates are for: what a new
   * gate of the entity is proposed to be opened for.
   */
  proposedRelease?: string;
  /**
   * The release each counted part is matched on: the system gate's manifest
   * for the release, where it has one; otherwise every part on `release`.
   */
  manifest?: ReleaseManifest;
  /**
   * What a new system gate's manifest is proposed to be: each counted part's
   * current gate's release (parts without one are left out, and matched on
   * the system's release).
   */
  proposedManifest?: ReleaseManifest;
  /** Counted parts, and those of them that are GO for the release. */
  counted: number;
  ready: number;
  parts: RollupPart[];
}
