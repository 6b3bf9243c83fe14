import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  CalendarRelease,
  CalendarResponse,
  CalendarWindow,
} from '@release-readiness/plugin-common';
import {
  calendarDays,
  calendarRange,
  findCollisions,
  ReleaseCalendar,
} from './ReleaseCalendar';

// Local times, so that "the same day" holds in any time zone the tests run in.
const at = (day: number, hour: number, minute = 0) =>
  new Date(2026, 2, day, hour, minute).toISOString();
const now = new Date(2026, 2, 2, 8, 0);
const range = { start: now, end: new Date(2026, 2, 30, 8, 0) };

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function window(
  id: string,
  kind: CalendarWindow['kind'],
  occurrences: [string, string][],
  scope: CalendarWindow['scope'] = { all: true },
): CalendarWindow {
  return {
    id,
    name: id,
    kind,
    scope,
    approvers: [],
    source: 'config',
    cron: '0 9 * * *',
    duration: 'PT7H',
    occurrences: occurrences.map(([start, end]) => ({ start, end })),
  };
}

function release(
  name: string,
  plannedAt: string,
  extra: Partial<CalendarRelease> = {},
): CalendarRelease {
  return {
    gateId: `${name}-${plannedAt}`,
    entityRef: `component:default/${name}`,
    title: name,
    systemRef: `system:default/${name}-system`,
    release: '1.0.0',
    state: 'in-progress',
    plannedAt,
    windowIds: [],
    allowed: true,
    blockers: [],
    exceptions: [],
    ...extra,
  };
}

const calendar = (
  windows: CalendarWindow[],
  releases: CalendarRelease[],
  totalReleases = releases.length,
): CalendarResponse => ({
  from: range.start.toISOString(),
  to: range.end.toISOString(),
  windows,
  releases,
  totalReleases,
});

describe('findCollisions', () => {
  it('flags two gates of the same system on the same day', () => {
    const collisions = findCollisions([
      release('a', at(10, 9), { systemRef: 'system:default/pay' }),
      release('b', at(10, 17), { systemRef: 'System:default/Pay' }),
      release('c', at(11, 9), { systemRef: 'system:default/pay' }),
    ]);
    expect(collisions).toEqual([
      expect.objectContaining({
        kind: 'same-system-day',
        gateIds: [`a-${at(10, 9)}`, `b-${at(10, 17)}`],
      }),
    ]);
  });

  it("flags what the backend's window condition refuses, and nothing else", () => {
    const collisions = findCollisions([
      release('vault', at(12, 10), {
        allowed: false,
        blockers: ["The planned time is inside the freeze 'PCI freeze'"],
      }),
      // Inside a freeze too, but excepted: the backend let it through.
      release('gateway', at(12, 11), {
        exceptions: [{ windowId: 'pci', windowName: 'PCI freeze' }],
      }),
    ]);
    expect(collisions).toEqual([
      expect.objectContaining({
        kind: 'blocked-by-window',
        gateId: `vault-${at(12, 10)}`,
        message:
          "vault 1.0.0: The planned time is inside the freeze 'PCI freeze'",
      }),
    ]);
  });
});

describe('calendarDays', () => {
  it('puts every occurrence on its own day, not only the next one', () => {
    const nightly = window('nightly', 'freeze', [
      [at(3, 20), at(3, 22)],
      [at(4, 20), at(4, 22)],
      [at(5, 20), at(5, 22)],
    ]);
    const days = calendarDays(calendar([nightly], []), range);
    expect([...days.keys()].sort()).toEqual([
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
    ]);
  });

  it('shows an occurrence that began before the range on its first day', () => {
    const open = window('open', 'freeze', [[at(1, 0), at(3, 0)]]);
    const days = calendarDays(calendar([open], []), range);
    expect([...days.keys()]).toEqual(['2026-03-02']);
  });
});

describe('ReleaseCalendar', () => {
  it('lists freezes, train slots and several releases of one service by day, with exceptions', async () => {
    const windows = [
      window('Market hours', 'freeze', [
        [at(12, 9), at(12, 16)],
        [at(13, 9), at(13, 16)],
      ]),
      window('Monday train', 'train', [[at(9, 9), at(9, 17)]], {
        systems: ['system:default/trading'],
      }),
    ];
    const releases = [
      release('payment-gateway', at(12, 10), {
        release: '2.4.0',
        exceptions: [{ windowId: 'Market hours', windowName: 'Market hours' }],
      }),
      release('payment-gateway', at(20, 10), { release: '2.5.0' }),
      release('card-vault', at(13, 10), {
        allowed: false,
        blockers: ["The planned time is inside the freeze 'Market hours'"],
      }),
    ];
    await renderInTestApp(
      <ReleaseCalendar calendar={calendar(windows, releases)} now={now} />,
      mountedRoutes,
    );

    // Both occurrences of the freeze, on their days.
    expect(screen.getAllByText('Freeze: Market hours')).toHaveLength(2);
    expect(screen.getByText('Train: Monday train')).toBeInTheDocument();
    expect(screen.getByText(/^Releases allowed /)).toBeInTheDocument();
    // Two gates of one service, each on its day.
    expect(
      screen.getAllByRole('link', { name: 'payment-gateway' }),
    ).toHaveLength(2);
    expect(
      screen.getByText(/exception approved: Market hours/),
    ).toBeInTheDocument();
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText(/1 collision/)).toBeInTheDocument();
    expect(
      within(alert).getByText(
        "card-vault 1.0.0: The planned time is inside the freeze 'Market hours'",
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByTitle('Collision')).toHaveLength(1);
    expect(
      screen.getAllByRole('link', { name: 'payment-gateway' })[0],
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
  });

  it('says when nothing is planned', async () => {
    await renderInTestApp(
      <ReleaseCalendar calendar={calendar([], [])} now={now} />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        /Nothing planned, no freeze and no train in the next 4 weeks/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says how many planned releases it shows when the backend has more', async () => {
    await renderInTestApp(
      <ReleaseCalendar
        calendar={calendar([], [release('a', at(10, 9))], 700)}
        now={now}
      />,
      mountedRoutes,
    );
    expect(
      screen.getByText(/Showing the first 1 of the 700 releases planned/),
    ).toBeInTheDocument();
  });

  it('spans 28 days by default', () => {
    const { start, end } = calendarRange(now);
    expect((end.getTime() - start.getTime()) / 86_400_000).toBe(28);
  });
});
