import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/**
 * The demo app's permission policy. For now it allows every request: reads of
 * the catalog and of release readiness, and the few edits that exist. The
 * Release Readiness routes still ask it on every request, so a stricter policy
 * (gate owners only, for example) changes behaviour without touching them.
 */
export class ReleaseReadinessDemoPolicy implements PermissionPolicy {
  async handle(
    _request: PolicyQuery,
    _user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return { result: AuthorizeResult.ALLOW };
  }
}
