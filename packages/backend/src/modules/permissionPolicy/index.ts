import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ReleaseReadinessDemoPolicy } from './ReleaseReadinessDemoPolicy';

/** Installs {@link ReleaseReadinessDemoPolicy} in the permission backend. */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'release-readiness-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ReleaseReadinessDemoPolicy());
      },
    });
  },
});

export { ReleaseReadinessDemoPolicy };
