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
import { useEntityPath } from './ServiceLink';
import { usePortfolioApi } from './usePortfolioApi';

/**
 * The tier view: each system with its own (tier 2) gate and the roll-up of
 * its components for that gate's release — the backend computes it as the
 * system's Readiness tab does, so "Ready" here is the tab's "N of M". A
 * system gate is blocked until its counted components are GO.
 */
export function TierView() {
  const api = usePortfolioApi();
  // A system's Readiness tab, where its roll-up is.
  const entityPath = useEntityPath();
  const { value, loading, error } = useAsync(
    () => api.getSystemRollups(),
    [api],
  );
  return (
    <InfoCard title="Systems and their components">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <Typography variant="body2">No systems yet.</Typography>
      )}
      {value && value.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Each system's components are matched on the release of its current
          gate and counted as its Readiness tab counts them: libraries,
          deprecated and experimental components, and those the system names in
          its roll-up exclusions are left out.
        </Typography>
      )}
      {value && value.length > 0 && (
        <Table size="small" aria-label="Systems and their components">
          <TableHead>
            <TableRow style={{ whiteSpace: 'nowrap' }}>
              <TableCell>System</TableCell>
              <TableCell>System gate</TableCell>
              <TableCell align="right">Ready</TableCell>
              <TableCell align="right">Left out</TableCell>
              <TableCell align="right">GO</TableCell>
              <TableCell align="right">NO-GO</TableCell>
              <TableCell align="right">In progress</TableCell>
              <TableCell align="right">Released</TableCell>
              <TableCell align="right">Rolled back</TableCell>
              <TableCell align="right">No gate</TableCell>
              <TableCell align="right">Hidden</TableCell>
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
                    ? `${row.system.currentGate.release}: ${
                        gateOutcome(row.system.currentGate).label
                      }`
                    : 'No gate'}
                </TableCell>
                <TableCell align="right">
                  {row.release
                    ? `${row.ready} of ${row.counted}`
                    : `no gate (${row.counted} counted)`}
                </TableCell>
                <TableCell align="right">
                  {row.excluded} of {row.components}
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
