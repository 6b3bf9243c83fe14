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
  RollupExclusionRules,
  PortfolioRow,
  RollupPart,
  SystemRollup,
} from '@release-readiness/plugin-common';
import { GateStore, PortfolioAccess, PortfolioStore } from '../database';
import type { GateEvaluator, RollupPartInfo } from './GateEvaluator';

/**
 * What roll-ups leave out, from `releaseReadiness.rollup`: each list
 * replaces its default when given (an empty list leaves nothing out).
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
  parts: RollupPartInfo[];
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  gates: GateStore;
}): Promise<EntityRollup> {
  const { entityRef, release, parts, ...stores } = options;
  const [rollup] = await readRollups({
    ...stores,
    wholes: [{ entityRef, ...(release ? { release } : {}), parts }],
  });
  return rollup;
}

/**
 * The roll-ups of many wholes at once: {@link readRollup} of each, in one
 * query for the parts' index rows and one per distinct release for their
 * gates, whatever the number of wholes. The tier view and the Readiness
 * tab's roll-up are both this computation, so they cannot disagree.
 */
export async function readRollups(options: {
  wholes: { entityRef: string; release?: string; parts: RollupPartInfo[] }[];
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  gates: GateStore;
}): Promise<EntityRollup[]> {
  const { wholes } = options;
  const refs = [...new Set(wholes.flatMap(w => w.parts.map(p => p.entityRef)))];
  const byRelease = new Map<string, Set<string>>();
  for (const whole of wholes) {
    if (!whole.release) continue;
    const set = byRelease.get(whole.release) ?? new Set<string>();
    for (const part of whole.parts) set.add(part.entityRef);
    byRelease.set(whole.release, set);
  }
  const [rows, ...stateMaps] = await Promise.all([
    options.portfolio.rows(refs, options.access),
    ...[...byRelease.entries()].map(([release, entityRefs]) =>
      options.gates.releaseStates({ entityRefs: [...entityRefs], release }),
    ),
  ]);
  const statesOf = new Map(
    [...byRelease.keys()].map((release, i) => [release, stateMaps[i]]),
  );
  const visible = new Map(rows.map(row => [row.entityRef, row]));
  return wholes.map(({ entityRef, release, parts }) =>
    rollupOf({
      entityRef,
      release,
      parts,
      visible,
      states: (release && statesOf.get(release)) || new Map(),
      access: options.access,
    }),
  );
}

function rollupOf(options: {
  entityRef: string;
  release?: string;
  parts: RollupPartInfo[];
  visible: Map<string, PortfolioRow>;
  states: Map<string, GateState>;
  access: PortfolioAccess;
}): EntityRollup {
  const { entityRef, release, parts, visible, states } = options;
  const shown: RollupPart[] = parts.map(part => {
    const row = visible.get(part.entityRef);
    const state = states.get(part.entityRef);
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
      current && current.release === release && current.state === state
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
      ...(release && state ? { gate: { release, state, ...summary } } : {}),
      ...(current
        ? { currentGate: { release: current.release, state: current.state } }
        : {}),
      ready,
    };
  });
  const counted = shown.filter(p => !p.excluded);
  const proposed = proposeRelease(counted.map(p => p.currentGate?.release));
  return {
    entityRef,
    partKind: entityRef.startsWith('domain:') ? 'system' : 'component',
    ...(release ? { release } : {}),
    blocksGate: !entityRef.startsWith('domain:'),
    ...(proposed ? { proposedRelease: proposed } : {}),
    counted: counted.length,
    ready: counted.filter(p => p.ready).length,
    parts: shown,
  };
}

/**
 * A roll-up in the tier view's numbers: how many parts, how many left out,
 * the roll-up's own counted and ready, and the counted parts by their gate
 * for the release.
 */
export function tallyRollup(
  rollup: EntityRollup,
): Omit<SystemRollup, 'systemRef' | 'system'> {
  const tally = {
    components: rollup.parts.length,
    excluded: rollup.parts.length - rollup.counted,
    counted: rollup.counted,
    ready: rollup.ready,
    go: 0,
    noGo: 0,
    inProgress: 0,
    released: 0,
    rolledBack: 0,
    noGate: 0,
    hidden: 0,
  };
  for (const part of rollup.parts) {
    if (part.excluded) continue;
    const state = part.gate?.state;
    if (!part.visible) tally.hidden += 1;
    else if (!state) tally.noGate += 1;
    else if (state === 'go') tally.go += 1;
    else if (state === 'released') tally.released += 1;
    else if (state === 'rolled-back') tally.rolledBack += 1;
    else if (state === 'no-go' || part.gate?.verdict === 'NO-GO')
      tally.noGo += 1;
    else tally.inProgress += 1;
  }
  return {
    ...(rollup.release ? { release: rollup.release } : {}),
    ...(rollup.proposedRelease
      ? { proposedRelease: rollup.proposedRelease }
      : {}),
    ...tally,
  };
}

/**
 * The tier view: every system the caller may see with its roll-up for its
 * current gate's release — {@link readRollups}, the computation of the
 * system's own tab, over all systems at once.
 */
export async function readSystemRollups(options: {
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  gates: GateStore;
  evaluator: Pick<GateEvaluator, 'partsOfMany'>;
}): Promise<SystemRollup[]> {
  const systems = await options.portfolio.systems(options.access);
  const parts = await options.evaluator.partsOfMany(
    systems.map(s => ({ entityRef: s.systemRef })),
  );
  const rollups = await readRollups({
    ...options,
    wholes: systems.map((s, i) => ({
      entityRef: s.systemRef,
      ...(s.system?.currentGate
        ? { release: s.system.currentGate.release }
        : {}),
      parts: parts[i],
    })),
  });
  return systems.map((s, i) => ({
    systemRef: s.systemRef,
    ...(s.system ? { system: s.system } : {}),
    ...tallyRollup(rollups[i]),
  }));
}
