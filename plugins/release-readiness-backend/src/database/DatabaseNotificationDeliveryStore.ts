import { Knex } from 'knex';
import {
  DeliveryItem,
  HeldDelivery,
  NotificationDeliveryStore,
} from './NotificationDeliveryStore';
import { NotificationDeliveryRow } from './tables';

const TABLE = 'notification_deliveries';

function iso(value: Date | string): string {
  return typeof value === 'string'
    ? new Date(value).toISOString()
    : value.toISOString();
}

/**
 * Deliveries in the plugin's database (`notification_deliveries`). Taking
 * held requests is one conditional UPDATE (`status = 'held'`), so two
 * replicas sending digests at once never list a request twice.
 *
 * @internal
 */
export class DatabaseNotificationDeliveryStore
  implements NotificationDeliveryStore
{
  static create(options: { db: Knex }): DatabaseNotificationDeliveryStore {
    return new DatabaseNotificationDeliveryStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async countReceived(options: {
    recipients: string[];
    topic: string;
    since: Date;
  }): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!options.recipients.length) return counts;
    const rows = await this.db<NotificationDeliveryRow>(TABLE)
      .select('recipient')
      .countDistinct({ n: 'notification_id' })
      .whereIn('recipient', options.recipients)
      .where({ topic: options.topic, status: 'sent' })
      .where('sent_at', '>=', options.since.toISOString())
      .groupBy('recipient');
    for (const row of rows as unknown as { recipient: string; n: number }[]) {
      counts.set(row.recipient, Number(row.n));
    }
    return counts;
  }

  async recordSent(options: {
    notificationId: string;
    recipients: string[];
    topic: string;
    item: DeliveryItem;
    at: Date;
  }): Promise<void> {
    await this.insert(options.recipients, {
      topic: options.topic,
      gate_id: options.item.gateId,
      role: options.item.role,
      status: 'sent',
      notification_id: options.notificationId,
      created_at: options.at.toISOString(),
      sent_at: options.at.toISOString(),
    });
  }

  async hold(options: {
    recipients: string[];
    topic: string;
    item: DeliveryItem;
    at: Date;
  }): Promise<void> {
    await this.insert(options.recipients, {
      topic: options.topic,
      gate_id: options.item.gateId,
      role: options.item.role,
      status: 'held',
      notification_id: null,
      created_at: options.at.toISOString(),
      sent_at: null,
    });
  }

  private async insert(
    recipients: string[],
    row: Omit<NotificationDeliveryRow, 'id' | 'recipient'>,
  ) {
    if (!recipients.length) return;
    await this.db<NotificationDeliveryRow>(TABLE).insert(
      recipients.map(recipient => ({ ...row, recipient })) as any,
    );
  }

  async heldRecipients(options: { topic: string }): Promise<string[]> {
    const rows = await this.db<NotificationDeliveryRow>(TABLE)
      .distinct('recipient')
      .where({ topic: options.topic, status: 'held' })
      .orderBy('recipient');
    return rows.map(r => r.recipient);
  }

  async listHeld(options: {
    recipient: string;
    topic: string;
  }): Promise<HeldDelivery[]> {
    const rows = await this.db<NotificationDeliveryRow>(TABLE)
      .where({
        recipient: options.recipient,
        topic: options.topic,
        status: 'held',
      })
      .orderBy('id');
    return rows.map(r => ({
      id: String(r.id),
      gateId: r.gate_id,
      role: r.role,
      createdAt: iso(r.created_at),
    }));
  }

  async take(options: {
    ids: string[];
    status: 'sent' | 'dropped';
    notificationId?: string;
    at: Date;
  }): Promise<string[]> {
    if (!options.ids.length) return [];
    const taken = await this.db<NotificationDeliveryRow>(TABLE)
      .whereIn(
        'id',
        options.ids.map(id => Number(id)),
      )
      .where({ status: 'held' })
      .update({
        status: options.status,
        notification_id: options.notificationId ?? null,
        sent_at: options.at.toISOString(),
      })
      .returning('id');
    return taken.map((r: any) => String(typeof r === 'object' ? r.id : r));
  }
}
