import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  gateReadPermission,
  RELEASE_READINESS_GATE_RESOURCE_TYPE,
} from '@release-readiness/plugin-common';
import { HIROSHI } from './fixtures';

/** Hiroshi's team, the only one whose gates he may read. */
export const CHECKOUT = 'group:default/checkout';

/**
 * Hiroshi (checkout) may read his team's gates only, by a condition the
 * plugin turns into SQL; everyone else may do everything.
 */
function decide(
  permissionName: string,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user =
    (credentials.principal as { type?: string })?.type === 'user'
      ? (credentials.principal as BackstageUserPrincipal).userEntityRef
      : undefined;
  if (user === HIROSHI && permissionName === gateReadPermission.name) {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'release-readiness',
      resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
      conditions: {
        rule: 'IS_GATE_OWNER',
        resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
        params: { claims: [HIROSHI, CHECKOUT] },
      },
    };
  }
  return { result: AuthorizeResult.ALLOW };
}

/**
 * The permission service of {@link decide}: a feature for
 * `startReadinessBackend`.
 */
export const teamReadPermissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    requests.map(r => decide(r.permission.name, credentials) as any),
  authorizeConditional: async (requests, { credentials }) =>
    requests.map(r => decide(r.permission.name, credentials)),
});
