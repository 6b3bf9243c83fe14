import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

/**
 * The page at `/`: it redirects to the portfolio (see LandingRedirect), so
 * that signing in never ends on "404 page not found". A route of its own
 * rather than the `app/routes` redirects config, so that it holds whatever
 * app-config file the app runs with; the route at `/` matches `/` only, and
 * unknown paths still show the not-found page.
 */
export const landingPage = PageBlueprint.make({
  name: 'landing',
  params: {
    path: '/',
    noHeader: true,
    loader: () => import('./LandingRedirect').then(m => <m.LandingRedirect />),
  },
});

/** The landing page as a module of the app. */
export const landingModule = createFrontendModule({
  pluginId: 'app',
  extensions: [landingPage],
});
