/*
 * axe-core over the portfolio and the overview card as jsdom renders them:
 * headings in order, unique landmarks, names, lists and tables. Colour
 * contrast, links told apart from text and label-in-name need a real
 * browser (jsdom lays nothing out, so axe leaves them incomplete): shared/accessibility.test.ts checks the colours, and
 * e2e-tests/portfolio-truth.test.ts runs every rule in Chromium.
 */
import { render, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { releaseReadinessApiRef } from '../../api';
import { EntityReadinessCard } from '../EntityReadinessCard';
import { PortfolioPage } from './PortfolioPage';
import { portfolioFixture, teamMetricsFixture } from './__fixtures__/portfolio';

// axe-core is in the repository's node_modules (eslint-plugin-jsx-a11y
// brings it); it is not a dependency of the plugin, whose users never run it.
// eslint-disable-next-line @backstage/no-undeclared-imports, import/no-extraneous-dependencies
const axe = require('axe-core');

jest.setTimeout(60_000);

/** The violations axe finds in an element, by rule id and impact. */
async function violations(element: Element) {
  const results = await axe.run(element, {
    rules: {
      'color-contrast': { enabled: false },
      // Experimental in axe 4, so off unless asked for.
      'label-content-name-mismatch': { enabled: true },
    },
  });
  return results.violations.map((v: any) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n: any) => n.html.slice(0, 120)),
  }));
}

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('accessibility (axe-core, jsdom)', () => {
  it('finds what the portfolio once had: skipped heading levels and twin landmarks', async () => {
    const { container } = render(
      <main>
        <h1>Portfolio</h1>
        <h3>Median lead time</h3>
        <section aria-label="Tile">a</section>
        <section aria-label="Tile">b</section>
      </main>,
    );
    const ids = (await violations(container)).map((v: any) => v.id);
    expect(ids).toEqual(
      expect.arrayContaining(['heading-order', 'landmark-unique']),
    );
  });

  it('finds no violation on the portfolio page', async () => {
    const api = {
      getPortfolio: jest.fn().mockResolvedValue(portfolioFixture),
      getMetrics: jest.fn().mockResolvedValue(teamMetricsFixture),
      getCalendar: jest.fn().mockResolvedValue({
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-30T00:00:00.000Z',
        windows: [],
        releases: [],
        totalReleases: 0,
      }),
      getSystemRollups: jest.fn().mockResolvedValue([]),
      getLearning: jest.fn().mockResolvedValue({
        from: '2026-10-01T00:00:00.000Z',
        to: '2026-12-06T00:00:00.000Z',
        teams: [
          {
            owner: 'group:default/payments',
            endedGates: 4,
            debriefed: 3,
            openFollowUps: 1,
            overdueFollowUps: 0,
          },
        ],
        facilitators: [{ person: 'user:default/priya-raman', gates: 2 }],
        heroes: [{ person: 'user:default/samuel-adeyemi', catches: 2 }],
      }),
      getItemInsights: jest.fn().mockResolvedValue({
        from: '2026-06-09T00:00:00.000Z',
        to: '2026-12-06T00:00:00.000Z',
        windowDays: 14,
        minSample: 10,
        items: [
          {
            template: 'component-gate',
            itemId: 'user-acceptance',
            title: 'User acceptance',
            releases: 30,
            incidents: 9,
            outcomes: [
              {
                outcome: 'waived',
                releases: 12,
                incidents: 8,
                rate: 0.67,
                interval: [0.39, 0.86],
                otherwise: {
                  releases: 18,
                  incidents: 1,
                  rate: 0.06,
                  interval: [0.01, 0.26],
                },
              },
            ],
            finding: 'riskier',
            findingOutcome: 'waived',
            reading: 'waived in 12 releases, 8 had a sev1–2 incident',
          },
        ],
        totalItems: 1,
        offset: 0,
        limit: 10,
      }),
      getCaughtReleases: jest.fn().mockResolvedValue({
        items: [
          {
            gateId: 'g9',
            entityRef: 'component:default/card-vault',
            title: 'card-vault',
            release: '5.1.0',
            decidedAt: '2026-11-20T10:00:00.000Z',
            decidedBy: 'user:default/priya-raman',
            reason: 'Critical CVE',
            fixed: true,
            caughtBy: [],
          },
        ],
        totalItems: 1,
        offset: 0,
        limit: 10,
      }),
    };
    const { container } = await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
        <PortfolioPage />
      </TestApiProvider>,
      mountedRoutes,
    );
    await screen.findByRole('table', { name: 'Services by team' });
    await screen.findByText('Gate lead time');
    await screen.findByRole('link', { name: 'card-vault' });
    expect(await violations(container)).toEqual([]);
  });

  it('finds no violation on the overview card, with or without a gate', async () => {
    for (const currentGate of [
      null,
      {
        release: '2.0.0',
        state: 'rolled-back',
        evaluation: { verdict: 'NO-GO', score: 100, blockers: [] },
      },
    ]) {
      const { container, unmount } = await renderInTestApp(
        <TestApiProvider
          apis={[
            [
              releaseReadinessApiRef,
              {
                getEntityReadiness: jest.fn().mockResolvedValue({
                  entityRef: 'component:default/payment-gateway',
                  title: 'payment-gateway',
                  gateOwners: [],
                  checklist: [],
                  earlierGates: [],
                  currentGate,
                }),
              },
            ],
          ]}
        >
          <EntityProvider
            entity={{
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'payment-gateway', namespace: 'default' },
              spec: { type: 'service', owner: 'payments' },
            }}
          >
            <main>
              <h1>payment-gateway</h1>
              <EntityReadinessCard />
            </main>
          </EntityProvider>
        </TestApiProvider>,
        mountedRoutes,
      );
      await screen.findByText(currentGate ? 'Rolled back' : /No release gate/);
      expect(await violations(container)).toEqual([]);
      unmount();
    }
  });
});
