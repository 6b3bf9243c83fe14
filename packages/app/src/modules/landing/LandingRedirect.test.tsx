import { screen } from '@testing-library/react';
import { PageBlueprint, createRouteRef } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import releaseReadinessPlugin from '@release-readiness/plugin/alpha';
import { landingPage } from './index';

const portfolioProbe = PageBlueprint.make({
  name: 'portfolio-probe',
  params: {
    path: '/release-readiness',
    noHeader: true,
    routeRef: releaseReadinessPlugin.routes.portfolio,
    loader: async () => <p>The portfolio</p>,
  },
});

const catalogProbe = PageBlueprint.make({
  name: 'catalog-probe',
  params: {
    path: '/catalog',
    noHeader: true,
    routeRef: createRouteRef(),
    loader: async () => <p>The catalog</p>,
  },
});

describe('the landing page', () => {
  it('sends whoever lands on / to the portfolio', async () => {
    renderTestApp({
      extensions: [landingPage, portfolioProbe, catalogProbe],
      initialRouteEntries: ['/'],
    });
    expect(await screen.findByText('The portfolio')).toBeInTheDocument();
    expect(screen.queryByText(/not found/i)).not.toBeInTheDocument();
  });

  it('sends them to the catalog in an app without the portfolio', async () => {
    renderTestApp({
      extensions: [landingPage, catalogProbe],
      initialRouteEntries: ['/'],
    });
    expect(await screen.findByText('The catalog')).toBeInTheDocument();
  });

  it('leaves other paths alone: an unknown one is still not found', async () => {
    renderTestApp({
      extensions: [landingPage, portfolioProbe],
      initialRouteEntries: ['/no-such-page'],
    });
    expect(await screen.findByText(/not found/i)).toBeInTheDocument();
    expect(screen.queryByText('The portfolio')).not.toBeInTheDocument();
  });

  it('does nothing without the landing page: / is not found (the bug)', async () => {
    renderTestApp({
      extensions: [portfolioProbe],
      initialRouteEntries: ['/'],
    });
    expect(await screen.findByText(/not found/i)).toBeInTheDocument();
  });
});
