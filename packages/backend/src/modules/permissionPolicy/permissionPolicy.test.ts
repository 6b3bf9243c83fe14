import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  evidenceCreatePermission,
  gateCreatePermission,
  gateDecidePermission,
  gateOverridePermission,
  gateOwnersUpdatePermission,
  gateReadPermission,
  gateUpdatePermission,
  incidentCreatePermission,
  signoffCreatePermission,
  templateReadPermission,
  windowManagePermission,
} from '@release-readiness/plugin-common';
import { permissionPolicyModule, ReleaseReadinessPolicy } from '.';

function userWith(...refs: string[]): PolicyQueryUser {
  return {
    credentials: {} as any,
    info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
  };
}

const priya = userWith('user:default/priya-raman', 'group:default/payments');
const margaret = userWith(
  'user:default/margaret-osei',
  'group:default/release-management',
);
const ada = userWith('user:default/ada-admin', 'group:default/platform-admins');

describe('ReleaseReadinessPolicy', () => {
  const policy = new ReleaseReadinessPolicy({
    adminGroups: ['group:default/platform-admins'],
    releaseManagerGroups: ['group:default/release-management'],
  });

  it('lets everyone read, users and services alike', async () => {
    for (const permission of [gateReadPermission, templateReadPermission]) {
      expect(await policy.handle({ permission }, priya)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it.each([
    gateCreatePermission,
    gateUpdatePermission,
    gateOwnersUpdatePermission,
    gateDecidePermission,
  ])('makes $name conditional on being a gate owner', async permission => {
    const decision = (await policy.handle(
      { permission },
      priya,
    )) as ConditionalPolicyDecision;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(decision.pluginId).toBe('release-readiness');
    expect(decision.resourceType).toBe('release-readiness-gate');
    expect(decision.conditions).toEqual({
      rule: 'IS_GATE_OWNER',
      resourceType: 'release-readiness-gate',
      params: {
        claims: ['user:default/priya-raman', 'group:default/payments'],
      },
    });
  });

  it('lets release managers decide on any gate, but not edit it', async () => {
    expect(
      await policy.handle({ permission: gateDecidePermission }, margaret),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      (await policy.handle({ permission: gateUpdatePermission }, margaret))
        .result,
    ).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('lets only release managers and admins override a lapsed GO, never gate owners or services', async () => {
    const permission = gateOverridePermission;
    expect(await policy.handle({ permission }, margaret)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission }, ada)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission }, priya)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets admins do everything', async () => {
    for (const permission of [
      gateCreatePermission,
      gateUpdatePermission,
      gateOwnersUpdatePermission,
      gateDecidePermission,
    ]) {
      expect(await policy.handle({ permission }, ada)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets people vote and services post evidence, never the other way round', async () => {
    expect(
      await policy.handle({ permission: signoffCreatePermission }, priya),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: signoffCreatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: evidenceCreatePermission }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: evidenceCreatePermission }, ada),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets only admins manage windows; incidents are reported by gate owners (a condition) and tools', async () => {
    expect(
      await policy.handle({ permission: windowManagePermission }, ada),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: windowManagePermission }, margaret),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      (await policy.handle({ permission: incidentCreatePermission }, priya))
        .result,
    ).toBe(AuthorizeResult.CONDITIONAL);
    expect(
      await policy.handle({ permission: incidentCreatePermission }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies services every edit of a gate', async () => {
    expect(await policy.handle({ permission: gateUpdatePermission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('leaves permissions of other plugins open in the demo', async () => {
    const catalogDelete = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    expect(await policy.handle({ permission: catalogDelete }, priya)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('reads its groups from config', async () => {
    const configured = ReleaseReadinessPolicy.fromConfig(
      mockServices.rootConfig({
        data: {
          releaseReadiness: {
            policy: { releaseManagerGroups: ['group:default/payments'] },
          },
        },
      }),
    );
    expect(
      await configured.handle({ permission: gateDecidePermission }, priya),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('permissionPolicyModule', () => {
  it('installs the policy in the permission backend', async () => {
    const setPolicy = jest.fn();
    await startTestBackend({
      extensionPoints: [[policyExtensionPoint, { setPolicy }]],
      features: [permissionPolicyModule],
    });
    expect(setPolicy).toHaveBeenCalledWith(expect.any(ReleaseReadinessPolicy));
  });
});
