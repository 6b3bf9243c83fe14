import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { notificationsApiRef } from '@backstage/plugin-notifications';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import { notificationSettingsModule } from './index';

describe('Settings → Notifications', () => {
  it('shows the notification settings card, where Release Readiness topics are muted', async () => {
    const getNotificationSettings = jest.fn().mockResolvedValue({
      channels: [
        {
          id: 'Web',
          origins: [
            {
              id: 'plugin:release-readiness',
              enabled: true,
              topics: [{ id: 'Sign-off needed', enabled: false }],
            },
          ],
        },
      ],
    });
    renderTestApp({
      features: [userSettingsPlugin, notificationSettingsModule],
      initialRouteEntries: ['/settings/notifications'],
      apis: [
        [
          notificationsApiRef,
          { getNotificationSettings, updateNotificationSettings: jest.fn() },
        ],
      ] as any,
    });
    // The plugin's notifications under its name, from the person's settings.
    expect(
      await screen.findByText('Release Readiness', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(getNotificationSettings).toHaveBeenCalled();
    // A tab of the settings page leads there.
    expect(
      screen.getByRole('tab', { name: 'Notifications' }),
    ).toBeInTheDocument();
  });
});
