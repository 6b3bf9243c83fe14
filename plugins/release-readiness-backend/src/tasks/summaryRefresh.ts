/*
 * The portfolio reads each entity's current-gate summary from its index row.
 * Every change to a gate, its evidence or its owners stores that summary in
 * its own transaction (EntityChanges.changeEntity). What moves an
 * evaluation from outside the entity is caught up here:
 *
 * - a release window created through the API, which can block every gate
 *   in its scope: the pass is triggered when one is created;
 * - the gates of a system's components, which a system gate rolls up;
 * - catalog changes the index sync brings (owner, system, tags);
 * - time: evidence going stale, a waiver or a verified rollback expiring.
 *
 * The pass runs on a schedule, on one replica at a time.
 */
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { GateStore } from '../database';
import { GateDomain } from '../gates';

/** The scheduler task's id. */
export const SUMMARY_REFRESH_TASK = 'release-readiness-summaries';

/** How many current gates a pass loads at a time. */
const PAGE = 100;

/**
 * One pass: evaluates the current gate of every entity and stores its
 * summary where it changed, going on past a gate that fails. Returns how
 * many gates it evaluated.
 */
export async function runSummaryRefresh(options: {
  domain: GateDomain;
  gates: GateStore;
  logger?: LoggerService;
}): Promise<number> {
  let evaluated = 0;
  // Page by page, so that memory stays flat whatever the catalog's size.
  for (let after: string | undefined; ; ) {
    const page = await options.gates.listCurrentGates({
      ...(after ? { after } : {}),
      limit: PAGE,
    });
    if (!page.length) return evaluated;
    after = page[page.length - 1].entityRef;
    for (const gate of page) {
      try {
        await options.domain.changes.refreshSummary(gate);
        evaluated += 1;
      } catch (error) {
        // One gate that cannot be evaluated now (its system not found in
        // the catalog, say) does not hold up the rest.
        options.logger?.warn(
          `Gate summary of ${gate.entityRef} not refreshed: ${error}`,
        );
      }
    }
  }
}

/**
 * Schedules {@link runSummaryRefresh}: by default every 15 minutes, first
 * two minutes after start. Returns what starts a pass at once (on whichever
 * replica the scheduler picks), for a change that moves many evaluations.
 */
export async function scheduleSummaryRefresh(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  run: () => Promise<number>;
  schedule?: SchedulerServiceTaskScheduleDefinition;
}): Promise<() => Promise<void>> {
  const { scheduler, logger } = options;
  await scheduler.scheduleTask({
    id: SUMMARY_REFRESH_TASK,
    ...(options.schedule ?? {
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 2 },
    }),
    fn: async () => {
      const evaluated = await options.run();
      logger.info(`Gate summaries refreshed: ${evaluated} current gates`);
    },
  });
  return async () => {
    try {
      await scheduler.triggerTask(SUMMARY_REFRESH_TASK);
    } catch (error) {
      // A pass already running reads the windows again for each gate it has
      // still to evaluate; the next scheduled pass catches up the rest.
      const running = (error as Error).name === 'ConflictError';
      logger[running ? 'info' : 'warn'](
        `Gate summaries: no pass started now, the next scheduled one will catch up (${
          (error as Error).message
        })`,
      );
    }
  };
}
