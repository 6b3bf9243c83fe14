import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ReleaseReadinessClient, releaseReadinessApiRef } from './api';
import { portfolioRouteRef, rootRouteRef } from './routes';
import { hasReadinessTab } from './components/shared/readinessTab';

/**
 * The Release Readiness plugin for apps on the legacy frontend system. Apps on
 * the new frontend system use the default export of `@release-readiness/plugin/alpha`.
 *
 * @public
 */
export const releaseReadinessPlugin = createPlugin({
  id: 'release-readiness',
  apis: [
    createApiFactory({
      api: releaseReadinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReleaseReadinessClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, portfolio: portfolioRouteRef },
});

/**
 * The Readiness tab for an entity page (legacy frontend system).
 *
 * @public
 */
export const EntityReleaseReadinessContent: () => JSX.Element | null =
  releaseReadinessPlugin.provide(
    createRoutableExtension({
      name: 'EntityReleaseReadinessContent',
      // Fetched while the browser is idle after the app starts (a prefetch),
      // so opening the tab does not wait for its download.
      component: () =>
        import(
          /* webpackPrefetch: true */ './components/ReadinessContent'
        ).then(m => m.ReadinessContent),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * Whether an entity's page should offer the Readiness tab: components
 * (tier-1 gates), systems (tier 2) and domains (tier 3), whose releases go
 * through a gate. Use it as the `if` of the tab on the component, system and
 * domain pages of a legacy app's EntityPage.
 *
 * @public
 */
export function isReleaseReadinessAvailable(entity: Entity): boolean {
  return hasReadinessTab(entity.kind);
}

/**
 * The release readiness card for an entity's overview page (legacy frontend
 * system).
 *
 * @public
 */
export const EntityReleaseReadinessCard: () => JSX.Element =
  releaseReadinessPlugin.provide(
    createComponentExtension({
      name: 'EntityReleaseReadinessCard',
      component: {
        lazy: () =>
          import('./components/EntityReadinessCard').then(
            m => m.EntityReadinessCard,
          ),
      },
    }),
  );

/**
 * The release readiness portfolio page (legacy frontend system).
 *
 * @public
 */
export const ReleaseReadinessPortfolioPage: () => JSX.Element =
  releaseReadinessPlugin.provide(
    createRoutableExtension({
      name: 'ReleaseReadinessPortfolioPage',
      component: () =>
        import('./components/Portfolio').then(m => m.PortfolioPage),
      mountPoint: portfolioRouteRef,
    }),
  );
