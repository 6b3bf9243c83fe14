import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  CaughtRelease,
  CaughtResponse,
} from '@release-readiness/plugin-common';
import { CaughtBeforeProduction, caughtFrom } from './CaughtBeforeProduction';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function caught(n: number, overrides: Partial<CaughtRelease> = {}) {
  return {
    gateId: `g${n}`,
    entityRef: `component:default/svc-${n}`,
    title: `svc-${n}`,
    release: `1.${n}.0`,
    decidedAt: '2026-11-20T10:00:00.000Z',
    decidedBy: 'user:default/priya-raman',
    reason: 'Critical CVE',
    fixed: false,
    caughtBy: [],
    ...overrides,
  };
}

function page(offset: number, limit: number, total: number): CaughtResponse {
  const count = Math.max(0, Math.min(limit, total - offset));
  return {
    items: Array.from({ length: count }, (_, i) => caught(offset + i)),
    totalItems: total,
    offset,
    limit,
  };
}

describe('CaughtBeforeProduction', () => {
  it('counts the list it shows: the total of the list, not one row', async () => {
    await renderInTestApp(
      <CaughtBeforeProduction caught={page(0, 10, 50)} onPage={jest.fn()} />,
      mountedRoutes,
    );
    expect(
      screen.getByText(/^50 releases stopped by a NO-GO before production/),
    ).toBeInTheDocument();
    const list = screen.getByRole('list', {
      name: 'Releases stopped by a NO-GO',
    });
    expect(list.querySelectorAll('li')).toHaveLength(10);
    expect(screen.getByRole('status')).toHaveTextContent('1–10 of 50');
    expect(screen.queryByText(/1 release stopped/)).not.toBeInTheDocument();
  });

  it('pages through the list', async () => {
    const onPage = jest.fn();
    const { rerender } = await renderInTestApp(
      <CaughtBeforeProduction caught={page(0, 10, 25)} onPage={onPage} />,
      mountedRoutes,
    );
    expect(
      screen.getByRole('button', { name: 'Previous caught releases' }),
    ).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Next caught releases' }),
    );
    expect(onPage).toHaveBeenLastCalledWith(10);

    rerender(
      <CaughtBeforeProduction caught={page(20, 10, 25)} onPage={onPage} />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('21–25 of 25');
    expect(
      screen.getByRole('button', { name: 'Next caught releases' }),
    ).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous caught releases' }),
    );
    expect(onPage).toHaveBeenLastCalledWith(10);
  });

  it('credits who caught each release, links to its Readiness tab, underlined, and shows no emoji', async () => {
    await renderInTestApp(
      <CaughtBeforeProduction
        caught={{
          items: [
            caught(9, {
              title: 'card-vault',
              entityRef: 'component:default/card-vault',
              fixed: true,
              caughtBy: [
                {
                  ref: 'user:default/samuel-adeyemi',
                  how: 'not-ready vote',
                  detail: 'security: CVE in the base image',
                },
              ],
            }),
          ],
          totalItems: 1,
          offset: 0,
          limit: 10,
        }}
        onPage={jest.fn()}
        filters="team payments"
      />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        /^1 release stopped by a NO-GO before production \(team payments\)/,
      ),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'card-vault' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/card-vault/readiness',
    );
    // Told apart from the text around it by more than colour.
    expect(link.className).toMatch(/underlineAlways/);
    expect(screen.getByText(/fixed, went on to GO/)).toBeInTheDocument();
    expect(
      screen.getByText(
        /caught by samuel-adeyemi \(not-ready vote: security: CVE in the base image\)/,
      ),
    ).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('says so when nothing was caught under the filters', async () => {
    await renderInTestApp(
      <CaughtBeforeProduction
        caught={{ items: [], totalItems: 0, offset: 0, limit: 10 }}
        onPage={jest.fn()}
        filters="team checkout"
      />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        'No release has been stopped by a NO-GO (team checkout).',
      ),
    ).toBeInTheDocument();
  });

  it('narrows the list to a period, and says so beside the count', async () => {
    const onPeriod = jest.fn();
    await renderInTestApp(
      <CaughtBeforeProduction
        caught={page(0, 10, 3)}
        onPage={jest.fn()}
        filters="team payments"
        period="90d"
        onPeriod={onPeriod}
      />,
      mountedRoutes,
    );
    expect(
      screen.getByText(
        /^3 releases stopped by a NO-GO before production \(team payments, last 90 days\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Decided'), '30d');
    expect(onPeriod).toHaveBeenCalledWith('30d');
  });

  it('reads a period as its first instant, back from now', () => {
    const now = new Date('2026-12-05T12:00:00.000Z');
    expect(caughtFrom('all', now)).toBeUndefined();
    expect(caughtFrom('30d', now)).toBe('2026-11-05T12:00:00.000Z');
    expect(caughtFrom('365d', now)).toBe('2025-12-05T12:00:00.000Z');
    expect(caughtFrom('no-such', now)).toBeUndefined();
  });
});
