import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import AcUnit from '@material-ui/icons/AcUnit';
import Event from '@material-ui/icons/Event';
import Train from '@material-ui/icons/Train';
import Warning from '@material-ui/icons/Warning';
import Alert from '@material-ui/lab/Alert';
import {
  CalendarRelease,
  CalendarResponse,
  CalendarWindow,
} from '@release-readiness/plugin-common';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';
import { formatTime, stateLabel } from '../shared/format';
import { shortRef } from './format';
import { ServiceLink } from './ServiceLink';

/** A span of time, `[start, end)`. */
export interface CalendarRange {
  start: Date;
  end: Date;
}

/** Something on the calendar that needs a second look. */
export type Collision =
  | {
      kind: 'same-system-day';
      /** Local day, `YYYY-MM-DD`. */
      day: string;
      systemRef: string;
      gateIds: string[];
      message: string;
    }
  | {
      /** The windows do not let the planned time through (no exception). */
      kind: 'blocked-by-window';
      day: string;
      gateId: string;
      entityRef: string;
      plannedAt: string;
      message: string;
    };

/** How far ahead the calendar looks by default: four weeks. */
export const CALENDAR_DAYS = 28;

/** The calendar's range: `days` days from `now`. */
export function calendarRange(now: Date, days = CALENDAR_DAYS): CalendarRange {
  return {
    start: now,
    end: new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
  };
}

/** The day of a time in the reader's time zone, `YYYY-MM-DD`. */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The collisions among the planned releases the backend gave:
 *
 * - two or more gates of the same system planned on the same day (in the
 *   reader's time zone);
 * - a planned time the windows that apply to the entity do not let through
 *   (the backend's own window condition, exceptions counted: no scope is
 *   matched here).
 *
 * Pure, ordered by day.
 */
export function findCollisions(releases: CalendarRelease[]): Collision[] {
  const collisions: Collision[] = [];
  const bySystemDay = new Map<string, CalendarRelease[]>();
  for (const release of releases) {
    if (!release.systemRef) continue;
    const key = `${dayKey(new Date(release.plannedAt))}|${lower(
      release.systemRef,
    )}`;
    bySystemDay.set(key, [...(bySystemDay.get(key) ?? []), release]);
  }
  for (const [key, list] of bySystemDay) {
    if (list.length < 2) continue;
    const [day] = key.split('|');
    const systemRef = list[0].systemRef!;
    collisions.push({
      kind: 'same-system-day',
      day,
      systemRef,
      gateIds: list.map(r => r.gateId),
      message: `${list.length} releases of system ${shortRef(
        systemRef,
      )} on ${day}: ${list.map(r => `${r.title} ${r.release}`).join(', ')}`,
    });
  }
  for (const release of releases) {
    if (release.allowed) continue;
    collisions.push({
      kind: 'blocked-by-window',
      day: dayKey(new Date(release.plannedAt)),
      gateId: release.gateId,
      entityRef: release.entityRef,
      plannedAt: release.plannedAt,
      message: `${release.title} ${release.release}: ${
        release.blockers[0] ?? 'the release windows do not allow this time'
      }`,
    });
  }
  return collisions.sort((a, b) => a.day.localeCompare(b.day));
}

/** One occurrence of a window, as a day of the calendar lists it. */
interface ShownOccurrence {
  window: CalendarWindow;
  start: Date;
  end: Date;
}

interface Day {
  freezes: ShownOccurrence[];
  trains: ShownOccurrence[];
  releases: CalendarRelease[];
}

/** The calendar by day: each occurrence on the day it starts (or the range's first). */
export function calendarDays(
  calendar: CalendarResponse,
  range: CalendarRange,
): Map<string, Day> {
  const byDay = new Map<string, Day>();
  const entry = (day: string) => {
    if (!byDay.has(day))
      byDay.set(day, { freezes: [], trains: [], releases: [] });
    return byDay.get(day)!;
  };
  for (const window of calendar.windows) {
    for (const o of window.occurrences) {
      const start = new Date(o.start);
      const end = new Date(o.end);
      if (!(start < range.end && end > range.start)) continue;
      const shownFrom = start < range.start ? range.start : start;
      const day = entry(dayKey(shownFrom));
      (window.kind === 'freeze' ? day.freezes : day.trains).push({
        window,
        start,
        end,
      });
    }
  }
  for (const release of calendar.releases) {
    entry(dayKey(new Date(release.plannedAt))).releases.push(release);
  }
  for (const day of byDay.values()) {
    day.freezes.sort((a, b) => a.start.getTime() - b.start.getTime());
    day.trains.sort((a, b) => a.start.getTime() - b.start.getTime());
  }
  return byDay;
}

function dayHeading(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

const period = (t: ReleaseReadinessT, o: ShownOccurrence) =>
  t('releaseCalendar.period', {
    start: formatTime(o.start.toISOString()),
    end: formatTime(o.end.toISOString()),
  });

/** A collision in the reader's language (its `message` is the English). */
function collisionText(
  t: ReleaseReadinessT,
  c: Collision,
  releases: CalendarRelease[],
): string {
  if (c.kind === 'blocked-by-window') {
    const release = releases.find(r => r.gateId === c.gateId);
    return t('releaseCalendar.blockedByWindow', {
      title: release?.title ?? shortRef(c.entityRef),
      release: release?.release ?? '',
      blocker: release?.blockers[0] ?? t('releaseCalendar.windowsDisallow'),
    });
  }
  const list = c.gateIds.flatMap(id => {
    const release = releases.find(r => r.gateId === id);
    return release
      ? [
          t('releaseCalendar.releaseName', {
            title: release.title,
            release: release.release,
          }),
        ]
      : [];
  });
  return t('releaseCalendar.sameSystemDay', {
    n: String(c.gateIds.length),
    system: shortRef(c.systemRef),
    day: c.day,
    releases: list.join(t('releaseCalendar.listSeparator')),
  });
}

/** Props of {@link ReleaseCalendar}. */
export interface ReleaseCalendarProps {
  /** `GET /portfolio/calendar` for the range, under the portfolio's filters. */
  calendar?: CalendarResponse;
  /** Defaults to the current time. */
  now?: Date;
  /** Defaults to 28 (four weeks). */
  days?: number;
}

/**
 * The releases planned in the next weeks, the freezes (every occurrence) and
 * the trains' allowed slots in that time, day by day, under the portfolio's
 * filters: a team sees its services' windows and the company-wide ones.
 * Approved exceptions are shown on the release they let through; every
 * collision is flagged.
 */
export function ReleaseCalendar(props: ReleaseCalendarProps) {
  const { t } = useReleaseReadinessTranslation();
  const now = props.now ?? new Date();
  const days = props.days ?? CALENDAR_DAYS;
  const weeks = Math.round(days / 7);
  const range = calendarRange(now, days);
  const calendar = props.calendar;
  const releases = calendar?.releases ?? [];
  const collisions = findCollisions(releases);
  const colliding = new Set(
    collisions.flatMap(c =>
      c.kind === 'same-system-day' ? c.gateIds : [c.gateId],
    ),
  );
  const byDay = calendar
    ? calendarDays(calendar, range)
    : new Map<string, Day>();
  const sortedDays = [...byDay.keys()].sort();
  const missing =
    calendar && calendar.totalReleases > releases.length
      ? calendar.totalReleases
      : undefined;

  return (
    <InfoCard
      title={t('releaseCalendar.title')}
      subheader={t('releaseCalendar.subheader', { count: weeks })}
    >
      {collisions.length > 0 && (
        <Box mb={2}>
          <Alert severity="warning">
            <Typography variant="body2" component="p">
              {t('releaseCalendar.collisions', {
                count: collisions.length,
                weeks: String(weeks),
              })}
            </Typography>
            <ul>
              {collisions.map(c => (
                <li key={`${c.kind}:${c.message}`}>
                  {collisionText(t, c, releases)}
                </li>
              ))}
            </ul>
          </Alert>
        </Box>
      )}
      {missing !== undefined && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {t('releaseCalendar.showingFirst', {
            shown: String(releases.length),
            total: String(missing),
          })}
        </Typography>
      )}
      {calendar && sortedDays.length === 0 ? (
        <Typography variant="body2">
          {t('releaseCalendar.nothing', { weeks: String(weeks) })}
        </Typography>
      ) : (
        sortedDays.map(day => {
          const entry = byDay.get(day)!;
          return (
            <Box
              key={day}
              mb={1}
              component="section"
              aria-label={dayHeading(day)}
            >
              <Typography variant="subtitle2" component="h3">
                {dayHeading(day)}
              </Typography>
              <List dense disablePadding>
                {entry.freezes.map(f => (
                  <ListItem
                    key={`freeze:${f.window.id}:${f.start.toISOString()}`}
                  >
                    <ListItemIcon>
                      <AcUnit aria-hidden />
                    </ListItemIcon>
                    <ListItemText
                      primary={t('releaseCalendar.freeze', {
                        name: f.window.name,
                      })}
                      secondary={
                        f.window.scope?.all
                          ? t('releaseCalendar.companyWide', {
                              period: period(t, f),
                            })
                          : period(t, f)
                      }
                    />
                  </ListItem>
                ))}
                {entry.trains.map(train => (
                  <ListItem
                    key={`train:${
                      train.window.id
                    }:${train.start.toISOString()}`}
                  >
                    <ListItemIcon>
                      <Train aria-hidden />
                    </ListItemIcon>
                    <ListItemText
                      primary={t('releaseCalendar.train', {
                        name: train.window.name,
                      })}
                      secondary={t('releaseCalendar.releasesAllowed', {
                        period: period(t, train),
                      })}
                    />
                  </ListItem>
                ))}
                {entry.releases.map(release => {
                  const flagged = colliding.has(release.gateId);
                  return (
                    <ListItem key={`release:${release.gateId}`}>
                      <ListItemIcon>
                        {flagged ? (
                          <Warning
                            titleAccess={t('releaseCalendar.collision')}
                            style={{ color: '#e65100' }}
                          />
                        ) : (
                          <Event aria-hidden />
                        )}
                      </ListItemIcon>
                      <ListItemText
                        primary={
                          <>
                            <ServiceLink
                              entityRef={release.entityRef}
                              title={release.title}
                            />{' '}
                            {release.release}
                            {flagged
                              ? t('releaseCalendar.releaseCollision')
                              : ''}
                          </>
                        }
                        secondary={[
                          formatTime(release.plannedAt),
                          stateLabel(release.state, t),
                          ...(release.systemRef
                            ? [
                                t('releaseCalendar.system', {
                                  system: shortRef(release.systemRef),
                                }),
                              ]
                            : []),
                          ...release.exceptions.map(e =>
                            t('releaseCalendar.exceptionApproved', {
                              window: e.windowName,
                            }),
                          ),
                        ].join(t('releaseCalendar.separator'))}
                      />
                    </ListItem>
                  );
                })}
              </List>
            </Box>
          );
        })
      )}
    </InfoCard>
  );
}
