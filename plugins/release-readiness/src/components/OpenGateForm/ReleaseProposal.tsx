import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRollup } from '@release-readiness/plugin-common';
import { stateLabel } from '../shared/format';

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
  const { rollup } = props;
  const release = props.release.trim();
  const counted = rollup.parts.filter(p => !p.excluded);
  const noun = rollup.partKind === 'component' ? 'component' : 'system';
  if (!counted.length) return null;
  return (
    <Box mt={1} data-testid="release-proposal">
      <Typography variant="subtitle2" component="h4">
        The {noun} releases this gate{' '}
        {rollup.blocksGate ? 'waits for' : 'covers'}
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {counted.map(part => {
          const name = part.title ?? parseEntityRef(part.entityRef).name;
          const current = part.currentGate;
          let text: string;
          if (!part.visible) {
            text = 'you may not see its gates';
          } else if (!current) {
            text = release
              ? `no gate yet: open one for ${release} on its tab`
              : 'no gate yet';
          } else if (!release || current.release === release) {
            text = `release ${current.release} (${stateLabel(current.state)})`;
          } else if (rollup.blocksGate) {
            // A system gate's manifest is proposed from the components'
            // current gates: this one counts with its own release.
            text = `release ${current.release} (${stateLabel(
              current.state,
            )}), proposed in the release manifest; the gate owners can change it on the tab`;
          } else {
            text = `its current gate is for release ${current.release}, not ${release}: it will count only with a gate for ${release}`;
          }
          return (
            <li key={part.entityRef}>
              <Typography variant="body2" component="span">
                {name}: {text}
              </Typography>
            </li>
          );
        })}
      </ul>
      {rollup.parts.length > counted.length && (
        <Typography variant="body2">
          {rollup.parts.length - counted.length} more{' '}
          {rollup.parts.length - counted.length === 1 ? 'does' : 'do'} not count
          (see the roll-up).
        </Typography>
      )}
    </Box>
  );
}
