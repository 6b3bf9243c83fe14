import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  CaughtRelease,
  CaughtResponse,
} from '@release-readiness/plugin-common';
import { formatTime } from '../shared/format';
import { shortRef } from './format';
import { ServiceLink } from './ServiceLink';

/** How many caught releases one page of the card shows. */
export const CAUGHT_PAGE_SIZE = 10;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Who caught a release, in words: their Not-ready votes and failed checks. */
export function caughtByText(c: CaughtRelease): string {
  const who = c.caughtBy.length
    ? c.caughtBy
        .map(w => `${shortRef(w.ref)} (${w.how}: ${w.detail})`)
        .join(', ')
    : `NO-GO recorded by ${shortRef(c.decidedBy)}: ${c.reason}`;
  return `NO-GO on ${formatTime(c.decidedAt)} · caught by ${who}`;
}

/** Props of {@link CaughtBeforeProduction}. */
export interface CaughtBeforeProductionProps {
  /** A page of `GET /portfolio/caught`, under the portfolio's filters. */
  caught?: CaughtResponse;
  /** Asks for the page that starts at `offset`. */
  onPage(offset: number): void;
  /** The filters in words (`team payments`), when any narrow the list. */
  filters?: string;
}

/**
 * The releases a NO-GO stopped before they reached production: the gate did
 * its job, and the people who said "not yet" deserve to see it. The count is
 * the list's own total under the same filters, and the list is paged.
 */
export function CaughtBeforeProduction(props: CaughtBeforeProductionProps) {
  const { caught, onPage, filters } = props;
  const scope = filters ? ` (${filters})` : '';
  if (!caught) {
    return (
      <InfoCard title="Caught before production">
        <Typography variant="body2">Loading…</Typography>
      </InfoCard>
    );
  }
  const first = caught.totalItems === 0 ? 0 : caught.offset + 1;
  const last = caught.offset + caught.items.length;
  return (
    <InfoCard title="Caught before production">
      {caught.totalItems === 0 ? (
        <Typography variant="body2">
          No release has been stopped by a NO-GO{scope}.
        </Typography>
      ) : (
        <>
          <Typography variant="body1" paragraph>
            {plural(caught.totalItems, 'release', 'releases')} stopped by a
            NO-GO before production{scope}. Thank you to the people who said
            “not yet”.
          </Typography>
          <List dense disablePadding aria-label="Releases stopped by a NO-GO">
            {caught.items.map(c => (
              <ListItem key={`${c.gateId}-${c.decidedAt}`} disableGutters>
                <ListItemText
                  primary={
                    <>
                      <ServiceLink entityRef={c.entityRef} title={c.title} />{' '}
                      {c.release}
                      {c.fixed ? ' · fixed, went on to GO' : ''}
                    </>
                  }
                  secondary={caughtByText(c)}
                  secondaryTypographyProps={{ color: 'textPrimary' }}
                />
              </ListItem>
            ))}
          </List>
          <Box
            display="flex"
            alignItems="center"
            justifyContent="flex-end"
            flexWrap="wrap"
            mt={1}
            style={{ gap: 16 }}
          >
            <Typography variant="body2" role="status">
              {first}–{last} of {caught.totalItems}
            </Typography>
            <Button
              variant="outlined"
              size="small"
              aria-label="Previous caught releases"
              disabled={caught.offset === 0}
              onClick={() => onPage(Math.max(0, caught.offset - caught.limit))}
            >
              Previous
            </Button>
            <Button
              variant="outlined"
              size="small"
              aria-label="Next caught releases"
              disabled={last >= caught.totalItems}
              onClick={() => onPage(caught.offset + caught.limit)}
            >
              Next
            </Button>
          </Box>
        </>
      )}
    </InfoCard>
  );
}
