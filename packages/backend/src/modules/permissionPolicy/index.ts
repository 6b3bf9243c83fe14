import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ReleaseReadinessPolicy } from '@release-readiness/plugin-backend';

/** Installs {@link ReleaseReadinessPolicy} in the permission backend. */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'release-readiness-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(ReleaseReadinessPolicy.fromConfig(config));
      },
    });
  },
});

export { ReleaseReadinessPolicy };
