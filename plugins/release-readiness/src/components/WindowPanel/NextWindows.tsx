import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ReleaseWindow,
  upcomingWindow,
} from '@release-readiness/plugin-common';
import { useReleaseReadinessTranslation } from '../../translation';
import { formatTime } from '../shared/format';

function Time({ at }: { at: Date }) {
  return (
    <time dateTime={at.toISOString()}>{formatTime(at.toISOString())}</time>
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
  const { t } = useReleaseReadinessTranslation();
  const freeze = upcomingWindow(windows, 'freeze', now);
  const train = upcomingWindow(windows, 'train', now);
  return (
    <>
      <Box mt={2} aria-label={t('nextWindows.nextFreeze')} component="section">
        <Typography variant="subtitle2" component="h3">
          {t('nextWindows.nextFreeze')}
        </Typography>
        {freeze ? (
          <Typography variant="body2">
            {t(freeze.open ? 'nextWindows.freezeNow' : 'nextWindows.freeze', {
              name: freeze.window.name,
              start: <Time at={freeze.occurrence.start} />,
              end: <Time at={freeze.occurrence.end} />,
            })}
          </Typography>
        ) : (
          <Typography variant="body2" color="textSecondary">
            {t('nextWindows.noFreeze')}
          </Typography>
        )}
      </Box>
      {windows.some(w => w.kind === 'train') && (
        <Box mt={2} aria-label={t('nextWindows.nextTrain')} component="section">
          <Typography variant="subtitle2" component="h3">
            {t('nextWindows.nextTrain')}
          </Typography>
          {train ? (
            <Typography variant="body2">
              {t(train.open ? 'nextWindows.trainNow' : 'nextWindows.train', {
                name: train.window.name,
                start: <Time at={train.occurrence.start} />,
                end: <Time at={train.occurrence.end} />,
              })}
            </Typography>
          ) : (
            <Typography variant="body2" color="textSecondary">
              {t('nextWindows.noTrain')}
            </Typography>
          )}
        </Box>
      )}
    </>
  );
}
