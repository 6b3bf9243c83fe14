import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { releaseReadinessPermissions } from '@release-readiness/plugin-common';
import { DatabaseGateOwnerStore } from './database/DatabaseGateOwnerStore';
import { createRouter } from './service/router';

/**
 * The Release Readiness backend plugin, mounted at `/api/release-readiness`.
 *
 * @public
 */
export const releaseReadinessPlugin = createBackendPlugin({
  pluginId: 'release-readiness',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(releaseReadinessPermissions);
        const gateOwners = await DatabaseGateOwnerStore.create({ database });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalog,
            gateOwners,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
