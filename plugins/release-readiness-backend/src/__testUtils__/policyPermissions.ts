import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { ReleaseReadinessPolicy } from '../permissions/ReleaseReadinessPolicy';
import { MEMBERSHIP } from './fixtures';

/** The demo app's policy, with its default groups. */
export const demoPolicy = new ReleaseReadinessPolicy({
  adminGroups: ['group:default/platform-admins'],
  releaseManagerGroups: ['group:default/release-management'],
});

/** What the permission backend does: ask the policy, with the user's groups. */
async function decide(
  permission: any,
  credentials: any,
): Promise<PolicyDecision> {
  const principal = credentials.principal;
  if (principal.type === 'none') return { result: AuthorizeResult.DENY };
  if (principal.type === 'service') return demoPolicy.handle({ permission });
  const user = principal.userEntityRef;
  return demoPolicy.handle(
    { permission },
    {
      info: {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
      },
      credentials,
    },
  );
}

/**
 * A permission service that decides with the demo app's policy, as the
 * permission backend would: a feature for `startReadinessBackend`.
 */
export const policyPermissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    Promise.all(
      requests.map(async r => {
        const decision = await decide(r.permission, credentials);
        return {
          result:
            decision.result === AuthorizeResult.ALLOW
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }),
    ) as any,
  authorizeConditional: async (requests, { credentials }) =>
    Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
});
