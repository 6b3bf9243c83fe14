/*
 * The release calendar of the portfolio (`GET /portfolio/calendar`): the
 * windows of a range with every occurrence in it — a freeze's blocked
 * periods, a train's allowed slots — and the gates planned in it, each with
 * what the windows that apply to its entity say of its planned time.
 *
 * No rule is written again here: which windows apply to an entity is
 * `windowApplies` on `windowTarget` (as the evaluation's
 * windowsApplyingTo), and whether a planned time gets through is the
 * evaluation's window condition (`evaluateWindow`), exceptions counted.
 */
import { InputError } from '@backstage/errors';
import {
  CalendarResponse,
  CalendarWindow,
  evaluateWindow,
  exceptionApproved,
  windowApplies,
  windowOccurrences,
} from '@release-readiness/plugin-common';
import {
  CalendarFilters,
  PortfolioAccess,
  PortfolioStore,
  timeRange,
} from '../database';
import { GateEvaluator, isRetired, windowTarget } from './GateEvaluator';

/** The calendar's range when none is asked for: four weeks from now. */
export const CALENDAR_DEFAULT_DAYS = 28;
/** The longest range one calendar covers. */
export const CALENDAR_MAX_DAYS = 366;

const DAY = 86_400_000;

/** The calendar of `[from, to)` under the portfolio's filters. */
export async function readCalendar(options: {
  from?: string;
  to?: string;
  filters: CalendarFilters;
  access: PortfolioAccess;
  portfolio: PortfolioStore;
  evaluator: Pick<GateEvaluator, 'allWindows'>;
  now?: Date;
}): Promise<CalendarResponse> {
  const now = options.now ?? new Date();
  const fromIso = options.from ?? now.toISOString();
  const parsed = timeRange(
    'from',
    fromIso,
    'to',
    options.to ??
      new Date(
        new Date(fromIso).getTime() + CALENDAR_DEFAULT_DAYS * DAY,
      ).toISOString(),
  );
  const range = { from: parsed.from!, to: parsed.to! };
  const fromDate = new Date(range.from);
  const toDate = new Date(range.to);
  if (toDate.getTime() - fromDate.getTime() > CALENDAR_MAX_DAYS * DAY) {
    throw new InputError(
      `to: the range may cover at most ${CALENDAR_MAX_DAYS} days`,
    );
  }
  const { filters, access, portfolio } = options;
  const narrowed = Object.values(filters).some(
    v => v !== undefined && v !== '',
  );
  const [allWindows, planned, scopeEntities] = await Promise.all([
    options.evaluator.allWindows(),
    portfolio.plannedGates(range, filters, access),
    narrowed
      ? portfolio.scopeEntities(filters, access)
      : Promise.resolve(undefined),
  ]);
  const live = allWindows.filter(w => !isRetired(w));
  const exceptions = await portfolio.approvedExceptions(
    planned.rows.map(r => r.gateId),
  );

  // Which windows the calendar shows: under entity filters, the
  // company-wide ones and those that apply to an entity the filters keep.
  const shown = scopeEntities
    ? live.filter(
        w =>
          w.scope?.all === true || scopeEntities.some(e => windowApplies(w, e)),
      )
    : live;
  const windows: CalendarWindow[] = shown.map(w => ({
    ...w,
    occurrences: windowOccurrences(w, fromDate, toDate).map(o => ({
      start: o.start.toISOString(),
      end: o.end.toISOString(),
    })),
  }));

  const releases = planned.rows.map(row => {
    const applying = live.filter(w =>
      windowApplies(w, windowTarget(row.entityRef, row)),
    );
    const gateExceptions = exceptions.get(row.gateId) ?? [];
    const condition = evaluateWindow(
      { id: row.gateId, release: row.release, plannedAt: row.plannedAt },
      { windows: applying, exceptions: gateExceptions },
    );
    return {
      gateId: row.gateId,
      entityRef: row.entityRef,
      title: row.title,
      ...(row.ownerRef ? { ownerRef: row.ownerRef } : {}),
      ...(row.systemRef ? { systemRef: row.systemRef } : {}),
      release: row.release,
      state: row.state as CalendarResponse['releases'][number]['state'],
      plannedAt: row.plannedAt,
      windowIds: applying.map(w => w.id),
      allowed: condition.met,
      blockers: condition.blockers.map(b => b.message),
      exceptions: applying
        .filter(w => exceptionApproved(w, gateExceptions, row.gateId))
        .map(w => ({ windowId: w.id, windowName: w.name })),
    };
  });
  return {
    from: range.from,
    to: range.to,
    windows,
    releases,
    totalReleases: planned.total,
  };
}
