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
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import pLimit from 'p-limit';
import {
  DEFAULT_ROLLUP_EXCLUSION_RULES,
  EntityRollup,
  GateState,
  ReleaseManifest,
  RollupExclusionRules,
  GateTemplate,
  GateTemplateSpec,
  RollupPart,
  selectTemplate,
  SystemRollup,
} from '@release-readiness/plugin-common';
import { GateStore, PortfolioAccess, PortfolioStore } from '../database';
import { manifestStates } from './manifestStates';
import type { GateEvaluator } from './GateEvaluator';
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

/**
 * The roll-up of one system or domain as its Readiness tab shows it: for
 * the release asked (else its current gate's), counted under the rules of
 * that gate's template (else the template that applies to it now) and
 * matched on that gate's manifest. `GET …/rollup` and the tier view both
 * call this, so the two cannot disagree.
 */
export async function entityRollup(options: {
  entityRef: string;
  /** The catalog entity, when the caller has it; read from the catalog otherwise. */
  entity?: Entity;
  release?: string;
  /**
   * False when the caller may not read the whole's gates: no release is
   * looked up (none is told), the parts are counted for none.
   */
  lookUpRelease?: boolean;
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  gates: GateStore;
  evaluator: Pick<GateEvaluator, 'partsOf'>;
  templates: GateTemplate[];
  loadEntity(entityRef: string): Promise<Entity | undefined>;
}): Promise<EntityRollup> {
  const { entityRef, gates } = options;
  const release =
    options.release ??
    (options.lookUpRelease === false
      ? undefined
      : (await gates.listGates({ entityRef })).find(
          g => g.state !== 'cancelled',
        )?.release);
  const gate = release
    ? await gates.getReleaseGate({ entityRef, release })
    : undefined;
  const entity =
    options.entity ?? (gate ? undefined : await options.loadEntity(entityRef));
  let template: GateTemplateSpec | undefined;
  if (gate) template = await gates.getGateTemplate({ gateId: gate.id });
  else if (entity)
    template = selectTemplate(entity, options.templates).template;
  const parts = await options.evaluator.partsOf(entityRef, {
    ...(entity ? { whole: entity } : {}),
    ...(template ? { template } : {}),
  });
  return readRollup({
    entityRef,
    ...(release ? { release } : {}),
    ...(gate?.manifest ? { manifest: gate.manifest } : {}),
    parts,
    access: options.access,
    portfolio: options.portfolio,
    gates,
  });
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
 * current gate's release — {@link entityRollup}, the computation of the
 * system's own tab, system by system (a few systems at a time).
 */
export async function readSystemRollups(
  options: Omit<
    Parameters<typeof entityRollup>[0],
    'entityRef' | 'entity' | 'release'
  >,
): Promise<SystemRollup[]> {
  const systems = await options.portfolio.systems(options.access);
  const limit = pLimit(4);
  const rollups = await Promise.all(
    systems.map(s =>
      limit(() =>
        entityRollup({
          ...options,
          entityRef: s.systemRef,
          // The release of the system gate the index knows; none of a
          // system whose gates the caller may not read.
          ...(s.system?.currentGate
            ? { release: s.system.currentGate.release }
            : {}),
          lookUpRelease: Boolean(s.system),
        }),
      ),
    ),
  );
  return systems.map((s, i) => ({
    systemRef: s.systemRef,
    ...(s.system ? { system: s.system } : {}),
    ...tallyRollup(rollups[i]),
  }));
}
