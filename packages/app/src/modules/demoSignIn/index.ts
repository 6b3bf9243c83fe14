import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * The demo app's sign-in page: pick any person of the demo catalog and act as
 * them. On in development builds; a production build has it off unless its
 * config turns it on (`app.extensions: [sign-in-page:app: true]`, as
 * app-config.production-demo.yaml does for the demo served as a production
 * build). Either way it signs people in only through the backend's demo
 * provider, which refuses to start outside development.
 */
export const demoSignInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      disabled: process.env.NODE_ENV !== 'development',
      params: {
        loader: () => import('./DemoSignInPage').then(m => m.DemoSignInPage),
      },
    }),
  ],
});
