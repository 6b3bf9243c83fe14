import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, UserEntity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';
import { assertDevelopment } from './assertDevelopment';

/** One person the demo sign-in page offers. */
export interface DemoUser {
  ref: string;
  displayName: string;
  email?: string;
  description?: string;
  groups: string[];
}

/** Maps catalog users to what the sign-in page shows, sorted by name. */
export function toDemoUsers(users: UserEntity[]): DemoUser[] {
  return users
    .map(user => ({
      ref: stringifyEntityRef(user),
      displayName: user.spec?.profile?.displayName ?? user.metadata.name,
      email: user.spec?.profile?.email,
      description: user.metadata.description,
      groups: (user.relations ?? [])
        .filter(r => r.type === 'memberOf')
        .map(r => r.targetRef)
        .sort(),
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * `GET /api/demo-sign-in/users`: the catalog's users, for the demo sign-in
 * page to list before anyone is signed in. Development only.
 */
export const demoSignInUsersPlugin = createBackendPlugin({
  pluginId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, auth, catalog }) {
        assertDevelopment();
        const router = Router();
        router.get('/users', async (_req, res) => {
          const { items } = await catalog.getEntities(
            { filter: { kind: 'User' } },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          res.json({ items: toDemoUsers(items as UserEntity[]) });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/users', allow: 'unauthenticated' });
      },
    });
  },
});
