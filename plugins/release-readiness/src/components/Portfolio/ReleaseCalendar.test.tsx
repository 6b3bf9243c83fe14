import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  PortfolioQuery,
  PortfolioResponse,
  ReleaseWindowWithNext,
} from '@release-readiness/plugin-common';
import {
  calendarRange,
  findCollisions,
  loadCalendarRows,
  ReleaseCalendar,
} from './ReleaseCalendar';
import { portfolioFixture, row } from './__fixtures__/portfolio';

// Local times, so that "the same day" holds in any time zone the tests run in.
const at = (day: number, hour: number, minute = 0) =>
  new Date(2026, 2, day, hour, minute).toISOString();
const now = new Date(2026, 2, 2, 8, 0);
const range = { start: now, end: new Date(2026, 2, 30, 8, 0) };

function freeze(
  id: string,
  start: string,
  end: string,
  scope: ReleaseWindowWithNext['scope'] = { all: true },
  recurring = true,
): ReleaseWindowWithNext {
  return {
    id,
    name: id,
    kind: 'freeze',
    scope,
    approvers: [],
    source: 'config',
    ...(recurring
      ? { cron: '0 9 * * 1-5', duration: 'PT7H', next: { start, end } }
      : { from: start, to: end }),
  };
}

describe('findCollisions', () => {
  it('flags two gates of the same system on the same day', () => {
    const rows = [
      row('a', {}, { plannedAt: at(10, 9) }),
      row('b', {}, { plannedAt: at(10, 17) }),
      row('c', { systemRef: 'system:default/other' }, { plannedAt: at(10, 9) }),
    ];
    const collisions = findCollisions(rows, [], range);
    expect(collisions).toHaveLength(1);
    expect(collisions[0]).toMatchObject({
      kind: 'same-system-day',
      systemRef: 'system:default/payments-platform',
      entityRefs: ['component:default/a', 'component:default/b'],
    });
    expect(collisions[0].message).toContain(
      '2 releases of system payments-platform',
    );
  });

  it('flags a planned time inside a freeze occurrence, end excluded', () => {
    const rows = [
      row('inside', {}, { plannedAt: at(12, 10) }),
      row(
        'at-start',
        { systemRef: 'system:default/s2' },
        { plannedAt: at(14, 9) },
      ),
      row(
        'at-end',
        { systemRef: 'system:default/s3' },
        { plannedAt: at(12, 16) },
      ),
    ];
    const windows = [
      freeze('market-hours', at(12, 9), at(12, 16)),
      freeze('year-end', at(14, 9), at(15, 9), { all: true }, false),
    ];
    const collisions = findCollisions(rows, windows, range);
    expect(
      collisions.map(c =>
        c.kind === 'inside-freeze' ? [c.entityRef, c.windowId] : c.kind,
      ),
    ).toEqual([
      ['component:default/inside', 'market-hours'],
      ['component:default/at-start', 'year-end'],
    ]);
  });

  it('respects the scope of a freeze', () => {
    const rows = [
      row('in-scope', {}, { plannedAt: at(12, 10) }),
      row(
        'out-of-scope',
        { systemRef: 'system:default/storefront' },
        {
          plannedAt: at(12, 11),
        },
      ),
    ];
    const windows = [
      freeze('payments-freeze', at(12, 9), at(12, 16), {
        systems: ['system:default/payments-platform'],
      }),
    ];
    const collisions = findCollisions(rows, windows, range);
    expect(collisions).toHaveLength(1);
    expect(collisions[0]).toMatchObject({
      entityRef: 'component:default/in-scope',
    });
  });

  it('finds no collision when releases are spread and outside freezes', () => {
    const rows = [
      row('a', {}, { plannedAt: at(10, 9) }),
      row('b', {}, { plannedAt: at(11, 9) }),
      row('no-plan', {}, {}),
      row('no-gate', {}, null),
      // Cancelled gates and trains are ignored.
      row('cancelled', {}, { plannedAt: at(10, 12), state: 'cancelled' }),
    ];
    const windows: ReleaseWindowWithNext[] = [
      freeze('later', at(20, 9), at(20, 16)),
      { ...freeze('train', at(10, 8), at(11, 18)), kind: 'train' },
    ];
    expect(findCollisions(rows, windows, range)).toEqual([]);
  });

  it('ignores releases outside the range', () => {
    const rows = [
      row('a', {}, { plannedAt: new Date(2026, 3, 10, 9).toISOString() }),
      row('b', {}, { plannedAt: new Date(2026, 3, 10, 10).toISOString() }),
    ];
    expect(findCollisions(rows, [], range)).toEqual([]);
  });
});

describe('ReleaseCalendar', () => {
  const mountedRoutes = {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  };

  it('lists releases and freezes by day and warns about a collision', async () => {
    const rows = [
      row('payment-gateway', {}, { release: '2.4.0', plannedAt: at(12, 10) }),
      row(
        'ledger',
        { systemRef: 'system:default/ledger' },
        {
          release: '7.1.0',
          plannedAt: at(20, 10),
        },
      ),
    ];
    const windows = [freeze('Market hours', at(12, 9), at(12, 16))];
    await renderInTestApp(
      <ReleaseCalendar rows={rows} windows={windows} now={now} />,
      mountedRoutes,
    );

    const alert = screen.getByRole('alert');
    expect(within(alert).getByText(/1 collision/)).toBeInTheDocument();
    expect(
      within(alert).getByText(
        'payment-gateway 2.4.0 is planned inside the freeze "Market hours"',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Freeze: Market hours')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'payment-gateway' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
    expect(screen.getByText(/— collision/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ledger' })).toBeInTheDocument();
    expect(screen.getAllByTitle('Collision')).toHaveLength(1);
  });

  it('says when nothing is planned', async () => {
    await renderInTestApp(
      <ReleaseCalendar rows={[]} windows={[]} now={now} />,
      mountedRoutes,
    );
    expect(
      screen.getByText(/Nothing planned and no freeze in the next 4 weeks/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('loadCalendarRows', () => {
  /** A backend with `total` services planned in the range, in planned order. */
  function backend(total: number) {
    return jest.fn(
      async (query: PortfolioQuery): Promise<PortfolioResponse> => {
        const offset = query.offset ?? 0;
        const count = Math.max(0, Math.min(query.limit ?? 50, total - offset));
        return {
          ...portfolioFixture,
          items: Array.from({ length: count }, (_, i) =>
            row(`svc-${String(offset + i).padStart(4, '0')}`),
          ),
          totalItems: total,
          offset,
          limit: query.limit ?? 50,
        };
      },
    );
  }

  it('asks for exactly the range, soonest first, with the filters', async () => {
    const getPortfolio = backend(3);
    const loaded = await loadCalendarRows(
      getPortfolio,
      { owner: 'group:default/payments', q: 'pay' },
      range,
    );
    expect(getPortfolio.mock.calls).toEqual([
      [
        {
          owner: 'group:default/payments',
          q: 'pay',
          plannedFrom: range.start.toISOString(),
          plannedTo: range.end.toISOString(),
          sort: 'plannedAt',
          order: 'asc',
          offset: 0,
          limit: 200,
        },
      ],
    ]);
    expect(loaded.rows).toHaveLength(3);
    expect(loaded.totalItems).toBe(3);
  });

  it.each([
    [0, [0]],
    [200, [0]],
    [201, [0, 200]],
    [450, [0, 200, 400]],
    [1000, [0, 200, 400, 600, 800]],
  ])('loads all %s planned services in pages %j', async (total, offsets) => {
    const getPortfolio = backend(total);
    const loaded = await loadCalendarRows(getPortfolio, {}, range);
    expect(getPortfolio.mock.calls.map(([q]) => q.offset)).toEqual(offsets);
    expect(loaded.rows).toHaveLength(total);
    expect(new Set(loaded.rows.map(r => r.entityRef)).size).toBe(total);
    expect(loaded.totalItems).toBe(total);
  });

  it('stops at the cap and says how many are planned', async () => {
    const getPortfolio = backend(1234);
    const loaded = await loadCalendarRows(getPortfolio, {}, range, 400);
    expect(getPortfolio.mock.calls.map(([q]) => q.offset)).toEqual([0, 200]);
    expect(loaded.rows).toHaveLength(400);
    expect(loaded.totalItems).toBe(1234);
  });

  it('keeps a service once when it moved across pages', async () => {
    const getPortfolio = jest.fn(
      async (query: PortfolioQuery): Promise<PortfolioResponse> => ({
        ...portfolioFixture,
        items:
          query.offset === 0
            ? Array.from({ length: 200 }, (_, i) => row(`svc-${i}`))
            : [row('svc-199'), row('svc-200')],
        totalItems: 202,
      }),
    );
    const loaded = await loadCalendarRows(getPortfolio, {}, range);
    expect(loaded.rows.map(r => r.title).slice(-2)).toEqual([
      'svc-199',
      'svc-200',
    ]);
    expect(loaded.rows).toHaveLength(201);
  });

  it('spans 28 days by default', () => {
    expect(calendarRange(now).end.getTime() - now.getTime()).toBe(
      28 * 24 * 60 * 60 * 1000,
    );
  });
});

describe('ReleaseCalendar paging note', () => {
  const mountedRoutes = {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  };
  const rows = [row('a', {}, { plannedAt: at(10, 9) })];

  it('says how many planned services it shows when it could not load all', async () => {
    await renderInTestApp(
      <ReleaseCalendar rows={rows} windows={[]} now={now} totalItems={1500} />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        /Showing the first 1 of the 1500 services planned in these weeks/,
      ),
    ).toBeInTheDocument();
  });

  it('says nothing when every planned service was loaded', async () => {
    await renderInTestApp(
      <ReleaseCalendar rows={rows} windows={[]} now={now} totalItems={1} />,
      mountedRoutes,
    );
    expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument();
  });
});
