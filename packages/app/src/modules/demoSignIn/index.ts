import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * The demo app's sign-in page: pick any person of the demo catalog and act as
 * them. Development only (see App.tsx and the backend's demo sign-in).
 */
export const demoSignInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: () => import('./DemoSignInPage').then(m => m.DemoSignInPage),
      },
    }),
  ],
});
