import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ReleaseWindow,
  upcomingWindow,
} from '@release-readiness/plugin-common';
import { formatTime } from '../shared/format';

function Occurrence({ start, end }: { start: Date; end: Date }) {
  return (
    <>
      <time dateTime={start.toISOString()}>
        {formatTime(start.toISOString())}
      </time>{' '}
      to{' '}
      <time dateTime={end.toISOString()}>{formatTime(end.toISOString())}</time>
    </>
  );
}

/**
 * The entity's next freeze and next train: the one in force now, else the
 * next to start, of the windows that apply to the entity — those the
 * backend lists for it (`GET /windows?entityRef=`), matched by the
 * evaluation's own scope rule, never matched again here.
 */
export function NextWindows(props: { windows: ReleaseWindow[]; now: Date }) {
  const { windows, now } = props;
  const freeze = upcomingWindow(windows, 'freeze', now);
  const train = upcomingWindow(windows, 'train', now);
  return (
    <>
      <Box mt={2} aria-label="Next freeze" component="section">
        <Typography variant="subtitle2" component="h3">
          Next freeze
        </Typography>
        {freeze ? (
          <Typography variant="body2">
            {freeze.window.name}
            {freeze.open ? ' (in force now)' : ''}: from{' '}
            <Occurrence {...freeze.occurrence} />
          </Typography>
        ) : (
          <Typography variant="body2" color="textSecondary">
            No freeze ahead.
          </Typography>
        )}
      </Box>
      {windows.some(w => w.kind === 'train') && (
        <Box mt={2} aria-label="Next train" component="section">
          <Typography variant="subtitle2" component="h3">
            Next train
          </Typography>
          {train ? (
            <Typography variant="body2">
              {train.window.name}
              {train.open ? ' (open now)' : ''}: from{' '}
              <Occurrence {...train.occurrence} />
            </Typography>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No train ahead: releases are blocked.
            </Typography>
          )}
        </Box>
      )}
    </>
  );
}
