/**
 * Release Readiness for apps on the new frontend system: the plugin (default
 * export) and its extensions.
 *
 * @packageDocumentation
 */

import Assessment from '@material-ui/icons/Assessment';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ReleaseReadinessClient, releaseReadinessApiRef } from './api';
import { portfolioRouteRef, rootRouteRef } from './routes';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { READINESS_TAB_KINDS } from './components/shared/readinessTab';

export { releaseReadinessTranslationRef } from './translation';

const releaseReadinessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: releaseReadinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReleaseReadinessClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Readiness tab on Component, System and Domain entity pages (new
 * frontend system); on systems and domains it adds the roll-up of their
 * parts.
 *
 * @alpha
 */
export const entityReleaseReadinessContent = EntityContentBlueprint.make({
  params: {
    path: 'readiness',
    title: 'Readiness',
    filter: { kind: { $in: [...READINESS_TAB_KINDS] } },
    routeRef: convertLegacyRouteRef(rootRouteRef),
    // Fetched while the browser is idle after the app starts (a prefetch),
    // so opening the tab does not wait for its download.
    loader: () =>
      import(/* webpackPrefetch: true */ './components/ReadinessContent').then(
        m => <m.ReadinessContent />,
      ),
  },
});

/**
 * The release readiness card on Component overview pages (new frontend
 * system).
 *
 * @alpha
 */
export const entityReleaseReadinessCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: { kind: 'component' },
    type: 'info',
    loader: () =>
      import('./components/EntityReadinessCard').then(m => (
        <m.EntityReadinessCard />
      )),
  },
});

/**
 * The portfolio page at /release-readiness, also in the sidebar (new frontend
 * system).
 *
 * @alpha
 */
export const releaseReadinessPortfolioPage = PageBlueprint.make({
  name: 'portfolio',
  params: {
    path: '/release-readiness',
    title: 'Release readiness',
    icon: <Assessment />,
    noHeader: true,
    routeRef: convertLegacyRouteRef(portfolioRouteRef),
    loader: () =>
      import('./components/Portfolio').then(m => <m.PortfolioPage />),
  },
});

/**
 * The Release Readiness plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'release-readiness',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    releaseReadinessApi,
    entityReleaseReadinessContent,
    entityReleaseReadinessCard,
    releaseReadinessPortfolioPage,
  ],
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    portfolio: convertLegacyRouteRef(portfolioRouteRef),
  },
});
