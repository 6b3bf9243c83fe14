import { EntityRollup, RollupPart } from '@release-readiness/plugin-common';
import { ReleaseReadinessT } from '../../translation';
import { stateInSentence } from '../shared/format';

/** What a part of a roll-up still lacks, in words, for the roll-up's release. */
export function whatIsMissing(
  part: RollupPart,
  release: string | undefined,
  t: ReleaseReadinessT,
): string {
  if (part.excluded) {
    return t('rollup.excluded', { reason: part.excluded });
  }
  if (!part.visible) {
    if (part.ready) return t('rollup.hiddenReady');
    return release
      ? t('rollup.hiddenNotReadyForRelease', { release })
      : t('rollup.hiddenNotReady');
  }
  if (!release) {
    return part.currentGate
      ? t('rollup.currentGateFor', { release: part.currentGate.release })
      : t('rollup.noGateYet');
  }
  const gate = part.gate;
  if (!gate) {
    return part.currentGate
      ? t('rollup.noGateForReleaseCurrent', {
          release,
          current: part.currentGate.release,
        })
      : t('rollup.noGateForReleaseNever', { release });
  }
  if (part.ready) {
    return t('rollup.nothing');
  }
  if (gate.state === 'in-progress') {
    return gate.blockers !== undefined
      ? t('rollup.blockersBeforeGo', { count: gate.blockers })
      : t('rollup.inProgress');
  }
  if (gate.state === 'no-go') {
    return t('rollup.noGo');
  }
  return t('rollup.otherState', { state: stateInSentence(gate.state, t) });
}

/** The roll-up in one sentence: how many counted parts are GO for the release. */
export function rollupSummary(
  rollup: EntityRollup,
  t: ReleaseReadinessT,
): string {
  const components = rollup.partKind === 'component';
  const excluded = rollup.parts.filter(p => p.excluded).length;
  const notCounted = excluded
    ? t('rollup.notCounted', { count: excluded })
    : '';
  const count = rollup.counted;
  if (!rollup.release) {
    return components
      ? t('rollup.summaryNoReleaseComponents', { count, notCounted })
      : t('rollup.summaryNoReleaseSystems', { count, notCounted });
  }
  const values = {
    count,
    ready: String(rollup.ready),
    release: rollup.release,
    notCounted,
  };
  if (rollup.manifest) {
    return components
      ? t('rollup.summaryManifestComponents', values)
      : t('rollup.summaryManifestSystems', values);
  }
  return components
    ? t('rollup.summaryComponents', values)
    : t('rollup.summarySystems', values);
}
