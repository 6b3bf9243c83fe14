import { EntityRollup, RollupPart } from '@release-readiness/plugin-common';
import { stateInSentence } from '../shared/format';

/** What a part of a roll-up still lacks, in words, for the roll-up's release. */
export function whatIsMissing(
  part: RollupPart,
  release: string | undefined,
): string {
  if (part.excluded) {
    return `Not counted: ${part.excluded}.`;
  }
  if (!part.visible) {
    return part.ready
      ? 'Nothing: its gate is GO. You may not see its details.'
      : `Its gate is not GO${
          release ? ` for release ${release}` : ''
        }. You may not see its details.`;
  }
  if (!release) {
    return part.currentGate
      ? `Current gate is for release ${part.currentGate.release}.`
      : 'No gate yet.';
  }
  const gate = part.gate;
  if (!gate) {
    return part.currentGate
      ? `No gate for release ${release}: its current gate is for release ${part.currentGate.release}.`
      : `No gate for release ${release}: it never had a gate.`;
  }
  if (part.ready) {
    return 'Nothing.';
  }
  if (gate.state === 'in-progress') {
    return gate.blockers !== undefined
      ? `${gate.blockers} blocker${gate.blockers === 1 ? '' : 's'} before GO.`
      : 'Its gate is in progress.';
  }
  if (gate.state === 'no-go') {
    return 'Its gate is NO-GO: the corrective loop must reopen it.';
  }
  return `Its gate is ${stateInSentence(gate.state)}.`;
}

/** The roll-up in one sentence: how many counted parts are GO for the release. */
export function rollupSummary(rollup: EntityRollup): string {
  const noun = rollup.partKind === 'component' ? 'component' : 'system';
  const excluded = rollup.parts.filter(p => p.excluded).length;
  const notCounted = excluded
    ? ` ${excluded} more ${excluded === 1 ? 'is' : 'are'} not counted.`
    : '';
  if (!rollup.release) {
    return `${rollup.counted} ${noun}${
      rollup.counted === 1 ? '' : 's'
    } count; no gate is open yet, so each shows its current gate.${notCounted}`;
  }
  const releases = rollup.manifest
    ? `the releases the manifest of release ${rollup.release} names`
    : `release ${rollup.release}`;
  return `${rollup.ready} of ${rollup.counted} ${noun}${
    rollup.counted === 1 ? '' : 's'
  } GO for ${releases}.${notCounted}`;
}
