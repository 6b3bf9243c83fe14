import { ReleaseWindow, WindowException } from '../../types';

/*
 * Fixtures of the release-window tests. 2026's daylight saving changes:
 * America/New_York on 8 March and 1 November, Europe/London on 29 March and
 * 25 October.
 */

/** NYSE hours, Mon–Fri 09:30–16:00 New York time. */
export function marketHours(extra: Partial<ReleaseWindow> = {}): ReleaseWindow {
  return {
    id: 'market-hours',
    name: 'Market hours',
    kind: 'freeze',
    cron: '30 9 * * 1-5',
    duration: 'PT6H30M',
    timezone: 'America/New_York',
    scope: { systems: ['system:default/trading'] },
    approvers: ['group:default/trading-desk'],
    source: 'config',
    ...extra,
  };
}

/** Tuesdays and Thursdays, 10:00–12:00 London time. */
export function londonTrain(extra: Partial<ReleaseWindow> = {}): ReleaseWindow {
  return {
    id: 'tue-thu',
    name: 'Tue/Thu train',
    kind: 'train',
    cron: '0 10 * * 2,4',
    duration: 'PT2H',
    timezone: 'Europe/London',
    scope: { all: true },
    approvers: ['group:default/release-management'],
    source: 'config',
    ...extra,
  };
}

/** 19 December 2026 to 4 January 2027, UTC. */
export function yearEnd(extra: Partial<ReleaseWindow> = {}): ReleaseWindow {
  return {
    id: 'year-end',
    name: 'Year-end freeze',
    kind: 'freeze',
    from: '2026-12-19T00:00:00Z',
    to: '2027-01-04T00:00:00Z',
    scope: { all: true },
    approvers: ['group:default/release-management'],
    source: 'api',
    ...extra,
  };
}

export function exception(
  windowId: string,
  covers: string[],
  extra: Partial<WindowException> = {},
): WindowException {
  return {
    windowId,
    gateId: 'gate-1',
    reason: 'hotfix for a sev1',
    approvedBy: 'user:default/morgan',
    covers,
    approvedAt: '2026-12-20T09:00:00Z',
    ...extra,
  };
}

/** An occurrence as ISO strings, for readable expectations. */
export function iso(occurrence: { start: Date; end: Date } | undefined) {
  return occurrence
    ? [occurrence.start.toISOString(), occurrence.end.toISOString()]
    : undefined;
}

export const at = (value: string) => new Date(value);
