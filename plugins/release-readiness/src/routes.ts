import { createRouteRef } from '@backstage/core-plugin-api';

/** The Readiness tab of an entity page. */
export const rootRouteRef = createRouteRef({ id: 'release-readiness' });

/** The release readiness portfolio page. */
export const portfolioRouteRef = createRouteRef({
  id: 'release-readiness:portfolio',
});
