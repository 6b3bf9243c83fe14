import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the release readiness of a catalog entity: its gate owners, checklist
 * and gates.
 *
 * @public
 */
export const releaseReadinessEntityReadPermission = createPermission({
  name: 'release-readiness.entity.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the Release Readiness plugin.
 *
 * @public
 */
export const releaseReadinessPermissions = [
  releaseReadinessEntityReadPermission,
];
