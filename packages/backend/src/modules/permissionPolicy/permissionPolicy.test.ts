import { startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { gateReadPermission } from '@release-readiness/plugin-common';
import { permissionPolicyModule, ReleaseReadinessDemoPolicy } from '.';

describe('ReleaseReadinessDemoPolicy', () => {
  const policy = new ReleaseReadinessDemoPolicy();
  const user = {
    identity: {
      type: 'user' as const,
      userEntityRef: 'user:default/priya-raman',
      ownershipEntityRefs: [
        'user:default/priya-raman',
        'group:default/payments',
      ],
    },
    token: 'token',
    credentials: {} as any,
    info: {
      userEntityRef: 'user:default/priya-raman',
      ownershipEntityRefs: [
        'user:default/priya-raman',
        'group:default/payments',
      ],
    },
  };

  it('allows reading release readiness', async () => {
    await expect(
      policy.handle({ permission: gateReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('allows reading the catalog, with or without a user', async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    await expect(
      policy.handle({ permission: catalogRead }, user),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(policy.handle({ permission: catalogRead })).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});

describe('permissionPolicyModule', () => {
  it('installs the policy in the permission backend', async () => {
    const setPolicy = jest.fn();
    await startTestBackend({
      extensionPoints: [[policyExtensionPoint, { setPolicy }]],
      features: [permissionPolicyModule],
    });
    expect(setPolicy).toHaveBeenCalledWith(
      expect.any(ReleaseReadinessDemoPolicy),
    );
  });
});
