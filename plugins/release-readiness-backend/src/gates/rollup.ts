/*
 * The roll-up of a system or domain as its Readiness tab shows it: every
 * part with its gate for the release, whether it counts and whether it is
 * GO. Which parts there are, and which count, is what the evaluation's
 * condition 8 (GateEvaluator) uses too, so the tab and the verdict agree.
 *
 * What a caller may see: the parts' refs come from the whole's catalog
 * relations, which the caller could read already; a part's title, type and
 * gate are shown only when the caller may read that part's gates (the
 * permission conditions are pushed into the index query). Whether a hidden
 * part holds the roll-up back is shown, as the whole's own evaluation says
 * it in its blockers.
 */
import { Config } from '@backstage/config';
import {
  DEFAULT_ROLLUP_EXCLUSION_RULES,
  EntityRollup,
  GateState,
  ReleaseManifest,
  RollupExclusionRules,
  RollupPart,
} from '@release-readiness/plugin-common';
import { GateStore, PortfolioAccess, PortfolioStore } from '../database';
import { manifestStates } from './manifestStates';
import type { RollupPartInfo } from './parts';

/**
 * What roll-ups leave out, from `releaseReadiness.rollup`: each list
 * replaces its default when given (an empty list leaves nothing out). A
 * gate template's `spec.rollup` replaces these in turn for its gates.
 */
export function readRollupRules(config: Config): RollupExclusionRules {
  return {
    types:
      config.getOptionalStringArray('releaseReadiness.rollup.excludeTypes') ??
      DEFAULT_ROLLUP_EXCLUSION_RULES.types,
    lifecycles:
      config.getOptionalStringArray(
        'releaseReadiness.rollup.excludeLifecycles',
      ) ?? DEFAULT_ROLLUP_EXCLUSION_RULES.lifecycles,
    tags:
      config.getOptionalStringArray('releaseReadiness.rollup.excludeTags') ??
      DEFAULT_ROLLUP_EXCLUSION_RULES.tags,
  };
}

const GO_STATES: ReadonlySet<GateState> = new Set(['go', 'released']);

/**
 * The release a new gate of the whole is proposed to be opened for: the one
 * most counted parts' current gates are for (the newest-sorting on a tie).
 */
export function proposeRelease(
  releases: (string | undefined)[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const release of releases) {
    if (release) counts.set(release, (counts.get(release) ?? 0) + 1);
  }
  return [...counts.entries()].sort(
    ([a, m], [b, n]) => n - m || b.localeCompare(a, 'en-US', { numeric: true }),
  )[0]?.[0];
}

/** The roll-up of a system or domain for a release (see the module comment). */
export async function readRollup(options: {
  entityRef: string;
  release?: string;
  /** The whole's gate's manifest for the release, when it has one. */
  manifest?: ReleaseManifest;
  parts: RollupPartInfo[];
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  gates: GateStore;
}): Promise<EntityRollup> {
  const { entityRef, release, parts } = options;
  const refs = parts.map(p => p.entityRef);
  const [rows, states] = await Promise.all([
    options.portfolio.rows(refs, options.access),
    release
      ? manifestStates(options.gates, {
          entityRefs: refs,
          release,
          ...(options.manifest ? { manifest: options.manifest } : {}),
        })
      : Promise.resolve(new Map<string, GateState>()),
  ]);
  const visible = new Map(rows.map(row => [row.entityRef, row]));
  const shown: RollupPart[] = parts.map(part => {
    const row = visible.get(part.entityRef);
    const state = states.get(part.entityRef);
    // The release this part is matched on.
    const partRelease =
      (release && options.manifest?.[part.entityRef]) || release;
    const ready = Boolean(state && GO_STATES.has(state));
    const excluded = part.excluded ? { excluded: part.excluded } : {};
    // A part missing from the index has never had a gate (opening one
    // indexes it): all there is to show is what the catalog says, to a
    // caller who may read every gate.
    if (!row && options.access.type !== 'all') {
      return { entityRef: part.entityRef, ...excluded, visible: false, ready };
    }
    const current = row?.currentGate;
    // The summary on the index row is the current gate's: its verdict and
    // blockers belong to the gate for this release only when it is that one.
    const summary =
      current && current.release === partRelease && current.state === state
        ? { verdict: current.verdict, blockers: current.blockers }
        : {};
    return {
      entityRef: part.entityRef,
      ...(part.title ?? row?.title
        ? { title: (part.title ?? row?.title)! }
        : {}),
      ...(part.type ? { type: part.type } : {}),
      ...(part.lifecycle ? { lifecycle: part.lifecycle } : {}),
      ...excluded,
      visible: true,
      ...(partRelease && state
        ? { gate: { release: partRelease, state, ...summary } }
        : {}),
      ...(current
        ? { currentGate: { release: current.release, state: current.state } }
        : {}),
      ready,
    };
  });
  const counted = shown.filter(p => !p.excluded);
  const proposed = proposeRelease(counted.map(p => p.currentGate?.release));
  // Only parts the caller may read are proposed (the others' releases are
  // theirs to know); opening the gate proposes all of them again.
  const proposedManifest = Object.fromEntries(
    counted.flatMap(p =>
      p.visible && p.currentGate ? [[p.entityRef, p.currentGate.release]] : [],
    ),
  );
  return {
    entityRef,
    partKind: entityRef.startsWith('domain:') ? 'system' : 'component',
    ...(release ? { release } : {}),
    blocksGate: !entityRef.startsWith('domain:'),
    ...(proposed ? { proposedRelease: proposed } : {}),
    ...(options.manifest ? { manifest: options.manifest } : {}),
    ...(entityRef.startsWith('system:') && Object.keys(proposedManifest).length
      ? { proposedManifest }
      : {}),
    counted: counted.length,
    ready: counted.filter(p => p.ready).length,
    parts: shown,
  };
}
