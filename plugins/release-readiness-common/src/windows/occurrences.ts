import { CronExpression } from 'cron-parser';
import { DateTime } from 'luxon';
import { ReleaseWindow } from '../types';
import { cronFrom, Schedule, scheduleOf } from './schedule';

/**
 * One occurrence of a release window: from `start` (inclusive) to `end`
 * (exclusive).
 *
 * @public
 */
export interface WindowOccurrence {
  start: Date;
  end: Date;
}

/**
 * The most occurrences `windowOccurrences` returns for one call, so that a
 * cron firing every minute over a long range cannot exhaust memory.
 *
 * @public
 */
export const MAX_WINDOW_OCCURRENCES = 10_000;

type Recurring = Extract<Schedule, { kind: 'recurring' }>;

/**
 * The end of the occurrence starting at `start`: the duration is added in the
 * window's time zone, so `P1D` is one calendar day even across a daylight
 * saving change, while `PT6H30M` is always six and a half hours.
 */
function endOf(schedule: Recurring, start: Date): Date {
  return DateTime.fromJSDate(start, { zone: schedule.zone })
    .plus(schedule.duration)
    .toJSDate();
}

/** The next (or previous) start of the cron, or undefined when there is none. */
function step(
  expression: CronExpression,
  direction: 'next' | 'prev',
): Date | undefined {
  try {
    return expression[direction]().toDate();
  } catch {
    // The parser gives up (loop limit) when a valid expression has no more
    // starts in reach; for a window that means no further occurrence.
    return undefined;
  }
}

function isValidDate(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

function oneOff(schedule: Extract<Schedule, { kind: 'one-off' }>) {
  return { start: new Date(schedule.start), end: new Date(schedule.end) };
}

/**
 * Every occurrence of `window` that overlaps `[from, to)`, in order of start.
 * A recurring window (cron in its time zone, default UTC, each occurrence
 * lasting its ISO 8601 duration) yields each start whose occurrence overlaps
 * the range, including one that started before `from` and is still open; a
 * one-off window yields its single interval if it overlaps. Cron times are
 * local wall-clock times of the window's zone, so "Mon–Fri 09:30 for PT6H30M
 * in America/New_York" is 09:30–16:00 New York time on both sides of a
 * daylight saving change.
 *
 * An invalid window (see {@link validateWindow}) has no occurrences. At most
 * {@link MAX_WINDOW_OCCURRENCES} are returned.
 *
 * @public
 */
export function windowOccurrences(
  window: ReleaseWindow,
  from: Date,
  to: Date,
): WindowOccurrence[] {
  const schedule = scheduleOf(window);
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!schedule || !(fromMs < toMs)) {
    return [];
  }
  if (schedule.kind === 'one-off') {
    return schedule.start < toMs && schedule.end > fromMs
      ? [oneOff(schedule)]
      : [];
  }

  // Occurrences that started at or before `from` and are still open at
  // `from`. Ends grow with starts, so walking back stops at the first one
  // that closed — however long the duration, nothing is missed.
  const open: WindowOccurrence[] = [];
  const back = cronFrom(schedule.cron, schedule.zone, new Date(fromMs + 1));
  while (open.length < MAX_WINDOW_OCCURRENCES) {
    const start = step(back, 'prev');
    if (!start) {
      break;
    }
    const end = endOf(schedule, start);
    if (end.getTime() <= fromMs) {
      break;
    }
    open.push({ start, end });
  }

  const occurrences = open.reverse();
  const forward = cronFrom(schedule.cron, schedule.zone, from);
  while (occurrences.length < MAX_WINDOW_OCCURRENCES) {
    const start = step(forward, 'next');
    if (!start || start.getTime() >= toMs) {
      break;
    }
    occurrences.push({ start, end: endOf(schedule, start) });
  }
  return occurrences;
}

/**
 * The occurrence of `window` that contains `at` (start inclusive, end
 * exclusive), or undefined when `at` is outside the window. It looks back as
 * far as needed: an occurrence that started a duration ago and has not ended
 * yet is found. When occurrences overlap, the one that ends last is returned.
 *
 * @public
 */
export function windowAt(
  window: ReleaseWindow,
  at: Date,
): WindowOccurrence | undefined {
  const schedule = scheduleOf(window);
  if (!schedule || !isValidDate(at)) {
    return undefined;
  }
  const atMs = at.getTime();
  if (schedule.kind === 'one-off') {
    return schedule.start <= atMs && atMs < schedule.end
      ? oneOff(schedule)
      : undefined;
  }
  // The latest start at or before `at` has the latest end of all earlier
  // starts, so it is the only candidate.
  const start = step(
    cronFrom(schedule.cron, schedule.zone, new Date(atMs + 1)),
    'prev',
  );
  if (!start) {
    return undefined;
  }
  const end = endOf(schedule, start);
  return end.getTime() > atMs ? { start, end } : undefined;
}

/**
 * The first occurrence of `window` that starts strictly after `after`, or
 * undefined when there is none (a one-off window that has already started,
 * or an invalid window). An occurrence open at `after` is not "next": use
 * {@link windowAt} for it.
 *
 * @public
 */
export function nextOccurrence(
  window: ReleaseWindow,
  after: Date,
): WindowOccurrence | undefined {
  const schedule = scheduleOf(window);
  if (!schedule || !isValidDate(after)) {
    return undefined;
  }
  if (schedule.kind === 'one-off') {
    return schedule.start > after.getTime() ? oneOff(schedule) : undefined;
  }
  const start = step(cronFrom(schedule.cron, schedule.zone, after), 'next');
  return start ? { start, end: endOf(schedule, start) } : undefined;
}
