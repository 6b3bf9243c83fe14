import { Navigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import releaseReadinessPlugin from '@release-readiness/plugin/alpha';

/** Where `/` leads when the release readiness portfolio is not installed. */
export const FALLBACK_LANDING_PATH = '/catalog';

/**
 * The app's front door: `/` has no page of its own, so whoever signs in (and
 * lands on `/`) is sent on to the release readiness portfolio, or to the
 * catalog in an app without it. `replace`, so that Back does not return to
 * an empty page.
 */
export function LandingRedirect() {
  const portfolio = useRouteRef(releaseReadinessPlugin.routes.portfolio);
  return <Navigate to={portfolio?.() ?? FALLBACK_LANDING_PATH} replace />;
}
