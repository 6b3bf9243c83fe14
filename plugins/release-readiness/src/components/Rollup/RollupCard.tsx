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
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** The gate column: the state of the part's gate for the release. */
function gateLabel(part: RollupPart, t: ReleaseReadinessT): string {
  if (part.gate) return stateLabel(part.gate.state, t);
  return part.visible ? t('rollup.noGate') : t('shared.noValue');
}

/** What the whole's gate waits for, in a sentence. */
function rollupRule(rollup: EntityRollup, t: ReleaseReadinessT): string {
  if (!rollup.blocksGate) return t('rollup.forInformation');
  return rollup.manifest
    ? t('rollup.blocksGateManifest')
    : t('rollup.blocksGate');
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
  const { t } = useReleaseReadinessTranslation();
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
      ? t('rollup.titleSystems')
      : t('rollup.titleComponents');
  return (
    <InfoCard title={title}>
      {loading && !rollup && <Progress />}
      {error && !rollup && <ResponseErrorPanel error={error} />}
      {rollup && (
        <>
          <Typography variant="body2" data-testid="rollup-summary">
            {rollupSummary(rollup, t)} {rollupRule(rollup, t)}
          </Typography>
          {rollup.parts.length === 0 ? (
            <Typography variant="body2">
              {rollup.partKind === 'system'
                ? t('rollup.noSystems')
                : t('rollup.noComponents')}
            </Typography>
          ) : (
            <Table size="small" aria-label={title}>
              <TableHead>
                <TableRow>
                  <TableCell>
                    {rollup.partKind === 'system'
                      ? t('rollup.columnSystem')
                      : t('rollup.columnComponent')}
                  </TableCell>
                  <TableCell>{t('rollup.columnRelease')}</TableCell>
                  <TableCell>{t('rollup.columnGate')}</TableCell>
                  <TableCell>{t('rollup.columnVerdict')}</TableCell>
                  <TableCell>{t('rollup.columnMissing')}</TableCell>
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
                        {shown && stale
                          ? t('rollup.anotherRelease', {
                              release: shown.release,
                            })
                          : shown?.release ?? t('shared.noValue')}
                      </TableCell>
                      <TableCell>{gateLabel(part, t)}</TableCell>
                      <TableCell>
                        {part.gate?.verdict ?? t('shared.noValue')}
                      </TableCell>
                      <TableCell>
                        {whatIsMissing(
                          part,
                          rollup.manifest?.[part.entityRef] ?? rollup.release,
                          t,
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
