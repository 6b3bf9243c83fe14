import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  CaughtRelease,
  CaughtResponse,
} from '@release-readiness/plugin-common';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';
import { formatTime } from '../shared/format';
import { shortRef } from './format';
import { ServiceLink } from './ServiceLink';

/** How many caught releases one page of the card shows. */
export const CAUGHT_PAGE_SIZE = 10;

/** The periods the caught releases can be narrowed to, in days back from now. */
export const CAUGHT_PERIODS: {
  value: 'all' | '30d' | '90d' | '365d';
  label: string;
  days?: number;
}[] = [
  { value: 'all', label: 'All time' },
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: '365d', label: 'Last 12 months', days: 365 },
];

/** The start of a period (ISO 8601), or undefined for all time. */
export function caughtFrom(period: string, now: Date): string | undefined {
  const days = CAUGHT_PERIODS.find(p => p.value === period)?.days;
  return days === undefined
    ? undefined
    : new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** Who caught a release, in words: their Not-ready votes and failed checks. */
export function caughtByText(t: ReleaseReadinessT, c: CaughtRelease): string {
  const who = c.caughtBy.length
    ? c.caughtBy
        .map(w =>
          t('caught.caughtByOne', {
            who: shortRef(w.ref),
            how: w.how,
            detail: w.detail,
          }),
        )
        .join(t('caught.caughtBySeparator'))
    : t('caught.recordedBy', { by: shortRef(c.decidedBy), reason: c.reason });
  return t('caught.caughtBy', { at: formatTime(c.decidedAt), who });
}

/** Props of {@link CaughtBeforeProduction}. */
export interface CaughtBeforeProductionProps {
  /** A page of `GET /portfolio/caught`, under the portfolio's filters. */
  caught?: CaughtResponse;
  /** Asks for the page that starts at `offset`. */
  onPage(offset: number): void;
  /** The filters in words (`team payments`), when any narrow the list. */
  filters?: string;
  /** The period chosen (see CAUGHT_PERIODS), `all` by default. */
  period?: string;
  /** Chooses another period. */
  onPeriod?(period: string): void;
}

/**
 * The releases a NO-GO stopped before they reached production: the gate did
 * its job, and the people who said "not yet" deserve to see it. The count is
 * the list's own total under the same filters, and the list is paged.
 */
export function CaughtBeforeProduction(props: CaughtBeforeProductionProps) {
  const { caught, onPage, filters, period = 'all', onPeriod } = props;
  const { t } = useReleaseReadinessTranslation();
  const known = CAUGHT_PERIODS.find(p => p.value === period)?.value;
  const periodWords =
    known && known !== 'all' ? t(`caught.periodsInText.${known}`) : '';
  const words = [filters, periodWords]
    .filter(Boolean)
    .join(t('caught.scopeSeparator'));
  const scope = words ? t('caught.scope', { words }) : '';
  const periodSelect = onPeriod ? (
    <TextField
      id="caught-period"
      select
      label={t('caught.decided')}
      value={period}
      onChange={e => onPeriod(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      style={{ minWidth: 160, marginBottom: 16 }}
    >
      {CAUGHT_PERIODS.map(p => (
        <option key={p.value} value={p.value}>
          {t(`caught.periods.${p.value}`)}
        </option>
      ))}
    </TextField>
  ) : null;
  if (!caught) {
    return (
      <InfoCard title={t('caught.title')}>
        <Typography variant="body2">{t('caught.loading')}</Typography>
      </InfoCard>
    );
  }
  const first = caught.totalItems === 0 ? 0 : caught.offset + 1;
  const last = caught.offset + caught.items.length;
  return (
    <InfoCard title={t('caught.title')}>
      {periodSelect}
      {caught.totalItems === 0 ? (
        <Typography variant="body2">{t('caught.none', { scope })}</Typography>
      ) : (
        <>
          <Typography variant="body1" paragraph>
            {t('caught.stopped', { count: caught.totalItems, scope })}
          </Typography>
          <List dense disablePadding aria-label={t('caught.listLabel')}>
            {caught.items.map(c => (
              <ListItem key={`${c.gateId}-${c.decidedAt}`} disableGutters>
                <ListItemText
                  primary={
                    <>
                      <ServiceLink entityRef={c.entityRef} title={c.title} />{' '}
                      {c.release}
                      {c.fixed ? t('caught.fixed') : ''}
                    </>
                  }
                  secondary={caughtByText(t, c)}
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
              {t('caught.range', {
                first: String(first),
                last: String(last),
                total: String(caught.totalItems),
              })}
            </Typography>
            <Button
              variant="outlined"
              size="small"
              aria-label={t('caught.previousAria')}
              disabled={caught.offset === 0}
              onClick={() => onPage(Math.max(0, caught.offset - caught.limit))}
            >
              {t('caught.previous')}
            </Button>
            <Button
              variant="outlined"
              size="small"
              aria-label={t('caught.nextAria')}
              disabled={last >= caught.totalItems}
              onClick={() => onPage(caught.offset + caught.limit)}
            >
              {t('caught.next')}
            </Button>
          </Box>
        </>
      )}
    </InfoCard>
  );
}
