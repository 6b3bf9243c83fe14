import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { assertDevelopment, DEMO_USER_HEADER } from './assertDevelopment';

/** The user the demo sign-in page asked to act as, as a full user ref. */
export function readDemoUserRef(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) {
    throw new InputError(`Missing ${DEMO_USER_HEADER} header`);
  }
  const ref = parseEntityRef(value, {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`${DEMO_USER_HEADER} must name a user, got ${value}`);
  }
  return stringifyEntityRef(ref);
}

const demoAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userEntityRef: string }) => ({
    profile: { displayName: parseEntityRef(result.userEntityRef).name },
  }),
  initialize() {},
  async authenticate({ req }) {
    return {
      result: { userEntityRef: readDemoUserRef(req.headers[DEMO_USER_HEADER]) },
    };
  },
});

/**
 * Auth provider `demo`: signs the person in as the catalog user the demo
 * sign-in page names, with that user's catalog group memberships. Development
 * only.
 */
export const demoSignInAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers, logger }) {
        assertDevelopment();
        logger.warn(
          'Demo sign-in is enabled: anyone can act as any catalog user. Development only.',
        );
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: result.userEntityRef,
              });
            },
          }),
        });
      },
    });
  },
});
