import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { gateOutcome } from '@release-readiness/plugin-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useReleaseReadinessTranslation } from '../../translation';
import { outcomeLabel } from '../shared/format';
import { useEntityPath } from './ServiceLink';
import { usePortfolioApi } from './usePortfolioApi';

/** The right-aligned columns after the system's gate, in order. */
const NUMBER_COLUMNS = [
  'ready',
  'excluded',
  'go',
  'noGo',
  'inProgress',
  'released',
  'rolledBack',
  'noGate',
  'hidden',
] as const;

/**
 * The tier view: each system with its own (tier 2) gate and the roll-up of
 * its components for that gate's release — the backend computes it as the
 * system's Readiness tab does, so "Ready" here is the tab's "N of M". A
 * system gate is blocked until its counted components are GO.
 */
export function TierView() {
  const api = usePortfolioApi();
  const { t } = useReleaseReadinessTranslation();
  // A system's Readiness tab, where its roll-up is.
  const entityPath = useEntityPath();
  const { value, loading, error } = useAsync(
    () => api.getSystemRollups(),
    [api],
  );
  return (
    <InfoCard title={t('tierView.title')}>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <Typography variant="body2">{t('tierView.noSystems')}</Typography>
      )}
      {value && value.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          {t('tierView.intro')}
        </Typography>
      )}
      {value && value.length > 0 && (
        <Table size="small" aria-label={t('tierView.tableLabel')}>
          <TableHead>
            <TableRow style={{ whiteSpace: 'nowrap' }}>
              <TableCell>{t('tierView.columns.system')}</TableCell>
              <TableCell>{t('tierView.columns.systemGate')}</TableCell>
              {NUMBER_COLUMNS.map(column => (
                <TableCell key={column} align="right">
                  {t(`tierView.columns.${column}`)}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {value.map(row => (
              <TableRow key={row.systemRef}>
                <TableCell>
                  <Link to={entityPath(row.systemRef)}>
                    {row.system?.title ?? parseEntityRef(row.systemRef).name}
                  </Link>
                </TableCell>
                <TableCell>
                  {row.system?.currentGate
                    ? t('tierView.gate', {
                        release: row.system.currentGate.release,
                        outcome: outcomeLabel(
                          gateOutcome(row.system.currentGate),
                          t,
                        ),
                      })
                    : t('tierView.noGate')}
                </TableCell>
                <TableCell align="right">
                  {row.release
                    ? t('tierView.ready', {
                        ready: String(row.ready),
                        counted: String(row.counted),
                      })
                    : t('tierView.noGateCounted', {
                        counted: String(row.counted),
                      })}
                </TableCell>
                <TableCell align="right">
                  {t('tierView.excluded', {
                    excluded: String(row.excluded),
                    components: String(row.components),
                  })}
                </TableCell>
                <TableCell align="right">{row.go}</TableCell>
                <TableCell align="right">{row.noGo}</TableCell>
                <TableCell align="right">{row.inProgress}</TableCell>
                <TableCell align="right">{row.released}</TableCell>
                <TableCell align="right">{row.rolledBack}</TableCell>
                <TableCell align="right">{row.noGate}</TableCell>
                <TableCell align="right">{row.hidden}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
