import { createBackend } from '@backstage/backend-defaults';
import {
  demoSignInAuthModule,
  demoSignInUsersPlugin,
} from './modules/demoSignIn';
import { permissionPolicyModule } from './modules/permissionPolicy';
import { databaseServiceWithMigrationRetry } from './modules/migrationRetry';

const backend = createBackend();

// Replicas starting together wait for each other's migrations instead of
// failing (see modules/migrationRetry).
backend.add(databaseServiceWithMigrationRetry);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// Exposes actions (ours: the readiness and blockers of a release) to MCP clients.
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(import('@release-readiness/plugin-backend'));
// Tech Insights with its JSON rules engine checks (app-config.yaml), and the
// module that turns two of its checks into component-gate evidence.
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(import('@release-readiness/plugin-backend-module-tech-insights'));
// Incidents from PagerDuty and Opsgenie webhooks through the events backend's
// HTTP ingress (releaseReadiness.incidents in app-config.yaml).
backend.add(import('@release-readiness/plugin-backend-module-incidents'));

// Acting as any demo user is for local development only; both features also
// refuse to start anywhere else.
if (process.env.NODE_ENV === 'development') {
  backend.add(demoSignInAuthModule);
  backend.add(demoSignInUsersPlugin);
}

backend.start();
