import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import AcUnit from '@material-ui/icons/AcUnit';
import Event from '@material-ui/icons/Event';
import Warning from '@material-ui/icons/Warning';
import Alert from '@material-ui/lab/Alert';
import {
  canOpenNextGate,
  PortfolioQuery,
  PortfolioRow,
  ReleaseWindowWithNext,
} from '@release-readiness/plugin-common';
import { formatTime } from '../shared/format';
import { shortRef } from './format';
import { ServiceLink } from './ServiceLink';
import { PortfolioDataApi } from './usePortfolioApi';

/** A span of time, `[start, end)`. */
export interface CalendarRange {
  start: Date;
  end: Date;
}

/** One occurrence of a freeze. */
export interface FreezeOccurrence {
  window: ReleaseWindowWithNext;
  start: Date;
  end: Date;
}

/** A planned release: a row whose current gate has a planned time. */
export interface PlannedRelease {
  row: PortfolioRow;
  plannedAt: Date;
}

/** Something on the calendar that needs a second look. */
export type Collision =
  | {
      kind: 'same-system-day';
      /** Local day, `YYYY-MM-DD`. */
      day: string;
      systemRef: string;
      entityRefs: string[];
      message: string;
    }
  | {
      kind: 'inside-freeze';
      day: string;
      entityRef: string;
      plannedAt: string;
      windowId: string;
      windowName: string;
      message: string;
    };

/** How far ahead the calendar looks by default: four weeks. */
export const CALENDAR_DAYS = 28;
/** Rows per request of the calendar: the most `GET /portfolio` returns. */
export const CALENDAR_PAGE_SIZE = 200;
/** The most planned services the calendar loads, in pages, before it says it stopped. */
export const CALENDAR_MAX_ROWS = 1000;

/** The calendar's range: `days` days from `now`. */
export function calendarRange(now: Date, days = CALENDAR_DAYS): CalendarRange {
  return {
    start: now,
    end: new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
  };
}

/** The services planned in a range, as far as they were loaded. */
export interface CalendarRows {
  rows: PortfolioRow[];
  /** How many services the backend has planned in the range. */
  totalItems: number;
}

/**
 * Loads the services whose current gate is planned inside the range: the
 * backend filters by planned time (`plannedFrom`, `plannedTo`) and sorts by
 * it, so every row is one the calendar shows. When more are planned than one
 * request returns, the next pages are asked for together, up to `maxRows`;
 * `totalItems` then tells how many were left out.
 */
export async function loadCalendarRows(
  getPortfolio: PortfolioDataApi['getPortfolio'],
  filters: PortfolioQuery,
  range: CalendarRange,
  maxRows = CALENDAR_MAX_ROWS,
): Promise<CalendarRows> {
  const page = (offset: number) =>
    getPortfolio({
      ...filters,
      plannedFrom: range.start.toISOString(),
      plannedTo: range.end.toISOString(),
      sort: 'plannedAt',
      order: 'asc',
      offset,
      limit: CALENDAR_PAGE_SIZE,
    });
  const first = await page(0);
  const offsets: number[] = [];
  for (
    let offset = CALENDAR_PAGE_SIZE;
    offset < Math.min(first.totalItems, maxRows);
    offset += CALENDAR_PAGE_SIZE
  ) {
    offsets.push(offset);
  }
  const rest = await Promise.all(offsets.map(page));
  // A gate planned anew between two requests may move across pages: each
  // service is kept once.
  const byRef = new Map<string, PortfolioRow>();
  for (const row of [first, ...rest].flatMap(p => p.items)) {
    if (!byRef.has(row.entityRef)) {
      byRef.set(row.entityRef, row);
    }
  }
  return {
    rows: [...byRef.values()].slice(0, maxRows),
    totalItems: first.totalItems,
  };
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function validDate(iso: string | undefined): Date | undefined {
  if (!iso) {
    return undefined;
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The day of a time in the reader's time zone, `YYYY-MM-DD`. */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;
}

function inRange(date: Date, range: CalendarRange): boolean {
  return date >= range.start && date < range.end;
}

/** The releases planned inside the range, earliest first. */
export function plannedReleases(
  rows: PortfolioRow[],
  range: CalendarRange,
): PlannedRelease[] {
  const planned: PlannedRelease[] = [];
  for (const row of rows) {
    const gate = row.currentGate;
    const plannedAt = validDate(gate?.plannedAt);
    // A gate that is over (released, rolled back, cancelled) is planned no more.
    if (gate && plannedAt && !canOpenNextGate(gate.state)) {
      if (inRange(plannedAt, range)) {
        planned.push({ row, plannedAt });
      }
    }
  }
  return planned.sort((a, b) => a.plannedAt.getTime() - b.plannedAt.getTime());
}

/**
 * The freeze occurrences that overlap the range. The API gives only the next
 * occurrence of a recurring window (`next`); a one-off window has `from`/`to`.
 */
export function freezeOccurrences(
  windows: ReleaseWindowWithNext[],
  range: CalendarRange,
): FreezeOccurrence[] {
  const occurrences: FreezeOccurrence[] = [];
  for (const window of windows) {
    if (window.kind !== 'freeze') {
      continue;
    }
    const start = validDate(window.next?.start ?? window.from);
    const end = validDate(window.next?.end ?? window.to);
    if (start && end && start < range.end && end > range.start) {
      occurrences.push({ window, start, end });
    }
  }
  return occurrences.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Whether a window's scope covers the row; an empty scope covers everything. */
export function windowApplies(
  window: ReleaseWindowWithNext,
  row: PortfolioRow,
): boolean {
  const { all, systems, entities, tags } = window.scope ?? {};
  if (all || (!systems?.length && !entities?.length && !tags?.length)) {
    return true;
  }
  if (row.systemRef && systems?.some(s => lower(s) === lower(row.systemRef!))) {
    return true;
  }
  if (entities?.some(e => lower(e) === lower(row.entityRef))) {
    return true;
  }
  return Boolean(tags?.some(t => row.tags.includes(t)));
}

/**
 * The collisions among the releases planned inside `range`:
 *
 * - two or more gates of the same system planned on the same day (in the
 *   reader's time zone);
 * - a planned time inside an occurrence `[start, end)` of a freeze whose scope
 *   covers the entity.
 *
 * Pure: the same rows, windows and range always give the same collisions,
 * ordered by day.
 */
export function findCollisions(
  rows: PortfolioRow[],
  windows: ReleaseWindowWithNext[],
  range: CalendarRange,
): Collision[] {
  const planned = plannedReleases(rows, range);
  const collisions: Collision[] = [];

  const bySystemDay = new Map<string, PlannedRelease[]>();
  for (const release of planned) {
    if (!release.row.systemRef) {
      continue;
    }
    const key = `${dayKey(release.plannedAt)}|${lower(release.row.systemRef)}`;
    bySystemDay.set(key, [...(bySystemDay.get(key) ?? []), release]);
  }
  for (const [key, releases] of bySystemDay) {
    if (releases.length < 2) {
      continue;
    }
    const [day] = key.split('|');
    const systemRef = releases[0].row.systemRef!;
    collisions.push({
      kind: 'same-system-day',
      day,
      systemRef,
      entityRefs: releases.map(r => r.row.entityRef),
      message: `${releases.length} releases of system ${shortRef(
        systemRef,
      )} on ${day}: ${releases.map(r => r.row.title).join(', ')}`,
    });
  }

  const freezes = freezeOccurrences(windows, {
    start: new Date(-8.64e15),
    end: new Date(8.64e15),
  });
  for (const release of planned) {
    for (const freeze of freezes) {
      if (
        release.plannedAt >= freeze.start &&
        release.plannedAt < freeze.end &&
        windowApplies(freeze.window, release.row)
      ) {
        collisions.push({
          kind: 'inside-freeze',
          day: dayKey(release.plannedAt),
          entityRef: release.row.entityRef,
          plannedAt: release.row.currentGate!.plannedAt!,
          windowId: freeze.window.id,
          windowName: freeze.window.name,
          message: `${release.row.title} ${
            release.row.currentGate!.release
          } is planned inside the freeze "${freeze.window.name}"`,
        });
      }
    }
  }

  return collisions.sort((a, b) => a.day.localeCompare(b.day));
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

/** Props of {@link ReleaseCalendar}. */
export interface ReleaseCalendarProps {
  rows: PortfolioRow[];
  windows: ReleaseWindowWithNext[];
  /** Defaults to the current time. */
  now?: Date;
  /** Defaults to 28 (four weeks). */
  days?: number;
  /**
   * How many services the backend has planned in the range; when more than
   * `rows`, the calendar says how many it shows.
   */
  totalItems?: number;
}

/**
 * The releases planned in the next weeks and the freezes in that time, day by
 * day, with every collision flagged.
 */
export function ReleaseCalendar(props: ReleaseCalendarProps) {
  const now = props.now ?? new Date();
  const days = props.days ?? CALENDAR_DAYS;
  const range = calendarRange(now, days);
  const missing =
    props.totalItems !== undefined && props.totalItems > props.rows.length
      ? props.totalItems
      : undefined;
  const planned = plannedReleases(props.rows, range);
  const freezes = freezeOccurrences(props.windows, range);
  const collisions = findCollisions(props.rows, props.windows, range);
  const collidingEntities = new Set(
    collisions.flatMap(c =>
      c.kind === 'same-system-day' ? c.entityRefs : [c.entityRef],
    ),
  );

  const byDay = new Map<
    string,
    { releases: PlannedRelease[]; freezes: FreezeOccurrence[] }
  >();
  const entry = (day: string) => {
    if (!byDay.has(day)) {
      byDay.set(day, { releases: [], freezes: [] });
    }
    return byDay.get(day)!;
  };
  for (const release of planned) {
    entry(dayKey(release.plannedAt)).releases.push(release);
  }
  for (const freeze of freezes) {
    const shownFrom = freeze.start < range.start ? range.start : freeze.start;
    entry(dayKey(shownFrom)).freezes.push(freeze);
  }
  const sortedDays = [...byDay.keys()].sort();

  return (
    <InfoCard
      title="Release calendar"
      subheader={`The next ${Math.round(
        days / 7,
      )} weeks: planned releases and freezes`}
    >
      {collisions.length > 0 && (
        <Box mb={2}>
          <Alert severity="warning">
            <Typography variant="body2" component="p">
              {collisions.length === 1
                ? '1 collision'
                : `${collisions.length} collisions`}{' '}
              in the next {Math.round(days / 7)} weeks
            </Typography>
            <ul>
              {collisions.map(c => (
                <li key={`${c.kind}:${c.message}`}>{c.message}</li>
              ))}
            </ul>
          </Alert>
        </Box>
      )}
      {missing !== undefined && (
        <Typography variant="body2" color="textSecondary" paragraph>
          Showing the first {props.rows.length} of the {missing} services
          planned in these weeks; narrow the filters to see all of them.
        </Typography>
      )}
      {sortedDays.length === 0 ? (
        <Typography variant="body2">
          Nothing planned and no freeze in the next {Math.round(days / 7)}{' '}
          weeks.
        </Typography>
      ) : (
        sortedDays.map(day => {
          const { releases, freezes: dayFreezes } = byDay.get(day)!;
          return (
            <Box key={day} mb={1}>
              <Typography variant="subtitle2" component="h3">
                {dayHeading(day)}
              </Typography>
              <List dense disablePadding>
                {dayFreezes.map(f => (
                  <ListItem key={`freeze:${f.window.id}`}>
                    <ListItemIcon>
                      <AcUnit aria-hidden />
                    </ListItemIcon>
                    <ListItemText
                      primary={`Freeze: ${f.window.name}`}
                      secondary={`${formatTime(
                        f.start.toISOString(),
                      )} – ${formatTime(f.end.toISOString())}${
                        f.window.cron ? ' (next occurrence)' : ''
                      }`}
                    />
                  </ListItem>
                ))}
                {releases.map(({ row, plannedAt }) => {
                  const colliding = collidingEntities.has(row.entityRef);
                  return (
                    <ListItem key={`release:${row.entityRef}`}>
                      <ListItemIcon>
                        {colliding ? (
                          <Warning
                            titleAccess="Collision"
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
                              entityRef={row.entityRef}
                              title={row.title}
                            />{' '}
                            {row.currentGate!.release}
                            {colliding ? ' — collision' : ''}
                          </>
                        }
                        secondary={`${formatTime(plannedAt.toISOString())} · ${
                          row.currentGate!.verdict
                        }${
                          row.systemRef
                            ? ` · system ${shortRef(row.systemRef)}`
                            : ''
                        }`}
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
