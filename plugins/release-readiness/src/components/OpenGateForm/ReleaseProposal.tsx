import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRollup } from '@release-readiness/plugin-common';
import { stateLabel } from '../shared/format';
import { useReleaseReadinessTranslation } from '../../translation';

/**
 * Under the release field of a system's (or domain's) open-gate form: the
 * release each counted part's current gate is for, and whether it matches
 * the release typed, since the roll-up matches the parts' gates on the
 * release's name.
 */
export function ReleaseProposal(props: {
  rollup: EntityRollup;
  release: string;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { rollup } = props;
  const release = props.release.trim();
  const counted = rollup.parts.filter(p => !p.excluded);
  if (!counted.length) return null;
  let title: string;
  if (rollup.partKind === 'component') {
    title = rollup.blocksGate
      ? t('releaseProposal.titleComponentsWaits')
      : t('releaseProposal.titleComponentsCovers');
  } else {
    title = rollup.blocksGate
      ? t('releaseProposal.titleSystemsWaits')
      : t('releaseProposal.titleSystemsCovers');
  }
  const notCounting = rollup.parts.length - counted.length;
  return (
    <Box mt={1} data-testid="release-proposal">
      <Typography variant="subtitle2" component="h4">
        {title}
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {counted.map(part => {
          const name = part.title ?? parseEntityRef(part.entityRef).name;
          const current = part.currentGate;
          let text: string;
          if (!part.visible) {
            text = t('releaseProposal.hidden');
          } else if (!current) {
            text = release
              ? t('releaseProposal.noGateYetOpen', { release })
              : t('releaseProposal.noGateYet');
          } else if (!release || current.release === release) {
            text = t('releaseProposal.current', {
              release: current.release,
              state: stateLabel(current.state, t),
            });
          } else if (rollup.blocksGate) {
            // A system gate's manifest is proposed from the components'
            // current gates: this one counts with its own release.
            text = t('releaseProposal.inManifest', {
              release: current.release,
              state: stateLabel(current.state, t),
            });
          } else {
            text = t('releaseProposal.otherRelease', {
              current: current.release,
              release,
            });
          }
          return (
            <li key={part.entityRef}>
              <Typography variant="body2" component="span">
                {t('releaseProposal.part', { name, text })}
              </Typography>
            </li>
          );
        })}
      </ul>
      {notCounting > 0 && (
        <Typography variant="body2">
          {t('releaseProposal.notCounting', { count: notCounting })}
        </Typography>
      )}
    </Box>
  );
}
