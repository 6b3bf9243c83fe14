import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import releaseReadinessPlugin from '@release-readiness/plugin/alpha';
import { demoSignInModule } from './modules/demoSignIn';
import { landingModule } from './modules/landing';
import { notificationSettingsModule } from './modules/notificationSettings';

export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    userSettingsPlugin,
    notificationsPlugin,
    signalsPlugin,
    releaseReadinessPlugin,
    // `/` leads to the portfolio: signing in never ends on a 404.
    landingModule,
    // Settings → Notifications, where people mute notification topics.
    notificationSettingsModule,
    // Acting as any demo user is for the demo only: off in production builds
    // unless their config turns it on (see modules/demoSignIn); the backend's
    // demo sign-in refuses to start outside development.
    demoSignInModule,
  ],
});
