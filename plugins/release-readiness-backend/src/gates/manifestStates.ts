/*
 * The roll-up's lookup of a system's components' gates: each component on
 * the release its system gate's manifest names (gates/manifest.ts), on the
 * system's own release where it names none.
 */
import { GateState, ReleaseManifest } from '@release-readiness/plugin-common';
import { GateStore } from '../database';

/** The state of each component's gate for the release its manifest names. */
export async function manifestStates(
  gates: Pick<GateStore, 'releaseStates'>,
  options: {
    entityRefs: string[];
    release: string;
    manifest?: ReleaseManifest;
  },
): Promise<Map<string, GateState>> {
  const byRelease = new Map<string, string[]>();
  for (const ref of options.entityRefs) {
    const release = options.manifest?.[ref] ?? options.release;
    byRelease.set(release, [...(byRelease.get(release) ?? []), ref]);
  }
  const states = new Map<string, GateState>();
  for (const [release, entityRefs] of byRelease) {
    for (const [ref, state] of await gates.releaseStates({
      entityRefs,
      release,
    })) {
      states.set(ref, state);
    }
  }
  return states;
}
