import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityReadiness } from '@release-readiness/plugin-common';

/**
 * Client of the Release Readiness backend.
 *
 * @public
 */
export interface ReleaseReadinessApi {
  /** The readiness of one catalog entity: gate owners, checklist, gates. */
  getEntityReadiness(entity: CompoundEntityRef): Promise<EntityReadiness>;
}

/**
 * Reference to the {@link ReleaseReadinessApi}.
 *
 * @public
 */
export const releaseReadinessApiRef = createApiRef<ReleaseReadinessApi>({
  id: 'plugin.release-readiness.service',
});
