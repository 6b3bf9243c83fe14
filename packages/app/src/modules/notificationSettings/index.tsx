import {
  createFrontendModule,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';

/**
 * Settings → Notifications: where a person mutes a kind of notification
 * (the Release Readiness topics: Sign-off needed, Decisions, Exception
 * requests…) or all of a plugin's. The notifications plugin provides the
 * card; nothing in the default app shows it, so this sub-page of the user
 * settings page does.
 */
export const notificationSettingsPage = SubPageBlueprint.make({
  attachTo: { id: 'page:user-settings', input: 'pages' },
  name: 'notifications',
  params: {
    path: 'notifications',
    title: 'Notifications',
    loader: () =>
      Promise.all([
        import('@backstage/plugin-notifications'),
        import('@backstage/core-components'),
      ]).then(([{ UserNotificationSettingsCard }, { Content }]) => (
        <Content>
          <UserNotificationSettingsCard
            originNames={{ 'plugin:release-readiness': 'Release Readiness' }}
          />
        </Content>
      )),
  },
});

/** The notification settings as a module of the user settings plugin. */
export const notificationSettingsModule = createFrontendModule({
  pluginId: 'user-settings',
  extensions: [notificationSettingsPage],
});
