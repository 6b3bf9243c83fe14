import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  EntityRollup,
  GateWithEvaluation,
  RollupPart,
} from '@release-readiness/plugin-common';
import { useEntityPath } from '../Portfolio/ServiceLink';
import { stateLabel } from '../shared/format';
import { ManifestForm } from './ManifestForm';
import { rollupSummary, whatIsMissing } from './partStatus';

/** The gate column: the state of the part's gate for the release. */
function gateLabel(part: RollupPart): string {
  if (part.gate) return stateLabel(part.gate.state);
  return part.visible ? 'No gate' : '—';
}

/** What the whole's gate waits for, in a sentence. */
function rollupRule(rollup: EntityRollup): string {
  if (!rollup.blocksGate) {
    return "A domain's business gate does not wait for its systems' gates: this is for information.";
  }
  return rollup.manifest
    ? "The system gate can be GO only when every counted component is GO for the release its manifest names (the Release column); a component the manifest does not name is matched on the system's release."
    : 'The system gate can be GO only when every counted component is GO for the same release.';
}

/** Props of {@link RollupCard}. @public */
export interface RollupCardProps {
  rollup?: EntityRollup;
  loading?: boolean;
  error?: Error;
  /**
   * The whole's current gate: a system gate in progress for the roll-up's
   * release offers its gate owners (`canEdit`) to edit its release manifest.
   */
  gate?: GateWithEvaluation;
  canEdit?: boolean;
  onChange?(gate: GateWithEvaluation): void;
  onConflict?(): void;
}

/**
 * The roll-up of a system (its components) or domain (its systems): each
 * part with its gate for the release, what it still lacks and a link to its
 * own Readiness tab. Parts that do not count say why.
 *
 * @public
 */
export function RollupCard(props: RollupCardProps) {
  const { rollup, loading, error, gate } = props;
  const entityPath = useEntityPath();
  const editable =
    rollup &&
    gate &&
    props.canEdit &&
    props.onChange &&
    gate.tier === 2 &&
    gate.state === 'in-progress' &&
    rollup.release === gate.release;
  const title =
    rollup?.partKind === 'system'
      ? 'Systems of the domain'
      : 'Components of the system';
  return (
    <InfoCard title={title}>
      {loading && !rollup && <Progress />}
      {error && !rollup && <ResponseErrorPanel error={error} />}
      {rollup && (
        <>
          <Typography variant="body2" data-testid="rollup-summary">
            {rollupSummary(rollup)} {rollupRule(rollup)}
          </Typography>
          {rollup.parts.length === 0 ? (
            <Typography variant="body2">
              The catalog lists no{' '}
              {rollup.partKind === 'system' ? 'systems' : 'components'} as its
              parts.
            </Typography>
          ) : (
            <Table size="small" aria-label={title}>
              <TableHead>
                <TableRow>
                  <TableCell>
                    {rollup.partKind === 'system' ? 'System' : 'Component'}
                  </TableCell>
                  <TableCell>Release</TableCell>
                  <TableCell>Gate</TableCell>
                  <TableCell>Verdict</TableCell>
                  <TableCell>What is missing</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rollup.parts.map(part => {
                  const shown = part.gate ?? part.currentGate;
                  const stale =
                    !part.gate && part.currentGate && Boolean(rollup.release);
                  return (
                    <TableRow
                      key={part.entityRef}
                      data-testid={`rollup-part-${part.entityRef}`}
                    >
                      <TableCell>
                        <Link
                          to={entityPath(part.entityRef)}
                          underline="always"
                        >
                          {part.title ?? parseEntityRef(part.entityRef).name}
                        </Link>
                      </TableCell>
                      <TableCell>
                        {shown
                          ? `${shown.release}${
                              stale ? ' (another release)' : ''
                            }`
                          : '—'}
                      </TableCell>
                      <TableCell>{gateLabel(part)}</TableCell>
                      <TableCell>{part.gate?.verdict ?? '—'}</TableCell>
                      <TableCell>
                        {whatIsMissing(
                          part,
                          rollup.manifest?.[part.entityRef] ?? rollup.release,
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
          {editable && (
            <ManifestForm
              gate={gate}
              rollup={rollup}
              onChange={props.onChange!}
              {...(props.onConflict ? { onConflict: props.onConflict } : {})}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
