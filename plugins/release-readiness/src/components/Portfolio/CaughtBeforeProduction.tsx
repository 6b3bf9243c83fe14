import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { PortfolioRow } from '@release-readiness/plugin-common';
import { formatDateTime, stateLabel } from './format';
import { ServiceLink } from './ServiceLink';

/** The rows whose current gate's last decision was NO-GO, newest first. */
export function caughtRows(rows: PortfolioRow[]): PortfolioRow[] {
  return rows
    .filter(row => row.currentGate?.lastDecision?.verdict === 'no-go')
    .sort((a, b) =>
      b.currentGate!.lastDecision!.at.localeCompare(
        a.currentGate!.lastDecision!.at,
      ),
    );
}

/** Props of {@link CaughtBeforeProduction}. */
export interface CaughtBeforeProductionProps {
  rows: PortfolioRow[];
  /** Set when not every service could be loaded. */
  partial?: boolean;
}

/**
 * The releases a NO-GO stopped before they reached production: the gate did
 * its job, and the people who said "not yet" deserve to see it.
 */
export function CaughtBeforeProduction(props: CaughtBeforeProductionProps) {
  const caught = caughtRows(props.rows);
  const count = caught.length === 1 ? '1 release' : `${caught.length} releases`;
  return (
    <InfoCard title="Caught before production">
      {caught.length === 0 ? (
        <Typography variant="body2">
          No current release has been stopped by a NO-GO.
        </Typography>
      ) : (
        <>
          <Typography variant="body1" paragraph>
            <span role="img" aria-label="Celebration">
              🎉
            </span>{' '}
            Caught before production: {count} stopped by a NO-GO
          </Typography>
          <List dense disablePadding>
            {caught.map(row => {
              const gate = row.currentGate!;
              return (
                <ListItem key={row.entityRef} disableGutters>
                  <ListItemText
                    primary={
                      <>
                        <ServiceLink
                          entityRef={row.entityRef}
                          title={row.title}
                        />{' '}
                        {gate.release}
                      </>
                    }
                    secondary={`NO-GO on ${formatDateTime(
                      gate.lastDecision!.at,
                    )} · now ${stateLabel(gate.state).toLocaleLowerCase(
                      'en-US',
                    )} · ${gate.blockers} ${
                      gate.blockers === 1 ? 'blocker' : 'blockers'
                    } open`}
                  />
                </ListItem>
              );
            })}
          </List>
        </>
      )}
      {props.partial && (
        <Typography variant="caption" color="textSecondary">
          Counted among the services loaded; narrow the filters to see all.
        </Typography>
      )}
    </InfoCard>
  );
}
