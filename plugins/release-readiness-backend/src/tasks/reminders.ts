import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  windowApplies,
  windowAt,
  nextOccurrence,
} from '@release-readiness/plugin-common';
import { Gate } from '@release-readiness/plugin-common';
import {
  DebriefStore,
  EntityIndexStore,
  GateStore,
  NotificationClaimStore,
} from '../database';
import { utcDay } from '../gates/debrief';
import { GateDomain } from '../gates';
import { ReadinessNotifier } from '../notifications/ReadinessNotifier';
import { stillDueSignoffs } from '../notifications/requestSignoffs';
import { SignoffRequestSender } from '../notifications/signoffSender';

const DAY = 86_400_000;

/** How many live gates background work loads at a time. */
const REMINDER_PAGE = 100;

/**
 * One pass of the background work: reminds owners of gates planned inside a
 * freeze that starts within a day, tells owners when evidence of an open gate
 * went stale, and refreshes the gate summaries that time alone changes. Each
 * reminder is claimed in the database first, so however many replicas run
 * this, a reminder goes out once. It tells the owners of debrief follow-ups
 * that are past their due date, once per due date. Then it sends the sign-off digests of the
 * people who have room for one again (SignoffRequestSender.flushDigests).
 */
export async function runReminders(options: {
  domain: GateDomain;
  gates: GateStore;
  entities: EntityIndexStore;
  notificationClaims: NotificationClaimStore;
  notifier: ReadinessNotifier;
  /** Sends the held sign-off requests as digests; none when not given. */
  digests?: Pick<SignoffRequestSender, 'flushDigests'>;
  /** Debrief follow-ups, whose owners hear once when one is overdue. */
  debriefs?: Pick<DebriefStore, 'listOverdueFollowUps'>;
  now?: Date;
}) {
  const { domain, gates, entities, notificationClaims, notifier } = options;
  const now = options.now ?? new Date();
  const freezes = (await domain.evaluator.allWindows()).filter(
    w => w.kind === 'freeze',
  );
  // Page by page, so that memory stays flat whatever the number of live gates.
  for (let after: string | undefined; ; ) {
    const page = await gates.listLiveGates({
      ...(after ? { after } : {}),
      limit: REMINDER_PAGE,
    });
    if (!page.length) break;
    after = page[page.length - 1].id;
    for (const gate of page) {
      await remindAbout(gate);
    }
  }
  // Follow-ups of debriefs past their due date: the owner hears once per
  // due date (a new due date is a new reminder).
  for (let after: string | undefined; options.debriefs; ) {
    const page = await options.debriefs.listOverdueFollowUps({
      today: utcDay(now),
      ...(after ? { after } : {}),
      limit: REMINDER_PAGE,
    });
    if (!page.length) break;
    after = page[page.length - 1].id;
    for (const followUp of page) {
      const key = `follow-up:${followUp.id}:${followUp.dueDate}`;
      if (await notificationClaims.claimNotification({ key })) {
        await notifier.followUpOverdue(followUp);
      }
    }
  }
  await options.digests?.flushDigests(
    stillDueSignoffs({
      gates,
      changes: domain.changes,
      access: domain.access,
    }),
  );

  async function remindAbout(gate: Gate) {
    const [entity, resource] = await Promise.all([
      entities.getEntity({ entityRef: gate.entityRef }),
      domain.access.gateResource(gate.entityRef),
    ]);
    const target = {
      entityRef: gate.entityRef,
      ...(entity?.systemRef ? { systemRef: entity.systemRef } : {}),
      tags: entity?.tags ?? [],
    };
    if (gate.plannedAt) {
      const planned = new Date(gate.plannedAt);
      for (const window of freezes.filter(w => windowApplies(w, target))) {
        const occurrence = windowAt(window, planned);
        const upcoming = nextOccurrence(window, now);
        if (
          occurrence &&
          upcoming &&
          occurrence.start.getTime() === upcoming.start.getTime() &&
          upcoming.start.getTime() - now.getTime() <= DAY
        ) {
          const key = `freeze:${window.id}:${occurrence.start.toISOString()}:${
            gate.id
          }`;
          if (await notificationClaims.claimNotification({ key })) {
            await notifier.freezeStarting(
              window,
              occurrence.start,
              gate,
              resource.ownerRefs,
            );
          }
        }
      }
    }
    if (gate.state !== 'in-progress') return;
    const { evaluation } = await domain.changes.withEvaluation(gate);
    for (const item of evaluation.automated.filter(
      a => a.outcome === 'stale',
    )) {
      const key = `stale:${gate.id}:${item.itemId}:${item.evidenceId}`;
      if (await notificationClaims.claimNotification({ key })) {
        await notifier.evidenceStale(
          gate,
          item.itemId,
          item.detail,
          resource.ownerRefs,
        );
      }
    }
  }
}

/** Runs {@link runReminders} every 15 minutes on one replica at a time. */
export async function scheduleReminders(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  run: () => Promise<void>;
  /** Default: every 15 minutes, first a minute after start. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
}) {
  await options.scheduler.scheduleTask({
    id: 'release-readiness-reminders',
    ...(options.schedule ?? {
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
    }),
    fn: async () => {
      try {
        await options.run();
      } catch (error) {
        options.logger.error(`Release readiness reminders failed: ${error}`);
      }
    },
  });
}
