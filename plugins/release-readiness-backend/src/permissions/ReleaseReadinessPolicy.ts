import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { createGateConditionalDecision, gateConditions } from './rules';
import {
  evidenceCreatePermission,
  gateDecidePermission,
  gateOverridePermission,
  incidentCreatePermission,
  windowManagePermission,
  RELEASE_READINESS_GATE_RESOURCE_TYPE,
  signoffCreatePermission,
} from '@release-readiness/plugin-common';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Groups with special powers, from `releaseReadiness.policy`.
 *
 * @public
 */
export interface ReleaseReadinessPolicyOptions {
  /** Members manage everything. */
  adminGroups: string[];
  /**
   * Members may record decisions on any gate, and release a gate whose GO
   * no longer holds (with a reason, audited).
   */
  releaseManagerGroups: string[];
  /**
   * Members may report incidents on any entity (the gate owners of an
   * entity may on theirs). Default: group:default/incident-management.
   */
  incidentManagerGroups?: string[];
}

/**
 * A ready-made permission policy for Release Readiness (the demo app installs
 * it; install your own where your rules differ):
 *
 * - everyone reads (the catalog, templates, gates, audit trails);
 * - gate owners open gates and keep checklists, risk assessments, service
 *   items, gate owners and decisions of their own services (`IS_GATE_OWNER`,
 *   decided in the plugin against its data);
 * - release managers may also record decisions on any gate, and they alone
 *   (with admins) may release a gate whose GO no longer holds, with a reason;
 * - admins may do everything;
 * - people vote (the template says for which roles), services never do;
 * - services post evidence, people never do;
 * - admins manage release windows;
 * - an entity's gate owners, the incident managers and incident tools
 *   (service tokens) report incidents; nobody else does.
 *
 * @public
 */
export class ReleaseReadinessPolicy implements PermissionPolicy {
  /** Reads the groups from `releaseReadiness.policy` in the app config, with their defaults. */
  static fromConfig(config: Config): ReleaseReadinessPolicy {
    return new ReleaseReadinessPolicy({
      adminGroups: config.getOptionalStringArray(
        'releaseReadiness.policy.adminGroups',
      ) ?? ['group:default/platform-admins'],
      releaseManagerGroups: config.getOptionalStringArray(
        'releaseReadiness.policy.releaseManagerGroups',
      ) ?? ['group:default/release-management'],
      incidentManagerGroups: config.getOptionalStringArray(
        'releaseReadiness.policy.incidentManagerGroups',
      ) ?? ['group:default/incident-management'],
    });
  }

  private readonly adminGroups: Set<string>;
  private readonly releaseManagerGroups: Set<string>;
  private readonly incidentManagerGroups: Set<string>;

  constructor(options: ReleaseReadinessPolicyOptions) {
    this.adminGroups = new Set(options.adminGroups.map(lower));
    this.releaseManagerGroups = new Set(
      options.releaseManagerGroups.map(lower),
    );
    this.incidentManagerGroups = new Set(
      (
        options.incidentManagerGroups ?? ['group:default/incident-management']
      ).map(lower),
    );
  }

  /** Decides one permission request for the given user. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = (user?.info.ownershipEntityRefs ?? []).map(lower);
    const inAny = (groups: Set<string>) => claims.some(c => groups.has(c));

    if (permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!permission.name.startsWith('release-readiness.')) {
      // Outside Release Readiness the demo app keeps Backstage's defaults open.
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, evidenceCreatePermission)) {
      return { result: user ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, incidentCreatePermission) && !user) {
      // Incident tools, through service tokens (the plugin demands access
      // restrictions on them, as for evidence).
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (inAny(this.adminGroups)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isPermission(permission, incidentCreatePermission) &&
      inAny(this.incidentManagerGroups)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, windowManagePermission)) {
      // Only admins (above) manage release windows.
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(permission, signoffCreatePermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, gateOverridePermission)) {
      // Overriding a lapsed GO is release management's act, never the gate
      // owners' own.
      return {
        result: inAny(this.releaseManagerGroups)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(permission, gateDecidePermission) &&
      inAny(this.releaseManagerGroups)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isResourcePermission(permission, RELEASE_READINESS_GATE_RESOURCE_TYPE)
    ) {
      return createGateConditionalDecision(
        permission,
        gateConditions.isGateOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
