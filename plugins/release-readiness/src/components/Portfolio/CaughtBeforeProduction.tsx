import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { CaughtRelease, PortfolioRow } from '@release-readiness/plugin-common';
import { formatTime, stateLabel } from '../shared/format';
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

function shortName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * The people who caught releases: their Not-ready votes and failed checks
 * came before a NO-GO.
 */
function Credits({ caught }: { caught: CaughtRelease[] }) {
  if (!caught.length) return null;
  const fixed = caught.filter(c => c.fixed).length;
  return (
    <>
      <Typography variant="subtitle2">
        {fixed} of {caught.length} caught{' '}
        {caught.length === 1 ? 'release was' : 'releases were'} fixed and went
        on to GO. Thank you:
      </Typography>
      <List dense disablePadding aria-label="Who caught them">
        {caught.map(c => (
          <ListItem key={`${c.gateId}-${c.decidedAt}`} disableGutters>
            <ListItemText
              primary={
                <>
                  <ServiceLink entityRef={c.entityRef} title={c.title} />{' '}
                  {c.release}
                  {c.fixed ? ' · fixed' : ''}
                </>
              }
              secondary={
                c.caughtBy.length
                  ? c.caughtBy
                      .map(
                        who =>
                          `${shortName(who.ref)} (${who.how}: ${who.detail})`,
                      )
                      .join(', ')
                  : `NO-GO recorded by ${shortName(c.decidedBy)}: ${c.reason}`
              }
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}

/** Props of {@link CaughtBeforeProduction}. */
export interface CaughtBeforeProductionProps {
  rows: PortfolioRow[];
  /** NO-GO decisions with who caught them, from `GET /portfolio/caught`. */
  caught?: CaughtRelease[];
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
                    secondary={`NO-GO on ${formatTime(
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
      {props.caught && <Credits caught={props.caught} />}
      {props.partial && (
        <Typography variant="caption" color="textSecondary">
          Counted among the services loaded; narrow the filters to see all.
        </Typography>
      )}
    </InfoCard>
  );
}
