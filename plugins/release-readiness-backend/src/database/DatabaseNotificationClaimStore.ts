import { Knex } from 'knex';
import { NotificationClaimStore } from './NotificationClaimStore';
import { NotificationSentRow } from './tables';

/**
 * Reminder claims in the plugin's database: the primary key of
 * `notifications_sent` lets exactly one replica insert a reminder's key.
 *
 * @internal
 */
export class DatabaseNotificationClaimStore implements NotificationClaimStore {
  static create(options: { db: Knex }): DatabaseNotificationClaimStore {
    return new DatabaseNotificationClaimStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async claimNotification(options: { key: string }): Promise<boolean> {
    const inserted = await this.db<NotificationSentRow>('notifications_sent')
      .insert({ key: options.key, sent_at: new Date().toISOString() })
      .onConflict('key')
      .ignore()
      .returning('key');
    return inserted.length === 1;
  }
}
