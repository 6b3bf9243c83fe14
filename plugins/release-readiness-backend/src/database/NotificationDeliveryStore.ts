/** One request of a person's, about a gate's role. */
export interface DeliveryItem {
  gateId: string;
  role: string;
}

/** A request waiting for its person's next digest. */
export interface HeldDelivery extends DeliveryItem {
  id: string;
  createdAt: string;
}

/**
 * Which person received which request, and which wait for a digest: what
 * lets a person get at most a given number of notifications of a topic per
 * period, the rest in one digest.
 */
export interface NotificationDeliveryStore {
  /**
   * How many notifications of the topic each of the people received since
   * the time (a digest counts as one); people without any are left out.
   */
  countReceived(options: {
    recipients: string[];
    topic: string;
    since: Date;
  }): Promise<Map<string, number>>;
  /** Records that a notification went out to these people about the item. */
  recordSent(options: {
    notificationId: string;
    recipients: string[];
    topic: string;
    item: DeliveryItem;
    at: Date;
  }): Promise<void>;
  /** Keeps the item for these people's next digest. */
  hold(options: {
    recipients: string[];
    topic: string;
    item: DeliveryItem;
    at: Date;
  }): Promise<void>;
  /** The people with requests of the topic held for a digest. */
  heldRecipients(options: { topic: string }): Promise<string[]>;
  /** A person's held requests of the topic, oldest first. */
  listHeld(options: {
    recipient: string;
    topic: string;
  }): Promise<HeldDelivery[]>;
  /**
   * Marks held requests as sent in the notification (or dropped): only those
   * still held are changed, and their ids are returned, so that of two
   * replicas taking the same requests, one gets each.
   */
  take(options: {
    ids: string[];
    status: 'sent' | 'dropped';
    notificationId?: string;
    at: Date;
  }): Promise<string[]>;
}
