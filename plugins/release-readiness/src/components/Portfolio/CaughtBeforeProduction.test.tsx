import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { CaughtBeforeProduction, caughtRows } from './CaughtBeforeProduction';
import { row } from './__fixtures__/portfolio';

const rows = [
  row(
    'a',
    {},
    { lastDecision: { verdict: 'no-go', at: '2026-03-01T10:00:00Z' } },
  ),
  row('b', {}, { lastDecision: { verdict: 'go', at: '2026-03-02T10:00:00Z' } }),
  row(
    'c',
    {},
    {
      state: 'no-go',
      verdict: 'NO-GO',
      blockers: 1,
      lastDecision: { verdict: 'no-go', at: '2026-03-03T10:00:00Z' },
    },
  ),
  row('d', {}, null),
];
const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('CaughtBeforeProduction', () => {
  it('keeps the rows whose last decision was NO-GO, newest first', () => {
    expect(caughtRows(rows).map(r => r.title)).toEqual(['c', 'a']);
  });

  it('celebrates the releases a NO-GO stopped', async () => {
    await renderInTestApp(
      <CaughtBeforeProduction rows={rows} />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        /Caught before production: 2 releases stopped by a NO-GO/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'c' })).toHaveAttribute(
      'href',
      '/catalog/default/component/c/readiness',
    );
    expect(screen.getByText(/now no-go · 1 blocker open/)).toBeInTheDocument();
    expect(
      screen.getByText(/now in progress · 2 blockers open/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'b' })).not.toBeInTheDocument();
  });

  it('says so when nothing was caught', async () => {
    await renderInTestApp(<CaughtBeforeProduction rows={[]} />, mountedRoutes);
    expect(
      screen.getByText('No current release has been stopped by a NO-GO.'),
    ).toBeInTheDocument();
  });
});
