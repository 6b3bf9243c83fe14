import { Gate } from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { NotificationDeliveryStore } from '../database';
import { PeopleDirectory } from './people';
import { NOTIFICATION_TOPICS, ReadinessNotifier } from './ReadinessNotifier';
import { SignoffRequest } from './signoffRequests';

/**
 * How many sign-off notifications a person gets at most in a period: up to
 * `maxPerPeriod` single requests, and what comes beyond waits and goes out
 * as one digest listing the gates once the person has room again (a digest
 * counts as one notification).
 */
export interface DigestSettings {
  maxPerPeriod: number;
  periodMs: number;
}

/** Three sign-off notifications per person and hour. */
export const DEFAULT_DIGEST: DigestSettings = {
  maxPerPeriod: 3,
  periodMs: 3_600_000,
};

const TOPIC = NOTIFICATION_TOPICS.signoff;
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A held request that is still due when its digest goes out. */
export interface StillDue {
  gate: Gate;
  roleTitle: string;
}

/**
 * Delivers sign-off requests person by person: the eligible voters of a
 * role (groups resolved to their members) less those excluded; each gets the
 * request at once while they have had fewer than `maxPerPeriod` sign-off
 * notifications in the period, otherwise it is held for their digest, which
 * {@link SignoffRequestSender.flushDigests} sends from the reminders pass.
 *
 * The caller claims a request once per gate and role before handing it here
 * (requestDueSignoffs); two requests for the same person in the same instant
 * on two replicas may both count as under the limit, so the bound is per
 * replica at worst, while no request is ever sent twice.
 */
export class SignoffRequestSender {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      notifier: Pick<ReadinessNotifier, 'signoffNeeded' | 'signoffDigest'>;
      people: PeopleDirectory;
      deliveries: NotificationDeliveryStore;
      digest?: DigestSettings;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  private get digest(): DigestSettings {
    return this.deps.digest ?? DEFAULT_DIGEST;
  }

  /** The people a request reaches: eligible, not excluded. */
  async recipientsOf(request: SignoffRequest): Promise<string[]> {
    const excluded = new Set(request.exclude.map(lower));
    const users = await this.deps.people.usersOf(request.recipients);
    return users.filter(user => !excluded.has(user));
  }

  /** Sends a claimed request now to those with room, holds it for the others. */
  async send(
    gate: Gate,
    request: SignoffRequest,
  ): Promise<{ sent: string[]; held: string[] }> {
    const users = await this.recipientsOf(request);
    if (!users.length) return { sent: [], held: [] };
    const now = this.now();
    const counts = await this.deps.deliveries.countReceived({
      recipients: users,
      topic: TOPIC,
      since: new Date(now.getTime() - this.digest.periodMs),
    });
    const sent = users.filter(
      user => (counts.get(user) ?? 0) < this.digest.maxPerPeriod,
    );
    const held = users.filter(user => !sent.includes(user));
    const item = { gateId: gate.id, role: request.role };
    if (sent.length) {
      await this.deps.deliveries.recordSent({
        notificationId: `signoff:${gate.id}:${request.role}`,
        recipients: sent,
        topic: TOPIC,
        item,
        at: now,
      });
      await this.deps.notifier.signoffNeeded(gate, request, sent);
    }
    if (held.length) {
      await this.deps.deliveries.hold({
        recipients: held,
        topic: TOPIC,
        item,
        at: now,
      });
    }
    return { sent, held };
  }

  /**
   * Sends every person with held requests, who has room again in the
   * period, one digest of those still due (asked of `stillDue`, which says
   * whether the gate still waits for that person's sign-off in the role);
   * requests no longer due are dropped unsent. Returns the digests sent.
   */
  async flushDigests(
    stillDue: (
      gateId: string,
      role: string,
      user: string,
    ) => Promise<StillDue | undefined>,
  ): Promise<{ user: string; items: number }[]> {
    const { deliveries } = this.deps;
    const sentDigests: { user: string; items: number }[] = [];
    for (const user of await deliveries.heldRecipients({ topic: TOPIC })) {
      const now = this.now();
      const counts = await deliveries.countReceived({
        recipients: [user],
        topic: TOPIC,
        since: new Date(now.getTime() - this.digest.periodMs),
      });
      if ((counts.get(user) ?? 0) >= this.digest.maxPerPeriod) continue;
      const held = await deliveries.listHeld({ recipient: user, topic: TOPIC });
      const due: { id: string; entry: StillDue }[] = [];
      const gone: string[] = [];
      for (const request of held) {
        const entry = await stillDue(request.gateId, request.role, user);
        if (entry) due.push({ id: request.id, entry });
        else gone.push(request.id);
      }
      await deliveries.take({ ids: gone, status: 'dropped', at: now });
      if (!due.length) continue;
      const digestId = randomUUID();
      const taken = new Set(
        await deliveries.take({
          ids: due.map(d => d.id),
          status: 'sent',
          notificationId: `digest:${digestId}`,
          at: now,
        }),
      );
      const entries = due.filter(d => taken.has(d.id)).map(d => d.entry);
      if (!entries.length) continue; // another replica sent them
      await this.deps.notifier.signoffDigest(user, digestId, entries);
      sentDigests.push({ user, items: entries.length });
    }
    return sentDigests;
  }
}
